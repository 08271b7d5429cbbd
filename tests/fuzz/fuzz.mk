# tests/fuzz/fuzz.mk: the card payload parser under libFuzzer (clang).
# `make test` builds it and tests/card_fuzz_test.sh runs it briefly;
# `make fuzz` runs it for FUZZ_SECONDS (default 600) on the seed corpus.
include sync/hub/hub_card.mk
