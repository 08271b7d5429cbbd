#!/bin/sh
# A damaged kiosk.db as a technician meets it through kioskctl: while
# another process has the file open, kioskctl refuses and says to restart
# the kiosk (nothing moved); alone, it keeps the damaged file, salvages
# every unsent event still readable, and `kioskctl status` says so until
# `kioskctl salvage-ack`. Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/db_damage_kiosk.XXXXXX)
HUB=""
. tests/support/tap.sh
S="$T/state"
DB="$S/kiosk.db"
K="$B/kioskctl --set kiosk.state_dir=$S --set update.root=$T/app
   --set update.factory=$T/factory"

$K load-demo assets/demo >/dev/null
check $? 0 "demo loaded"
# 400 events, 100 of them acknowledged by the hub.
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1
  FROM n WHERE i < 400) INSERT INTO events(kind, member_no, wall_ms,
  clock_trusted, boot_id, mono_ms, data) SELECT 1, 'HQ0001',
  1700000000000 + i, 1, 'b', i, '{\"pad\":\"' || hex(randomblob(300))
  || '\"}' FROM n; INSERT OR REPLACE INTO meta VALUES('acked_seq', '100')"
$K status >"$T/st.txt"
check "$?:$(grep -c '^salvage' "$T/st.txt")" "0:0" "sound: status 0, no salvage"

ps=$(sqlite3 "$DB" "PRAGMA page_size")
for p in $(sqlite3 "$DB" "SELECT pageno FROM dbstat WHERE name = 'events'
           AND pagetype = 'leaf' ORDER BY pageno LIMIT 3 OFFSET 60"); do
    head -c "$ps" /dev/zero | tr '\0' 'X' |
        dd of="$DB" bs="$ps" seek=$((p - 1)) conv=notrunc 2>/dev/null
done
readable=0
i=101
while [ $i -le 400 ]; do
    [ "$(sqlite3 -readonly "$DB" "SELECT count(*) FROM events
         WHERE seq = $i" 2>/dev/null)" = 1 ] && readable=$((readable + 1))
    i=$((i + 1))
done
[ "$readable" -gt 0 ] && [ "$readable" -lt 300 ]
check $? 0 "damage hit some unsent events ($readable of 300 readable)"

# Another process has the file open (a running kiosk): refused, untouched.
sh -c 'exec 3<"$1"; exec sleep 30' sh "$DB" &
holder=$!
i=0
while [ ! -e "/proc/$holder/fd/3" ] && [ $i -lt 100 ]; do
    sleep 0.05; i=$((i + 1)); done
$K status >/dev/null 2>"$T/err.txt"
check "$?" 2 "damaged and held by another process: refused"
grep -q "is damaged and .* has it open: restart the kiosk" "$T/err.txt"
check $? 0 "and says to restart the kiosk ($(head -c 100 "$T/err.txt"))"
check "$(ls "$S" | grep -c damaged)" 0 "nothing moved"
kill "$holder"
wait "$holder" 2>/dev/null

$K status >"$T/st.txt" 2>"$T/err.txt"
check $? 0 "alone: salvaged, status 0"
kept=$(ls "$S" | grep 'kiosk.db.damaged-.*Z$')
check "$(ls "$S" | grep -c 'kiosk.db.damaged-.*Z$')" 1 "the damaged file kept ($kept)"
grep -q "^salvage: database was damaged on .*: kept as $S/$kept, $readable unsent events salvaged, $((300 - readable)) unreadable" "$T/st.txt"
check $? 0 "status says what was salvaged ($(grep '^salvage' "$T/st.txt" | head -c 160))"
check "$(grep '^queue' "$T/st.txt")" "queue: 300" "all 300 numbers queued for the hub"
check "$(grep '^acknowledged' "$T/st.txt")" "acknowledged: 100" \
    "the acked mark kept"
check "$(sqlite3 "$DB" "SELECT count(*) FROM notices")" 0 \
    "hub state dropped, to be pulled again"
check "$(sqlite3 "$DB" "SELECT count(*) FROM meta
         WHERE key = 'changes_cursor'")" 0 "the change cursor reset"
$K salvage-ack >/dev/null
check $? 0 "salvage-ack"
$K status >"$T/st.txt"
check "$?:$(grep -c '^salvage' "$T/st.txt")" "0:0" \
    "acknowledged: status no longer shows it"
check "$(ls "$S" | grep -c 'damaged-.*Z$')" 1 "the damaged file stays"
