#!/bin/sh
# 双报到 end to end: the hub's work units (hubctl unit), the roster with
# its unit and kind columns by header name (old five-column file too),
# refusals named by line and column with nothing imported; then a real
# hubd over mutual TLS and the kiosk program in script mode: a member
# registers with their member card (到社区报到), sees 报到成功 with their
# unit, a second time 已报到 with the date; `hubctl report registration`
# shows the community's and the unit's rate change after the sync. A
# member card of another station is refused while the hub setting
# cross_station_registration is off, registers when it is on, and the
# hub checks again (a kiosk that has not heard the setting went off).
# Usage: $0 BUILD_DIR; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/registration.XXXXXX)
HUB=""
. tests/support/tap.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"

$H init >/dev/null && $H add-station sq-hongqi-01 "红旗社区党群服务站" &&
    $H add-station sq-lvyuan-02 "绿园社区党群服务站"
check $? 0 "hub with two stations"

# ---- work units -----------------------------------------------------------
$H unit add edu "区教育局" --paired-community "红旗社区" >/dev/null &&
    $H unit add hosp "区人民医院" >/dev/null
check $? 0 "hubctl unit add"
$H unit add "bad code" "名字" 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" "1:a unit code is 1-31 of A-Z a-z 0-9 . _ -" \
    "a bad unit code refused"
$H unit add x "=HYPERLINK(1)" 2>/dev/null
check $? 1 "a formula-like unit name refused"
check "$($H unit list | csv_fields | tr '\n' ' ')" \
    "code|name|paired_community|active_members edu|区教育局|红旗社区|0 hosp|区人民医院||0 " \
    "hubctl unit list"

# ---- roster ---------------------------------------------------------------
# The old five-column file, as every roster so far: accepted unchanged.
{
    echo 'member_no,name,phone,community,station'
    echo 'HQ0001,吴桂芳,13800000001,红旗社区,sq-hongqi-01'
    echo 'HQ0002,王丽华,13800000002,红旗社区,sq-hongqi-01'
} >"$T/old.csv"
$H import "$T/old.csv" >/dev/null
check $? 0 "the old five-column roster imported"
check "$(sqlite3 "$T/hub/hub.db" "SELECT group_concat(member_no || '/' ||
    work_unit || '/' || reg_kind, ' ') FROM members")" "HQ0001// HQ0002//" \
    "members without unit or kind"

# A spreadsheet's export: BOM, CRLF, Chinese headers in another order,
# quoted, and the Chinese kinds.
printf '\357\273\277"报到类型","单位","党员编号","姓名","手机号","社区","服务站"\r\n' >"$T/new.csv"
printf '居住地,edu,HQ0001,吴桂芳,13800000001,红旗社区,sq-hongqi-01\r\n' >>"$T/new.csv"
printf '结对共建社区,edu,HQ0002,王丽华,13800000002,红旗社区,sq-hongqi-01\r\n' >>"$T/new.csv"
printf 'residence,hosp,HQ0003,郑丽华,13800000003,红旗社区,sq-hongqi-01\r\n' >>"$T/new.csv"
printf ',,HQ0004,邓凯文,13800000004,红旗社区,sq-hongqi-01\r\n' >>"$T/new.csv"
printf '居住地,hosp,LY0001,李明,13800000011,绿园社区,sq-lvyuan-02\r\n' >>"$T/new.csv"
printf '居住地,hosp,LY0002,赵强,13800000012,绿园社区,sq-lvyuan-02\r\n' >>"$T/new.csv"
$H import "$T/new.csv" >/dev/null
check $? 0 "a roster with 单位 and 报到类型 in another order imported"
check "$(sqlite3 "$T/hub/hub.db" "SELECT group_concat(member_no || '/' ||
    work_unit || '/' || reg_kind, ' ') FROM (SELECT * FROM members
    ORDER BY member_no)")" \
    "HQ0001/edu/residence HQ0002/edu/paired HQ0003/hosp/residence HQ0004// LY0001/hosp/residence LY0002/hosp/residence" \
    "each member's unit and kind stored"
# The old file again keeps the units the hub holds.
$H import "$T/old.csv" --replace-all >/dev/null 2>&1
check "$(sqlite3 "$T/hub/hub.db" "SELECT work_unit || '/' || reg_kind
    FROM members WHERE member_no = 'HQ0002'")" "edu/paired" \
    "a file without the unit columns keeps them"
$H import "$T/new.csv" >/dev/null 2>&1

# Refusals, each named by line and column; nothing imported.
before=$(sqlite3 "$T/hub/hub.db" "SELECT group_concat(member_no || work_unit
    || reg_kind) FROM members")
{
    echo 'member_no,name,phone,community,station,work_unit,reg_kind'
    echo 'HQ0001,吴桂芳,13800000001,红旗社区,sq-hongqi-01,hosp,residence'
    echo 'HQ0002,王丽华,13800000002,红旗社区,sq-hongqi-01,nosuch,residence'
    echo 'HQ0003,郑丽华,13800000003,红旗社区,sq-hongqi-01,edu,lodger'
    echo 'HQ0004,邓凯文,13800000004,红旗社区,sq-hongqi-01,,paired'
} >"$T/bad.csv"
$H import "$T/bad.csv" 2>"$T/err.txt"
check $? 1 "a roster with an unknown unit and a bad kind refused"
check "$(cut -d: -f2- "$T/err.txt" | tr '\n' '|')" \
    "3: column 6 (nosuch): unknown work unit \"nosuch\" (add it with hubctl unit add CODE NAME)|4: column 7 (lodger): reg_kind \"lodger\" must be residence (居住地) or paired (结对共建社区)|5: column 7 (paired): reg_kind paired needs the member's work unit| 3 bad line(s): nothing imported|" \
    "each named by line and column"
check "$(sqlite3 "$T/hub/hub.db" "SELECT group_concat(member_no || work_unit
    || reg_kind) FROM members")" "$before" "nothing of it imported"
{
    echo 'member_no,name,phone,community,station,单位,floor'
    echo 'HQ0001,吴桂芳,13800000001,红旗社区,sq-hongqi-01,hosp,3'
} >"$T/col.csv"
$H import "$T/col.csv" --force 2>"$T/err.txt"
check "$?:$(head -1 "$T/err.txt" | cut -d: -f2-)" \
    "1:1: column 7: unknown column \"floor\" (known: member_no, name, phone, community, station, work_unit/单位, reg_kind/报到类型)" \
    "an unknown column refuses the file, --force or not"
check "$(sqlite3 "$T/hub/hub.db" "SELECT group_concat(member_no || work_unit
    || reg_kind) FROM members")" "$before" "and nothing is imported"
$H unit rm edu 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" \
    "1:unit edu: 2 active member(s) name it on the roster: import a roster without it first" \
    "a unit members name is not removed"

# ---- the kiosk ------------------------------------------------------------
$H card init >/dev/null
card1=$($H card issue M HQ0001 sq-hongqi-01 --from 2026-01-01)
guest=$($H card issue M LY0001 sq-lvyuan-02 --from 2026-01-01)
guest2=$($H card issue M LY0002 sq-lvyuan-02 --from 2026-01-01)
"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
mkdir -p "$T/k" "$T/shots" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
sed "s|^assets_dir *=.*|assets_dir = $(pwd)/assets|" assets/demo/station.ini \
    >"$T/station.ini"
set -- --config "$T/station.ini" --set "kiosk.state_dir=$T/k" \
    --set hub.host=127.0.0.1 --set "hub.port=$PORT" \
    --set station.id=sq-hongqi-01 --set kiosk.device_id=kiosk-7 \
    --set "update.root=$T/app" --set "update.factory=$T/factory"
"$B/kioskctl" "$@" enrol "$($H enrol-code sq-hongqi-01 kiosk-7)" >/dev/null &&
    "$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "kiosk enrolled and synced"
check "$(sqlite3 "$T/k/kiosk.db" "SELECT group_concat(code || '=' || name
    || '/' || paired_community, ' ') FROM work_units")" \
    "edu=区教育局/红旗社区 hosp=区人民医院/" "the kiosk learned the units"
check "$(sqlite3 "$T/k/kiosk.db" "SELECT work_unit || '/' || reg_kind
    FROM members WHERE member_no = 'HQ0002'")" "edu/paired" \
    "and each member's unit and kind"

rate() {   # rate BY GROUP: on_roster|registered|rate of that row
    $H report registration --by "$1" | csv_fields | awk -F'|' -v g="$2" \
        '$2 == g { print $4 "|" $5 "|" $6 }'
}
check "$(rate community 红旗社区)|$(rate unit edu)" "4|0|0.000|2|0|0.000" \
    "before: nobody registered at 红旗社区 nor of 区教育局"

cat >"$T/reg.txt" <<SCRIPT
expect screen home
tap checkin
tap register
expect screen identify
expect text 到社区报到
scan $card1
expect screen result
expect text 报到成功
expect text 感谢您到社区报到服务
expect text 单位：区教育局，居住地报到
screenshot registered
tap done
tap checkin
tap register
scan $card1
expect text 已报到
expect text 您已于2026年11月23日报到，无需重复报到
tap done
tap checkin
tap register
scan $guest
expect text 此卡不属于本服务站
SCRIPT
"$B/kiosk" "$@" --script "$T/reg.txt" --shots "$T/shots" \
    >"$T/kiosk.log" 2>&1
check "$?:$(grep 'script line' "$T/kiosk.log")" "0:" \
    "报到 with the member card; again: 已报到 with the date; another station's card refused"
check "$(sqlite3 "$T/k/kiosk.db" "SELECT data FROM events WHERE kind = 4")" \
    '{"station":"sq-hongqi-01","work_unit":"edu","reg_kind":"residence"}' \
    "one registration stored, with the unit and kind"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check "$(rate community 红旗社区)|$(rate unit edu)" "4|1|0.250|2|1|0.500" \
    "after the sync: the community's and the unit's rate changed"
check "$($H report registration --by unit --from 2026-11-24 | csv_fields |
    awk -F'|' '$2 == "edu" { print $5 }')" 0 "--from after the day: not counted"
check "$($H report registration --by unit --from 2026-11-23 --to 2026-11-23 |
    csv_fields | awk -F'|' '$2 == "edu" { print $5 }')" 1 \
    "--from and --to the day: counted"
check "$($H report unregistered --unit edu | csv_fields | tr '\n' ' ')" \
    "member_no|name|community|station|work_unit|unit_name|reg_kind HQ0002|王丽华|红旗社区|sq-hongqi-01|edu|区教育局|paired " \
    "hubctl report unregistered --unit edu"
check "$($H report unregistered --community 绿园社区 | tail -n +2 | wc -l)" 2 \
    "--community 绿园社区: both not yet registered"
$H report registration --by street 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" "1:--by takes community or unit" \
    "a bad --by refused"

# ---- across stations ------------------------------------------------------
$H setting cross_station_registration 2>&1 | grep -q "off"
check $? 0 "cross_station_registration is off by default"
$H setting cross_station_registration on >/dev/null &&
    "$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "the hub allows registration across stations; the kiosk synced"
cat >"$T/guest.txt" <<SCRIPT
tap checkin
tap register
scan $guest
expect screen result
expect text 报到成功
expect text 其他服务站党员，已记录在本社区
expect text LY0001
SCRIPT
"$B/kiosk" "$@" --script "$T/guest.txt" >"$T/kiosk.log" 2>&1
check "$?:$(grep 'script line' "$T/kiosk.log")" "0:" \
    "a member of another station registers with their card when allowed"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check "$($H refused | tail -n +2 | wc -l)" 0 "the hub took it"
check "$(rate community 绿园社区)" "2|1|0.500" \
    "counted for the member's own community"
# The hub checks again: the setting went off before this kiosk heard.
$H setting cross_station_registration off >/dev/null
cat >"$T/guest2.txt" <<SCRIPT
tap checkin
tap register
scan $guest2
expect text 报到成功
SCRIPT
"$B/kiosk" "$@" --script "$T/guest2.txt" >"$T/kiosk.log" 2>&1
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check "$($H refused | csv_fields | awk -F'|' 'NR > 1 { print $6 "|" $8 }' |
    head -1)" "LY0002|member of another station" \
    "refused by the hub while the setting is off"
check "$(rate community 绿园社区)" "2|1|0.500" "and not counted"
check "$(sqlite3 "$T/k/kiosk.db" "SELECT value FROM meta
    WHERE key = 'hub_setting/cross_station_registration'")" off \
    "the kiosk now follows the setting"
echo "1..$n"
