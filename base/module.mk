# base/: what both sides link: errors, log, allocation, clock, JSON
# helpers, phone masking, ECDSA, the card codec, the bundle format, the
# event record and the rules both sides apply.
BASE_SRCS += $(wildcard base/*.c)
