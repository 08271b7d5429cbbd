# tests/fuzz/fuzz.mk: every parser of outside input under libFuzzer
# (clang, with ASan and UBSan). Each target is tests/fuzz/fuzz_NAME.c
# plus the project sources it needs, compiled with clang into
# $(BUILD)/fuzz/obj/ (the archives are gcc-built without coverage, so
# they cannot be linked in). Seeds are tests/fuzz/corpus_NAME/; a
# dictionary tests/fuzz/NAME.dict and extra libFuzzer flags in
# tests/fuzz/NAME.options are used when present.
#
# `make test` builds every target in each tree and tests/fuzz_test.sh
# runs each for a few seconds. `make fuzz` runs each for FUZZ_SECONDS,
# keeping what it finds in build/fuzz-corpus/NAME/; FUZZ_RUNS=N (or
# `make fuzz-long`, ten million) runs each for N inputs instead.
# FUZZ_ONLY="http proto" picks targets.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 300
FUZZ_RUNS    ?=
FUZZ_OBJ     := $(BUILD)/fuzz/obj
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
# Migrations in firmware/store.c join literals in an array on purpose.
FUZZ_CFLAGS  := -g -O1 -std=c11 $(WARN) -Wno-string-concatenation \
                -D_DEFAULT_SOURCE -I. $(PKG_CFLAGS) \
                -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_TARGETS :=

# $(call fuzz_target,NAME,SOURCES): one target, one line below.
define fuzz_target
FUZZ_TARGETS += $(1)
$(BUILD)/fuzz/fuzz_$(1): $(patsubst %.c,$(FUZZ_OBJ)/%.o,\
                           tests/fuzz/fuzz_$(1).c $(2))
endef

FUZZ_SIG := base/sig_mbedtls_mem.c base/sig_mbedtls.c base/file.c
FUZZ_LOW := base/xmalloc.c base/log.c base/err.c
# The protocol codec and what it decodes into.
FUZZ_PROTO := sync/proto.c base/event.c base/change.c base/json.c \
              base/clock.c base/ledger.c base/service_confirm.c

$(eval $(call fuzz_target,card,base/card.c $(FUZZ_SIG) $(FUZZ_LOW)))
# sync/proto.c decodes photos with base/card.c's base64url.
$(eval $(call fuzz_target,http,sync/http.c sync/tls.c $(FUZZ_PROTO) \
                            base/card.c $(FUZZ_SIG) $(FUZZ_LOW)))
$(eval $(call fuzz_target,proto,$(FUZZ_PROTO) base/card.c $(FUZZ_SIG) \
                             $(FUZZ_LOW)))
$(eval $(call fuzz_target,config,firmware/config.c $(FUZZ_LOW)))
$(eval $(call fuzz_target,bundle,base/bundle.c $(FUZZ_SIG) $(FUZZ_LOW)))
$(eval $(call fuzz_target,roster,$(wildcard hub/hub_db*.c hub/hub_sql*.c) \
                              hub/hub_roster.c hub/hub_claims.c hub/hub_audit.c hub/hub_input.c sync/pki_mbedtls.c \
                              hub/hub_rules.c base/csv.c base/file.c \
                              base/phone.c base/pinhash.c $(FUZZ_SIG) \
                              base/clock.c base/service_rules.c \
                              base/event.c base/ledger.c hub/hub_filter.c hub/hub_points.c \
                              base/service_confirm.c $(FUZZ_LOW)))
$(eval $(call fuzz_target,page,$(FUZZ_PROTO) $(wildcard firmware/store*.c) \
                            base/card.c $(FUZZ_SIG) \
                            $(FUZZ_LOW)))

FUZZ_BINS  := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
TEST_PROGS += $(FUZZ_BINS)
# tests: was read before this file, so name the prerequisites here too.
tests: $(FUZZ_BINS)

$(FUZZ_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ-CC $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
	    -c $< -o $@

$(FUZZ_BINS):
	@mkdir -p $(@D)
	@$(if $(Q),echo "  FUZZ-LD $@")
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -Wl,--as-needed $^ \
	    $(ALL_LIBS) -o $@

.PHONY: fuzz-long
fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(BUILD) "$(FUZZ_SECONDS)" "$(FUZZ_RUNS)" \
	    $(or $(FUZZ_ONLY),$(FUZZ_TARGETS))

fuzz-long:
	@$(MAKE) --no-print-directory fuzz FUZZ_RUNS=10000000
