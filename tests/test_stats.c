/* tests/test_stats.c - the period reports (hub/hub_stats.h) against a hub
 * filled through the store API with known data: exact figures per
 * station and per member, the period's boundaries in the stations' time
 * zone (UTC+8: a check-in at 23:59 on the last local day counts, one at
 * 00:00 the next day does not), the station filter, the ledger's median
 * and overdue count, and the table's CSV (formula-like names
 * neutralised, numbers bare, empty cells for rates of nothing).
 * Runs on PostgreSQL too (tests/hub_pg_test.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/clock.h"
#include "base/csv.h"
#include "hub/hub_db.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_filter.h"
#include "hub/hub_ledger.h"
#include "hub/hub_review.h"
#include "hub/hub_stats.h"
#include "hub/hub_table.h"
#include "sync/proto.h"
#include "support/hub_fixture.h"

#define DAY_MS (24LL * 3600 * 1000)
#define OFF 480                   /* UTC+8, the stations' */

static char dir[64];
static struct hub_db *db;

/* Unix ms of a local time "YYYY-MM-DD" hh:mm at UTC+8. */
static int64_t at(const char *day, int hh, int mm)
{
    int64_t d;
    assert_int_equal(clock_parse_ymd(day, &d), ERR_OK);
    return d * DAY_MS + (hh * 60 + mm - OFF) * 60000LL;
}

struct upload {
    struct proto_event ev[16];
    size_t             n;
};

static void ev(struct upload *u, const char *kind, const char *member,
               int64_t when, const char *data)
{
    struct proto_event *e = &u->ev[u->n];
    memset(e, 0, sizeof *e);
    e->seq = ++u->n;
    snprintf(e->kind, sizeof e->kind, "%s", kind);
    snprintf(e->member_no, sizeof e->member_no, "%s", member);
    e->wall_ms = when;
    e->clock_trusted = true;
    snprintf(e->boot_id, sizeof e->boot_id, "boot");
    e->mono_ms = 1000 + (int64_t)u->n;
    snprintf(e->data, sizeof e->data, "%s", data);
}

static void put(const char *station, const char *device,
                const struct upload *u)
{
    uint64_t acked;
    size_t fresh;
    assert_int_equal(hub_db_events_put(db, station, device, u->ev, u->n,
                                       NULL, at("2026-04-02", 12, 0),
                                       &acked, &fresh), ERR_OK);
    assert_int_equal(fresh, u->n);           /* none refused */
}

static void member(const char *no, const char *name, const char *station,
                   bool active)
{
    struct hub_member m = { 0 };
    snprintf(m.member_no, sizeof m.member_no, "%s", no);
    snprintf(m.name, sizeof m.name, "%s", name);
    snprintf(m.phone, sizeof m.phone, "13800000000");
    snprintf(m.community, sizeof m.community, "c");
    snprintf(m.station, sizeof m.station, "%s", station);
    assert_int_equal(hub_db_member_put(db, &m, active), ERR_OK);
}

static void act(const char *ticket, enum ledger_step step, int64_t when,
                bool satisfied)
{
    struct hub_ledger_act a = { .step = step, .actor = "staff",
                                .text = satisfied ? "ok" : "还没修好",
                                .satisfied = satisfied, .at = when };
    const char *why = NULL;
    assert_int_equal(hub_db_ledger_act(db, ticket, &a, &why), ERR_OK);
}

static void file(struct upload *u, const char *ticket, const char *kind,
                 int64_t when)
{
    char data[512];
    snprintf(data, sizeof data, "{\"ticket\":\"%s\",\"kind\":\"%s\","
             "\"type\":\"other\",\"building\":\"1\",\"unit\":\"2\","
             "\"text\":\"楼道灯不亮\",\"pin_hash\":\"%064d\"}", ticket, kind,
             0);
    ev(u, "ledger_file", "", when, data);
}

static int setup_all(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_stats.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    assert_int_equal(hub_db_open(hubfx_store(path), &db), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "stA", "甲社区党群服务站"),
                     ERR_OK);
    assert_int_equal(hub_db_station_add(db, "stB", "乙站"), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "stC", "丙站"), ERR_OK);
    member("A1", "张三", "stA", true);
    member("A2", "李四", "stA", true);
    member("A3", "=HYPERLINK(\"http://x\")", "stA", true);
    member("A4", "王五", "stA", true);       /* leaves the roster below */
    member("B1", "赵六", "stB", true);
    member("B2", "钱七", "stB", true);
    int n = 0;
    assert_int_equal(hub_ledger_types_load(db,
                     "assets/demo/ledger_types.json", stderr, &n), ERR_OK);

    struct upload a = { .n = 0 };
    /* 1: the last minute of February, local: not March. */
    ev(&a, "check_in", "A1", at("2026-02-28", 23, 59), "{}");
    /* 2: the first minute of March, local (16:00 UTC the day before). */
    ev(&a, "check_in", "A1", at("2026-03-01", 0, 0), "{}");
    ev(&a, "check_out", "A1", at("2026-03-01", 1, 30),
       "{\"minutes\":90,\"in_seq\":2}");
    ev(&a, "check_in", "A1", at("2026-03-02", 9, 0), "{}");
    /* 5: the last minute of March, local; 6: the first of April. */
    ev(&a, "check_in", "A2", at("2026-03-31", 23, 59), "{}");
    ev(&a, "check_in", "A2", at("2026-04-01", 0, 0), "{}");
    ev(&a, "check_in", "A4", at("2026-03-05", 10, 0), "{}");
    ev(&a, "check_out", "A2", at("2026-03-31", 23, 59),
       "{\"minutes\":30,\"in_seq\":5}");
    /* 9-13: service logs by the day they were done. */
    ev(&a, "service_log", "A1", at("2026-03-10", 12, 0),
       "{\"category\":\"patrol\",\"minutes\":60,\"day\":\"2026-03-10\"}");
    ev(&a, "service_log", "A2", at("2026-03-11", 12, 0),
       "{\"category\":\"patrol\",\"minutes\":45,\"day\":\"2026-03-11\"}");
    ev(&a, "service_log", "A2", at("2026-03-12", 12, 0),
       "{\"category\":\"patrol\",\"minutes\":30,\"day\":\"2026-03-12\"}");
    ev(&a, "service_log", "A1", at("2026-02-28", 12, 0),
       "{\"category\":\"patrol\",\"minutes\":120,\"day\":\"2026-02-28\"}");
    /* back-filled in April for the 31st of March: March's */
    ev(&a, "service_log", "A3", at("2026-04-01", 10, 0),
       "{\"category\":\"patrol\",\"minutes\":90,\"day\":\"2026-03-31\"}");
    put("stA", "devA", &a);
    assert_int_equal(hub_review_decide(db, "devA", 9, true, 2), ERR_OK);
    assert_int_equal(hub_review_decide(db, "devA", 10, false, 0), ERR_OK);
    assert_int_equal(hub_review_decide(db, "devA", 12, true, 4), ERR_OK);
    assert_int_equal(hub_review_decide(db, "devA", 13, true, 5), ERR_OK);
    member("A4", "王五", "stA", false);      /* no longer on the roster */

    struct upload b = { .n = 0 };
    ev(&b, "check_in", "B1", at("2026-03-15", 10, 0), "{}");
    ev(&b, "check_in", "B1", at("2026-03-15", 15, 0), "{}");
    ev(&b, "service_log", "B1", at("2026-03-15", 16, 0),
       "{\"category\":\"patrol\",\"minutes\":30,\"day\":\"2026-03-15\"}");
    file(&b, "STB-1-0001", "request", at("2026-03-31", 23, 0));
    put("stB", "devB", &b);
    assert_int_equal(hub_review_decide(db, "devB", 3, true, 1), ERR_OK);
    act("STB-1-0001", LEDGER_STEP_ACCEPT, at("2026-04-01", 9, 0), true);

    /* The ledger of stA: closed after 3 days; closed after 5 days with
     * one unsatisfied sign-off between; a wish nobody took (overdue);
     * one filed in February. */
    struct upload l = { .n = 0 };
    file(&l, "STA-2-0001", "request", at("2026-03-03", 10, 0));
    file(&l, "STA-2-0002", "request", at("2026-03-10", 10, 0));
    file(&l, "STA-2-0003", "wish", at("2026-03-20", 10, 0));
    file(&l, "STA-2-0004", "request", at("2026-02-27", 10, 0));
    put("stA", "devL", &l);
    act("STA-2-0001", LEDGER_STEP_ACCEPT, at("2026-03-03", 12, 0), true);
    act("STA-2-0001", LEDGER_STEP_ANSWER, at("2026-03-05", 12, 0), true);
    act("STA-2-0001", LEDGER_STEP_SIGNOFF, at("2026-03-06", 10, 0), true);
    act("STA-2-0002", LEDGER_STEP_ACCEPT, at("2026-03-10", 11, 0), true);
    act("STA-2-0002", LEDGER_STEP_ANSWER, at("2026-03-11", 11, 0), true);
    act("STA-2-0002", LEDGER_STEP_SIGNOFF, at("2026-03-12", 11, 0), false);
    act("STA-2-0002", LEDGER_STEP_ANSWER, at("2026-03-13", 11, 0), true);
    act("STA-2-0002", LEDGER_STEP_SIGNOFF, at("2026-03-15", 10, 0), true);
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    hub_db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The CSV of table `which` of a report. */
static char *report(enum hub_stats_kind kind, const char *how,
                    const char *value, const char *const *stations,
                    size_t n, int which)
{
    struct hub_filter f = { .utc_offset = OFF, .stations = stations,
                            .n_stations = n };
    char msg[200];
    assert_int_equal(hub_filter_period(&f, how, value, msg, sizeof msg),
                     ERR_OK);
    assert_int_equal(hub_filter_done(&f, 0, msg, sizeof msg), ERR_OK);
    struct hub_book b = { 0 };
    assert_int_equal(hub_stats_build(db, kind, &f, HUB_LANG_ZH,
                                     at("2026-04-15", 12, 0), &b, msg,
                                     sizeof msg), ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    hub_table_csv(b.t[which], out);
    fclose(out);
    hub_book_free(&b);
    return buf;
}

static void checkins_per_station(void **state)
{
    (void)state;
    char *csv = report(HUB_STATS_CHECKINS, "month", "2026-03", NULL, 0, 0);
    assert_string_equal(csv,
        "station,station_name,roster_members,check_ins,members_checked_in,"
        "roster_checked_in,check_in_rate,visit_hours\n"
        "\"stA\",\"甲社区党群服务站\",3,4,3,2,0.667,2.0\n"
        "\"stB\",\"乙站\",2,2,1,1,0.500,0.0\n"
        "\"stC\",\"丙站\",0,0,0,0,,0.0\n"
        "\"*\",\"合计\",5,6,4,3,0.600,2.0\n");
    free(csv);
    /* The quarter holds February's check-in too. */
    csv = report(HUB_STATS_CHECKINS, "quarter", "2026-Q1", NULL, 0, 0);
    assert_non_null(strstr(csv, "\"stA\",\"甲社区党群服务站\",3,5,3,2,"));
    free(csv);
    /* April: only A2's first minute of it. */
    csv = report(HUB_STATS_CHECKINS, "month", "2026-04", NULL, 0, 0);
    assert_non_null(strstr(csv, "\"stA\",\"甲社区党群服务站\",3,1,1,1,"
                                "0.333,0.0\n"));
    free(csv);
}

static void checkins_per_member(void **state)
{
    (void)state;
    char *csv = report(HUB_STATS_CHECKINS, "month", "2026-03", NULL, 0, 1);
    assert_string_equal(csv,
        "station,member_no,name,check_ins,days,visit_hours,last_check_in\n"
        "\"stA\",\"A1\",\"张三\",2,2,1.5,2026-03-02\n"
        "\"stA\",\"A2\",\"李四\",1,1,0.5,2026-03-31\n"
        "\"stA\",\"A3\",\"'=HYPERLINK(\"\"http://x\"\")\",0,0,0.0,\n"
        "\"stA\",\"A4\",\"王五\",1,1,0.0,2026-03-05\n"
        "\"stB\",\"B1\",\"赵六\",2,1,0.0,2026-03-15\n"
        "\"stB\",\"B2\",\"钱七\",0,0,0.0,\n");
    free(csv);
}

static void station_filter(void **state)
{
    (void)state;
    static const char *const only_b[] = { "stB" };
    char *csv = report(HUB_STATS_CHECKINS, "month", "2026-03", only_b, 1, 0);
    assert_string_equal(strchr(csv, '\n') + 1,
        "\"stB\",\"乙站\",2,2,1,1,0.500,0.0\n"
        "\"*\",\"合计\",2,2,1,1,0.500,0.0\n");
    free(csv);
    csv = report(HUB_STATS_CHECKINS, "month", "2026-03", only_b, 1, 1);
    assert_string_equal(strchr(csv, '\n') + 1,
        "\"stB\",\"B1\",\"赵六\",2,1,0.0,2026-03-15\n"
        "\"stB\",\"B2\",\"钱七\",0,0,0.0,\n");
    free(csv);
    static const char *const a_and_c[] = { "stC", "stA" };
    csv = report(HUB_STATS_SERVICE, "month", "2026-03", a_and_c, 2, 0);
    assert_null(strstr(csv, "stB"));
    assert_non_null(strstr(csv, "\"stC\""));
    free(csv);
    /* A station the hub does not have is refused, by name. */
    static const char *const nope[] = { "stA", "nope" };
    struct hub_filter f = { .utc_offset = OFF, .stations = nope,
                            .n_stations = 2 };
    char msg[200];
    struct hub_book b = { 0 };
    assert_int_equal(hub_filter_done(&f, 0, msg, sizeof msg), ERR_OK);
    assert_int_equal(hub_stats_build(db, HUB_STATS_LEDGER, &f, HUB_LANG_ZH,
                                     0, &b, msg, sizeof msg), ERR_NOTFOUND);
    assert_string_equal(msg, "unknown station nope");
    assert_int_equal(b.n, 0);
}

static void service_per_station_and_member(void **state)
{
    (void)state;
    char *csv = report(HUB_STATS_SERVICE, "month", "2026-03", NULL, 0, 0);
    assert_string_equal(csv,
        "station,station_name,logs,members,confirmed,confirmed_hours,"
        "pending,rejected,points,confirmation_rate\n"
        "\"stA\",\"甲社区党群服务站\",4,3,2,2.5,1,1,7,0.667\n"
        "\"stB\",\"乙站\",1,1,1,0.5,0,0,1,1.000\n"
        "\"stC\",\"丙站\",0,0,0,0.0,0,0,0,\n"
        "\"*\",\"合计\",5,4,3,3.0,1,1,8,0.750\n");
    free(csv);
    csv = report(HUB_STATS_SERVICE, "month", "2026-03", NULL, 0, 1);
    assert_string_equal(csv,
        "station,member_no,name,logs,members,confirmed,confirmed_hours,"
        "pending,rejected,points,confirmation_rate\n"
        "\"stA\",\"A1\",\"张三\",1,1,1,1.0,0,0,2,1.000\n"
        "\"stA\",\"A2\",\"李四\",2,1,0,0.0,1,1,0,0.000\n"
        "\"stA\",\"A3\",\"'=HYPERLINK(\"\"http://x\"\")\",1,1,1,1.5,0,0,5,"
        "1.000\n"
        "\"stB\",\"B1\",\"赵六\",1,1,1,0.5,0,0,1,1.000\n");
    free(csv);
    /* From the 28th of February to the 10th of March, by day. */
    struct hub_filter f = { .utc_offset = OFF };
    char msg[200];
    assert_int_equal(hub_filter_period(&f, "from", "2026-02-28", msg,
                                       sizeof msg), ERR_OK);
    assert_int_equal(hub_filter_period(&f, "to", "2026-03-10", msg,
                                       sizeof msg), ERR_OK);
    assert_int_equal(hub_filter_done(&f, 0, msg, sizeof msg), ERR_OK);
    struct hub_book b = { 0 };
    assert_int_equal(hub_stats_build(db, HUB_STATS_SERVICE, &f, HUB_LANG_EN,
                                     0, &b, msg, sizeof msg), ERR_OK);
    assert_int_equal(b.n, 2);
    const struct hub_table *t = b.t[1];
    assert_int_equal(t->nrows, 1);          /* A1: the 28th and the 10th */
    assert_string_equal(hub_table_cell(t, 0, 1)->s, "A1");
    assert_int_equal(hub_table_cell(t, 0, 3)->i, 2);
    assert_int_equal(hub_table_cell(t, 0, 9)->i, 6);
    assert_string_equal(hub_table_label(t, 9), "Points");
    assert_string_equal(b.t[0]->title, "Service by station");
    assert_string_equal(b.t[0]->scope, "Period: 2026-02-28 to 2026-03-10"
                        " (UTC+8); stations: all");
    hub_book_free(&b);
}

static void ledger_per_station(void **state)
{
    (void)state;
    char *csv = report(HUB_STATS_LEDGER, "month", "2026-03", NULL, 0, 0);
    assert_string_equal(csv,
        "station,station_name,requests,wishes,accepted,answered,closed,"
        "overdue,median_days_to_close,signoffs,satisfied,satisfaction_rate\n"
        "\"stA\",\"甲社区党群服务站\",2,1,2,2,2,1,4.0,3,2,0.667\n"
        "\"stB\",\"乙站\",1,0,1,0,0,1,,0,0,\n"
        "\"stC\",\"丙站\",0,0,0,0,0,0,,0,0,\n"
        "\"*\",\"合计\",3,1,3,2,2,2,4.0,3,2,0.667\n");
    free(csv);
    /* The year: February's open request (overdue) too; the median of
     * 3 and 5 days stays 4. */
    csv = report(HUB_STATS_LEDGER, "year", "2026", NULL, 0, 0);
    assert_non_null(strstr(csv, "\"stA\",\"甲社区党群服务站\",3,1,2,2,2,2,"
                                "4.0,"));
    free(csv);
}

static void periods_parsed_and_refused(void **state)
{
    (void)state;
    struct hub_filter f = { .utc_offset = OFF };
    char msg[200];
    assert_int_equal(hub_filter_period(&f, "quarter", "2024-Q1", msg,
                                       sizeof msg), ERR_OK);
    assert_string_equal(f.from, "2024-01-01");
    assert_string_equal(f.to, "2024-03-31");
    assert_int_equal(hub_filter_period(&f, "month", "2024-02", msg,
                                       sizeof msg), ERR_OK);
    assert_string_equal(f.to, "2024-02-29");                 /* leap */
    assert_int_equal(hub_filter_period(&f, "year", "2026", msg, sizeof msg),
                     ERR_OK);
    assert_string_equal(f.from, "2026-01-01");
    assert_string_equal(f.to, "2026-12-31");
    int64_t from, to;
    hub_filter_ms(&f, &from, &to);
    assert_int_equal(from, at("2026-01-01", 0, 0));
    assert_int_equal(to, at("2027-01-01", 0, 0));
    static const struct { const char *how, *value, *msg; } bad[] = {
        { "month", "2026-13", "--month takes YYYY-MM, not \"2026-13\"" },
        { "month", "2026-3", "--month takes YYYY-MM, not \"2026-3\"" },
        { "quarter", "2026-Q5",
          "--quarter takes YYYY-Qn (n 1-4), not \"2026-Q5\"" },
        { "year", "26", "--year takes YYYY, not \"26\"" },
        { "from", "2026-02-30",
          "--from takes a day YYYY-MM-DD, not \"2026-02-30\"" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(hub_filter_period(&f, bad[i].how, bad[i].value,
                                           msg, sizeof msg), ERR_INVAL);
        assert_string_equal(msg, bad[i].msg);
    }
    struct hub_filter g = { .utc_offset = OFF };
    hub_filter_period(&g, "from", "2026-03-02", msg, sizeof msg);
    hub_filter_period(&g, "to", "2026-03-01", msg, sizeof msg);
    assert_int_equal(hub_filter_done(&g, 0, msg, sizeof msg), ERR_INVAL);
    assert_string_equal(msg, "the period ends (2026-03-01) before it starts"
                        " (2026-03-02)");
    struct hub_filter h = { .utc_offset = OFF };
    hub_filter_period(&h, "to", "2026-03-01", msg, sizeof msg);
    assert_int_equal(hub_filter_done(&h, 0, msg, sizeof msg), ERR_INVAL);
    /* No period: the month holding now, in the stations' time zone. */
    struct hub_filter n = { .utc_offset = OFF };
    assert_int_equal(hub_filter_done(&n, at("2026-05-01", 0, 30), msg,
                                     sizeof msg), ERR_OK);
    assert_string_equal(n.from, "2026-05-01");
    assert_string_equal(n.to, "2026-05-31");
}

/* The CSV writer alone: kinds, empty cells, neutralising, quoting. */
static void table_csv_writer(void **state)
{
    (void)state;
    static const struct hub_col cols[] = {
        { "name", "名称", "Name", HUB_COL_TEXT, 0 },
        { "n", "数", "N", HUB_COL_INT, 0 },
        { "h", "时", "H", HUB_COL_DECIMAL, 2 },
        { "rate", "率", "Rate", HUB_COL_PERCENT, 1 },
        { "day", "日", "Day", HUB_COL_DATE, 0 },
    };
    struct hub_table *t = hub_table_new(HUB_LANG_ZH, "t", "s", cols, 5);
    const char *names[] = { "=1+2", "+cmd", "-2", "@SUM(A1)", "a,\"b\"\nc" };
    for (int i = 0; i < 5; i++) {
        hub_table_row(t);
        hub_table_text(t, 0, names[i]);
        hub_table_int(t, 1, -i);
        if (i % 2 == 0) {
            hub_table_num(t, 2, i / 3.0);
            hub_table_num(t, 3, i / 4.0);
            hub_table_date(t, 4, 20513 + i);       /* 2026-03-01 */
        }
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    hub_table_csv(t, out);
    fclose(out);
    assert_string_equal(buf,
        "name,n,h,rate,day\n"
        "\"'=1+2\",0,0.00,0.000,2026-03-01\n"
        "\"'+cmd\",-1,,,\n"
        "\"'-2\",-2,0.67,0.500,2026-03-03\n"
        "\"'@SUM(A1)\",-3,,,\n"
        "\"a,\"\"b\"\"\nc\",-4,1.33,1.000,2026-03-05\n");
    free(buf);
    assert_string_equal(hub_table_label(t, 3), "率");
    t->lang = HUB_LANG_EN;
    assert_string_equal(hub_table_label(t, 3), "Rate");
    hub_table_free(t);
    enum hub_lang l;
    assert_int_equal(hub_lang_parse("zh_CN", &l), ERR_OK);
    assert_int_equal(l, HUB_LANG_ZH);
    assert_int_equal(hub_lang_parse("en", &l), ERR_OK);
    assert_int_equal(l, HUB_LANG_EN);
    assert_int_equal(hub_lang_parse("fr", &l), ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checkins_per_station),
        cmocka_unit_test(checkins_per_member),
        cmocka_unit_test(station_filter),
        cmocka_unit_test(service_per_station_and_member),
        cmocka_unit_test(ledger_per_station),
        cmocka_unit_test(periods_parsed_and_refused),
        cmocka_unit_test(table_csv_writer),
    };
    if (getenv("TEST_SKIP"))
        cmocka_set_skip_filter(getenv("TEST_SKIP"));
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
