#!/bin/sh
# 来访登记 end to end: the real kiosk program, headless, with a simulated
# printer. HQ0021 holds the scripted day's shift (2026-11-23): checked in
# with the member card, he opens the visitor log from the duty roster,
# logs a visitor whose matter is passed on (转办), and the receipt is
# printed; HQ0001, on no shift, is refused with the reason. kioskctl sync
# uploads to a real hubd over mutual TLS: the ticket is in `hubctl ledger
# list`, the visitor in `hubctl desk-log`, and the shift credited as a
# duty_desk service log in `hubctl pending`; the receipt's bytes are
# rendered as the printer would and checked. Usage: $0 BUILD_DIR; TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/desk.XXXXXX)
HUB=""
. tests/support/tap.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"

$H init >/dev/null && $H add-station sq-hongqi-01 "红旗社区党群服务站" &&
    $H import assets/demo/roster.csv >/dev/null &&
    $H ledger types assets/demo/ledger_types.json >/dev/null &&
    $H publish contacts assets/demo/contacts.json >/dev/null &&
    $H card init >/dev/null
check $? 0 "hub ready: roster, ledger types, contacts, card key"
duty=$($H card issue M HQ0021 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)
other=$($H card issue M HQ0001 sq-hongqi-01 --from 2026-11-01 --to 2027-10-31)
"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
mkdir -p "$T/k" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
sed "s|^assets_dir *=.*|assets_dir = $(pwd)/assets|" assets/demo/station.ini \
    >"$T/station.ini"
set -- --config "$T/station.ini" --set "kiosk.state_dir=$T/k" \
    --set hub.host=127.0.0.1 --set "hub.port=$PORT" \
    --set station.id=sq-hongqi-01 --set kiosk.device_id=kiosk-7 \
    --set "update.root=$T/app" --set "update.factory=$T/factory" \
    --set kiosk.voice=false --set "board.printer=$T/printer.bin"
"$B/kioskctl" "$@" enrol "$($H enrol-code sq-hongqi-01 kiosk-7)" \
    >/dev/null && "$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "kiosk enrolled and synced"
# The hub publishes shifts by days from its own today; the script's clock
# is fixed at 2026-11-23 09:30, so that day's shift arrives as the hub's
# change page would carry it.
cat >"$T/shift.json" <<'PAGE'
{"cursor":"","more":false,"hub_time_ms":0,"changes":[{"type":"shift","op":"put","key":"2026-11-23/上午/HQ0021",
 "data":{"day":"2026-11-23","shift":"上午 09:00-12:00",
 "member_no":"HQ0021","name":"吴国栋","phone_masked":"138****0021"}}]}
PAGE
"$B/kioskctl" "$@" apply "$T/shift.json" >/dev/null 2>&1
check $? 0 "the scripted day's shift applied"

cat >"$T/desk.txt" <<SCRIPT
expect screen home
tap boards
tap board.1
tap desk
expect screen desk
expect text 值班党员请刷党员卡
scan $other
expect text 不是今天的值班党员
screenshot refused
tap done
tap desk
scan $duty
expect text 还没有签到
tap done
tap back
tap back
scan $duty
expect text 签到成功
wait 6000
tap boards
tap board.1
tap desk
scan $duty
expect text 来访人反映什么事项
expect text 值班：吴国栋
tap type.1
tap bldg.0
tap unit.1
tap note.0
expect text 办理结果
tap out.1
expect text 请核对来访登记
tap submit
expect text 已登记并转办
expect text 回执已打印
screenshot passed_on
tap again
expect text 来访人反映什么事项
tap type.5
tap bldg.0
tap unit.0
tap note.0
tap out.2
tap note.1
tap submit
expect text 不能办理的理由已写在回执上
tap done
tap back
tap back
expect screen home
wait 1800000
scan $duty
expect text 签退成功
SCRIPT
mkdir -p "$T/shots"
"$B/kiosk" "$@" --script "$T/desk.txt" --shots "$T/shots" \
    >"$T/kiosk.log" 2>&1
check $? 0 "the duty member logs two visitors; the other member is refused"
if [ -n "$(sed -n '/^not ok/p' "$T/kiosk.log")" ] || [ ! -s "$T/printer.bin" ]; then
    sed -n 1,40p "$T/kiosk.log" >&2
fi

"$B/tests/escpos_dump" "$T/printer.bin" 384 "$T/receipt.png" >"$T/receipt.txt"
check $? 0 "the printed bytes render as a 58 mm printer reads them"
check "$(grep -c '来访登记回执' "$T/receipt.txt")" 2 "two receipts, titled"
check "$(grep -c '^cuts: 2$' "$T/receipt.txt")" 1 "each cut off"
ticket=$(sed -n 's/^qr: //p' "$T/receipt.txt")
check "$(echo "$ticket" | grep -c '^[A-Z0-9]*-[0-9]*-[0-9]\{4\}$')" 1 \
    "the QR code is the ticket passed on ($ticket)"
check "$(grep -c '吴国栋' "$T/receipt.txt")" 2 "the member on duty"
check "$(grep -c '转办' "$T/receipt.txt")" 1 "the outcome 转办"
check "$(grep -c '查询密码' "$T/receipt.txt")" 1 "the PIN's line"
check "$(grep -c '不能办理的理由' "$T/receipt.txt")" 1 "the reason's line"
check "$(grep -c '010-6500 1234' "$T/receipt.txt")" 2 "the station's phone"

"$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "kioskctl sync uploads"
check "$($H ledger list --station sq-hongqi-01 | grep -c "^\"$ticket\",\"sq-hongqi-01\",\"request\",\"repair\"")" 1 \
    "the ticket is in the hub's ledger"
log=$($H desk-log --station sq-hongqi-01 --day 2026-11-23 | csv_fields)
check "$(echo "$log" | head -1)" \
    "station|day|time|member_no|name|type|building|unit|text|outcome|reason|ticket" \
    "hubctl desk-log: header"
check "$(echo "$log" | tail -n +2 | cut -d'|' -f1,2,4,5,6,10,12)" \
"sq-hongqi-01|2026-11-23|HQ0021|吴国栋|repair|passed_on|$ticket
sq-hongqi-01|2026-11-23|HQ0021|吴国栋|policy|cannot|" \
    "both visitors, with outcome and ticket"
check "$($H desk-log --day 2026-11-22 | wc -l)" 1 "another day: none"
$H desk-log --day 23/11/2026 2>"$T/err"
check "$?" 2 "a malformed day is refused"
check "$(cat "$T/err")" "not a day: 23/11/2026 (YYYY-MM-DD)" "with the reason"
check "$($H pending | grep -c '"HQ0021","吴国栋","值班接待",30,"2026-11-23"')" 1 \
    "the shift credited as a pending duty_desk log"
check "$($H refused | tail -n +2 | wc -l)" 0 "nothing refused"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check "$($H desk-log --day 2026-11-23 | tail -n +2 | wc -l)" 2 \
    "a second sync doubles nothing"
echo "1..$n"
