#!/bin/sh
# kioskctl's technician commands as a technician uses them on a unit:
# enrol against a real hubd, status, export of a diagnostics bundle to a
# "USB stick" directory (its database copy passes integrity_check), and
# decommission (refused without --yes and while events are queued, then
# key, certificate, CA and database gone). Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/kioskctl.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"

$H init >/dev/null && $H add-station sq-hongqi-01 "红旗社区党群服务站" &&
    $H import assets/demo/roster.csv >/dev/null
check $? 0 "hub set up"
"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")

S="$T/state"
K="$B/kioskctl --set kiosk.state_dir=$S --set station.id=sq-hongqi-01
   --set kiosk.device_id=kiosk-1 --set hub.host=127.0.0.1
   --set hub.port=$PORT --set update.root=$T/app"
CODE=$($H enrol-code sq-hongqi-01 kiosk-1)
$K enrol "$CODE" >"$T/out" 2>&1
check $? 1 "enrol refused without the hub's CA"
grep -q "hub-ca.crt" "$T/out" && ok "the message names the CA file" ||
    bad "the message names the CA file"
cp "$T/hub/ca.crt" "$S/hub-ca.crt"
$K enrol "$CODE" >"$T/out" 2>&1
check $? 0 "enrolled with a one-time code"
check "$(stat -c %a "$S/kiosk.key")" 600 "key made on the unit, owner only"
check "$($K status | grep '^enrolled:')" "enrolled: yes" "status: enrolled"
$K enrol "$CODE" >/dev/null 2>&1
check $? 1 "a used code is refused"
$B/kioskctl --set kiosk.state_dir=$S enrol "$CODE" >/dev/null 2>&1
check $? 1 "enrol refused without a hub configured"

$K sync >/dev/null
check $? 0 "forced sync"
check "$($K status | sed -n 's/^members: //p')" 60 "roster arrived"
check "$($K status | sed -n 's/^last_sync_ms: \([0-9]\).*/\1/p' | wc -c)" 2 \
    "last sync recorded"
$K in HQ0001 >/dev/null
check "$($K status | sed -n 's/^queue: //p')" 1 "queue counts the check-in"

mkdir "$T/usb"
$K --set 'kiosk.tech_pin_hash=pbkdf2-sha256$1000$c2FsdA$aGFzaA' \
    export "$T/usb" >"$T/out"
check $? 0 "export"
X=$(ls -d "$T/usb"/kiosk-1-* 2>/dev/null | head -1)
[ -n "$X" ] && [ -s "$X/status.txt" ] && ok "bundle has status.txt" ||
    bad "bundle has status.txt"
check "$(sqlite3 "$X/kiosk.db" 'PRAGMA integrity_check')" ok \
    "database copy passes integrity_check"
check "$(sqlite3 "$X/kiosk.db" 'SELECT count(*) FROM events')" 1 \
    "database copy holds the queued event"
check "$(grep -c '^queue: 1$\|^database: ok$\|^\[config\]$\|^free_storage: ' \
    "$X/status.txt")" 4 "status.txt has queue, database, storage, config"
check "$(grep -c 'pbkdf2' "$X/status.txt")/$(grep -c 'not exported' \
    "$X/status.txt")" 0/1 "no PIN hash exported"
check "$(stat -c %a "$X/kiosk.db")" 600 "database copy owner only"
$K export "$T/no/such/dir" >/dev/null 2>&1
check $? 1 "export to a missing stick fails"

$K decommission >"$T/out" 2>&1
check $? 1 "decommission refused without --yes"
[ -f "$S/kiosk.key" ] && [ -f "$S/kiosk.db" ] && ok "nothing wiped" ||
    bad "nothing wiped"
$K decommission --yes >"$T/out" 2>&1
check $? 1 "decommission refused while events are queued"
grep -q "1 events" "$T/out" && ok "warning names the queue" ||
    bad "warning names the queue"
$K sync >/dev/null && $K decommission --yes >"$T/out" 2>&1
check $? 0 "decommission after the queue is acknowledged"
left=$(ls "$S" | grep -c 'kiosk.key\|kiosk.crt\|hub-ca.crt\|kiosk.db')
check "$left" 0 "key, certificate, CA and database removed"
$K in HQ0002 >/dev/null 2>&1
$K decommission --yes --force >/dev/null 2>&1
check $? 0 "--force decommissions with a queue"
echo "1..$n"
