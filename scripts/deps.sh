#!/bin/sh
# Install the Debian packages the project needs, and nothing else.
# Idempotent and quiet when everything is already there; both `make run`
# and `make test` call it, so a fresh Debian 12 machine needs nothing else.
set -eu

PKGS="build-essential pkg-config
libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
libsqlite3-dev sqlite3
libmbedtls-dev
libinih-dev libcjson-dev libhttp-parser-dev libqrencode-dev
libcmocka-dev libpng-dev clang libclang-rt-14-dev
fonts-noto-cjk python3-fonttools
xauth xvfb"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
