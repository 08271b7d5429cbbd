#!/bin/sh
# Install the Debian packages the project needs, and nothing else.
# Idempotent and quiet when everything is already there. `make run` calls
# it as `deps.sh run` (what building and running kiosk and hub need),
# `make test` as `deps.sh test` (that, plus the test-only tools: cmocka,
# clang and its fuzzer runtime, and the outside clients the scripted tests
# use against the real hub: curl, openssl, python3's csv reader, sqlite3;
# the PostgreSQL server the hub's store tests start a throwaway
# cluster of; and headless Chromium driven by selenium for the web
# console's browser test).
# A fresh Debian 12 machine needs nothing else.
set -eu

PKGS="build-essential pkg-config
libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
libsqlite3-dev libpq-dev
libmbedtls-dev
libinih-dev libcjson-dev libhttp-parser-dev libqrencode-dev libpng-dev
libjpeg-dev libargon2-dev libxlsxwriter-dev
libespeak-ng-dev espeak-ng-data libgpiod-dev
fonts-noto-cjk fonts-material-design-icons-iconfont python3-fonttools
librime-dev rime-prelude rime-essay rime-data-pinyin-simp libzinnia-dev tegaki-zinnia-simplified-chinese
xauth xvfb"
TEST_PKGS="libcmocka-dev clang libclang-rt-14-dev sqlite3 curl openssl
python3 zbar-tools postgresql-15
chromium chromium-driver python3-selenium"
[ "${1:-test}" = run ] || PKGS="$PKGS $TEST_PKGS"

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
