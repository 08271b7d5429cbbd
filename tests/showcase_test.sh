#!/bin/sh
# The showcase: the screens of the realistic Chinese demo station
# (assets/demo, loaded as of the scripted day), drawn by the real kiosk
# program headless, each zh_CN screen checked to show no Latin word but
# numbers, ids and the allow-list below (read from the text the UI drew,
# not from pixels). SHOWCASE_OUT=DIR (`make showcase`) keeps the
# pictures there: docs/showcase/, which README.md and docs/ui.md show.
# Usage: $0 BUILD_DIR; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/showcase.XXXXXX)
HUB=""
. tests/support/tap.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
conf=assets/demo/station.ini
out=${SHOWCASE_OUT:-$T/shots}
mkdir -p "$out"
# Words a zh_CN screen may show in Latin letters: the language button.
allow="English"

ctl() { "$B/kioskctl" --config "$conf" --set "kiosk.state_dir=$T/state" "$@"; }
ctl load-demo assets/demo 2026-11-23 >"$T/log" 2>&1
check $? 0 "demo station loaded as of the scripted day"
cards="$B/hubctl card --dir $T/cards"
$cards init >>"$T/log" 2>&1
card=$($cards issue M HQ0001 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)
$cards page >"$T/page.json"
ctl apply "$T/page.json" >>"$T/log" 2>&1
check $? 0 "a member card for HQ0001, its key on the kiosk"

# shot NAME: a screenshot of a zh_CN screen, checked for Latin words.
shot() { printf 'expect nolatin %s\nscreenshot %s\n' "$allow" "$1"; }
{
    echo "expect screen home"
    shot home
    echo "tap help"; shot help; echo "tap back"
    echo "scan $card"; echo "expect text 签到成功"; shot result_in
    echo "wait 6000"
    echo "tap record"; echo "scan $card"; echo "expect screen record"
    shot record
    echo "tap logsvc"; shot svc_category
    echo "tap back"; echo "tap back"
    echo "tap boards"; shot boards
    echo "tap board.1"; shot duty_today
    echo "tap tab.1"; shot duty_week; echo "tap back"
    echo "tap board.0"; shot posts
    echo "tap cat.0"; shot post
    echo "tap back"; echo "tap back"
    echo "tap board.2"; shot notices
    echo "tap notice.0"; shot notice; echo "tap back"; echo "tap back"
    echo "tap board.3"; shot stars; echo "tap back"; echo "tap back"
    echo "tap contacts"; shot contacts
    echo "tap bldg.0"; shot contacts_building
    echo "tap back"; echo "tap back"
    echo "tap large"; shot home_large; echo "tap large"
    echo "wait 200000"; echo "expect screen attract"; shot attract
    echo "tap attract"
    echo "tap lang"; echo "screenshot en_home"
} >"$T/tour.txt"
"$B/kiosk" --config "$conf" --set "kiosk.state_dir=$T/state" \
    --script "$T/tour.txt" --shots "$out" >"$T/kiosk.log" 2>&1
rc=$?
check $rc 0 "every zh_CN screen of the demo station: no Latin word"
[ $rc -eq 0 ] || grep -a "script line" "$T/kiosk.log" | sed 's/^/# /'
check "$(ls "$out" | grep -c '\.png$')" 18 "eighteen screenshots"
# The check itself: a screen with an English word fails it.
printf 'expect screen home\ntap lang\nexpect nolatin %s\n' "$allow" \
    >"$T/en.txt"
"$B/kiosk" --config "$conf" --set "kiosk.state_dir=$T/state" \
    --script "$T/en.txt" --shots "$T" >"$T/en.log" 2>&1
check "$?:$(grep -ac 'Latin word shown' "$T/en.log")" "1:1" \
    "an English screen fails the check"
echo "1..$n"
