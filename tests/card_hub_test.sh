#!/bin/sh
# Cards end to end through a real hub: `hubctl card` issues, revokes and
# rotates; hubd serves its change feed over TLS; `kioskctl sync` brings
# keys, revocations and the roster to the kiosk's store; `kioskctl scan` checks
# each card offline with the refusal named. Usage: $0 BUILD_DIR
set -u
B=${1:-build}
T=$(mktemp -d /tmp/card_hub.XXXXXX)
HUB=""
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; }
# scan NAME CARD EXPECTED: the kiosk's answer contains EXPECTED.
scan() {
    out=$($KC scan "$2" 2>&1)
    case "$out" in *"$3"*) ok "$1" ;; *) bad "$1 (got '$out')" ;; esac
}
cleanup() {
    [ -n "$HUB" ] && kill "$HUB" 2>/dev/null && wait "$HUB" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
for p in hubctl hubd kioskctl; do
    [ -x "$B/$p" ] || { echo "not ok 1 - $B/$p is not built"; exit 1; }
done
H="$B/hubctl -d $T/hub"
# A copy of the demo config: enrolment writes the hub's ids into it.
mkdir -p "$T" && cp assets/demo/station.ini "$T/station.ini"
KC="$B/kioskctl --config $T/station.ini --set kiosk.state_dir=$T/k"

echo "1..12"
$H init >/dev/null && $H add-station sq-hongqi-01 "红旗" &&
    $H import assets/demo/roster.csv >/dev/null &&
    $H card init >/dev/null
[ $? -eq 0 ] && ok "hub and its credential key made" || bad "hub setup"
valid=$($H card issue M HQ0001 sq-hongqi-01)
lost=$($H card issue M HQ0002 sq-hongqi-01)
tech=$($H card issue T tech-7 '*')
slip=$($H card issue R HQ0004 sq-hongqi-01)
old=$($H card issue M HQ0003 sq-hongqi-01 --from 2024-01-01 --to 2025-01-01)
other=$($H card issue M HQ0005 sq-lvyuan-02)
$B/hubctl card --dir "$T/rogue" init >/dev/null
rogue=$($B/hubctl card --dir "$T/rogue" issue M HQ0006 sq-hongqi-01)

"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
mkdir -p "$T/k" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
K="$KC --set hub.host=127.0.0.1 --set hub.port=$(cat "$T/port")"
$K enrol "$($H enrol-code sq-hongqi-01 kiosk-1)" >/dev/null &&
    $K sync >/dev/null
[ $? -eq 0 ] && ok "kiosk enrolled and synced" || bad "kiosk sync"

scan "valid card checks in" "$valid" "HQ0001 吴桂芳: checked in"
scan "lost card works until revoked" "$lost" "checked in"
$H card revoke M.HQ0002.1
$K sync >/dev/null
scan "revocation synced from the hub" "$lost" "refused (revoked)"
scan "expired card" "$old" "refused (expired)"
scan "another station's card" "$other" "refused (other station)"
scan "card of an unknown key" "$rogue" "refused (unknown key)"
scan "one flipped byte" "$(printf '%s' "$valid" | sed 's/\.1\./.2./')" \
    "refused (forged)"
scan "technician card" "$tech" "technician tech-7"
scan "registration slip" "$slip" "registered"
$H card rotate >/dev/null
fresh=$($H card issue M HQ0007 sq-hongqi-01)
$K sync >/dev/null
a=$($KC scan "$fresh" 2>&1)
b=$($KC scan "$valid" 2>&1)
# HQ0001 scanned within a minute again: "already checked in", not refused.
case "$a|$b" in
*refused*|*error*) bad "rotation (got '$a' / '$b')" ;;
*"HQ0007"*"checked in"*"|HQ0001"*) ok "after rotation old and new cards work" ;;
*) bad "rotation (got '$a' / '$b')" ;;
esac
