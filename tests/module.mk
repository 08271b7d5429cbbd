# One cmocka binary per tests/test_<module>.c, linked with the support
# objects in tests/support/ and every library.
TEST_SRCS    := $(wildcard tests/test_*.c)
TEST_BINS    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
SUPPORT_SRCS := $(wildcard tests/support/*.c)
SUPPORT_OBJS := $(call objs,$(SUPPORT_SRCS))
TEST_PROGS   :=
# Not a test: renders a printer file's receipt for the shell tests
# (tests/desk_test.sh).
TEST_PROGS   += $(BUILD)/tests/escpos_dump
# The hub's store runs on SQLite and on PostgreSQL: test_hub, test_sync
# and test_hub_pg (two hubds on one database) run a second time on a
# throwaway PostgreSQL cluster in tests/hub_pg_test.sh (it names the
# database in HUB_TEST_STORE); run alone, test_hub_pg skips.

$(BUILD)/tests/%: $(OBJ)/tests/%.o $(SUPPORT_OBJS) $(CMD_PARTS) $(ARCHIVES)
	@mkdir -p $(@D)
	$(LINK_ALL) -lcmocka

.PHONY: tests
tests: $(TEST_BINS) $(TEST_PROGS)
include tests/fuzz/fuzz.mk

# `make soak`: the power-loss test (tests/test_powerloss.c) with
# POWERLOSS_CUTS simulated power cuts per store instead of 100.
POWERLOSS_CUTS ?= 1000
.PHONY: soak
soak: $(BUILD)/tests/test_powerloss
	POWERLOSS_CUTS=$(POWERLOSS_CUTS) CMOCKA_MESSAGE_OUTPUT=TAP $<
