#!/bin/sh
# run-tests: once, sanitizers
# The console's boards and claims end to end: a real hubd with its
# console and the demo boards published to 红旗; a kiosk in script mode
# (enrolled with a one-time code) where a member claims an open place on
# 财务监督岗 with her card, another asks to swap posts, and it syncs. In
# a real browser (tests/console/boards_flows.py) the community secretary
# adds a contact made of XSS payloads (inert on the page and in the diff,
# its phone link only tel:), changes another and publishes; sees the
# published duty week as a grid and adds a shift; is refused a post with
# two heads; is refused declining the claim without a reason, declines
# the swap with one and approves the claim. The kiosk syncs: its
# contacts screen shows the changed contact and the post's board the new
# holder. curl: another community's secretary gets 404 for the claim and
# the boards; a street's viewer sees them with no form, her POSTs 404.
# Given the build tree as $1; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/console-boards.XXXXXX)
HUB=""
. tests/support/tap.sh
. tests/support/console.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import selenium' 2>/dev/null ||
   ! command -v chromedriver >/dev/null; then
    echo "ok 1 # SKIP selenium or chromium-driver not installed"
    echo "1..1"
    exit 0
fi

console_two_communities &&
    echo 'street-viewer-1' | $H user add jd-view --role street \
        --scope jd-1 &&
    $H points rule set post:P01 --per30 2 --cap 8 >/dev/null 2>&1
check $? 0 "hub, two communities, their secretaries, the demo boards"
console_start_hub

# A card valid on the scripted kiosk's date (2026-11-23): 郑丽华.
$H card init >/dev/null 2>&1
card=$($H card issue M HQ0003 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)
# 彭凤英 (HQ0042), head of 财务监督岗, asks to swap onto 服务监督岗.
card2=$($H card issue M HQ0042 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)
mkdir -p "$T/k" "$T/shots" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
sed "s|^assets_dir *=.*|assets_dir = $(pwd)/assets|" assets/demo/station.ini \
    >"$T/station.ini"
set -- --config "$T/station.ini" --set "kiosk.state_dir=$T/k" \
    --set hub.host=127.0.0.1 --set "hub.port=$PORT" \
    --set station.id=sq-hongqi-01 --set kiosk.device_id=kiosk-5 \
    --set "update.root=$T/app" --set "update.factory=$T/factory"
"$B/kioskctl" "$@" enrol "$($H enrol-code sq-hongqi-01 kiosk-5)" >/dev/null
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "kiosk enrolled, the boards synced"
printf '%s\n' "tap boards" "tap board.0" "tap cat.0" "expect screen post" \
    "tap claim" "expect screen claim" "scan $card" "tap role.member" \
    "expect text 认领申请已提交" "tap done" "tap back" "tap cat.1" \
    "expect screen post" "tap swap" "scan $card2" "tap holder.0" \
    "expect text 互换申请已提交" >"$T/claim.txt"
"$B/kiosk" "$@" --script "$T/claim.txt" --shots "$T/shots" \
    >"$T/kiosk.log" 2>&1
check $? 0 "kiosk: 郑丽华 claims a place on 财务监督岗, 彭凤英 asks to swap"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check "$($H claims | csv_fields | cut -d'|' -f3,5,6 | tail -n +2)" \
    "HQ0003|P01|member" "the hub holds the claim, pending"
check "$($H swaps | csv_fields | cut -d'|' -f3,5,8 | tail -n +2)" \
    "HQ0042|P01|P02" "... and the swap, pending"
ID=$($H claims | csv_fields | grep HQ0003 | cut -d'|' -f1)

# Another community's secretary: the claim and the boards are not there.
curl -sk -c "$T/jar" "$U/login" >/dev/null
pre=$(awk '$6 == "pre" { print $7 }' "$T/jar")
curl -sk -b "$T/jar" -c "$T/jar" -o /dev/null \
    --data "csrf=$pre&name=df-sec&password=dongfeng-secret" "$U/login"
page=$(curl -sk -b "$T/jar" "$U/claims")
tok=$(echo "$page" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 |
      sed 's/.*value="//; s/"//')
check "$(echo "$page" | grep -c 'HQ0003')" 0 \
    "another community's secretary sees no claim of 红旗"
check "$(curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' --data \
    "csrf=$tok&kind=claim&id=$ID&decision=approve" "$U/claims")|$(
    curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' --data \
    "csrf=$tok&kind=claim&id=99999&decision=approve" "$U/claims")|$(
    $H claims | grep -c HQ0003)" "404|404|1" \
    "... approving it by its id answers 404 as an unknown id, nothing decided"
codes=""
for p in posts duty contacts; do
    codes="$codes$(curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' \
        "$U/boards/$p?station=sq-hongqi-01")$(curl -sk -b "$T/jar" \
        -o /dev/null -w '%{http_code}' --data "csrf=$tok&station=sq-hongqi-01&items=%5B%5D" \
        "$U/boards/$p") "
done
check "$codes" "404404 404404 404404 " \
    "... and 红旗's posts, duty and contacts: 404 to read and to publish"

# A street's viewer sees 红旗's boards and claims, with no form to change
# them, and a POST from her is refused like one out of scope.
rm -f "$T/jar"
curl -sk -c "$T/jar" "$U/login" >/dev/null
pre=$(awk '$6 == "pre" { print $7 }' "$T/jar")
curl -sk -b "$T/jar" -c "$T/jar" -o /dev/null \
    --data "csrf=$pre&name=jd-view&password=street-viewer-1" "$U/login"
page=$(curl -sk -b "$T/jar" "$U/claims")
tok=$(echo "$page" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 |
      sed 's/.*value="//; s/"//')
forms=0
for p in boards/posts boards/duty boards/contacts; do
    forms=$((forms + $(curl -sk -b "$T/jar" "$U/$p?station=sq-hongqi-01" |
        grep -c 'name="op"\|name="items"')))
done
check "$(echo "$page" | grep -c 'HQ0003')|$(echo "$page" |
    grep -c 'name="decision"')|$forms" "1|0|0" \
    "a street's viewer sees the claim and the boards, no form to change them"
check "$(curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' --data \
    "csrf=$tok&kind=claim&id=$ID&decision=approve" "$U/claims")|$(
    curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' --data \
    "csrf=$tok&station=sq-hongqi-01&items=%5B%5D" "$U/boards/contacts")|$(
    $H claims | grep -c HQ0003)" "404|404|1" \
    "... and her POSTs are refused (404), nothing changed"

mkdir -p "$B/console-shots"
"$PY" tests/console/boards_flows.py "$U" "$B/console-shots" "$n" \
    >"$T/flows.tap" 2>"$T/flows.err"
rc=$?
cat "$T/flows.tap"
n=$((n + $(grep -c '^\(not \)\?ok ' "$T/flows.tap")))
check "$rc" 0 "the browser flows ran to the end"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/flows.err" | tail -20

check "$($H claims | wc -l)|$($H swaps | wc -l)" "1|1" \
    "the hub: nothing pending after the approval and the decline"
check "$(sqlite3 "$T/hub/hub.db" "SELECT actor || ' ' || action FROM audit_log
    WHERE action IN ('claim.approve', 'swap.decline', 'board.publish')
    ORDER BY id" | sort | uniq -c | awk '{ print $1, $2, $3 }' |
    tr '\n' ' ')" \
    "3 hq-sec board.publish 1 hq-sec claim.approve 1 hq-sec swap.decline " \
    "audited: the publications, the approval and the decline, by hq-sec"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
printf '%s\n' "tap contacts" "tap bldg.0" "expect text 李春梅" \
    "expect text 13900001234" "screenshot kiosk-contacts" "tap back" \
    "tap back" "tap boards" "tap board.0" "tap cat.0" "expect text 郑丽华" \
    "screenshot kiosk-post" >"$T/after.txt"
"$B/kiosk" "$@" --script "$T/after.txt" --shots "$T/shots" \
    >>"$T/kiosk.log" 2>&1
check $? 0 "after a sync the kiosk shows the changed contact and the new holder"
cp "$T/shots/kiosk-contacts.png" "$T/shots/kiosk-post.png" \
    "$B/console-shots/" 2>/dev/null
grep -ah 'ERROR\|script line' "$T/kiosk.log" 2>/dev/null | head -5 |
    sed 's/^/# /'
[ -n "${KEEP:-}" ] && echo "# kept $T"
echo "1..$n"
