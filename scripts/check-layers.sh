#!/bin/sh
# check-layers.sh ARCHIVE OBJECT...: refuse to build a layer's archive
# when one of its objects uses what its layer may not (docs/architecture.md).
# The link lines keep calls from running back up a layer; this keeps each
# outside library inside the files named after it:
#   sqlite3_*   the kiosk's store files (firmware/store*) and the hub's
#               SQLite engine (hub/hub_sql_sqlite)
#   PQ*         the hub's PostgreSQL engine (hub/hub_sql_pg)
#   SDL/TTF/IMG ui/ and the simulated board
#   mbedtls_*   files named *_mbedtls (base/sig_mbedtls*, sync/tls_mbedtls,
#               sync/pki_mbedtls)
#   rime, zinnia  the input engines' own files (ui/ime_pinyin, ui/ime_hand)
#   libxlsxwriter the hub's XLSX writer (hub/hub_xlsx)
# and ui/ names no board implementation (board/board_sim.h, board_linux.h):
# what the UI needs of a board goes through board_ops. The web console
# (web/) writes no SQL: it includes neither hub/hub_sql.h nor
# hub/hub_db_int.h, and asks hub/ for everything (docs/console.md).
# Each object's .d file (from -MMD) says which headers it included.
set -u
archive=$1
shift
bad=0

complain() {
    echo "layers: $1" >&2
    bad=1
}

for o in "$@"; do
    src=${o#*/obj/}
    src=${src%.o}.c
    name=$(basename "$src" .c)
    undef=$(nm -u "$o" 2>/dev/null | awk '{print $2}')
    uses() { echo "$undef" | grep -q "^$1"; }

    case "$src" in
    firmware/store*.c | hub/hub_sql_sqlite.c) ;;
    *) uses sqlite3_ && complain "$src calls sqlite3_* (only the store files may)" ;;
    esac
    case "$src" in
    hub/hub_sql_pg.c) ;;
    *) uses PQ && complain "$src calls PQ* (only hub/hub_sql_pg.c may)" ;;
    esac
    case "$src" in
    ui/* | board/board_sim.c) ;;
    *) for p in SDL_ TTF_ IMG_; do
           uses $p && complain "$src calls $p* (only ui/ and the sim board may)"
       done ;;
    esac
    case "$name" in
    *_mbedtls | *_mbedtls_*) ;;
    *) uses mbedtls_ && complain "$src calls mbedtls_* (only the *_mbedtls files may)" ;;
    esac
    case "$src" in
    ui/ime_pinyin.c) ;;
    *) uses rime_get_api && complain "$src calls librime (only ui/ime_pinyin.c may)" ;;
    esac
    case "$src" in
    ui/ime_hand.c) ;;
    *) uses zinnia_ && complain "$src calls zinnia_* (only ui/ime_hand.c may)" ;;
    esac
    case "$src" in
    web/*)
        d=${o%.o}.d
        if [ -f "$d" ] && grep -Eq 'hub/hub_(sql|db_int)\.h' "$d"; then
            complain "$src includes the hub's SQL headers (only hub/hub_db*.c may)"
        fi ;;
    esac
    case "$src" in
    hub/hub_xlsx.c) ;;
    *) uses workbook_ && complain "$src calls libxlsxwriter (only hub/hub_xlsx.c may)" ;;
    esac
    case "$src" in
    ui/*)
        d=${o%.o}.d
        if [ -f "$d" ] && grep -Eq 'board/board_(sim|linux)\.h' "$d"; then
            complain "$src includes a board implementation header"
        fi ;;
    esac
done
[ "$bad" -eq 0 ] || echo "layers: $archive not built" >&2
exit "$bad"
