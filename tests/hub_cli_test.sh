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
cmds="init add-station enrol-code revoke certs import publish publish-all stars
      member-pin pending confirm reject logs report fleet calls events refused
      conflicts bundle feed card ledger photo desk-log claims claim swaps swap
      points awards unit setting help user org station"
check "$($H help | sed '/^hubctl bundle/q' | awk '/^  [a-z]/ {print $1}' |
         tr '\n' ' ')" "$(echo $cmds) " "hubctl help lists every command"
$H add-station only-an-id 2>"$T/err.txt"
check "$?:$(tail -1 "$T/err.txt" | awk '{print $1, $2, $3}')" \
    "2:add-station ID NAME" "a wrong argument count: 2 and the usage line"

# A roster with values a spreadsheet would run as formulas: reported by
# line like every bad line, nothing imported; a quoted comma is fine.
$H add-station sq-csv-01 "CSV station" >/dev/null
{
    echo 'member_no,name,phone,community,station'
    echo 'CSV0001,"=HYPERLINK(""http://x.example/"",""open"")",13800000001,c,sq-csv-01'
    echo "CSV0002,=cmd|' /C calc'!A0,13800000002,c,sq-csv-01"
    echo 'CSV0003,@SUM(1+1),13800000003,c,sq-csv-01'
    echo 'CSV0004,"Lee, Ann",13800000004,c,sq-csv-01'
    echo 'CSV0005,Ann,13800000005,+c,sq-csv-01'
} >"$T/formula.csv"
$H import "$T/formula.csv" 2>"$T/err.txt"
check $? 1 "a roster with formula-like values refused"
check "$(grep 'looks like a spreadsheet formula' "$T/err.txt" | cut -d: -f2 | tr '\n' ' ')" "2 3 4 6 " \
    "each formula-like value reported with its line number"
check "$(sqlite3 "$T/hub/hub.db" \
    "SELECT count(*) FROM members WHERE station = 'sq-csv-01'")" 0 \
    "nothing of it imported"

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
# 认岗's rules: one head, at most one deputy, 3-5 members (today's post
# files with two heads and eight holders are refused, naming the post).
echo '[{"id":"P09","category":"x","name":"y","duties":"z","order":1,
  "holders":[{"member_no":"HQ0001","role":"head"},
  {"member_no":"HQ0002","role":"head"},{"member_no":"HQ0003","role":"member"}]}]' \
    >"$T/posts.json"
$H publish posts "$T/posts.json" --station sq-hongqi-01 2>"$T/err.txt"
check "$?:$(head -1 "$T/err.txt")" \
    "1:$T/posts.json: item 1: post P09: 2 heads (岗长), exactly one" \
    "a post with two heads refused, the post named"
echo '[{"id":"C1","building":"1","unit":"","name":"x","role":"grid_boss",
  "duties":"d","phone":"13800000000"}]' >"$T/contacts.json"
$H publish contacts "$T/contacts.json" --station sq-hongqi-01 2>"$T/err.txt"
check "$?:$(grep -c 'contact role must be' "$T/err.txt")" "1:1" \
    "contact with an unknown role refused"

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
check "$($H pending | tail -n +2 | cut -d, -f1,2,4,7)" '"kiosk-1",2,"HQ0002",90' \
    "the service log is pending"
check "$($H pending | tail -n +2 | cut -d, -f6)" '"治安巡逻"' \
    "pending names the category, not its key"
$H member-pin HQ0002 12 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" "1:a PIN is 4 to 6 digits" "a short PIN is refused"
$H member-pin HQ0002 2468 >/dev/null
check $? 0 "member-pin sets a PIN"
$H confirm kiosk-1 2 --points 1000000000 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" \
    "2:hubctl: --points takes a whole number from 0 to 100" \
    "hand-set points are bounded"
$H confirm kiosk-1 2
$K sync >/dev/null
check "$($K show HQ0002 | grep '^log')" "log HQ0002 seq=2 status=1 points=3" \
    "confirmation with points reached the kiosk"
check "$(sqlite3 "$T/k/kiosk.db" \
    "SELECT substr(pin_hash, 1, 20) FROM members WHERE member_no='HQ0002'")" \
    'pbkdf2-sha256$20000$' "the PIN reached the kiosk as a hash only"
check "$($H report members | grep HQ0002 | cut -d, -f5-8)" "0,0,90,3" \
    "member report"
# The star board from points replaces the published demo one.
$H stars sq-hongqi-01 >/dev/null
check $? 0 "star board computed from confirmed points"
$K sync >/dev/null
check "$(sqlite3 "$T/k/kiosk.db" "SELECT month_points, month_rank
    FROM member_totals WHERE member_no='HQ0002'")" "3|1" \
    "the member's points and rank reached the kiosk with the board"
check "$(sqlite3 "$T/k/kiosk.db" \
    "SELECT period || ':' || rank || ':' || member_no || ':' || points
     FROM stars ORDER BY period" | tr '\n' ' ')" \
    "month:1:HQ0002:3 quarter:1:HQ0002:3 security/month:1:HQ0002:3 security/quarter:1:HQ0002:3 security/year:1:HQ0002:3 year:1:HQ0002:3 " \
    "the kiosk's star board is the computed one (and 治安维稳之星's: patrol)"
$H stars no-such-station 2>/dev/null
check $? 1 "stars for an unknown station refused"
check "$($H report stations | tail -1 | cut -d, -f2-5)" \
    '"sq-hongqi-01",60,1,1' "station report (active members)"
check "$(sqlite3 "$T/k/kiosk.db" \
    "SELECT active FROM members WHERE member_no = 'HQ9004'")" 0 \
    "the kiosk learnt that HQ9004 left"
check "$($H fleet | tail -1 | cut -d, -f1,2,5,6)" \
    '"kiosk-1","sq-hongqi-01","0.1.0",0' \
    "fleet status"
# Service confirmation (服务确认): staff record how; a rejection carries a
# reason the member sees; kiosk_pin is the resident's own at the kiosk.
$K log HQ0003 patrol 60 >/dev/null && $K log HQ0003 patrol 30 >/dev/null
$K sync >/dev/null
s1=$($H pending | grep HQ0003 | head -1 | cut -d, -f2)
s2=$($H pending | grep HQ0003 | tail -1 | cut -d, -f2)
$H reject kiosk-1 "$s1" 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" \
    "2:hubctl: reject: a rejection needs --reason TEXT (the member sees it)" \
    "a rejection without a reason is refused"
$H confirm kiosk-1 "$s1" --method kiosk_pin 2>"$T/err.txt"
check "$?:$(cut -c1-41 "$T/err.txt")" \
    "2:hubctl: confirm: kiosk_pin is recorded by" \
    "staff cannot record the resident's own confirmation"
$H confirm kiosk-1 "$s1" --method fax 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" \
    "2:hubctl: confirm: unknown method (kiosk_pin, phone, visit or staff)" \
    "an unknown method is refused"
$H confirm kiosk-1 "$s1" --rating great 2>"$T/err.txt"
check $? 2 "an unknown rating is refused"
$H confirm kiosk-1 "$s1" --method phone --by 李主任 --rating basic
check $? 0 "confirm --method phone --by --rating"
$H reject kiosk-1 "$s2" --reason "当天未在岗"
check $? 0 "reject --reason"
check "$($H logs | grep '"HQ0003"' | cut -d, -f9-14 | tr '\n' ' ')" \
    '"confirmed",2,"phone","basic","李主任","" "rejected",0,"staff","","staff","当天未在岗" ' \
    "logs shows each verdict with its method, rating, who and reason"
check "$($H logs | grep '"HQ0002"' | cut -d, -f9-13)" \
    '"confirmed",3,"staff","","staff"' \
    "a bare confirm records the method staff"
$K sync >/dev/null
check "$(sqlite3 "$T/k/kiosk.db" "SELECT status || ':' || method || ':' ||
    reason FROM service_logs WHERE member_no = 'HQ0003' ORDER BY seq" |
    tr '\n' ' ')" "1:2: 2:4:当天未在岗 " \
    "the kiosk keeps each verdict's method and reason"

# The stolen unit's certificate, kept by the thief.
cp "$T/k/kiosk.crt" "$T/stolen.crt" && cp "$T/k/kiosk.key" "$T/stolen.key"
$H revoke kiosk-1 >/dev/null
$K sync >/dev/null 2>&1
check $? 1 "a revoked kiosk is refused"
check "$($H fleet | tail -1 | cut -d, -f9)" '"revoked"' \
    "fleet shows the revocation"
check "$(grep -c ' /v1/' "$T/hubd.log")" \
    "$(grep -c 'hub: ' "$T/hubd.log" | awk '{print $1 - 1}')" \
    "one log line per request"

# ---- trust: certificates, CSV, methods, enrolment flood ----------------
# curl as a client with a given certificate: prints the HTTP status.
as_cert() {
    curl -s -o "$T/body.txt" -w '%{http_code}' --cacert "$T/hub/ca.crt" \
        --cert "$1.crt" --key "$1.key" "https://127.0.0.1:$PORT$2"
}
check "$(as_cert "$T/stolen" '/v1/changes?since=')" 403 \
    "the revoked certificate gets 403 (curl)"
# A replacement enrolled under the same device id: the stolen
# certificate stays refused, the new one works.
mkdir -p "$T/k3" && cp "$T/hub/ca.crt" "$T/k3/hub-ca.crt"
CODE=$($H enrol-code sq-hongqi-01 kiosk-1)
kiosk "$T/k3" enrol "$CODE" >/dev/null
kiosk "$T/k3" sync >/dev/null
check $? 0 "the replacement kiosk syncs"
check "$(as_cert "$T/stolen" '/v1/changes?since=')" 403 \
    "re-enrolment does not lift the old certificate's revocation"
check "$(grep -o 'certificate revoked' "$T/body.txt")" "certificate revoked" \
    "the refusal says why"
check "$(as_cert "$T/k3/kiosk" '/v1/changes?since=')" 200 \
    "the new certificate works (curl)"
# Enrolling again without a revoke supersedes the older certificate.
mkdir -p "$T/k4" && cp "$T/hub/ca.crt" "$T/k4/hub-ca.crt"
CODE=$($H enrol-code sq-hongqi-01 kiosk-1)
kiosk "$T/k4" enrol "$CODE" >/dev/null
check "$(as_cert "$T/k3/kiosk" '/v1/changes?since=')" 403 \
    "a re-enrolment supersedes the older certificate"
check "$(grep -o 'superseded' "$T/body.txt")" superseded "and says so"
check "$($H certs kiosk-1 | csv_fields | cut -d'|' -f5 | tail -n +2 |
         tr '\n' ' ')" "revoked superseded current " \
    "hubctl certs lists each certificate with its state"
serial=$(openssl x509 -in "$T/k4/kiosk.crt" -noout -serial | cut -d= -f2)
$H revoke --cert "$serial" >/dev/null
check $? 0 "revoke --cert SERIAL"
check "$(as_cert "$T/k4/kiosk" '/v1/changes?since=')" 403 \
    "the certificate revoked by serial is refused"
check "$(grep -c 'certificate revoked\|superseded' "$T/hubd.log")" 3 \
    "each refusal logged with its reason"

# Values a spreadsheet would run, reaching the reports: a name from an
# older roster, a kiosk's version text. Every text cell comes out quoted,
# formula-like ones with an apostrophe, columns where they belong.
sqlite3 "$T/hub/hub.db" "UPDATE members SET name = CASE member_no
    WHEN 'HQ0001' THEN '=HYPERLINK(\"http://x.example/\",\"open\")'
    WHEN 'HQ0002' THEN '=cmd|'' /C calc''!A0' ELSE name END"
mkdir -p "$T/k5" && cp "$T/hub/ca.crt" "$T/k5/hub-ca.crt"
CODE=$($H enrol-code sq-hongqi-01 kiosk-5)
kiosk "$T/k5" enrol "$CODE" >/dev/null
curl -s -o /dev/null --cacert "$T/hub/ca.crt" --cert "$T/k5/kiosk.crt" \
    --key "$T/k5/kiosk.key" -H "Kiosk-Status: v=@SUM(1+1),x;q=0" \
    "https://127.0.0.1:$PORT/v1/changes?since="
cat >"$T/csvcheck.py" <<'PY'
import csv, re, sys
cols = int(sys.argv[1])
lines = sys.stdin.read().split("\n")[1:-1]
num = re.compile(r"-?[0-9]+(\.[0-9]+)?$")
bad = 0
for line in lines:
    row = next(csv.reader([line]))
    enc = ",".join(f if num.match(f) else '"' + f.replace('"', '""') + '"'
                   for f in row)
    if len(row) != cols or enc != line:
        bad += 1
    if any(f[:1] in ("=", "+", "@", "\t", "\r") or
           (f[:1] == "-" and not num.match(f)) for f in row):
        bad += 1
print(bad)
PY
check "$($H report members | python3 "$T/csvcheck.py" 8)" 0 \
    "report members: quoted, neutralised, 8 columns"
check "$($H report members | grep -c "\"'=HYPERLINK\|\"'=cmd")" 2 \
    "formula names start with an apostrophe"
check "$($H fleet | python3 "$T/csvcheck.py" 10)" 0 \
    "fleet: quoted, neutralised, 10 columns"
check "$($H fleet | csv_fields | grep -c "|'@SUM(1+1),x|")" 1 \
    "a kiosk's formula-like version text neutralised, its comma kept"
# The change log: its size, and a trim that stops at the kiosks that
# poll (they synced just now) and keeps their cursors working.
$H feed stats >"$T/feed1.txt"
check "$?:$(grep -c '^rows: [1-9]' "$T/feed1.txt")" "0:1" "feed stats"
$H feed trim >"$T/trim.txt"
check "$?:$(grep -c '^trimmed up to [0-9]*: [0-9]* rows removed' \
    "$T/trim.txt")" "0:1" "feed trim"
$H feed stats >"$T/feed2.txt"
check "$(awk '/^horizon/ {print $2}' "$T/feed2.txt")" \
    "$(awk '/^oldest_active_cursor/ {print $2}' "$T/feed1.txt")" \
    "trimmed to the oldest active kiosk's cursor"
$H feed trim --keep-days x 2>/dev/null
check $? 2 "feed trim: a bad number of days refused"
"$B/hubd" -d "$T/hub" --trim-hours -1 2>/dev/null
check $? 2 "hubd: a negative --trim-hours refused"
for r in "report stations:6" "pending:9" "events kiosk-1:5" "certs:7"; do
    check "$($H ${r%:*} | python3 "$T/csvcheck.py" "${r#*:}")" 0 \
        "${r%:*}: quoted, ${r#*:} columns"
done

# Wrong methods: 405 with the methods the path takes.
curl -s -i -o "$T/head.txt" --cacert "$T/hub/ca.crt" \
    "https://127.0.0.1:$PORT/v1/enrol"
check "$(head -1 "$T/head.txt" | cut -d' ' -f2)" 405 "GET /v1/enrol: 405"
check "$(grep -i '^Allow:' "$T/head.txt" | tr -d '\r')" "Allow: POST" \
    "with Allow: POST"
curl -s -i -o "$T/head.txt" -X DELETE --cacert "$T/hub/ca.crt" \
    --cert "$T/k5/kiosk.crt" --key "$T/k5/kiosk.key" \
    "https://127.0.0.1:$PORT/v1/changes"
check "$(head -1 "$T/head.txt" | cut -d' ' -f2):$(grep -i '^Allow:' \
    "$T/head.txt" | tr -d '\r')" "405:Allow: GET" "DELETE /v1/changes: 405"

# A flood of guessed codes: 429 with Retry-After after a few, and one
# warning line in the log for all of them.
i=0
st=""
while [ $i -lt 20 ] && [ "$st" != 429 ]; do
    st=$(curl -s -D "$T/head.txt" -o /dev/null -w '%{http_code}' \
        --cacert "$T/hub/ca.crt" -d '{"code":"AAAABBBBCCCCDDDD","csr":"x"}' \
        "https://127.0.0.1:$PORT/v1/enrol")
    i=$((i + 1))
done
check "$st:$([ $i -le 6 ] && echo soon)" "429:soon" \
    "bad enrolment codes get 429 after at most 5"
check "$(grep -ci '^Retry-After: [0-9]' "$T/head.txt")" 1 "with Retry-After"
for j in 1 2 3 4 5 6 7 8 9 10; do
    curl -s -o /dev/null --cacert "$T/hub/ca.crt" -d '{"code":"x","csr":"x"}' \
        "https://127.0.0.1:$PORT/v1/enrol"
done
check "$(grep -c 'enrol: ' "$T/hubd.log")" 1 \
    "the flood logged one warning line"

# A one-line roster would make most of a station inactive: refused
# unless --replace-all.
{ head -2 assets/demo/roster.csv; } >"$T/one.csv"
$H import "$T/one.csv" --force 2>"$T/err.txt" >/dev/null
check $? 1 "a roster dropping most of a station refused (even --force)"
check "$(grep -o '[0-9]* of its [0-9]* active members' "$T/err.txt")" \
    "59 of its 60 active members" "saying how many would become inactive"
check "$(sqlite3 "$T/hub/hub.db" "SELECT count(*) FROM members
    WHERE station = 'sq-hongqi-01' AND active")" 60 "nobody made inactive"
$H import "$T/one.csv" --replace-all >/dev/null 2>&1
check "$?:$(sqlite3 "$T/hub/hub.db" "SELECT count(*) FROM members
    WHERE station = 'sq-hongqi-01' AND active")" "0:1" \
    "--replace-all replaces the station's roster"
