# sync/: what kiosk and hub speak (TLS, HTTP framing, the protocol codec,
# certificates) and the kiosk's sync worker.
SYNC_SRCS += $(wildcard sync/*.c)
