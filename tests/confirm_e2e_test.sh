#!/bin/sh
# 服务确认 end to end through a real hubd and the kiosk program's script
# mode (two kiosks of one station, enrolled with one-time codes): a
# resident files a small wish at kiosk 2 (its PIN read off the printed
# receipt); staff accept it; a member claims it at kiosk 1 with his card
# and logs an hour of service for it; kiosk 2 learns what the resident may
# confirm; the resident opens the wish with its PIN and answers 属实 /
# 满意; the hub shows the log confirmed with method kiosk_pin by
# "resident", and the member's My record at kiosk 1 says so
# (screenshot). A second log, rejected by staff with a reason, shows that
# reason on My record. Given the build tree as $1; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/confirm-e2e.XXXXXX)
HUB=""
. tests/support/tap.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"
# A copy: enrolling writes the kiosk's ids into its configuration file.
conf=$T/station.ini
cp assets/demo/station.ini "$conf"

$H init >/dev/null 2>&1
$H add-station sq-hongqi-01 "红旗社区党群服务站" >/dev/null
$H import assets/demo/roster.csv >/dev/null 2>&1
$H ledger types assets/demo/ledger_types.json >/dev/null
$H publish-all assets/demo --station sq-hongqi-01 >/dev/null 2>&1
"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")

# A member card for HQ0003 signed by the hub's card office.
cards="$H card"
$cards init >/dev/null 2>&1
card=$($cards issue M HQ0003 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)

# kctl N ARGS: kioskctl of kiosk N; kiosk N ARGS: its kiosk program.
sets() {
    echo "--set kiosk.state_dir=$T/k$1 --set hub.host=127.0.0.1"
    echo "--set hub.port=$PORT --set station.id=sq-hongqi-01"
    echo "--set kiosk.device_id=kiosk-$1 --set kiosk.ticket_device=$1"
    echo "--set station.ticket_prefix=HQ01 --set station.member_prefix=HQ"
}
kctl() { k=$1; shift; "$B/kioskctl" --config "$conf" $(sets "$k") "$@"; }
kiosk() {
    k=$1; shift
    "$B/kiosk" --config "$conf" $(sets "$k") --set kiosk.board=sim \
        --set "board.printer=$T/printer$k.bin" "$@"
}
for k in 1 2; do
    mkdir -p "$T/k$k" && cp "$T/hub/ca.crt" "$T/k$k/hub-ca.crt"
    kctl $k enrol "$($H enrol-code sq-hongqi-01 kiosk-$k)" >/dev/null 2>&1
    kctl $k sync >/dev/null 2>&1
done
check "$(kctl 1 show | sed -n 's/.*members=\([0-9]*\).*/\1/p')" 60 \
    "both kiosks enrolled and synced"

# 1. A resident's wish at kiosk 2, in English, its receipt printed.
printf '%s\n' "expect screen home" "tap lang" "tap wish" "tap new" \
    "tap type.0" "tap bldg.0" "tap unit.1" "tap note.0" "tap skip" \
    "tap submit" "expect screen request" >"$T/wish.txt"
kiosk 2 --script "$T/wish.txt" >"$T/k2.log" 2>&1
check $? 0 "kiosk 2: a resident files a wish"
ticket=$(grep -ao 'HQ01-2-[0-9]\{4\}' "$T/printer2.bin" | head -1)
pin=$(tr -c '0-9A-Za-z' ' ' <"$T/printer2.bin" | grep -o 'PIN *[0-9]\{4\}' |
      head -1 | grep -o '[0-9]\{4\}')
check "$(echo "$ticket" | cut -c1-7):${#pin}" "HQ01-2-:4" \
    "the receipt carries the ticket and its PIN"
kctl 2 sync >/dev/null 2>&1
$H ledger accept "$ticket" --by 李主任 >/dev/null
check $? 0 "staff accept the wish"
kctl 1 sync >/dev/null 2>&1

# 2. The member claims it with his card and logs an hour for it.
printf '%s\n' "expect screen home" "tap wish" "tap wish.0" "scan $card" \
    "tap done" "tap back" "tap record" "scan $card" "expect screen record" \
    "tap logsvc" "tap cat.3" "tap day.0" "tap dur.1" "tap note.0" \
    "expect text 微心愿" "tap served.2" "expect text 服务对象：微心愿" \
    "tap submit" "tap done" "expect text 等待居民确认" >"$T/log.txt"
kiosk 1 --script "$T/log.txt" >"$T/k1.log" 2>&1
check $? 0 "kiosk 1: the member claims the wish and logs service for it"
kctl 1 sync >/dev/null 2>&1
row=$($H logs | grep '"HQ0003"')
check "$(echo "$row" | cut -d, -f9,16 | tr -d '"')" "pending,$ticket" \
    "the hub holds the log, pending, naming the wish"
seq=$(echo "$row" | cut -d, -f3)
kctl 2 sync >/dev/null 2>&1
check "$(sqlite3 "$T/k2/kiosk.db" "SELECT ticket || ':' || minutes
    FROM service_awaiting")" "$ticket:60" \
    "kiosk 2 learnt what the resident may confirm"

# 3. The resident confirms at kiosk 2 with the PIN.
digits=$(echo "$ticket" | sed 's/^HQ01-//; s/-//')
{
    echo "expect screen home"; echo "tap request"; echo "tap status"
    echo "$digits" | sed 's/./tap key.&\n/g' | sed '/^$/d'
    echo "tap key.ok"; echo "tap pin"
    echo "$pin" | sed 's/./tap key.&\n/g' | sed '/^$/d'
    echo "expect screen served"; echo "expect text 是否属实"
    echo "tap yes"; echo "tap rate.0"; echo "expect text 感谢您的确认"
    echo "tap done"; echo "expect screen ticket"
} >"$T/confirm.txt"
kiosk 2 --script "$T/confirm.txt" --shots "$T" >>"$T/k2.log" 2>&1
check $? 0 "kiosk 2: the resident answers 属实, 满意, with the PIN"
kctl 2 sync >/dev/null 2>&1
check "$($H logs | grep '"HQ0003"' | cut -d, -f9-13 | tr -d '"')" \
    "confirmed,2,kiosk_pin,satisfied,resident" \
    "the hub: confirmed by the resident at the kiosk, with the rating"

# 4. The member's My record at kiosk 1.
kctl 1 sync >/dev/null 2>&1
printf '%s\n' "expect screen home" "tap record" "scan $card" \
    "expect text 已确认（居民在终端确认，满意），2分" \
    "screenshot record_confirmed" >"$T/rec.txt"
kiosk 1 --script "$T/rec.txt" --shots "$T" >>"$T/k1.log" 2>&1
check $? 0 "My record at kiosk 1 shows it confirmed, and how"
check "$(head -c 4 "$T/record_confirmed.png" | tail -c 3)" PNG \
    "the screenshot is written"

# 5. A log staff reject with a reason: the reason on My record.
printf '%s\n' "expect screen home" "tap record" "scan $card" "tap logsvc" \
    "tap cat.0" "tap day.0" "tap dur.2" "tap note.0" "tap served.0" \
    "tap submit" "tap done" >"$T/log2.txt"
kiosk 1 --script "$T/log2.txt" >>"$T/k1.log" 2>&1
kctl 1 sync >/dev/null 2>&1
s2=$($H pending | grep '"HQ0003"' | cut -d, -f2)
$H reject kiosk-1 "$s2" 2>/dev/null
check $? 2 "a rejection without a reason is refused"
$H reject kiosk-1 "$s2" --reason "当天未在岗"
check $? 0 "staff reject it with a reason"
kctl 1 sync >/dev/null 2>&1
printf '%s\n' "expect screen home" "tap record" "scan $card" \
    "expect text 未通过：当天未在岗" "screenshot record_rejected" >"$T/rej.txt"
kiosk 1 --script "$T/rej.txt" --shots "$T" >>"$T/k1.log" 2>&1
check $? 0 "My record at kiosk 1 shows the rejection's reason"
[ "${n:-0}" -gt 0 ] && [ -n "${KEEP:-}" ] && echo "# kept $T"
grep -h 'ERROR\|script line' "$T/k1.log" "$T/k2.log" 2>/dev/null |
    head -5 | sed 's/^/# /'
echo "1..$n"
