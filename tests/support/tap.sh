# tests/support/tap.sh - TAP helpers for the scripted tests, sourced after
# they set T (their temp dir) and HUB (a hubd pid to stop, or empty):
# ok/bad print one TAP line; check ACTUAL WANT NAME compares; on exit the
# hub is stopped and T removed (KEEP=1 keeps it for a look).
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else bad "$3 (got '$1', want '$2')"; fi; }
cleanup() {
    [ -n "$HUB" ] && kill "$HUB" 2>/dev/null && wait "$HUB" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
# csv_fields: the hub's CSV on stdin (every text cell quoted, base/csv.h)
# read back with a real CSV reader and printed with the quotes undone,
# fields joined by "|", for comparing columns.
csv_fields() {
    python3 -c 'import csv, sys
for r in csv.reader(sys.stdin):
    print("|".join(r))'
}
