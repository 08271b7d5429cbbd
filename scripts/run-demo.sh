#!/bin/sh
# `make run`: the demo station with its hub. Starts hubd on 127.0.0.1:8443
# with the demo data (assets/demo), enrols the demo kiosk with it over TLS,
# then starts the kiosk, which syncs with the hub (and the web console on
# 127.0.0.1:8444, docs/console.md); the hub stops when the
# kiosk does. Everything lives in demo/ (hub) and demo/state (kiosk).
set -eu
cd "$(dirname "$0")/.."
PORT=${PORT:-8443}
CONSOLE_PORT=${CONSOLE_PORT:-8444}
rm -rf demo
mkdir -p demo
sh sync/demo-hub.sh build demo/hub demo/state "$PORT" "$CONSOLE_PORT"
trap 'kill "$(cat demo/hub/hubd.pid)" 2>/dev/null || true' EXIT INT TERM
sed -e "s/^host *=.*/host = 127.0.0.1/" -e "s/^port *=.*/port = $PORT/" \
    -e "s|^state_dir *=.*|state_dir = demo/state|" \
    assets/demo/station.ini >demo/station.ini
sh scripts/demo-cards.sh demo/hub demo/station.ini demo/cards
cat <<TEXT
Hub on 127.0.0.1:$PORT (log: demo/hub/hubd.log). Administer it with:
  build/hubctl -d demo/hub pending                 service logs to confirm
  build/hubctl -d demo/hub confirm kiosk-hongqi-01 SEQ [--method phone]
  build/hubctl -d demo/hub reject kiosk-hongqi-01 SEQ --reason 原因
  build/hubctl -d demo/hub fleet                   kiosks, versions, queues
  build/hubctl -d demo/hub report members          minutes per member (CSV)
Web console: https://127.0.0.1:$CONSOLE_PORT/ (the hub's own certificate:
accept it, or trust demo/hub/ca.crt). Accounts:
  hongqi / hongqi-demo-2026   红旗社区 secretary (sees its station only)
  admin  / admin-demo-2026    administrator (accounts, everything)
TEXT
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "${KIOSK_TEXT:-}" = 1 ]; then
    echo "No display: the kiosk's text session. scan CARD (a card printed"
    echo "above), scan HQ0002, log HQ0001 patrol 60, record HQ0001, sync, quit"
    build/kioskctl --config demo/station.ini shell
else
    cat <<TEXT
The kiosk opens in a window (1024x600). Scan by typing a card's text (or a
member number such as HQ0002) and Enter in the window, or from a shell:
  echo 'CARD TEXT' > demo/state/scan.fifo     echo 'tap X Y' > demo/state/scan.fifo
Technician mode: tap the station name five times, PIN 1234.
TEXT
    build/kiosk --config demo/station.ini --set board.scanner=demo/state/scan.fifo
fi
