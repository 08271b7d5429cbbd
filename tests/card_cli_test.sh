#!/bin/sh
# Cards end to end through the programs: `hubctl card --dir` (the hub's
# card office without a hub database) issues and revokes, its change page is applied to a kiosk store with
# `kioskctl apply` as the sync worker would, and `kioskctl scan` checks
# each card offline. $1 is the build tree.
set -u
tree=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

card="$tree/hubctl card --dir $work/hub"
kiosk="$tree/kioskctl --config assets/demo/station.ini \
    --set kiosk.state_dir=$work/state"
events() { $kiosk status | sed -n 's/.*events \([0-9]*\),.*/\1/p'; }
# scan CARD EXPECTED-TEXT: the kiosk's answer contains the text.
scan() { $kiosk scan "$1" >"$work/out" 2>&1; grep -q "$2" "$work/out"; }

echo "1..14"
$card init >/dev/null
$kiosk load-demo assets/demo >/dev/null
valid=$($card issue M HQ0001 sq-hongqi-01)
slip=$($card issue R HQ0004 sq-hongqi-01)
tech=$($card issue T tech-7 '*')
old=$($card issue M HQ0002 sq-hongqi-01 --from 2024-01-01 --to 2025-01-01)
other=$($card issue M HQ0003 sq-lvyuan-02)
lost=$($card issue M HQ0005 sq-hongqi-01)
$card revoke M.HQ0005.1
rogue=$($tree/hubctl card --dir "$work/rogue" init >/dev/null &&
        $tree/hubctl card --dir "$work/rogue" issue M HQ0006 sq-hongqi-01)
$card page >"$work/page.json"
check "change page applied" "$kiosk apply $work/page.json >/dev/null"

check "valid card checks in" "scan '$valid' 'HQ0001 .*: checked in'"
check "same card again: one action" "scan '$valid' 'already checked in'"
before=$(events)
flipped=$(printf '%s' "$valid" | sed 's/HQ0001/HQ0011/')
check "flipped byte refused as forged" "scan '$flipped' 'refused (forged)'"
check "truncated card unreadable" \
    "scan '$(printf '%s' "$valid" | cut -c1-100)' 'refused (unreadable)'"
check "expired card refused" "scan '$old' 'refused (expired)'"
check "revoked card refused" "scan '$lost' 'refused (revoked)'"
check "other station's card refused" "scan '$other' 'refused (other station)'"
check "unknown key refused" "scan '$rogue' 'refused (unknown key)'"
check "refusals stored nothing" "[ \"$(events)\" = \"$before\" ]"
check "registration slip records 报到" "scan '$slip' 'registered'"
check "technician card opens technician mode" "scan '$tech' 'technician tech-7'"
check "numbers refused where not allowed" \
    "$kiosk --set station.allow_member_number=false scan HQ0002 | grep -q 'numbers not allowed'"

mkdir -p "$work/print"
$card roster assets/demo/roster.csv "$work/print" >/dev/null
members=$(grep -c '^[A-Z]' assets/demo/roster.csv)
check "roster printed: a PNG per member and a sheet" \
    "[ \$(ls $work/print/*.png | wc -l) -eq $members ] &&
     grep -q '吴桂芳' $work/print/sheet.html &&
     head -c 4 $work/print/HQ0001.png | grep -q PNG"
