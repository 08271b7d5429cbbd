# Service-station kiosk and hub.
#
#   make          build everything (plain) into build/
#   make test     install what is missing, build, run every test plain and
#                 under AddressSanitizer + UndefinedBehaviorSanitizer
#   make run      install what is missing, build, start the demo
#
# Each directory's module.mk adds its sources and programs; this file holds
# only what they share. A second build tree with SAN=1 (build/san) holds the
# sanitized objects, so both can exist side by side.

SAN   ?=
BUILD ?= $(if $(SAN),build/san,build)
OBJ   := $(BUILD)/obj
CC    ?= cc

PKGS := sdl2 SDL2_ttf SDL2_image sqlite3 inih libcjson libqrencode
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Debian ships no .pc file for these two.
EXTRA_LIBS := -lmbedtls -lmbedx509 -lmbedcrypto -lhttp_parser -lpthread -lm

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 $(WARN) -D_DEFAULT_SOURCE -I. $(PKG_CFLAGS)
LDFLAGS += -Wl,--as-needed
ifneq ($(SAN),)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
           -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
LDLIBS  := $(PKG_LIBS) $(EXTRA_LIBS)

# Libraries, lowest last; every program links the whole group and the
# linker takes only what it uses.
LIB_CORE  := $(BUILD)/libcore.a
LIB_BOARD := $(BUILD)/libboard.a
LIB_UI    := $(BUILD)/libui.a
LIB_SYNC  := $(BUILD)/libsync.a
LIB_HUB   := $(BUILD)/libhub.a
ARCHIVES  := $(LIB_HUB) $(LIB_UI) $(LIB_SYNC) $(LIB_BOARD) $(LIB_CORE)

CORE_SRCS  :=
BOARD_SRCS :=
UI_SRCS    :=
SYNC_SRCS  :=
HUB_SRCS   :=
PROGRAMS   :=

LINK = @$(if $(Q),echo "  LD  $@";) $(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) \
       -Wl,--start-group $(ARCHIVES) $(EXTRA_ARCHIVES) -Wl,--end-group $(LDLIBS)

.PHONY: all deps test run clean bench fuzz
# Keep objects of programs and tests between runs.
.SECONDARY:

objs = $(patsubst %.c,$(OBJ)/%.o,$(1))
all: programs

include firmware/module.mk board/module.mk ui/module.mk sync/module.mk \
        tests/module.mk bench/module.mk

$(LIB_CORE):  $(call objs,$(CORE_SRCS))
$(LIB_BOARD): $(call objs,$(BOARD_SRCS))
$(LIB_UI):    $(call objs,$(UI_SRCS))
$(LIB_SYNC):  $(call objs,$(SYNC_SRCS))
$(LIB_HUB):   $(call objs,$(HUB_SRCS))
$(ARCHIVES):
	@mkdir -p $(@D)
	@rm -f $@
	@ar rcs $@ $^

# V=1 shows whole command lines.
Q := $(if $(V),,@)
$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC  $@")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

programs: $(PROGRAMS)

deps:
	@sh scripts/deps.sh

# The sanitized tree is built by a second make so its objects never mix
# with the plain ones.
JOBS := -j$(shell nproc 2>/dev/null || echo 2)
test: deps
	@$(MAKE) --no-print-directory $(JOBS) all tests
	@$(MAKE) --no-print-directory $(JOBS) SAN=1 all tests
	@sh scripts/run-tests.sh build build/san

run: deps
	@$(MAKE) --no-print-directory $(JOBS) all
	@sh scripts/run-demo.sh

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
