#!/bin/sh
# run-tests: once, sanitizers
# The console's service review queue end to end: a real hubd with its
# console, a kiosk in script mode (enrolled with a one-time code) where a
# member logs two services and syncs; in a real browser
# (tests/console/review_flows.py) the community secretary sees them,
# is refused a rejection without a reason, confirms one by a home visit
# and rejects the other (whose note is an XSS payload) with a reason;
# the kiosk syncs and the member's My record shows the confirmation and
# its method. curl: a user of another community gets 404 for the same
# log. Given the build tree as $1; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/console-review.XXXXXX)
HUB=""
. tests/support/tap.sh
. tests/support/console.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"
# A copy: enrolling writes the kiosk's ids into its configuration file.
conf=$T/station.ini
cp assets/demo/station.ini "$conf"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import selenium' 2>/dev/null ||
   ! command -v chromedriver >/dev/null; then
    echo "ok 1 # SKIP selenium or chromium-driver not installed"
    echo "1..1"
    exit 0
fi

console_two_communities
check $? 0 "hub, two communities and their secretaries ready"
console_start_hub

$H card init >/dev/null 2>&1
card=$($H card issue M HQ0003 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)
sets() {
    echo "--set kiosk.state_dir=$T/k1 --set hub.host=127.0.0.1"
    echo "--set hub.port=$PORT --set station.id=sq-hongqi-01"
    echo "--set kiosk.device_id=kiosk-1 --set kiosk.ticket_device=1"
    echo "--set station.ticket_prefix=HQ01 --set station.member_prefix=HQ"
}
kctl() { "$B/kioskctl" --config "$conf" $(sets) "$@"; }
kiosk() {
    "$B/kiosk" --config "$conf" $(sets) --set kiosk.board=sim \
        --set "board.printer=$T/printer.bin" "$@"
}
mkdir -p "$T/k1" && cp "$T/hub/ca.crt" "$T/k1/hub-ca.crt"
kctl enrol "$($H enrol-code sq-hongqi-01 kiosk-1)" >/dev/null 2>&1
kctl sync >/dev/null 2>&1
# A check-in first (the dashboard's trend), then the two logs.
printf '%s\n' "expect screen home" "scan $card" "expect text 签到成功" \
    "wait 6000" "tap record" "scan $card" "tap logsvc" \
    "tap cat.0" "tap day.0" "tap dur.2" "tap note.0" "tap served.0" \
    "tap submit" "tap done" "tap logsvc" "tap cat.1" "tap day.0" \
    "tap dur.1" "tap note.0" "tap served.0" "tap submit" "tap done" \
    >"$T/log.txt"
kiosk --script "$T/log.txt" >"$T/k1.log" 2>&1
check $? 0 "kiosk: the member checks in and logs two services"
kctl sync >/dev/null 2>&1
check "$($H pending | grep -c '"HQ0003"')" 2 "the hub holds both, pending"
# A note no kiosk would send (its pickers cannot), written where staff
# and kiosks' text lands: the page must show it inert.
s2=$($H pending | grep '"HQ0003"' | tail -1 | cut -d, -f2)
xss='<img src=x onerror=alert(1)><script>alert(2)</script>"><a href="javascript:alert(3)">x</a>'
sqlite3 "$T/hub/hub.db" "UPDATE service_logs SET note = '$xss'
    WHERE device = 'kiosk-1' AND seq = $s2"
check $? 0 "one log's note is an XSS payload"

# Another community's secretary: the log is not there for her (404).
curl -sk -c "$T/jar" "$U/login" >/dev/null
pre=$(awk '$6 == "pre" { print $7 }' "$T/jar")
curl -sk -b "$T/jar" -c "$T/jar" -o /dev/null \
    --data "csrf=$pre&name=df-sec&password=dongfeng-secret" "$U/login"
page=$(curl -sk -b "$T/jar" "$U/reviews")
tok=$(echo "$page" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 |
      sed 's/.*value="//; s/"//')
check "$(echo "$page" | grep -c 'HQ0003')" 0 \
    "another community's secretary sees none of the logs"
ep=$(sqlite3 "$T/hub/hub.db" "SELECT epoch FROM service_logs
    WHERE device = 'kiosk-1' AND seq = $s2")
check "$(curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' --data \
    "csrf=$tok&verdict=confirm&method=phone&log=kiosk-1%7C$ep%7C$s2" \
    "$U/reviews")|$($H pending | grep -c '"HQ0003"')" "404|2" \
    "... and confirming it by its key answers 404, nothing decided"

mkdir -p "$B/console-shots"
"$PY" tests/console/review_flows.py "$U" "$B/console-shots" "$n" \
    >"$T/flows.tap" 2>"$T/flows.err"
rc=$?
cat "$T/flows.tap"
n=$((n + $(grep -c '^\(not \)\?ok ' "$T/flows.tap")))
check "$rc" 0 "the browser flows ran to the end"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/flows.err" | tail -20

check "$($H logs | grep '"HQ0003"' | cut -d, -f9,11,12,13 | tr -d '"' |
         sort | tr '\n' ' ')" \
    "confirmed,visit,satisfied,hq-sec rejected,staff,,hq-sec " \
    "the hub: one confirmed by a visit, one rejected, both by hq-sec"
kctl sync >/dev/null 2>&1
printf '%s\n' "expect screen home" "tap record" "scan $card" \
    "expect text 上门核实" "expect text 未通过：当天未在岗" \
    "screenshot record_reviewed" >"$T/rec.txt"
kiosk --script "$T/rec.txt" --shots "$T" >>"$T/k1.log" 2>&1
check $? 0 "after a sync, My record at the kiosk shows both verdicts"
cp "$T/record_reviewed.png" "$B/console-shots/" 2>/dev/null
grep -h 'ERROR\|script line' "$T/k1.log" 2>/dev/null | head -5 |
    sed 's/^/# /'
[ -n "${KEEP:-}" ] && echo "# kept $T"
echo "1..$n"
