# tests/fuzz/fuzz.mk: the card payload parser under libFuzzer (clang,
# with ASan and UBSan). `make test` builds it in each tree and
# tests/card_fuzz_test.sh runs it for a few seconds on the seed corpus;
# `make fuzz` runs it for FUZZ_SECONDS (default 600) and keeps what it
# finds in build/fuzz-corpus/.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 600
FUZZ_CARD    := $(BUILD)/fuzz/fuzz_card
FUZZ_CARD_SRCS := tests/fuzz/fuzz_card.c base/card.c \
                  base/sig_mbedtls_mem.c base/sig_mbedtls.c \
                  base/file.c base/xmalloc.c \
                  base/log.c
TEST_PROGS   += $(FUZZ_CARD)
# tests: was read before this file, so name the prerequisite here too.
tests: $(FUZZ_CARD)

$(FUZZ_CARD): $(FUZZ_CARD_SRCS) base/card.h base/sig_key.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ $@")
	$(Q)$(FUZZ_CC) -g -O1 -std=c11 $(WARN) -D_DEFAULT_SOURCE -I. \
	    -fsanitize=fuzzer,address,undefined $(FUZZ_CARD_SRCS) \
	    -lmbedcrypto -o $@

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_CARD)
	@mkdir -p build/fuzz-corpus
	$(FUZZ_CARD) -max_total_time=$(FUZZ_SECONDS) -max_len=256 \
	    -dict=tests/fuzz/card.dict build/fuzz-corpus tests/fuzz/corpus_card
