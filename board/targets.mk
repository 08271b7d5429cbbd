# Install, Debian packages, arm64 cross build and its tests under qemu.
#
#   make install [DESTDIR=...] [PREFIX=/usr/local] [RELEASE_PUB=key.pub]
#   make deb [KIOSK_VERSION=x.y.z]      build/deb/kiosk_*.deb, kiosk-hub_*.deb
#   make deb-arm64                      the same for arm64 (build/arm64/deb)
#   make cross                          everything for arm64 in build/arm64
#   make test-arm64                     the unit tests under qemu-aarch64
#   make bundle KIOSK_VERSION=x.y.z RELEASE_KEY=release.pem
#                                       a signed update bundle of this build
# cross and test-arm64 need `sh scripts/deps-arm64.sh` once (not part of
# `make test`). See docs/board.md.

PREFIX        ?= /usr/local
SYSCONFDIR    ?= /etc
SYSTEMDDIR    ?= $(PREFIX)/lib/systemd/system
UDEVDIR       ?= $(PREFIX)/lib/udev/rules.d
SYSUSERSDIR   ?= $(PREFIX)/lib/sysusers.d
KIOSK_VERSION ?= 0.1.0
DEB_ARCH      ?= $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
CROSS         ?= aarch64-linux-gnu
CROSS_BUILD   ?= build/arm64
RELEASE_PUB   ?=
RELEASE_KEY   ?=

INSTALL      := install
KIOSK_PROGS  := kiosk-launch kiosk-bundle kiosk-board kioskctl
HUB_PROGS    := hubd hubctl

.PHONY: install install-kiosk install-hub deb deb-arm64 cross test-arm64 \
        bundle install-kiosk-files install-hub-files

install: install-kiosk install-hub
install-kiosk: all
	@$(MAKE) --no-print-directory install-kiosk-files
install-hub: all
	@$(MAKE) --no-print-directory install-hub-files

# The factory version (PREFIX/lib/kiosk) is what kiosk-launch starts
# until a bundle is installed, and what it returns to if the first
# bundle's trial fails.
install-kiosk-files:
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/kiosk/bin
	$(INSTALL) -m 755 $(addprefix $(BUILD)/,$(KIOSK_PROGS)) \
	    $(DESTDIR)$(PREFIX)/bin/
	$(INSTALL) -m 755 $(BUILD)/kiosk $(DESTDIR)$(PREFIX)/lib/kiosk/bin/
	echo $(KIOSK_VERSION) >$(DESTDIR)$(PREFIX)/lib/kiosk/VERSION
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/share/kiosk
	cp -R assets $(DESTDIR)$(PREFIX)/share/kiosk/
	$(INSTALL) -d $(DESTDIR)$(SYSTEMDDIR) $(DESTDIR)$(UDEVDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(SYSCONFDIR)/kiosk
	sed 's|@PREFIX@|$(PREFIX)|g' board/systemd/kiosk.service \
	    >$(DESTDIR)$(SYSTEMDDIR)/kiosk.service
	$(INSTALL) -m 644 board/udev/70-kiosk-scanner.rules $(DESTDIR)$(UDEVDIR)/
	$(INSTALL) -m 644 board/systemd/kiosk.sysusers \
	    $(DESTDIR)$(SYSUSERSDIR)/kiosk.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/kiosk/kiosk.ini ] || \
	    $(INSTALL) -m 644 board/systemd/kiosk.ini $(DESTDIR)$(SYSCONFDIR)/kiosk/
	[ -z "$(RELEASE_PUB)" ] || \
	    $(INSTALL) -m 644 $(RELEASE_PUB) $(DESTDIR)$(SYSCONFDIR)/kiosk/release.pub

# The hub's programs (cmd/hubd.c, cmd/hubctl.c); without them there is nothing
# to install for the hub, and install-hub says so.
install-hub-files:
	@for p in $(HUB_PROGS); do [ -x $(BUILD)/$$p ] || \
	    { echo "install-hub: $(BUILD)/$$p not built; skipping the hub"; \
	      exit 0; }; done; \
	set -e; \
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SYSTEMDDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(SYSCONFDIR)/kiosk-hub; \
	$(INSTALL) -m 755 $(addprefix $(BUILD)/,$(HUB_PROGS)) \
	    $(DESTDIR)$(PREFIX)/bin/; \
	sed 's|@PREFIX@|$(PREFIX)|g' board/systemd/kiosk-hub.service \
	    >$(DESTDIR)$(SYSTEMDDIR)/kiosk-hub.service; \
	$(INSTALL) -m 644 board/systemd/kiosk-hub.sysusers \
	    $(DESTDIR)$(SYSUSERSDIR)/kiosk-hub.conf

# Packages are staged in a temporary directory (board/make-deb.sh) and
# land in $(BUILD)/deb.
deb: all
	@sh board/make-deb.sh $(BUILD) $(KIOSK_VERSION) $(DEB_ARCH)

deb-arm64: cross
	@sh board/make-deb.sh $(CROSS_BUILD) $(KIOSK_VERSION) arm64

# arm64 with Debian's cross compiler and the arm64 multiarch libraries.
# libhttp-parser and libpq have no arm64 -dev package that installs beside
# the amd64 one, so their runtime libraries are linked through symlinks
# in the build tree (their headers are the same files on both). librime
# and zinnia are opened at run time (ui/ime_*.c), not linked.
CROSS_LIBDIR := /usr/lib/$(CROSS)
cross:
	@command -v $(CROSS)-gcc >/dev/null || \
	    { echo "make cross: run 'sh scripts/deps-arm64.sh' first"; exit 1; }
	@mkdir -p $(CROSS_BUILD)/shim
	@ln -sf $(CROSS_LIBDIR)/libhttp_parser.so.2.9 \
	    $(CROSS_BUILD)/shim/libhttp_parser.so
	@ln -sf $(CROSS_LIBDIR)/libpq.so.5 $(CROSS_BUILD)/shim/libpq.so
	PKG_CONFIG_LIBDIR=$(CROSS_LIBDIR)/pkgconfig:/usr/share/pkgconfig \
	$(MAKE) --no-print-directory CC=$(CROSS)-gcc BUILD=$(CROSS_BUILD) \
	    LDFLAGS="-L$(abspath $(CROSS_BUILD)/shim) -Wl,--as-needed" all tests
	@file $(CROSS_BUILD)/kiosk | grep -q aarch64 && \
	    echo "cross: arm64 programs in $(CROSS_BUILD)"

test-arm64: cross
	@sh board/run-arm64-tests.sh $(CROSS_BUILD)

# A signed update bundle of this build: bin/kiosk and the assets.
bundle: all
	@[ -n "$(RELEASE_KEY)" ] || { echo "make bundle: set RELEASE_KEY"; exit 1; }
	rm -rf $(BUILD)/bundle-src && mkdir -p $(BUILD)/bundle-src/bin
	cp $(BUILD)/kiosk $(BUILD)/bundle-src/bin/
	cp -R assets $(BUILD)/bundle-src/
	$(BUILD)/kiosk-bundle make --key $(RELEASE_KEY) --version $(KIOSK_VERSION) \
	    $(BUILD)/bundle-src $(BUILD)/kiosk-$(KIOSK_VERSION).kbundle
