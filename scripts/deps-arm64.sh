#!/bin/sh
# Opt-in: what `make cross` and `make test-arm64` need on a Debian 12
# amd64 machine: the arm64 cross compiler, the arm64 (multiarch) -dev
# packages of every library the project links, and qemu user emulation.
# `make test` never runs this; run it once: sh scripts/deps-arm64.sh
# NOT installed here: librime1, libzinnia0 (text entry) and libpq-dev for
# arm64. On Debian 12 they are not co-installable with the amd64 -dev
# packages the native build needs (installing them removes librime-dev,
# libzinnia-dev and libpq-dev for amd64). The kiosk opens librime and
# zinnia at run time (the board's package depends on them), and libpq5
# (runtime only) is linked through a symlink (board/targets.mk).
set -eu

# libhttp-parser-dev cannot be installed for two architectures at once
# (it is not Multi-Arch: same), so arm64 gets the runtime library only
# board/targets.mk links it through a symlink and uses the amd64 header,
# which is the same file.
LIBS="libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libsqlite3-dev
libmbedtls-dev libinih-dev libcjson-dev libhttp-parser2.9 libqrencode-dev
libcmocka-dev libpng-dev libespeak-ng-dev libgpiod-dev libpq5
libxlsxwriter-dev"
TOOLS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user"

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "deps-arm64: enabling the arm64 architecture"
    $SUDO dpkg --add-architecture arm64
fi
missing=""
for p in $TOOLS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
for p in $LIBS; do
    dpkg-query -W -f='${Status}' "$p:arm64" 2>/dev/null |
        grep -q "ok installed" || missing="$missing $p:arm64"
done
[ -z "$missing" ] && exit 0
echo "deps-arm64: installing:$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps-arm64: done"
