#!/bin/sh
# `make install` into a DESTDIR and `make deb`'s packaging script: the
# files land where systemd, udev and the launcher look for them, and the
# units carry the watchdog, restart policy and dedicated user. Given the
# build tree as $1; prints TAP.
set -u
build=${1:-build}
t=$(mktemp -d /tmp/board-install.XXXXXX)
trap 'rm -rf "$t"' EXIT
n=0
check() {
    name=$1
    shift
    n=$((n + 1))
    if "$@" >>"$t/log" 2>&1; then echo "ok $n - $name"
    else echo "not ok $n - $name"; tail -5 "$t/log" | sed 's/^/# /'; fi
}
d="$t/root"
unit="$d/usr/lib/systemd/system/kiosk.service"
has() { grep -q "^$2" "$1"; }

check "make install-kiosk-files into DESTDIR" make --no-print-directory -s \
    install-kiosk-files BUILD="$build" DESTDIR="$d" PREFIX=/usr \
    KIOSK_VERSION=1.0.0
for f in usr/bin/kiosk-launch usr/bin/kiosk-bundle usr/bin/kioskctl \
         usr/bin/kiosk-board \
         usr/lib/kiosk/bin/kiosk; do
    check "installed $f" test -x "$d/$f"
done
check "factory version recorded" grep -qx 1.0.0 "$d/usr/lib/kiosk/VERSION"
check "config template installed" test -f "$d/etc/kiosk/kiosk.ini"
check "udev rule names the scanner" \
    grep -q 'SYMLINK+="kiosk-scanner"' \
    "$d/usr/lib/udev/rules.d/70-kiosk-scanner.rules"
check "sysusers file creates the kiosk user" \
    grep -q '^u kiosk ' "$d/usr/lib/sysusers.d/kiosk.conf"
check "unit: watchdog" has "$unit" "WatchdogSec="
check "unit: restart policy" has "$unit" "Restart=always"
check "unit: dedicated user" has "$unit" "User=kiosk"
check "unit: notify type for sd_notify" has "$unit" "Type=notify"
check "unit: prefix substituted" sh -c "! grep -q @PREFIX@ '$unit' && \
    grep -q 'ExecStart=/usr/bin/kiosk-launch' '$unit'"
check "existing config is kept on reinstall" sh -c "echo mine > \
    '$d/etc/kiosk/kiosk.ini' && make --no-print-directory -s \
    install-kiosk-files BUILD='$build' DESTDIR='$d' PREFIX=/usr && \
    grep -qx mine '$d/etc/kiosk/kiosk.ini'"
if command -v dpkg-deb >/dev/null; then
    check "kiosk Debian package builds" env DEB_COMPRESS=none \
        sh board/make-deb.sh "$build" 1.0.0 amd64
    check "package holds the launcher and its unit" sh -c "dpkg-deb -c \
        '$build/deb/kiosk_1.0.0_amd64.deb' | grep -q './usr/bin/kiosk-launch' \
        && dpkg-deb -c '$build/deb/kiosk_1.0.0_amd64.deb' | \
        grep -q './lib/systemd/system/kiosk.service'"
    check "config is a conffile" sh -c "dpkg-deb -I \
        '$build/deb/kiosk_1.0.0_amd64.deb' conffiles | \
        grep -qx /etc/kiosk/kiosk.ini"
fi
echo "1..$n"
