#!/bin/sh
# 呼叫工作人员 end to end: the real kiosk program, headless, taps the
# button on home; the call is stored as an event, uploaded by kioskctl
# sync to a real hubd over mutual TLS, and listed by `hubctl calls` with
# station, device and local time; a second tap within a minute pages
# nobody twice. Usage: $0 BUILD_DIR; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/call_staff.XXXXXX)
HUB=""
. tests/support/tap.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"

$H init >/dev/null && $H add-station sq-hongqi-01 "红旗社区党群服务站" &&
    $H import assets/demo/roster.csv >/dev/null
check $? 0 "hub ready"
"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
mkdir -p "$T/k" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
# enrol writes the ids into the config file: a copy of the demo's.
sed "s|^assets_dir *=.*|assets_dir = $(pwd)/assets|" assets/demo/station.ini \
    >"$T/station.ini"
set -- --config "$T/station.ini" --set "kiosk.state_dir=$T/k" \
    --set hub.host=127.0.0.1 --set "hub.port=$PORT" \
    --set station.id=sq-hongqi-01 --set kiosk.device_id=kiosk-7 \
    --set "update.root=$T/app" --set "update.factory=$T/factory"
"$B/kioskctl" "$@" enrol "$($H enrol-code sq-hongqi-01 kiosk-7)" >/dev/null
check $? 0 "kiosk enrolled"

cat >"$T/call.txt" <<'SCRIPT'
expect screen home
tap call
expect screen help
expect text 已通知工作人员
tap home
tap call
expect text 刚才已经呼叫过
SCRIPT
"$B/kiosk" "$@" --script "$T/call.txt" --shots "$T/shots" \
    >"$T/kiosk.log" 2>&1
check $? 0 "the kiosk confirms the call, and a second tap pages nobody"
"$B/kioskctl" "$@" sync >/dev/null 2>&1
check $? 0 "kioskctl sync uploads it"
calls=$($H calls | csv_fields)
check "$(echo "$calls" | head -1)" "at|local_time|station|device|screen|seq" \
    "hubctl calls: header"
check "$(echo "$calls" | tail -n +2 | wc -l)" 1 "one call recorded at the hub"
check "$(echo "$calls" | tail -1 | cut -d'|' -f3-5)" \
    "sq-hongqi-01|kiosk-7|home" "station, device and screen"
check "$(echo "$calls" | tail -1 | cut -d'|' -f2 | grep -c '^20[0-9-]* [0-9:]*$')" 1 \
    "with its local time"
check "$($H events kiosk-7 | grep -c call_staff)" 1 \
    "hubctl events shows it as call_staff"
check "$($H refused | tail -n +2 | wc -l)" 0 "nothing refused"
echo "1..$n"
