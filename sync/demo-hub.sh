#!/bin/sh
# sync/demo-hub.sh BUILD HUB_DIR STATE_DIR [PORT [CONSOLE_PORT]]
# For `make run`: start a hub on 127.0.0.1 with the demo data and enrol
# the demo kiosk (kiosk-hongqi-01 of sq-hongqi-01) with it over TLS, then
# run one sync so the kiosk starts with the hub's roster and boards.
# The web console listens on CONSOLE_PORT (default 8444), with the demo
# station placed in a district/street/community and two accounts: the
# community secretary hongqi and an administrator admin (docs/console.md).
# hubd keeps running in the background; its pid is in HUB_DIR/hubd.pid
# and its log in HUB_DIR/hubd.log. Run from the top of the tree.
set -eu
B=$1
H=$2
S=$3
PORT=${4:-8443}
CONSOLE_PORT=${5:-8444}
station=sq-hongqi-01
device=kiosk-hongqi-01

if [ ! -f "$H/hub.db" ]; then
    "$B/hubctl" -d "$H" init >/dev/null
    "$B/hubctl" -d "$H" add-station "$station" "红旗社区党群服务站"
    # 双报到: the work units first, then the roster that names them.
    tail -n +2 assets/demo/work_units.csv |
        while IFS=, read -r code name paired; do
            "$B/hubctl" -d "$H" unit add "$code" "$name" \
                --paired-community "$paired" >/dev/null
        done
    "$B/hubctl" -d "$H" import assets/demo/roster_units.csv >/dev/null
    "$B/hubctl" -d "$H" publish-all assets/demo --station "$station" \
        >/dev/null
    "$B/hubctl" -d "$H" ledger types assets/demo/ledger_types.json >/dev/null
    "$B/hubctl" -d "$H" org add district qu-chengguan "城关区"
    "$B/hubctl" -d "$H" org add street jd-xinhua "新华街道" \
        --parent qu-chengguan
    "$B/hubctl" -d "$H" org add community sq-hongqi "红旗社区" \
        --parent jd-xinhua
    "$B/hubctl" -d "$H" station place "$station" sq-hongqi
    echo 'hongqi-demo-2026' |
        "$B/hubctl" -d "$H" user add hongqi --role community --scope sq-hongqi
    echo 'admin-demo-2026' | "$B/hubctl" -d "$H" user add admin --role admin
fi
"$B/hubd" -d "$H" --host 127.0.0.1 --port "$PORT" \
    --console-port "$CONSOLE_PORT" 2>>"$H/hubd.log" &
echo $! >"$H/hubd.pid"

mkdir -p "$S"
chmod 700 "$S"
cp "$H/ca.crt" "$S/hub-ca.crt"
K="$B/kioskctl --set kiosk.state_dir=$S --set hub.host=127.0.0.1
   --set hub.port=$PORT --set station.id=$station --set kiosk.device_id=$device"
tries=0
until $K show >/dev/null 2>&1 && [ -s "$H/hubd.log" ]; do
    tries=$((tries + 1))
    [ $tries -gt 50 ] && { echo "demo-hub: hubd did not start" >&2; exit 1; }
    sleep 0.1
done
if [ ! -f "$S/kiosk.crt" ]; then
    code=$("$B/hubctl" -d "$H" enrol-code "$station" "$device")
    $K enrol "$code"
fi
$K sync
