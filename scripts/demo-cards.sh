#!/bin/sh
# Demo cards for `make run`: a throwaway DEMO credential key made now in
# state/hub-cards (never use it for real cards), member cards for the
# whole demo roster (PNGs and a printable sheet in state/demo-cards/), a
# registration slip and a technician card, and the hub's change page
# applied to the kiosk's store as the sync worker would. Prints the card
# texts to paste into the text session. Run after `kioskctl load-demo`.
#   usage: scripts/demo-cards.sh [CONFIG]   (default assets/demo/station.ini)
set -eu
cd "$(dirname "$0")/.."
conf=${1:-assets/demo/station.ini}
out=state/demo-cards
card="build/cardctl --dir state/hub-cards"
mkdir -p "$out"
$card init >/dev/null
$card roster assets/demo/roster.csv "$out" >/dev/null
$card issue R HQ0002 sq-hongqi-01 --days 30 >"$out/slip-HQ0002.txt"
$card issue T tech-1 '*' --days 30 >"$out/tech-1.txt"
$card page >"$out/page.json"
build/kioskctl --config "$conf" apply "$out/page.json" >/dev/null
grep '^HQ0001 ' "$out/cards.txt" | cut -d' ' -f2 >"$out/member-HQ0001.txt"
echo "Demo cards (DEMO key, state/hub-cards) in $out/: sheet.html to print;"
echo "  member card HQ0001:   scan $(cat "$out/member-HQ0001.txt")"
echo "  registration HQ0002:  scan $(cat "$out/slip-HQ0002.txt")"
echo "  technician tech-1:    scan $(cat "$out/tech-1.txt")"
