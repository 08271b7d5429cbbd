#!/bin/sh
# kiosk-board, the technician's hardware check, through the real board
# layer: scans from the simulated board's FIFO, and the linux board's
# backlight, LED and watchdog against files standing in for sysfs and the
# device. Given the build tree as $1; prints TAP.
set -u
tool="${1:-build}/kiosk-board"
t=$(mktemp -d /tmp/board-tool.XXXXXX)
trap 'rm -rf "$t"' EXIT
n=0
check() {
    name=$1
    shift
    n=$((n + 1))
    if "$@" >>"$t/log" 2>&1; then echo "ok $n - $name"
    else echo "not ok $n - $name"; tail -5 "$t/log" | sed 's/^/# /'; fi
}
lx="--set kiosk.board=linux"
if [ ! -x "$tool" ]; then
    echo "not ok 1 - $tool is built"
    exit 1
fi

scan_two() {
    # The tool makes the FIFO; write only once it is there (else the
    # redirection would make a plain file), waiting up to 20 s.
    (i=0; while [ ! -p "$t/fifo" ] && [ $i -lt 400 ]; do
         sleep 0.05; i=$((i + 1)); done
     printf 'KSK1:M:HQ0001\r\nKSK1:M:HQ0002\n' >"$t/fifo") &
    "$tool" --set board.scanner="$t/fifo" scan 2 5 >"$t/scans" || return 1
    wait
    printf 'KSK1:M:HQ0001\nKSK1:M:HQ0002\n' | cmp -s - "$t/scans"
}
check "scan prints the scanner's lines" scan_two
check "scan gives up after its timeout" \
    sh -c "! '$tool' --set board.scanner='$t/fifo' scan 1 1"
mkdir "$t/bl"
echo 255 >"$t/bl/max_brightness"
echo 255 >"$t/bl/brightness"
check "backlight 40% of 255" sh -c "'$tool' $lx \
    --set board.backlight_dir='$t/bl' backlight 40 && \
    [ \"\$(cat '$t/bl/brightness')\" = 102 ]"
check "backlight without a directory is refused" \
    sh -c "! '$tool' $lx backlight 40"
echo 0 >"$t/led"
check "signal plays on the LED and ends dark" sh -c "'$tool' $lx \
    --set board.led='$t/led' signal ok && [ \"\$(cat '$t/led')\" = 0 ]"
: >"$t/wd"
check "watchdog kick writes to the device" sh -c "'$tool' $lx \
    --set board.watchdog='$t/wd' watchdog && [ \"\$(cat '$t/wd')\" = kV ]"
# The test receipt on the sim board's printer file: reset and Chinese
# mode first, the station name in GB18030, the cut last.
printed() {
    "$tool" --set station.name=红旗社区 --set board.printer="$t/receipts" \
        print || return 1
    head -c 4 "$t/receipts" | od -An -tx1 | grep -q '1b 40 1c 26' &&
        iconv -f GB18030 -t UTF-8 "$t/receipts" 2>/dev/null |
            grep -q 红旗社区 &&
        tail -c 4 "$t/receipts" | od -An -tx1 | grep -q '1d 56 42 00'
}
check "print sends a test receipt" printed
check "print without a printer fails" sh -c "! '$tool' print"
: >"$t/receipts.paperout"
check "print out of paper fails" \
    sh -c "! '$tool' --set board.printer='$t/receipts' print"
check "unknown command shows usage" sh -c "! '$tool' frobnicate"
echo "1..$n"
