#!/bin/sh
# The kiosk program end to end, headless: --config and --set, the sim
# board, a store on disk loaded with the demo through kioskctl, a script
# that checks in, logs service and takes screenshots; a failing expect
# exits 1 with its line; a bad --set exits 2; --hash-pin makes a hash the
# technician screen accepts. Given the build tree as $1; prints TAP.
set -u
build=${1:-build}
t=$(mktemp -d /tmp/ui-kiosk.XXXXXX)
trap 'rm -rf "$t"' EXIT
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
conf=assets/demo/station.ini
n=0
check() {    # check NAME CMD...: one TAP line
    name=$1
    shift
    n=$((n + 1))
    if "$@" >>"$t/out.log" 2>&1; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name"
        tail -5 "$t/out.log" | sed 's/^/# /'
    fi
}
fails_with() {    # fails_with STATUS CMD...: CMD exits with STATUS
    want=$1
    shift
    "$@"
    [ $? -eq "$want" ]
}
kiosk() {
    "$build/kiosk" --config "$conf" --set "kiosk.state_dir=$t/state" \
        --set station.member_prefix=HQ "$@"
}

"$build/kioskctl" --config "$conf" --set "kiosk.state_dir=$t/state" \
    load-demo assets/demo >>"$t/out.log" 2>&1
# A member card signed by the hub's card code, valid on the scripted date
# (2026-11-23); its key reaches the kiosk as the hub's change page would.
cards="$build/hubctl card --dir $t/cards"
$cards init >>"$t/out.log" 2>&1
card=$($cards issue M HQ0001 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)
card2=$($cards issue M HQ0002 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)
$cards page >"$t/page.json"
"$build/kioskctl" --config "$conf" --set "kiosk.state_dir=$t/state" \
    apply "$t/page.json" >>"$t/out.log" 2>&1
hash=$("$build/kiosk" --hash-pin 1357 | sed 's/^tech_pin_hash = //')
cat >"$t/flow.txt" <<SCRIPT
expect screen home
screenshot home
scan $card
expect text 签到成功
screenshot checked_in
wait 6000
tap record
tap key.0
tap key.0
tap key.0
tap key.2
tap key.ok
expect screen identify
expect text 未设置个人密码
tap home
tap record
scan $card2
expect screen record
tap logsvc
tap cat.0
tap day.0
tap dur.1
tap note.0
expect text 在哪个岗位上服务
tap onpost.1
tap served.0
expect text 服务岗位：
tap submit
expect text 已提交
tap done
expect text 待确认
tap back
tap station
tap station
tap station
tap station
tap station
tap key.1
tap key.3
tap key.5
tap key.7
tap key.ok
expect text 上传队列
SCRIPT
check "scripted kiosk checks in, logs service, opens technician mode" \
    kiosk --set "kiosk.tech_pin_hash=$hash" --script "$t/flow.txt" \
    --shots "$t"
check "screenshots written as PNG" \
    sh -c "head -c 8 '$t/home.png' | od -c | grep -q 'P   N   G' &&
           [ -s '$t/checked_in.png' ]"
check "the check-in and the log are in the store" \
    sh -c "'$build/kioskctl' --config '$conf' --set 'kiosk.state_dir=$t/state' \
           record HQ0001 | grep -q 'checked in' &&
           '$build/kioskctl' --config '$conf' --set 'kiosk.state_dir=$t/state' \
           record HQ0002 | grep -q '60 pending'"
check "My record's points are the star board's (the demo's totals)" \
    sh -c "'$build/kioskctl' --config '$conf' --set 'kiosk.state_dir=$t/state' \
           record HQ0059 | grep -q 'month.* 60 points'"
printf 'expect screen home\nexpect text no such words\n' >"$t/bad.txt"
check "a failed expect exits 1" fails_with 1 kiosk --script "$t/bad.txt"
check "a bad --set exits 2" fails_with 2 kiosk --set kiosk.width=abc \
    --script "$t/bad.txt"
check "an unknown option exits 2" fails_with 2 "$build/kiosk" --frobnicate x
