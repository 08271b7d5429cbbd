#!/bin/sh
# run-tests: once
# The layers are enforced by the build, not by convention
# (docs/architecture.md). This breaks each rule on purpose, with small
# objects compiled in a scratch directory, and checks that the build's own
# checks refuse it; then checks the real programs: no kiosk-store code in
# the hub's programs, no hub code in the kiosk's. Usage: $0 BUILD_DIR
set -u
B=${1:-build}
T=$(mktemp -d /tmp/layers.XXXXXX)
HUB=""
. tests/support/tap.sh
CC=${CC:-cc}
CFLAGS_PKG=$(pkg-config --cflags sdl2 sqlite3 libpq 2>/dev/null)

# obj PATH 'C SOURCE': compile into $T/obj/PATH.o with a .d file, as the
# build does.
obj() {
    mkdir -p "$T/obj/$(dirname "$1")" "$T/src/$(dirname "$1")"
    printf '%s\n' "$2" >"$T/src/$1.c"
    $CC -I. $CFLAGS_PKG -MMD -MP -c "$T/src/$1.c" -o "$T/obj/$1.o"
}
refused() {  # NAME OBJECT...: check-layers.sh must fail
    if sh scripts/check-layers.sh test.a "$@" 2>"$T/err"; then
        bad "$1 refused"
    else
        ok "refused: $(head -1 "$T/err" | sed 's/^layers: //')"
    fi
}
allowed() {
    if sh scripts/check-layers.sh test.a "$@" 2>"$T/err"; then
        ok "allowed: $(basename "$1")"
    else
        bad "allowed $1 ($(cat "$T/err"))"
    fi
}

SQL='#include <sqlite3.h>
const char *f(void) { return sqlite3_libversion(); }'
obj ui/screen_x "$SQL"
refused "$T/obj/ui/screen_x.o"
obj sync/proto_x "$SQL"
refused "$T/obj/sync/proto_x.o"
obj hub/hub_report_x "$SQL"
refused "$T/obj/hub/hub_report_x.o"
obj hub/hub_db_x "$SQL"
refused "$T/obj/hub/hub_db_x.o"
obj hub/hub_sql_sqlite "$SQL"
allowed "$T/obj/hub/hub_sql_sqlite.o"
obj firmware/store_x "$SQL"
allowed "$T/obj/firmware/store_x.o"

PQ='#include <libpq-fe.h>
int f(void) { return PQlibVersion(); }'
obj hub/hub_db_y "$PQ"
refused "$T/obj/hub/hub_db_y.o"
obj hub/hub_sql_pg "$PQ"
allowed "$T/obj/hub/hub_sql_pg.o"

XLSX='#include <xlsxwriter.h>
void *f(void) { return workbook_new("x.xlsx"); }'
obj hub/hub_stats_x "$XLSX"
refused "$T/obj/hub/hub_stats_x.o"
obj hub/hub_xlsx "$XLSX"
allowed "$T/obj/hub/hub_xlsx.o"

SDL='#include <SDL.h>
unsigned f(void) { return SDL_GetTicks(); }'
obj firmware/visit_x "$SDL"
refused "$T/obj/firmware/visit_x.o"
obj hub/hub_x "$SDL"
refused "$T/obj/hub/hub_x.o"
obj ui/widget_x "$SDL"
allowed "$T/obj/ui/widget_x.o"

TLS='#include <mbedtls/sha256.h>
int f(unsigned char o[32]) { return mbedtls_sha256_ret((const unsigned char *)"", 0, o, 0); }'
obj sync/sync_x "$TLS"
refused "$T/obj/sync/sync_x.o"
obj sync/tls_mbedtls "$TLS"
allowed "$T/obj/sync/tls_mbedtls.o"

HAND='#include <zinnia.h>
void *f(void) { return zinnia_recognizer_new(); }'
obj ui/screen_x "$HAND"
refused "$T/obj/ui/screen_x.o"
obj ui/ime_hand "$HAND"
allowed "$T/obj/ui/ime_hand.o"
RIME='#include <rime_api.h>
void *f(void) { return rime_get_api(); }'
obj ui/textentry_x "$RIME"
refused "$T/obj/ui/textentry_x.o"
obj ui/ime_pinyin "$RIME"
allowed "$T/obj/ui/ime_pinyin.o"

obj ui/app_x '#include "board/board_sim.h"
int f(void) { return 0; }'
refused "$T/obj/ui/app_x.o"

# The web console asks hub/ for everything: no SQL headers in web/.
obj web/page_x '#include "hub/hub_db_int.h"
int f(void) { return 0; }'
refused "$T/obj/web/page_x.o"

# The link lines: a hub program that calls the kiosk's store, and a core
# file that calls the UI, do not link.
obj cmd/hub_bad '#include "firmware/store.h"
int main(void) { struct store *s; return store_open("x", &s); }'
if $CC -o "$T/hub_bad" "$T/obj/cmd/hub_bad.o" "$B/libhub.a" "$B/libsync.a" \
       "$B/libbase.a" -lsqlite3 -lmbedtls -lmbedx509 -lmbedcrypto \
       -lcjson -lhttp_parser -lpthread -lm 2>"$T/err"; then
    bad "a hub program calling store_open links"
else
    grep -q "undefined reference to .store_open" "$T/err"
    check $? 0 "a hub program calling store_open does not link"
fi
obj cmd/core_up '#include "ui/app.h"
int main(void) { app_tap_xy((struct app *)0, 1, 1); return 0; }'
if $CC -o "$T/core_up" "$T/obj/cmd/core_up.o" "$B/libcore.a" \
       "$B/libbase.a" 2>"$T/err"; then
    bad "a core-level program calling the UI links"
else
    grep -q "undefined reference to .app_tap_xy" "$T/err"
    check $? 0 "the kiosk core cannot reach the UI"
fi

# Nothing under the console calls it: hub/ cannot reach web/.
obj cmd/hub_web '#include "web/console.h"
int main(void) { console_stop((struct console *)0); return 0; }'
if $CC -o "$T/hub_web" "$T/obj/cmd/hub_web.o" "$B/libhub.a" "$B/libsync.a" \
       "$B/libbase.a" 2>"$T/err"; then
    bad "a hub-layer program calling the console links"
else
    grep -q "undefined reference to .console_stop" "$T/err"
    check $? 0 "hub/ cannot reach the web console"
fi

# The real programs.
check "$(nm "$B/hubd" "$B/hubctl" | grep -c ' [Tt] \(store_\|visit_\|ui_\|screen_\|board_\)')" 0 \
    "hubd and hubctl hold no kiosk code"
check "$(nm "$B/kiosk" "$B/kioskctl" | grep -c ' [Tt] hub_')" 0 \
    "kiosk and kioskctl hold no hub code"
check "$(nm -u "$B/hubd" | grep -c 'SDL_')" 0 "hubd does not use SDL"
check "$(nm "$B/hubctl" | grep -c ' T \(web_\|page_\|html_\|console_\)')" 0 \
    "hubctl holds no web console code (only hubd links web/)"
check "$(grep -l 'board/board_\(sim\|linux\)\.h' ui/*.c ui/*.h | wc -l)" 0 \
    "no ui/ source names a board implementation"
echo "1..$n"
