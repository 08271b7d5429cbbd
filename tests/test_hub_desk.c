/* tests/test_hub_desk.c - the duty desk at the hub's store (hub_db_desk.h),
 * on SQLite and (tests/hub_pg_test.sh) PostgreSQL: visitors uploaded with
 * a passed-on ticket filed just before are kept in visitor_log and listed
 * by the desk log's CSV; what the kiosk would refuse, a ticket the hub
 * does not hold and a second duty_desk credit of a member's day (from
 * another kiosk of the station) are refused with a reason; a resend
 * stores nothing twice. The whole path through the kiosk and hubd is
 * tests/desk_test.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/clock.h"
#include "base/ledger.h"
#include "base/xmalloc.h"
#include "hub/hub_db.h"
#include "hub/hub_desk.h"
#include "hub/hub_ledger.h"
#include "hub/hub_roster.h"
#include "tests/support/fixture.h"
#include "tests/support/hub_fixture.h"

#define STATION "sq-hongqi-01"
#define T0 1795397400000LL             /* 2026-11-23 09:30 +08 */

static struct hub_db *db;

static int setup_all(void **state)
{
    int n = 0;
    (void)state;
    hubfx_init("test_hub_desk");
    db = hubfx_db();
    assert_int_equal(hub_db_station_add(db, STATION, "HQ"), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "sq-lvyuan-02", "LY"), ERR_OK);
    assert_int_equal(hub_roster_import(db, "assets/demo/roster.csv", false,
                                       false, stderr, &n), ERR_OK);
    assert_int_equal(hub_ledger_types_load(db,
                     "assets/demo/ledger_types.json", stderr, &n), ERR_OK);
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    hub_db_close(db);
    fixture_rmrf(hubfx_dir());          /* no server was started */
    return 0;
}

static struct proto_event ev(uint64_t seq, const char *kind,
                             const char *member, const char *data)
{
    struct proto_event e = { .seq = seq, .wall_ms = T0 + (int64_t)seq,
                             .clock_trusted = true, .mono_ms = 5 };
    str_copy(e.kind, sizeof e.kind, kind);
    str_copy(e.member_no, sizeof e.member_no, member);
    str_copy(e.boot_id, sizeof e.boot_id, "b");
    str_copy(e.data, sizeof e.data, data);
    return e;
}

/* Upload evs as device; the refusals into why[] (by position). */
static void upload(const char *device, const struct proto_event *evs,
                   size_t n, struct proto_refusal *why, size_t *n_refused)
{
    struct hub_put u = { .station = STATION, .device = device,
                         .epoch = "e1", .epoch_start = 1, .evs = evs,
                         .n = n, .now = T0 + 60000, .refused = why };
    assert_int_equal(hub_db_events_put_group(db, &u, 1), ERR_OK);
    assert_int_equal(u.result, ERR_OK);
    *n_refused = u.n_refused;
}

static char *desk_log(const char *station, const char *day)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(hub_desk_log_csv(db, station, day, 480, f, stderr),
                     ERR_OK);
    fclose(f);
    return buf;
}

static void visitors_are_kept_and_listed(void **state)
{
    char hash[LEDGER_PIN_HASH], filing[512];
    struct proto_refusal why[8];
    size_t refused;
    (void)state;
    ledger_pin_hash("HQ01-7-0001", "4821", hash);
    snprintf(filing, sizeof filing, "{\"ticket\":\"HQ01-7-0001\","
             "\"kind\":\"request\",\"type\":\"repair\",\"building\":\"1\","
             "\"unit\":\"1\",\"text\":\"楼道灯不亮\",\"pin_hash\":\"%s\"}",
             hash);
    struct proto_event evs[] = {
        ev(1, "ledger_file", "", filing),
        ev(2, "visitor", "HQ0021", "{\"type\":\"repair\",\"building\":\"1\","
           "\"unit\":\"1\",\"text\":\"楼道灯不亮\",\"outcome\":\"passed_on\","
           "\"reason\":\"\",\"ticket\":\"HQ01-7-0001\",\"day\":\"2026-11-23\"}"),
        ev(3, "visitor", "HQ0021", "{\"type\":\"policy\",\"building\":\"\","
           "\"unit\":\"\",\"text\":\"=老年证\",\"outcome\":\"cannot\","
           "\"reason\":\"需本人携带证件办理\",\"ticket\":\"\","
           "\"day\":\"2026-11-23\"}"),
    };
    upload("kiosk-7", evs, 3, why, &refused);
    assert_int_equal(refused, 0);
    upload("kiosk-7", evs, 3, why, &refused);        /* a resend */
    assert_int_equal(refused, 0);
    char *csv = desk_log(STATION, "2026-11-23");
    assert_string_equal(csv,
        "station,day,time,member_no,name,type,building,unit,text,outcome,"
        "reason,ticket\n"
        "\"sq-hongqi-01\",\"2026-11-23\",\"09:30\",\"HQ0021\",\"吴国栋\","
        "\"repair\",\"1\",\"1\",\"楼道灯不亮\",\"passed_on\",\"\","
        "\"HQ01-7-0001\"\n"
        "\"sq-hongqi-01\",\"2026-11-23\",\"09:30\",\"HQ0021\",\"吴国栋\","
        "\"policy\",\"\",\"\",\"'=老年证\",\"cannot\",\"需本人携带证件办理\","
        "\"\"\n");
    free(csv);
    csv = desk_log("sq-lvyuan-02", "2026-11-23");   /* another station's */
    assert_null(strchr(strchr(csv, '\n') + 1, '\n'));
    free(csv);
    csv = desk_log(NULL, "2026-11-24");
    assert_null(strchr(strchr(csv, '\n') + 1, '\n'));
    free(csv);
}

static void what_the_kiosk_would_refuse_is_refused(void **state)
{
    static const struct {
        const char *member, *data, *reason;
    } bad[] = {
        { "HQ0021", "{\"type\":\"repair\",\"building\":\"1\",\"unit\":\"1\","
          "\"text\":\"x\",\"outcome\":\"passed_on\",\"reason\":\"\","
          "\"ticket\":\"HQ01-7-0999\",\"day\":\"2026-11-23\"}",
          "passed on to an unknown ticket" },
        { "HQ0021", "{\"type\":\"repair\",\"building\":\"1\",\"unit\":\"1\","
          "\"text\":\"x\",\"outcome\":\"maybe\",\"reason\":\"\","
          "\"ticket\":\"\",\"day\":\"2026-11-23\"}", "unknown outcome" },
        { "HQ0021", "{\"type\":\"repair\",\"building\":\"1\",\"unit\":\"1\","
          "\"text\":\"x\",\"outcome\":\"cannot\",\"reason\":\"\","
          "\"ticket\":\"\",\"day\":\"2026-11-23\"}",
          "reason missing or too long" },
        { "HQ0021", "{\"type\":\"repair\",\"building\":\"1\",\"unit\":\"1\","
          "\"text\":\"\",\"outcome\":\"done\",\"reason\":\"\","
          "\"ticket\":\"\",\"day\":\"2026-11-23\"}", "description missing" },
        { "HQ0021", "{\"type\":\"repair\",\"building\":\"1\",\"unit\":\"1\","
          "\"text\":\"x\",\"outcome\":\"done\",\"reason\":\"\","
          "\"ticket\":\"\",\"day\":\"2026-12-25\"}", "day not the event's" },
        { "NOBODY", "{\"type\":\"repair\",\"building\":\"1\",\"unit\":\"1\","
          "\"text\":\"x\",\"outcome\":\"done\",\"reason\":\"\","
          "\"ticket\":\"\",\"day\":\"2026-11-23\"}", "unknown member" },
    };
    size_t nb = sizeof bad / sizeof bad[0], refused;
    struct proto_event evs[8];
    struct proto_refusal why[8];
    (void)state;
    for (size_t i = 0; i < nb; i++)
        evs[i] = ev(i + 1, "visitor", bad[i].member, bad[i].data);
    upload("kiosk-8", evs, nb, why, &refused);
    assert_int_equal(refused, nb);
    for (size_t i = 0; i < nb; i++) {
        assert_int_equal(why[i].seq, i + 1);
        assert_string_equal(why[i].reason, bad[i].reason);
    }
    char *csv = desk_log(STATION, "2026-11-23");
    int rows = 0;
    for (char *p = csv; (p = strchr(p, '\n')); p++)
        rows++;
    assert_int_equal(rows, 3);                   /* the header and two */
    free(csv);
}

static void the_duty_desk_is_credited_once_a_day(void **state)
{
    const char *log = "{\"category\":\"duty_desk\",\"minutes\":180,"
                      "\"day\":\"2026-11-23\",\"backfilled\":false,"
                      "\"note\":\"\"}";
    struct proto_event a = ev(1, "service_log", "HQ0021", log);
    struct proto_refusal why[2];
    size_t refused;
    (void)state;
    upload("kiosk-9", &a, 1, why, &refused);
    assert_int_equal(refused, 0);
    upload("kiosk-9", &a, 1, why, &refused);         /* a resend */
    assert_int_equal(refused, 0);
    /* The member checked out at a second kiosk of the station too. */
    upload("kiosk-10", &a, 1, why, &refused);
    assert_int_equal(refused, 1);
    assert_string_equal(why[0].reason,
                        "duty desk already credited for that day");
    /* Another day is another shift. */
    struct proto_event b = ev(2, "service_log", "HQ0021",
        "{\"category\":\"duty_desk\",\"minutes\":60,\"day\":\"2026-11-22\","
        "\"backfilled\":false,\"note\":\"\"}");
    upload("kiosk-9", &b, 1, why, &refused);
    assert_int_equal(refused, 0);
}

static void a_malformed_day_is_refused(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&buf, &len);
    (void)state;
    assert_int_equal(hub_desk_log_csv(db, NULL, "2026-13-01", 480, stdout,
                                      err), ERR_INVAL);
    fclose(err);
    assert_string_equal(buf, "not a day: 2026-13-01 (YYYY-MM-DD)\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(visitors_are_kept_and_listed),
        cmocka_unit_test(what_the_kiosk_would_refuse_is_refused),
        cmocka_unit_test(the_duty_desk_is_credited_once_a_day),
        cmocka_unit_test(a_malformed_day_is_refused),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
