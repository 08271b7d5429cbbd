#!/bin/sh
# run-tests: once
# The hub's store tests (test_hub, test_hub_trust, test_fleet), the
# end-to-end sync tests (test_sync), the issue ledger's (test_ledger),
# the period reports' (test_stats) and the claims of posts (test_claims)
# again, on
# PostgreSQL: a throwaway cluster (tests/support/pg_cluster.sh) with a
# fresh database per test program, named to the programs by
# HUB_TEST_STORE; then two hubd processes on one database serving one
# kiosk (tests/test_hub_pg.c). The cluster is stopped and removed however
# the run ends. Usage: hub_pg_test.sh BUILD_TREE. Speaks TAP.
set -u
tree=${1:-build}
. tests/support/pg_cluster.sh
trap pg_stop EXIT
trap 'exit 1' INT TERM HUP

if ! pg_start; then
    echo "1..1"
    echo "ok 1 # SKIP no PostgreSQL for the tests: $PG_SKIP"
    exit 0
fi

export CMOCKA_MESSAGE_OUTPUT=TAP
progs="test_hub test_hub_trust test_fleet test_sync test_ledger test_stats
test_hub_pg test_console test_hub_desk test_confirm test_claims test_points test_console_pages2 test_ledger_list test_console_cards test_console_reports"
# Tests of a damaged SQLite file (the hub's or a kiosk's) run alike
# whatever the store: left out here (TEST_SKIP, one pattern a program).
skip_sync="damaged_*"
case $tree in
*san*)
    # Under the sanitizers, what runs differently on PostgreSQL (its
    # engine, the two-hub locking); the rest ran there on SQLite. The
    # fault proxy's 300 rounds test the network, not the store.
    progs="test_hub test_hub_trust test_sync test_ledger test_stats
    test_hub_pg test_console test_hub_desk test_confirm test_claims test_points test_console_pages2 test_ledger_list test_console_cards test_console_reports"
    skip_sync="cuts_and_stalls*" ;;
esac
rc=0
for t in $progs; do
    url=$(pg_createdb "$t") || { echo "not ok - createdb $t"; rc=1; continue; }
    echo "# $t on PostgreSQL"
    case $t in
    test_hub) skip="damaged_*" ;;
    test_sync) skip=$skip_sync ;;
    *) skip="" ;;
    esac
    TEST_SKIP=$skip HUB_TEST_STORE=$url HUBD="$tree/hubd" \
        PG_RESTART="sh tests/support/pg_cluster.sh restart $PG_DIR" \
        "$tree/tests/$t" || rc=1
done
# hubctl on the same kind of store: the admin commands a hub is run with.
n=0
check() {   # check DESCRIPTION COMMAND...: ok when the command succeeds
    n=$((n + 1))
    d=$1
    shift
    if "$@" >"$PG_DIR/cli.out" 2>&1; then
        echo "ok $n - hubctl on PostgreSQL: $d"
    else
        echo "not ok $n - hubctl on PostgreSQL: $d"
        sed 's/^/# /' "$PG_DIR/cli.out"
        rc=1
    fi
}
if url=$(pg_createdb hubctl); then
    H="$tree/hubctl -d $PG_DIR/hubdir --store $url"
    check "init" $H init localhost
    check "no hub.db beside a PostgreSQL store" test ! -e "$PG_DIR/hubdir/hub.db"
    check "add-station" $H add-station sq-hongqi-01 HQ
    check "import" $H import assets/demo/roster.csv
    check "the roster's 60 members are in the database" \
        test "$(pg_psql hubctl 'SELECT count(*) FROM members')" = 60
    check "report members" $H report members
    check "publish-all" $H publish-all assets/demo
    check "enrol-code" $H enrol-code sq-hongqi-01 kiosk-1
    check "report stations" $H report stations
    check "report checkins per member" $H report checkins --by member \
        --quarter 2026-Q1 --station sq-hongqi-01
    check "report service as XLSX" $H report service --year 2026 \
        --xlsx "$PG_DIR/service.xlsx"
    check "fleet" $H fleet
    check "pending" $H pending
    check "bundle list" $H bundle list
    check "ledger types" $H ledger types assets/demo/ledger_types.json
    check "ledger list" $H ledger list
    check "ledger export" $H ledger export sq-hongqi-01 2026-01-01 2027-01-01
    check "photo set" $H photo set sq-hongqi-01 HQ0001 tests/data/portrait_a.png
    check "photo list" $H photo list sq-hongqi-01
    check "photo rm" $H photo rm sq-hongqi-01 HQ0001
    # 双报到: units, the roster naming them, the setting, the reports.
    check "unit add" $H unit add edu 区教育局 --paired-community 红旗社区
    check "unit add (another)" $H unit add tmp 临时单位
    check "unit rm" $H unit rm tmp
    for u in hosp tax bank; do
        check "unit add $u" $H unit add $u "$u"
    done
    check "import with 单位 and 报到类型" $H import assets/demo/roster_units.csv
    check "members' units stored" test "$(pg_psql hubctl \
        "SELECT count(*) FROM members WHERE work_unit = 'edu'")" = 4
    check "unit list" $H unit list
    check "setting" $H setting cross_station_registration on
    reg_rate() { $H report registration --by unit --from 2026-01-01 \
                 --to 2026-12-31 | grep -q '^"unit","edu","区教育局",4,0,0.000$'; }
    check "report registration" reg_rate
    unreg() { test "$($H report unregistered --unit edu | wc -l)" = 5; }
    check "report unregistered" unreg
    # The hierarchy filter (hub/hub_org.h): a community's stations.
    check "org add district" $H org add district qu-1 城关区
    check "org add street" $H org add street jd-1 新华街道 --parent qu-1
    check "org add community" $H org add community sq-c1 红旗社区 \
        --parent jd-1
    check "station place" $H station place sq-hongqi-01 sq-c1
    org_report() { $H report checkins --org jd-1 --year 2026 |
                   grep -q '^"sq-hongqi-01",'; }
    check "report checkins --org" org_report
    check "report registration --org as XLSX" $H report registration \
        --org sq-c1 --xlsx "$PG_DIR/reg.xlsx"
    check "feed stats" $H feed stats
    check "feed trim" $H feed trim
    refused() { ! "$tree/hubctl" -d "$PG_DIR/hubdir" --store "$1" fleet; }
    check "a store that does not exist is refused" \
        refused "postgresql:///nope?host=$PG_DIR&port=$PG_PORT&user=postgres"
else
    echo "not ok - createdb hubctl"
    rc=1
fi
# Six at once on a new database: one creates the tables, the others wait.
together() {
    i=0
    pids=""
    while [ $i -lt 6 ]; do
        "$tree/hubctl" -d "$PG_DIR/hubdir" --store "$1" fleet >/dev/null &
        pids="$pids $!"
        i=$((i + 1))
    done
    ok=0
    for p in $pids; do
        wait "$p" || ok=1
    done
    return $ok
}
if url=$(pg_createdb together); then
    check "six opening a new database at once" together "$url"
else
    echo "not ok - createdb together"
    rc=1
fi
exit "$rc"
