#!/bin/sh
# Demo cards for `make run`, signed by a throwaway DEMO credential key
# made now (never use it for real cards). Run from scripts/run-demo.sh
# once the demo hub and kiosk are up:
#   scripts/demo-cards.sh HUB_DIR KIOSK_CONFIG OUT_DIR
# With a hub (HUB_DIR/hub.db): `hubctl card` makes the key (published in
# the hub's change feed), cards for the demo roster, a 报到 slip and a
# technician card, and the kiosk syncs. Without one: `hubctl card --dir`
# HUB_DIR/cards and `kioskctl apply` of its change page. OUT_DIR gets a
# PNG per member, sheet.html and cards.txt; the texts to paste after
# `scan` are printed.
set -eu
cd "$(dirname "$0")/.."
hub=$1
conf=$2
out=$3
mkdir -p "$out"
if [ -f "$hub/hub.db" ]; then
    card="build/hubctl -d $hub card"
else
    mkdir -p "$hub"
    card="build/hubctl card --dir $hub/cards"
fi
$card init >/dev/null
$card roster assets/demo/roster.csv "$out" >/dev/null
$card issue R HQ0002 sq-hongqi-01 --days 30 >"$out/slip-HQ0002.txt"
$card issue T tech-1 '*' --days 30 >"$out/tech-1.txt"
grep '^HQ0001 ' "$out/cards.txt" | cut -d' ' -f2 >"$out/member-HQ0001.txt"
if [ -f "$hub/hub.db" ]; then
    build/kioskctl --config "$conf" sync >/dev/null
else
    $card page >"$out/page.json"
    build/kioskctl --config "$conf" apply "$out/page.json" >/dev/null
fi
echo "Demo cards (DEMO key) in $out/ (sheet.html to print). Paste:"
echo "  member card HQ0001:  scan $(cat "$out/member-HQ0001.txt")"
echo "  报到 slip HQ0002:     scan $(cat "$out/slip-HQ0002.txt")"
echo "  technician tech-1:   scan $(cat "$out/tech-1.txt")"
