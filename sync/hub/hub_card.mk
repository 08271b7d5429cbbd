# sync/hub/hub_card.mk: the card office program and what hub_card links
# against (libpng for the QR images). Included from tests/fuzz/fuzz.mk
# until the hub's own module.mk takes it.
HUB_SRCS := $(filter-out sync/hub/cardctl.c,$(HUB_SRCS))
LDLIBS   += $(shell pkg-config --libs libpng 2>/dev/null || echo -lpng)
PROGRAMS += $(BUILD)/cardctl

$(BUILD)/cardctl: $(OBJ)/sync/hub/cardctl.o $(ARCHIVES)
	$(LINK)
