#!/bin/sh
# run-tests: once, sanitizers
# The console's ledger pages end to end: a real hubd with its console, a
# kiosk in script mode (enrolled with a one-time code) where a resident
# files a request (民情台账) and syncs; in a real browser
# (tests/console/ledger_flows.py) the community secretary finds it on
# /ledger, opens /tickets/ID, accepts, assigns and answers it, sees an
# overdue ticket marked and XSS payloads (a ticket's description, a
# visitor's matter and reason) inert on /ledger, /tickets/ID and
# /desk-log; a viewer gets no forms. curl: another community's secretary
# gets 404 for the ticket and for a step posted to it, a viewer's step is
# refused, and each staff step left its audit line. Then the kiosk syncs
# and the resident's status check shows the answer (a screenshot).
# Given the build tree as $1; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/console-ledger.XXXXXX)
HUB=""
. tests/support/tap.sh
. tests/support/console.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"
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

$H init >/dev/null 2>&1
$H add-station sq-hongqi-01 "红旗社区党群服务站" >/dev/null &&
    $H add-station sq-dongfeng "东风社区党群服务站" >/dev/null &&
    $H import assets/demo/roster.csv >/dev/null 2>&1 &&
    $H publish-all assets/demo --station sq-hongqi-01 >/dev/null 2>&1 &&
    $H ledger types assets/demo/ledger_types.json >/dev/null &&
    $H org add district qu-1 "城关区" && $H org add street jd-1 "新华街道" \
        --parent qu-1 &&
    $H org add community sq-c1 "红旗社区" --parent jd-1 &&
    $H org add community sq-c2 "东风社区" --parent jd-1 &&
    $H station place sq-hongqi-01 sq-c1 &&
    $H station place sq-dongfeng sq-c2 &&
    echo 'hongqi-secret-1' | $H user add hq-sec --role community \
        --scope sq-c1 &&
    echo 'hongqi-viewer-1' | $H user add hq-view --role community \
        --scope sq-c1 --viewer &&
    echo 'dongfeng-secret' | $H user add df-sec --role community \
        --scope sq-c2
check $? 0 "hub, two communities, their secretaries and a viewer ready"
console_start_hub

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
# A resident's request: a type, the building and unit, a preset
# description, no callback number.
printf '%s\n' "expect screen home" "tap request" "tap type.1" "tap bldg.0" \
    "tap unit.1" "tap note.0" "tap skip" "tap submit" \
    "expect screen request" >"$T/req.txt"
kiosk --script "$T/req.txt" >"$T/k1.log" 2>&1
check $? 0 "kiosk: a resident files a request"
ticket=$(grep -ao 'HQ01-1-[0-9]\{4\}' "$T/printer.bin" | head -1)
# The zh_CN receipt: the PIN is the four digits on a line of their own.
pin=$(tr -c '0-9A-Za-z\n' ' ' <"$T/printer.bin" | grep -x ' *[0-9]\{4\} *' |
      head -1 | tr -d ' ')
check "$(echo "$ticket" | cut -c1-7):${#pin}" "HQ01-1-:4" \
    "the receipt carries the ticket and its PIN"
kctl sync >/dev/null 2>&1
check "$($H ledger list --station sq-hongqi-01 | grep -c "\"$ticket\"")" 1 \
    "the hub holds the request"

# What no kiosk would send (its pickers and checks cannot), written
# where kiosks' text lands: the pages must show it inert. One ticket
# past its deadline (overdue), a wish staff accepted (open for claims),
# one of the other community, and a
# visitor of today passed on to the request.
xss='<img src=x onerror=alert(1)><script>alert(2)</script>"><a href="javascript:alert(3)">x</a>'
now=$(($(date +%s) * 1000))
today=$(date -u -d '+8 hours' +%F)
sqlite3 "$T/hub/hub.db" "
INSERT INTO tickets(ticket, station, device, kind, type, building, unit,
    text, pin_hash, state, filed_ms, deadline_ms)
VALUES('HQ01-1-9001', 'sq-hongqi-01', 'kiosk-1', 'request', 'repair',
    '5栋', '1单元', '$xss', '', 'registered', $now - 864000000,
    $now - 432000000),
    ('DF01-1-0001', 'sq-dongfeng', 'kiosk-9', 'request', 'repair',
    '1栋', '1单元', '东风社区的事项', '', 'registered', $now, $now + 1),
    ('HQ01-1-9002', 'sq-hongqi-01', 'kiosk-1', 'wish', 'daily',
    '2', '1', '帮忙修轮椅', '', 'accepted', $now - 1728000000,
    $now + 86400000);
INSERT INTO visitor_log(device, epoch, seq, station, day, at_ms, member_no,
    type, building, unit, text, outcome, reason, ticket)
VALUES('kiosk-1', 'e1', 1, 'sq-hongqi-01', '$today', $now, 'HQ0003',
    'repair', '3栋', '2单元', '$xss', 'passed_on', '', '$ticket'),
    ('kiosk-1', 'e1', 2, 'sq-hongqi-01', '$today', $now + 1000, 'HQ0003',
    'policy', '4栋', '1单元', '咨询低保政策', 'cannot', '$xss', '')"
check $? 0 "an overdue XSS ticket, a wish open for claims, another community's, two visitors"

# Another community's secretary: the ticket is not there for her (404),
# nor for a step posted to it, which changes nothing.
login() {   # login JAR NAME PASSWORD: prints the session's CSRF token
    curl -sk -c "$1" "$U/login" >/dev/null
    pre=$(awk '$6 == "pre" { print $7 }' "$1")
    curl -sk -b "$1" -c "$1" -o /dev/null \
        --data "csrf=$pre&name=$2&password=$3" "$U/login"
    curl -sk -b "$1" "$U/ledger" | grep -o 'name="csrf" value="[0-9a-f]*"' |
        head -1 | sed 's/.*value="//; s/"//'
}
tok=$(login "$T/df" df-sec dongfeng-secret)
code() { curl -sk -b "$1" -o /dev/null -w '%{http_code}' "$2"; }
check "$(code "$T/df" "$U/tickets/$ticket")|$(code "$T/df" \
    "$U/tickets/HQ01-9-0000")" "404|404" \
    "another community's ticket answers 404, as an unknown one"
check "$(curl -sk -b "$T/df" -o /dev/null -w '%{http_code}' \
    --data "csrf=$tok&step=accept" "$U/tickets/$ticket")|$($H ledger list \
    --station sq-hongqi-01 --state registered | grep -c "\"$ticket\"")" \
    "404|1" "... and a step posted to it answers 404, nothing changed"
check "$(curl -sk -b "$T/df" "$U/ledger" | grep -c "$ticket\|HQ01-1-9001")|$(
    code "$T/df" "$U/ledger?station=sq-hongqi-01")|$(
    code "$T/df" "$U/desk-log?station=sq-hongqi-01")" "0|404|404" \
    "her ledger lists none of them; the station out of scope answers 404"
vtok=$(login "$T/view" hq-view hongqi-viewer-1)
check "$(code "$T/view" "$U/tickets/$ticket")|$(curl -sk -b "$T/view" \
    -o /dev/null -w '%{http_code}' --data "csrf=$vtok&step=accept" \
    "$U/tickets/$ticket")|$(curl -sk -b "$T/view" "$U/tickets/$ticket" |
    grep -c 'name="step"')" "200|403|0" \
    "a viewer sees the ticket without forms; a step from her is refused"

mkdir -p "$B/console-shots"
"$PY" tests/console/ledger_flows.py "$U" "$B/console-shots" "$n" \
    "$ticket" >"$T/flows.tap" 2>"$T/flows.err"
rc=$?
cat "$T/flows.tap"
n=$((n + $(grep -c '^\(not \)\?ok ' "$T/flows.tap")))
check "$rc" 0 "the browser flows ran to the end"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/flows.err" | tail -20

check "$($H ledger list --station sq-hongqi-01 | grep "\"$ticket\"" |
         csv_fields | cut -d'|' -f7,10)" "answered|王师傅" \
    "the hub: the request answered, assigned to 王师傅"
check "$(sqlite3 "$T/hub/hub.db" "SELECT group_concat(action, ' ') FROM
    (SELECT action FROM audit_log WHERE actor = 'hq-sec'
     AND action LIKE 'ticket.%' ORDER BY id)")" \
    "ticket.claim ticket.accept ticket.assign ticket.answer" \
    "each step's audit line (the wish's claim, then the request's three), under the secretary"
$H ledger answer HQ01-1-9001 "hubctl" --by x >/dev/null 2>&1
$H ledger accept HQ01-1-9001 --by 李主任 >/dev/null
check "$(sqlite3 "$T/hub/hub.db" "SELECT count(*) FROM audit_log
    WHERE actor LIKE 'hubctl:%' AND action = 'ticket.accept'")" 1 \
    "hubctl's step is audited too (a refused one is not)"

# The kiosk learns the answer at its next sync; the resident checks.
kctl sync >/dev/null 2>&1
digits=$(echo "$ticket" | sed 's/^HQ01-//; s/-//')
{
    echo "expect screen home"; echo "tap request"; echo "tap status"
    echo "$digits" | sed 's/./tap key.&\n/g' | sed '/^$/d'
    echo "tap key.ok"; echo "expect text 已答复"; echo "tap pin"
    echo "$pin" | sed 's/./tap key.&\n/g' | sed '/^$/d'
    echo "expect text 已联系物业"; echo "screenshot ticket_answered"
} >"$T/status.txt"
kiosk --script "$T/status.txt" --shots "$T" >>"$T/k1.log" 2>&1
check $? 0 "after a sync, the kiosk's status check shows the answer"
cp "$T/ticket_answered.png" "$B/console-shots/kiosk-ticket-answered.png" \
    2>/dev/null
grep -h 'ERROR\|script line' "$T/k1.log" 2>/dev/null | head -5 |
    sed 's/^/# /'
[ -n "${KEEP:-}" ] && echo "# kept $T"
echo "1..$n"
