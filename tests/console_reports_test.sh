#!/bin/sh
# run-tests: once, sanitizers
# The console's points, stars, awards, registration and reports pages
# end to end: a real hubd with its console, two communities under one
# street, check-ins, registrations and confirmed service logs written
# straight into the hub's store (the kiosk path to them is covered by
# console_review_test.sh and confirm_e2e_test.sh; this keeps the test
# fast), a real browser (tests/console/reports_flows.py) and curl:
#  - the community secretary's /reports shows only her stations; a query
#    naming the other community (or the street above her) answers 404;
#  - the XLSX read back (zip + sheet XML) holds the page's numbers; the
#    CSV opens with a BOM and a formula-like name is prefixed with ';
#  - a rule changed on /points by an admin is in the audit log, and a
#    later `hubctl confirm` counts by it (`hubctl logs`);
#  - the star board lists the member; awards computed from the page;
#  - XSS in a member's name inert on every page;
#  - a viewer's POST to /points is refused, /reports.csv out of scope 404.
# `hubctl report checkins --org` gives the figures of the page.
# Given the build tree as $1; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/console-reports.XXXXXX)
HUB=""
. tests/support/tap.sh
. tests/support/console.sh
H="$B/hubctl -d $T/hub"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import selenium' 2>/dev/null ||
   ! command -v chromedriver >/dev/null; then
    echo "ok 1 # SKIP selenium or chromium-driver not installed"
    echo "1..1"
    exit 0
fi
q() { sqlite3 "$T/hub/hub.db" "$1"; }

# A short roster: the pages stay short (screenshots are the slow part).
head -6 assets/demo/roster.csv >"$T/roster.csv"
printf '%s\n' "DF0001,李东风,13900000001,东风社区,sq-dongfeng" \
    "DF0002,赵东风,13900000002,东风社区,sq-dongfeng" >>"$T/roster.csv"
$H init >/dev/null 2>&1
$H add-station sq-hongqi-01 "红旗社区党群服务站" >/dev/null &&
    $H add-station sq-dongfeng "东风社区党群服务站" >/dev/null &&
    $H import "$T/roster.csv" >/dev/null 2>&1 &&
    $H org add district qu-1 "城关区" && $H org add street jd-1 "新华街道" \
        --parent qu-1 &&
    $H org add community sq-c1 "红旗社区" --parent jd-1 &&
    $H org add community sq-c2 "东风社区" --parent jd-1 &&
    $H station place sq-hongqi-01 sq-c1 &&
    $H station place sq-dongfeng sq-c2 &&
    echo 'hongqi-secret-1' | $H user add hq-sec --role community \
        --scope sq-c1 &&
    echo 'street-viewer-1' | $H user add jd-view --role street \
        --scope jd-1 &&
    echo 'admin-secret-01' | $H user add boss --role admin
check $? 0 "hub, two communities, a secretary, a street viewer, an admin"

# The month's data, at now (station time UTC+8): HQ0001 checks in twice,
# HQ0002 once, DF0001 twice at the other community; a member whose
# name is XSS and one whose name looks like a formula; confirmed patrol
# logs (治安维稳之星) of HQ0001 and DF0001, a pending one of HQ0002.
now=$(($(date +%s) * 1000))
day=$(date -u -d '+8 hours' +%F)
xss='<img src=x onerror=alert(1)><script>alert(2)</script>'
ev() {   # seq station kind member
    echo "INSERT INTO events(device, seq, station, kind, member_no, wall_ms,
        clock_trusted, event_ms, corrected, data, received_ms) VALUES
        ('k-$2', $1, '$2', '$3', '$4', $now, 1, $now, 0, '{}', $now);"
}
q "INSERT INTO members(member_no, name, phone, community, station) VALUES
   ('HQ0901', '$xss', '13800000901', '红旗社区', 'sq-hongqi-01'),
   ('HQ0902', '=1+2', '13800000902', '红旗社区', 'sq-hongqi-01');
   $(ev 1 sq-hongqi-01 check_in HQ0001) $(ev 2 sq-hongqi-01 check_in HQ0001)
   $(ev 3 sq-hongqi-01 check_in HQ0002) $(ev 4 sq-hongqi-01 registration HQ0001)
   $(ev 5 sq-hongqi-01 check_in HQ0901)
   $(ev 1 sq-dongfeng check_in DF0001) $(ev 2 sq-dongfeng check_in DF0001)
   $(ev 3 sq-dongfeng registration DF0001)
   INSERT INTO service_logs(device, seq, station, member_no, category,
     minutes, day, note, status, points, decided_ms) VALUES
   ('k-sq-hongqi-01', 11, 'sq-hongqi-01', 'HQ0901', 'patrol', 90, '$day', '',
    'confirmed', 3, $now),
   ('k-sq-hongqi-01', 12, 'sq-hongqi-01', 'HQ0001', 'patrol', 60, '$day', '',
    'confirmed', 2, $now),
   ('k-sq-hongqi-01', 13, 'sq-hongqi-01', 'HQ0002', 'mediation', 60, '$day',
    '', 'pending', 0, NULL),
   ('k-sq-dongfeng', 11, 'sq-dongfeng', 'DF0001', 'patrol', 120, '$day', '',
    'confirmed', 4, $now);"
check $? 0 "check-ins, registrations and service logs in both communities"

console_start_hub

# The script's figures, for the page to match.
check "$($H report checkins --org sq-c1 | csv_fields | grep '^sq-hongqi-01|' |
         cut -d'|' -f4)" 4 "hubctl report checkins --org sq-c1: 4 check-ins"
check "$($H report checkins --org sq-c1 | grep -c sq-dongfeng)" 0 \
    "... and nothing of the other community"
check "$($H report checkins --org jd-1 | csv_fields | grep -c '^sq-')" 2 \
    "--org of the street: both stations"
$H report checkins --org nowhere >/dev/null 2>"$T/err"
check "$?|$(grep -c 'no district, street, community or station nowhere' \
    "$T/err")" "1|1" "--org of an unknown node: refused, said so"
$H report checkins --org sq-c1 --station sq-dongfeng >/dev/null 2>&1
check $? 2 "--org with --station: refused"
check "$($H report registration --org sq-c1 | csv_fields | tr '\n' ' ')" \
    "group|name|on_roster|registered|rate 红旗社区|红旗社区|7|1|0.143 *|合计|7|1|0.143 " \
    "hubctl report registration --org sq-c1: her community only, 1 of 7"

# curl, as the secretary: out of scope is 404 and leaks nothing.
login() {   # jar name password
    curl -sk -c "$1" "$U/login" >/dev/null
    pre=$(awk '$6 == "pre" { print $7 }' "$1")
    curl -sk -b "$1" -c "$1" -o /dev/null \
        --data "csrf=$pre&name=$2&password=$3" "$U/login"
}
login "$T/jar" hq-sec hongqi-secret-1
for path in "reports?org=sq-c2" "reports?org=jd-1" "reports?org=sq-dongfeng" \
            "reports.csv?org=sq-c2" "reports.xlsx?org=sq-c2" \
            "reports?org=nowhere"; do
    out=$(curl -sk -b "$T/jar" -w '%{http_code}' "$U/$path")
    check "$(printf '%s' "$out" | tail -c 3)|$(echo "$out" |
             grep -c 'sq-dongfeng\|东风')" \
        "404|0" "secretary: /$path answers 404, nothing of it shown"
done
check "$(curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' \
    "$U/reports?period=month&month=2026-13")" 400 "a bad month: 400"
tok=$(curl -sk -b "$T/jar" "$U/reports" | grep -o 'name="csrf" value="[0-9a-f]*"' |
      head -1 | sed 's/.*value="//; s/"//')
check "$(curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' --data \
    "csrf=$tok&scope=patrol&per30=9&satisfied=1&basic=1&unsatisfied=1&cap=0" \
    "$U/points")|$($H points rules | grep -c '^\"patrol\"')" "403|0" \
    "secretary: a rule change POSTed anyway is refused, nothing set"
login "$T/jar2" jd-view street-viewer-1
tok=$(curl -sk -b "$T/jar2" "$U/" | grep -o 'name="csrf" value="[0-9a-f]*"' |
      head -1 | sed 's/.*value="//; s/"//')
check "$(curl -sk -b "$T/jar2" -o /dev/null -w '%{http_code}' --data \
    "csrf=$tok&year=2026&posts=2&members=10" "$U/awards")" 403 \
    "street viewer: computing awards refused"

mkdir -p "$B/console-shots"
"$PY" tests/console/reports_flows.py "$U" "$B/console-shots" "$n" \
    >"$T/flows.tap" 2>"$T/flows.err"
rc=$?
cat "$T/flows.tap"
n=$((n + $(grep -c '^\(not \)\?ok ' "$T/flows.tap")))
check "$rc" 0 "the browser flows ran to the end"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/flows.err" | tail -20

# The browser set mediation at 3 points per 30 minutes: a later
# confirmation counts by it (default: 1 per 30 minutes).
$H confirm k-sq-hongqi-01 13 --method staff >/dev/null 2>&1
check "$($H logs | csv_fields | awk -F'|' '$3 == 13 && $5 == "HQ0002"' |
         cut -d'|' -f9,10)" "confirmed|6" \
    "a confirmation after the rule change: 60 minutes of mediation give 6"
check "$(q "SELECT count(*) FROM audit_log WHERE action = 'points.rule'
            AND actor = 'boss' AND object = 'points:mediation'")" 1 \
    "the rule change audited once, by the admin"
check "$(q "SELECT count(*) FROM audit_log WHERE action = 'awards.publish'
            AND actor = 'boss'")" 2 "awards audited per station"
[ -n "${KEEP:-}" ] && echo "# kept $T"
echo "1..$n"
