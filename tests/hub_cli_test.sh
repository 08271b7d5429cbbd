#!/bin/sh
# hubctl and hubd as an operator uses them, with kioskctl as the
# kiosk: init, stations, roster import (bad lines reported by number,
# nothing imported unless --force), publishing the demo boards, one-time
# enrolment codes, a check-in and a service log arriving once, a
# confirmation coming back, reports and fleet status. Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/hub_cli.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"

$H init >/dev/null
check $? 0 "hubctl init"
check "$(stat -c %a "$T/hub/ca.key")" 600 "CA key readable by owner only"
$H add-station sq-hongqi-01 "红旗社区党群服务站"
check $? 0 "add-station"
# The usage comes from the command table: `help` lists every command,
# a wrong argument count exits 2 with that command's line.
cmds="init add-station enrol-code revoke import publish publish-all stars
      pending confirm reject report fleet events refused conflicts bundle card
      help"
check "$($H help | sed '/^hubctl bundle/q' | awk '/^  [a-z]/ {print $1}' |
         tr '\n' ' ')" "$(echo $cmds) " "hubctl help lists every command"
$H add-station only-an-id 2>"$T/err.txt"
check "$?:$(tail -1 "$T/err.txt" | awk '{print $1, $2, $3}')" \
    "2:add-station ID NAME" "a wrong argument count: 2 and the usage line"

# A roster with bad lines: each reported with its number, nothing kept.
{
    head -3 assets/demo/roster.csv
    echo 'HQ9001,张三,12345,红旗社区,sq-hongqi-01'
    echo 'HQ9002,李四,13800009002,红旗社区,no-such-station'
    echo 'HQ0001,重复,13800009003,红旗社区,sq-hongqi-01'
    echo 'HQ9004,"王,五",13800009004,红旗社区,sq-hongqi-01'
    echo 'too,few'
} >"$T/bad.csv"
$H import "$T/bad.csv" 2>"$T/err.txt"
check $? 1 "bad roster refused"
check "$(grep -c ':[0-9]*: ' "$T/err.txt")" 4 "four bad lines reported"
check "$(grep -o ':[0-9]*:' "$T/err.txt" | tr -d ':' | tr '\n' ' ')" \
    "4 5 6 8 " "bad lines named by number"
check "$(sqlite3 "$T/hub/hub.db" 'SELECT count(*) FROM members')" 0 \
    "nothing imported"
$H import "$T/bad.csv" --force >/dev/null 2>&1
check "$(sqlite3 "$T/hub/hub.db" 'SELECT count(*) FROM members')" 3 \
    "--force imports the good lines (quoted comma kept)"
$H import assets/demo/roster.csv >/dev/null 2>"$T/left.txt"
check $? 0 "demo roster imported"
# The roster is each station's whole membership: HQ9004, forced in above
# and absent from the demo roster, has left.
check "$(cat "$T/left.txt")" \
    "sq-hongqi-01: HQ9004 王,五 is no longer on the roster: made inactive" \
    "a member no longer on the roster is reported"
check "$(sqlite3 "$T/hub/hub.db" \
    "SELECT active FROM members WHERE member_no = 'HQ9004'")" 0 \
    "and kept, inactive"
$H publish-all assets/demo --station sq-hongqi-01 >/dev/null
check $? 0 "demo boards published"
echo '[{"id":"P01","category":"x","name":"y","duties":"z","order":1,
  "holders":[{"member_no":"NOBODY","role":"head"}]}]' >"$T/posts.json"
$H publish posts "$T/posts.json" --station sq-hongqi-01 2>/dev/null
check $? 1 "post with unknown holder refused"

"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
mkdir -p "$T/k" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
# The kiosk's side: its state in $T/k, the hub and its ids on the
# command line (no config file).
kiosk() {
    state=$1
    shift
    "$B/kioskctl" --set "kiosk.state_dir=$state" --set hub.host=127.0.0.1 \
        --set "hub.port=$PORT" --set station.id=sq-hongqi-01 \
        --set kiosk.device_id=kiosk-1 --set "update.root=$T/app" \
        --set "update.factory=$T/factory" "$@"
}
K="kiosk $T/k"
CODE=$($H enrol-code sq-hongqi-01 kiosk-1)
$K enrol "$CODE" >/dev/null
check $? 0 "kiosk enrolled with a one-time code"
check "$(stat -c %a "$T/k/kiosk.key")" 600 "kiosk key readable by owner only"
mkdir -p "$T/k2" && cp "$T/hub/ca.crt" "$T/k2/hub-ca.crt"
kiosk "$T/k2" enrol "$CODE" >/dev/null 2>&1
check $? 1 "a used code is refused"

$K sync >/dev/null
show=$($K show)
check "$(echo "$show" | sed -n 's/.*members=\([0-9]*\).*/\1/p')" 61 \
    "roster reached the kiosk (60 demo + 1 forced)"
$K in HQ0001 >/dev/null && $K log HQ0002 patrol 90 >/dev/null
$K sync >/dev/null && $K sync >/dev/null

check "$($H events kiosk-1 | tail -n +2 | wc -l)" 2 "events arrived once"
check "$($H pending | tail -n +2 | cut -d, -f1,2,4,7)" "kiosk-1,2,HQ0002,90" \
    "the service log is pending"
$H confirm kiosk-1 2
$K sync >/dev/null
check "$($K show HQ0002 | grep '^log')" "log HQ0002 seq=2 status=1 points=3" \
    "confirmation with points reached the kiosk"
check "$($H report members | grep HQ0002 | cut -d, -f5-8)" "0,0,90,3" \
    "member report"
# The star board from points replaces the published demo one.
$H stars sq-hongqi-01 >/dev/null
check $? 0 "star board computed from confirmed points"
$K sync >/dev/null
check "$(sqlite3 "$T/k/kiosk.db" \
    "SELECT period || ':' || rank || ':' || member_no || ':' || points
     FROM stars ORDER BY period" | tr '\n' ' ')" \
    "month:1:HQ0002:3 quarter:1:HQ0002:3 year:1:HQ0002:3 " \
    "the kiosk's star board is the computed one"
$H stars no-such-station 2>/dev/null
check $? 1 "stars for an unknown station refused"
check "$($H report stations | tail -1 | cut -d, -f2-5)" \
    "sq-hongqi-01,60,1,1" "station report (active members)"
check "$(sqlite3 "$T/k/kiosk.db" \
    "SELECT active FROM members WHERE member_no = 'HQ9004'")" 0 \
    "the kiosk learnt that HQ9004 left"
check "$($H fleet | tail -1 | cut -d, -f1,2,5,6)" "kiosk-1,sq-hongqi-01,0.1.0,0" \
    "fleet status"
$H revoke kiosk-1
$K sync >/dev/null 2>&1
check $? 1 "a revoked kiosk is refused"
check "$($H fleet | tail -1 | cut -d, -f9)" revoked "fleet shows the revocation"
check "$(grep -c ' /v1/' "$T/hubd.log")" \
    "$(grep -c 'hub: ' "$T/hubd.log" | awk '{print $1 - 1}')" \
    "one log line per request"
