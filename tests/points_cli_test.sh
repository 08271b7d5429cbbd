#!/bin/sh
# Points by rule from the command line (docs/rules.md "Points"): `hubctl
# points rule set|rules` with its refusals, `hubctl stars category`, a
# confirmation counted by the rule and the station's boards and totals
# refreshed by `hubctl confirm` itself, and `hubctl awards` as CSV, the
# awards recorded and sent to the kiosks. Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/points_cli.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"
q() { sqlite3 "$T/hub/hub.db" "$1"; }

$H init >/dev/null
$H add-station st-p "积分站" >/dev/null
{
    echo 'member_no,name,phone,community,station'
    echo 'Q1,赵一,13800000001,红旗社区,st-p'
    echo 'Q2,钱二,13800000002,红旗社区,st-p'
    echo 'Q3,孙三,13800000003,红旗社区,st-p'
} >"$T/roster.csv"
$H import "$T/roster.csv" >/dev/null
check $? 0 "roster imported"

# The default is today's rule; nothing else until set.
check "$($H points rules | tail -n +2)" '"*",1,"1.00","1.00","1.00",0' \
    "the default rule: 1 point per 30 minutes"
$H points rule set patrol --per30 2 --satisfied 1.5 --unsatisfied 0.5 \
    --cap 10 >/dev/null
check $? 0 "a category's rule set"
$H points rule set post:P-01 --per30 4 >/dev/null
check $? 0 "a post's rule set"
check "$($H points rules | tail -n +2 | tr '\n' ' ')" \
    '"*",1,"1.00","1.00","1.00",0 "patrol",2,"1.50","1.00","0.50",10 "post:P-01",4,"1.00","1.00","1.00",0 ' \
    "the rules listed"
$H points rule set knitting --per30 2 2>"$T/err"
check "$?:$(grep -c 'unknown service category knitting' "$T/err")" "1:1" \
    "an unknown category refused"
$H points rule set patrol --per30 99 2>"$T/err"
check "$?:$(grep -c 'bad --per30 99' "$T/err")" "2:1" "per30 out of range refused"
$H points rule set patrol --per30 1 --satisfied 1.234 2>"$T/err"
check "$?:$(grep -c 'bad --satisfied 1.234' "$T/err")" "2:1" \
    "a multiplier with three decimals refused"
$H points rule set patrol --satisfied 2 2>"$T/err"
check "$?:$(grep -c 'needs --per30' "$T/err")" "2:1" "--per30 required"
$H points rule set 'post:a b' --per30 1 2>"$T/err"
check "$?:$(grep -c 'bad post id' "$T/err")" "1:1" "a bad post id refused"

# The stars' categories: the default mapping, a change, refusals.
check "$($H stars category | grep '^"patrol"')" \
    '"patrol","治安巡逻","security","治安维稳之星"' "patrol feeds 治安维稳之星"
$H stars category other culture >/dev/null
check "$($H stars category | grep '^"other"' | cut -d, -f3)" '"culture"' \
    "other mapped to 文化体育之星"
$H stars category other moon 2>"$T/err"
check "$?:$(grep -c 'unknown star moon' "$T/err")" "1:1" "an unknown star refused"

# A log as kiosk k1 uploaded it (this month), confirmed: counted by the
# patrol rule, and the boards and totals go out without `hubctl stars`.
today=$(TZ=Asia/Shanghai date +%Y-%m-%d)
q "INSERT INTO service_logs(device, seq, station, member_no, category,
   minutes, day, note) VALUES('k1', 1, 'st-p', 'Q1', 'patrol', 120,
   '$today', ''), ('k1', 2, 'st-p', 'Q2', 'other', 60, '$today', '')"
$H confirm k1 1
check $? 0 "confirmed"
check "$(q "SELECT points FROM service_logs WHERE seq = 1")" 8 \
    "120 minutes of patrol: 4 units x 2, by the rule"
check "$(q "SELECT count(*) FROM changes WHERE type = 'member_total'
            AND key = 'Q1' AND data LIKE '%\"month_points\":8%'")" 1 \
    "Q1's total sent to the kiosks by the confirmation"
check "$(q "SELECT count(*) FROM published WHERE type = 'star'
            AND key = 'security/month/1'")" 1 "治安维稳之星's board published"
$H confirm k1 2 >/dev/null
check "$(q "SELECT count(*) FROM published WHERE type = 'star'
            AND key LIKE 'culture/month/%'")" 1 "文化体育之星's board too"

# Awards: the year's logs, CSV out, recorded and sent.
q "INSERT INTO service_logs(device, seq, station, member_no, category,
   minutes, day, note, status, points, post) VALUES
   ('k1', 10, 'st-p', 'Q1', 'mediation', 60, '2025-05-01', '', 'confirmed',
    30, 'P-01'),
   ('k1', 11, 'st-p', 'Q2', 'mediation', 60, '2025-05-02', '', 'confirmed',
    20, NULL),
   ('k1', 12, 'st-p', 'Q3', 'mediation', 60, '2025-05-03', '', 'confirmed',
    20, NULL)"
$H awards 2025 --posts 2 --members 1 >"$T/awards.csv" 2>"$T/err"
check $? 0 "awards computed"
check "$(tail -n +2 "$T/awards.csv" | tr '\n' ' ')" \
    '2025,"st-p","post",1,"P-01","P-01",30 2025,"st-p","member",1,"Q1","赵一",30 ' \
    "awards as CSV (a post no longer published is named by its id)"
check "$(q "SELECT count(*) FROM awards WHERE year = 2025")" 2 "awards recorded"
check "$(q "SELECT count(*) FROM changes WHERE type = 'award'")" 2 \
    "awards sent to the kiosks"
$H awards 2025 --members 2 >"$T/awards.csv" 2>/dev/null
check "$(grep -c '"member",2,' "$T/awards.csv")" 2 \
    "a tie for second awarded whole"
$H awards 1999 2>"$T/err"
check "$?:$(grep -c 'YEAR 2000-2200' "$T/err")" "2:1" "a year out of range refused"
$H awards 2025 --prizes 3 2>"$T/err"
check "$?" 2 "an unknown option refused"
echo "1..$n"
