#!/bin/sh
# hubctl ledger as staff run it, on a fresh hub: the types load (and a
# broken types file is refused whole), listings and the export are CSV a
# real reader takes, unknown tickets and bad arguments are refused with a
# reason and a non-zero status. Tickets themselves arrive by upload; the
# whole life of one is tests/test_ledger.c. Given the build tree as $1;
# prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/ledger-cli.XXXXXX)
HUB=
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"

$H init >/dev/null 2>&1
check "$($H ledger types assets/demo/ledger_types.json)" "10 types loaded" \
    "types load"
printf '[{"code":"x","name":"X","kinds":["request"],"deadline_days":0}]' \
    >"$T/bad.json"
$H ledger types "$T/bad.json" 2>"$T/err" && bad "bad types refused" ||
    ok "bad types refused"
check "$(cat "$T/err")" "$T/bad.json: type 1: deadline_days must be 1-365" \
    "the reason names the type and the field"
check "$($H ledger list | csv_fields)" \
    "ticket|station|kind|type|building|unit|state|filed|deadline|assignee|overdue|points" \
    "list: a CSV header, no tickets yet"
check "$($H ledger claims --station sq-hongqi-01 | wc -l)" 1 \
    "claims: the header, no wishes yet"
$H ledger list --state lost 2>/dev/null && bad "an unknown state refused" ||
    ok "an unknown state refused"
$H ledger show HQ01-9-9999 2>"$T/err" && bad "unknown ticket refused" ||
    ok "unknown ticket refused"
check "$(cat "$T/err")" "hubctl ledger: HQ01-9-9999: unknown ticket" \
    "unknown ticket: the reason"
$H ledger accept HQ01-9-9999 2>"$T/err"
check "$?" 2 "a step without --by is refused"
$H ledger export sq-hongqi-01 2026-12-01 2026-11-01 2>/dev/null &&
    bad "export: TO before FROM refused" || ok "export: TO before FROM refused"
check "$($H ledger export sq-hongqi-01 2026-11-01 2026-11-30 | csv_fields)" \
    "station|from|to|type|filed|registered|accepted|assigned|answered|closed|reopened|overdue|hours_to_accept|hours_to_answer|signoffs|satisfied|satisfaction_pct
sq-hongqi-01|2026-11-01|2026-11-30|*|0|0|0|0|0|0|0|0|||0|0|" \
    "export: the header and an empty total"
$H ledger frobnicate 2>/dev/null
check "$?" 2 "an unknown ledger command is refused"
echo "1..$n"
