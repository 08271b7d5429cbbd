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

# Libraries each side needs. The kiosk draws with SDL and reads its ini
# file; the hub draws QR codes and PNG card sheets, writes XLSX reports
# (libxlsxwriter) and may keep its store in PostgreSQL (libpq). Debian ships no .pc file for mbedTLS and
# http-parser. librime and zinnia (text entry) are not linked:
# ui/ime_pinyin.c and ui/ime_hand.c open them when text entry starts,
# after the first frame (they and the C++ libraries they load were a
# third of start-up); only their headers are needed to build. libpq is
# named directly too (Debian's header directory and -lpq): its arm64 -dev
# package cannot be installed beside amd64's, so `make cross` links the
# arm64 runtime library through a symlink (board/targets.mk).
KIOSK_PKGS := sdl2 SDL2_ttf SDL2_image sqlite3 inih libcjson espeak-ng libgpiod
HUB_PKGS   := sqlite3 libcjson libqrencode libpng libjpeg xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(sort $(KIOSK_PKGS) $(HUB_PKGS)) 2>/dev/null) \
              -I/usr/include/postgresql
SYS_LIBS   := -lmbedtls -lmbedx509 -lmbedcrypto -lhttp_parser -lpthread -lm
KIOSK_LIBS := $(shell pkg-config --libs $(KIOSK_PKGS) 2>/dev/null) $(SYS_LIBS)
HUB_LIBS   := $(shell pkg-config --libs $(HUB_PKGS) 2>/dev/null) -lpq -largon2 $(SYS_LIBS)
ALL_LIBS   := $(shell pkg-config --libs $(sort $(KIOSK_PKGS) $(HUB_PKGS)) 2>/dev/null) \
              -lpq -largon2 $(SYS_LIBS)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 $(WARN) -D_DEFAULT_SOURCE -I. $(PKG_CFLAGS)
LDFLAGS += -Wl,--as-needed
ifneq ($(SAN),)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
           -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

# The layers (docs/architecture.md), one archive each. A program links
# only the archives of its side, highest first and WITHOUT --start-group:
# an archive can use only those after it, so a call that runs back up a
# layer (the core calling the UI, the hub calling the kiosk's store) is
# an undefined symbol and the build fails.
LIB_BASE  := $(BUILD)/libbase.a
LIB_CORE  := $(BUILD)/libcore.a
LIB_BOARD := $(BUILD)/libboard.a
LIB_UI    := $(BUILD)/libui.a
LIB_SYNC  := $(BUILD)/libsync.a
LIB_HUB   := $(BUILD)/libhub.a
LIB_WEB   := $(BUILD)/libweb.a
KIOSK_ARCHIVES := $(LIB_UI) $(LIB_SYNC) $(LIB_BOARD) $(LIB_CORE) $(LIB_BASE)
HUB_ARCHIVES   := $(LIB_HUB) $(LIB_SYNC) $(LIB_BASE)
# The web console sits above hub/ and only hubd links it.
HUBD_ARCHIVES  := $(LIB_WEB) $(HUB_ARCHIVES)
ARCHIVES       := $(LIB_WEB) $(LIB_HUB) $(LIB_UI) $(LIB_SYNC) $(LIB_BOARD) $(LIB_CORE) \
                  $(LIB_BASE)

BASE_SRCS  :=
CORE_SRCS  :=
BOARD_SRCS :=
UI_SRCS    :=
SYNC_SRCS  :=
HUB_SRCS   :=
WEB_SRCS   :=
PROGRAMS   :=

# $(call link,ARCHIVES,LIBS): a program from its objects and its side.
link = @$(if $(Q),echo "  LD  $@";) $(CC) $(LDFLAGS) -o $@ \
       $(filter %.o,$^) $(1) $(2)
LINK_KIOSK = $(call link,$(KIOSK_ARCHIVES),$(KIOSK_LIBS))
LINK_HUB   = $(call link,$(HUB_ARCHIVES),$(HUB_LIBS))
LINK_HUBD  = $(call link,$(HUBD_ARCHIVES),$(HUB_LIBS))
# Tests and benchmarks may put both sides in one process (a kiosk
# syncing with an in-process hub), so they take every archive.
GROUP_ALL  = -Wl,--start-group $(ARCHIVES) -Wl,--end-group
LINK_ALL   = $(call link,$(GROUP_ALL),$(ALL_LIBS))

.PHONY: all deps deps-run test run clean bench fuzz console-shots
# Keep objects of programs and tests between runs.
.SECONDARY:

objs = $(patsubst %.c,$(OBJ)/%.o,$(1))
all: programs

include base/module.mk firmware/module.mk board/module.mk ui/module.mk \
        sync/module.mk hub/module.mk web/module.mk cmd/module.mk tests/module.mk \
        bench/module.mk

# The version the kiosk reports (`kioskctl status`, the technician
# screen): KIOSK_VERSION when given (make deb KIOSK_VERSION=1.2.0), else
# `git describe` in a git checkout, else the packaging default (a tarball,
# board/targets.mk). Only firmware/diag.o uses it, and it depends on
# $(BUILD)/version.txt, rewritten only when the text changes: a new commit
# rebuilds that one object, not the tree. Worked out once, when used.
VERSION_GIVEN  = $(filter command line environment,$(origin KIOSK_VERSION))
VERSION_GIT    = $(if $(wildcard .git),$(shell git describe --tags --always \
                 --dirty 2>/dev/null | tr -cd 'A-Za-z0-9._+-'))
BUILD_VERSION  = $(eval BUILD_VERSION := $(or $(if $(VERSION_GIVEN),\
                 $(KIOSK_VERSION)),$(VERSION_GIT),$(KIOSK_VERSION)))$(BUILD_VERSION)
VERSION_FILE  := $(BUILD)/version.txt

$(VERSION_FILE): FORCE
	@mkdir -p $(@D)
	@echo '$(BUILD_VERSION)' | cmp -s - $@ || echo '$(BUILD_VERSION)' >$@
$(OBJ)/firmware/diag.o: $(VERSION_FILE)
$(OBJ)/firmware/diag.o: CFLAGS += -DKIOSK_VERSION='"$(BUILD_VERSION)"'
.PHONY: FORCE
FORCE:

$(LIB_BASE):  $(call objs,$(BASE_SRCS))
$(LIB_CORE):  $(call objs,$(CORE_SRCS))
$(LIB_BOARD): $(call objs,$(BOARD_SRCS))
$(LIB_UI):    $(call objs,$(UI_SRCS))
$(LIB_SYNC):  $(call objs,$(SYNC_SRCS))
$(LIB_HUB):   $(call objs,$(HUB_SRCS))
$(LIB_WEB):   $(call objs,$(WEB_SRCS)) $(WEB_CSS_O)
# Each archive is checked for the outside libraries its layer may not
# call (scripts/check-layers.sh) before it is written.
$(ARCHIVES):
	@mkdir -p $(@D)
	@sh scripts/check-layers.sh $(notdir $@) $^
	@rm -f $@
	@ar rcs $@ $^

# V=1 shows whole command lines.
Q := $(if $(V),,@)
$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC  $@")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

programs: $(PROGRAMS)

# `make run` installs what kiosk and hub need; `make test` adds the
# test-only tools (scripts/deps.sh).
deps:
	@sh scripts/deps.sh test
deps-run:
	@sh scripts/deps.sh run

# The sanitized tree is built by a second make so its objects never mix
# with the plain ones.
JOBS := -j$(shell nproc 2>/dev/null || echo 2)
# make test builds the plain programs (what `make run` and a board run,
# with -O2's warnings as errors) and runs every test once, in the
# sanitized tree: a second run of the same tests in the plain tree found
# nothing the sanitized one does not, and cost a third of the 10-minute
# budget (scripts/run-tests.sh).
test: deps
	@$(MAKE) --no-print-directory $(JOBS) all
	@$(MAKE) --no-print-directory $(JOBS) SAN=1 all tests
	@sh scripts/run-tests.sh build/san

# The console's reference screenshots (docs/console/*.png come from
# build/console-shots/, looked at before they are copied): the browser
# flows with their screenshots on, which make test leaves off for time.
console-shots: deps
	@$(MAKE) --no-print-directory $(JOBS) all tests
	@CONSOLE_SHOTS=1 TEST_ONLY=console_ sh scripts/run-tests.sh build

run: deps-run
	@$(MAKE) --no-print-directory $(JOBS) all
	@sh scripts/run-demo.sh

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
