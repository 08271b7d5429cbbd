#!/bin/sh
# `make run`: the demo station. Loads the demo data into a fresh state
# directory (state/) and starts the kiosk's text session on it.
set -eu
cd "$(dirname "$0")/.."
conf=assets/demo/station.ini
rm -rf state
build/kioskctl --config "$conf" load-demo assets/demo
echo "Try: scan KSK1:M:HQ0001   (a member card)    scan HQ0002 (a typed number)"
echo "     log HQ0001 patrol 60  record HQ0001  status  quit"
exec build/kioskctl --config "$conf" shell
