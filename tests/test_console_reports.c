/* tests/test_console_reports.c - the hub functions behind the console's
 * points, stars, awards, registration and reports pages (on PostgreSQL
 * too, through tests/hub_pg_test.sh): the stations under a node of the
 * hierarchy and the report filter made of them (an empty node never
 * reads as "every station"), which nodes a user's scope covers, who may
 * change hub-wide rules, the rule and mapping changes audited in their
 * transaction (a refused one leaves neither), the awards read back, and
 * the registration figures narrowed to a set of stations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub_audit.h"
#include "hub/hub_db.h"
#include "hub/hub_db_org.h"
#include "hub/hub_db_points.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_org.h"
#include "hub/hub_users.h"
#include "tests/support/hub_fixture.h"

static char dir[] = "/tmp/test_console_rep.XXXXXX";
static struct hub_db *db;
static FILE *sink;

static int audit_count(const char *action)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct hub_audit_filter flt = { .action = action, .limit = 200 };
    assert_int_equal(hub_audit_csv(db, &flt, f), ERR_OK);
    fclose(f);
    int n = 0;
    for (char *p = buf; (p = strstr(p, action)); p++)
        n++;
    free(buf);
    return n;
}

/* The node's stations joined by ",". */
static void stations_of(const char *node, char *out, size_t cap)
{
    char **ids;
    size_t n;
    out[0] = '\0';
    assert_int_equal(hub_db_org_stations(db, node, &ids, &n), ERR_OK);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s", i ? "," : "", ids[i]);
    }
    hub_db_keys_free(ids, n);
}

static void hierarchy_filter(void **state)
{
    (void)state;
    char s[256], msg[200];
    stations_of("sq-1", s, sizeof s);
    assert_string_equal(s, "st-a,st-b");
    stations_of("sq-2", s, sizeof s);
    assert_string_equal(s, "st-c");
    stations_of("jd-1", s, sizeof s);
    assert_string_equal(s, "st-a,st-b,st-c");
    stations_of("qu-1", s, sizeof s);
    assert_string_equal(s, "st-a,st-b,st-c");
    stations_of("st-b", s, sizeof s);
    assert_string_equal(s, "st-b");
    stations_of("nowhere", s, sizeof s);
    assert_string_equal(s, "");

    struct hub_filter f = { .utc_offset = 480 };
    struct hub_org_set keep;
    assert_int_equal(hub_filter_org(db, &f, "sq-2", &keep, msg, sizeof msg),
                     ERR_OK);
    assert_int_equal(f.n_stations, 1);
    assert_string_equal(f.stations[0], "st-c");
    hub_org_set_free(&keep);
    /* A community with no station is refused, never "every station". */
    struct hub_filter g = { .utc_offset = 480 };
    assert_int_equal(hub_filter_org(db, &g, "sq-empty", &keep, msg,
                                    sizeof msg), ERR_NOTFOUND);
    assert_non_null(strstr(msg, "no station"));
    assert_int_equal(g.n_stations, 0);
    assert_int_equal(hub_filter_org(db, &g, "nowhere", &keep, msg,
                                    sizeof msg), ERR_NOTFOUND);
    assert_non_null(strstr(msg, "no district"));
}

static struct hub_user_row user(const char *role, const char *scope,
                                bool editor)
{
    struct hub_user_row u = { .editor = editor };
    snprintf(u.name, sizeof u.name, "u");
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.scope, sizeof u.scope, "%s", scope);
    return u;
}

static void node_scope(void **state)
{
    (void)state;
    struct hub_user_row c = user("community", "sq-1", true);
    assert_true(hub_user_may_node(db, &c, "sq-1"));
    assert_true(hub_user_may_node(db, &c, "st-a"));
    assert_false(hub_user_may_node(db, &c, "sq-2"));
    assert_false(hub_user_may_node(db, &c, "st-c"));
    assert_false(hub_user_may_node(db, &c, "jd-1"));  /* above her */
    assert_false(hub_user_may_node(db, &c, "qu-1"));
    assert_false(hub_user_may_node(db, &c, "nowhere"));
    struct hub_user_row s = user("street", "jd-1", false);
    assert_true(hub_user_may_node(db, &s, "jd-1"));
    assert_true(hub_user_may_node(db, &s, "sq-2"));
    assert_false(hub_user_may_node(db, &s, "qu-1"));
    struct hub_user_row st = user("station", "st-b", true);
    assert_true(hub_user_may_node(db, &st, "st-b"));
    assert_false(hub_user_may_node(db, &st, "sq-1"));
    struct hub_user_row a = user("admin", "", true);
    assert_true(hub_user_may_node(db, &a, "qu-1"));
    a.disabled = true;
    assert_false(hub_user_may_node(db, &a, "qu-1"));

    /* Hub-wide rules: admins and district editors only. */
    struct hub_user_row d = user("district", "qu-1", true);
    assert_true(hub_user_may_hubwide(&d));
    d.editor = false;
    assert_false(hub_user_may_hubwide(&d));
    assert_false(hub_user_may_hubwide(&c));
    assert_false(hub_user_may_hubwide(&s));
    assert_false(hub_user_may_hubwide(&a));       /* disabled */
    a.disabled = false;
    assert_true(hub_user_may_hubwide(&a));
}

static void rules_audited(void **state)
{
    (void)state;
    struct hub_points_rule r = hub_points_default, got;
    snprintf(r.scope, sizeof r.scope, "mediation");
    r.per30 = 3;
    r.satisfied = 150;
    assert_int_equal(hub_points_rule_set_by(db, &r, "boss", sink), ERR_OK);
    assert_int_equal(audit_count("points.rule"), 1);
    assert_int_equal(hub_db_points_rule_get(db, "mediation", &got), ERR_OK);
    assert_int_equal(got.per30, 3);
    assert_int_equal(got.satisfied, 150);
    /* Refused by the same checks as hubctl's: nothing, no audit line. */
    r.per30 = HUB_POINTS_PER30_MAX + 1;
    assert_int_equal(hub_points_rule_set_by(db, &r, "boss", sink),
                     ERR_INVAL);
    snprintf(r.scope, sizeof r.scope, "no-such-category");
    r.per30 = 2;
    assert_int_equal(hub_points_rule_set_by(db, &r, "boss", sink),
                     ERR_INVAL);
    assert_int_equal(audit_count("points.rule"), 1);
    assert_int_equal(hub_db_points_rule_get(db, "mediation", &got), ERR_OK);
    assert_int_equal(got.per30, 3);

    assert_int_equal(hub_points_star_category_set_by(db, "other", "culture",
                                                     "boss", sink), ERR_OK);
    assert_int_equal(hub_points_star_category_set_by(db, "other", "nope",
                                                     "boss", sink),
                     ERR_INVAL);
    assert_int_equal(audit_count("stars.category"), 1);
}

struct acc {
    char text[1024];
};

static void on_award(void *ctx, const struct hub_award_row *r)
{
    struct acc *a = ctx;
    size_t l = strlen(a->text);
    snprintf(a->text + l, sizeof a->text - l, "%s/%s/%d/%s/%d;", r->station,
             r->kind, r->rank, r->subject, r->points);
}

static void awards_read(void **state)
{
    (void)state;
    struct hub_award a[2] = {
        { .year = 2026, .station = "st-a", .kind = "member", .rank = 1,
          .subject = "A1", .name = "甲", .points = 9 },
        { .year = 2026, .station = "st-a", .kind = "post", .rank = 1,
          .subject = "p-1", .name = "岗", .points = 4 },
    };
    assert_int_equal(hub_db_awards_put(db, 2026, "st-a", a, 2), ERR_OK);
    struct acc x = { "" };
    assert_int_equal(hub_db_awards_each(db, 2026, on_award, &x), ERR_OK);
    assert_string_equal(x.text, "st-a/post/1/p-1/4;st-a/member/1/A1/9;");
    x.text[0] = '\0';
    assert_int_equal(hub_db_awards_each(db, 2025, on_award, &x), ERR_OK);
    assert_string_equal(x.text, "");
}

static void on_rate(void *ctx, const struct hub_reg_rate *r)
{
    struct acc *a = ctx;
    size_t l = strlen(a->text);
    snprintf(a->text + l, sizeof a->text - l, "%s=%d/%d;", r->group,
             r->registered, r->on_roster);
}

static void on_unreg(void *ctx, const struct hub_unregistered *m)
{
    struct acc *a = ctx;
    size_t l = strlen(a->text);
    snprintf(a->text + l, sizeof a->text - l, "%s;", m->member_no);
}

static void registration_scoped(void **state)
{
    (void)state;
    struct acc x = { "" };
    const char *one[] = { "st-c" }, *two[] = { "st-a", "st-b" };
    assert_int_equal(hub_db_reg_rates_in(db, "community", 0, 0, one, 1,
                                         on_rate, &x), ERR_OK);
    assert_string_equal(x.text, "东风=0/1;");
    x.text[0] = '\0';
    assert_int_equal(hub_db_reg_rates_in(db, "community", 0, 0, two, 2,
                                         on_rate, &x), ERR_OK);
    assert_string_equal(x.text, "红旗=0/2;");
    x.text[0] = '\0';
    assert_int_equal(hub_db_reg_rates_in(db, "community", 0, 0, NULL, 0,
                                         on_rate, &x), ERR_OK);
    assert_string_equal(x.text, "东风=0/1;红旗=0/2;");
    x.text[0] = '\0';
    assert_int_equal(hub_db_unregistered_in(db, one, 1, on_unreg, &x),
                     ERR_OK);
    assert_string_equal(x.text, "C1;");

    /* As tables: by community and by unit, each with its total. */
    struct hub_filter f = { .utc_offset = 480, .stations = two,
                            .n_stations = 2 };
    snprintf(f.from, sizeof f.from, "2026-01-01");
    snprintf(f.to, sizeof f.to, "2026-12-31");
    struct hub_book b = { 0 };
    assert_int_equal(hub_reg_build(db, &f, HUB_LANG_ZH, &b), ERR_OK);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.t[0]->nrows, 2);
    assert_int_equal(hub_table_cell(b.t[0], 1, 2)->i, 2);
    assert_string_equal(hub_table_cell(b.t[1], 0, 1)->s, "（未填单位）");
    hub_book_free(&b);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    char path[256], msg[200];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    sink = fopen("/dev/null", "w");
    if (hub_db_open(hubfx_store(path), &db) != ERR_OK)
        return -1;
    const char *st[][2] = { { "st-a", "sq-1" }, { "st-b", "sq-1" },
                            { "st-c", "sq-2" } };
    bool ok = hub_org_add(db, "t", "district", "qu-1", "区", "", msg,
                          sizeof msg) == ERR_OK &&
              hub_org_add(db, "t", "street", "jd-1", "街道", "qu-1", msg,
                          sizeof msg) == ERR_OK &&
              hub_org_add(db, "t", "community", "sq-1", "红旗", "jd-1", msg,
                          sizeof msg) == ERR_OK &&
              hub_org_add(db, "t", "community", "sq-2", "东风", "jd-1", msg,
                          sizeof msg) == ERR_OK &&
              hub_org_add(db, "t", "community", "sq-empty", "空", "jd-1",
                          msg, sizeof msg) == ERR_OK;
    for (int i = 0; ok && i < 3; i++)
        ok = hub_db_station_add(db, st[i][0], st[i][0]) == ERR_OK &&
             hub_station_place(db, "t", st[i][0], st[i][1], msg,
                               sizeof msg) == ERR_OK;
    const char *m[][3] = { { "A1", "红旗", "st-a" }, { "B1", "红旗", "st-b" },
                           { "C1", "东风", "st-c" } };
    for (int i = 0; ok && i < 3; i++) {
        struct hub_member x = { 0 };
        snprintf(x.member_no, sizeof x.member_no, "%s", m[i][0]);
        snprintf(x.name, sizeof x.name, "n%d", i);
        snprintf(x.phone, sizeof x.phone, "1380000000%d", i);
        snprintf(x.community, sizeof x.community, "%s", m[i][1]);
        snprintf(x.station, sizeof x.station, "%s", m[i][2]);
        ok = hub_db_member_put(db, &x, true) == ERR_OK;
    }
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    hub_db_close(db);
    fclose(sink);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hierarchy_filter),
        cmocka_unit_test(node_scope),
        cmocka_unit_test(rules_audited),
        cmocka_unit_test(awards_read),
        cmocka_unit_test(registration_scoped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
