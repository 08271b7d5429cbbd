#!/bin/sh
# A damaged hub.db is never half-read (the trust finding's scenario):
# 353 events stored, pages of the events table overwritten. `hubctl
# events` must fail with an error instead of listing the readable subset,
# and hubd must refuse to start, naming the file and SQLite's first
# problem. Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/db_damage_hub.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"
DB="$T/hub/hub.db"

$H init >/dev/null
$H add-station st-1 "Station" >/dev/null
# 353 events of one device, each big enough that they span many pages.
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1
  FROM n WHERE i < 353) INSERT INTO events(device, seq, station, kind,
  member_no, wall_ms, clock_trusted, event_ms, corrected, data,
  received_ms) SELECT 'dev-1', i, 'st-1', 'check_in', 'HQ0001',
  1700000000000 + i, 1, 1700000000000 + i, 0,
  '{\"pad\":\"' || hex(randomblob(200)) || '\"}', 1700000000000 FROM n"
$H events dev-1 >"$T/all.csv"
check "$?:$(($(wc -l <"$T/all.csv") - 1))" "0:353" \
    "sound database: all 353 events listed"

# Overwrite a run of the events table's leaf pages (not its first), so
# the scan meets damage after some rows have been read.
ps=$(sqlite3 "$DB" "PRAGMA page_size")
pages=$(sqlite3 "$DB" "SELECT pageno FROM dbstat WHERE name = 'events'
  AND pagetype = 'leaf' ORDER BY pageno LIMIT 6 OFFSET 4")
check "$(echo "$pages" | wc -w)" 6 "found the events table's pages"
for p in $pages; do
    head -c "$ps" /dev/zero | tr '\0' 'X' |
        dd of="$DB" bs="$ps" seek=$((p - 1)) conv=notrunc 2>/dev/null
done

$H events dev-1 >"$T/some.csv" 2>"$T/err.txt"
rc=$?
check "$rc" 1 "hubctl events on damaged pages exits non-zero"
grep -q "events: corrupt data; the output above is incomplete" "$T/err.txt"
check $? 0 "and says the listing is incomplete ($(head -c 80 "$T/err.txt"))"

# hubd refuses to start: the file named, the first problem quoted.
timeout 30 "$B/hubd" -d "$T/hub" --port 0 --quiet 2>"$T/hubd.txt"
check $? 1 "hubd refuses a damaged hub.db"
grep -q "$DB failed its check (.*); not starting" "$T/hubd.txt"
check $? 0 "naming the file and the problem ($(head -c 120 "$T/hubd.txt"))"
