/* tests/test_console_pages2.c - the hub functions behind the console's
 * roster, notices and fleet pages (on PostgreSQL too, through
 * tests/hub_pg_test.sh): the roster list and its search, the import's
 * preview (bad lines by number, added, changed, made inactive, nothing
 * changed), the scope limit on stations, the audit line in the import's
 * and the edit's transaction, the publication's diff without a change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "hub/hub_audit.h"
#include "hub/hub_db.h"
#include "hub/hub_db_board_read.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_db_roster_list.h"
#include "hub/hub_db_users.h"
#include "hub/hub_publish.h"
#include "hub/hub_roster.h"
#include "tests/support/hub_fixture.h"

static char dir[] = "/tmp/test_console_p2.XXXXXX";
static struct hub_db *db;
static FILE *sink;

struct seen {
    char   text[4096];
    int    n;
};

static void on_bad(void *ctx, int line, const char *why)
{
    struct seen *s = ctx;
    size_t l = strlen(s->text);
    snprintf(s->text + l, sizeof s->text - l, "bad %d %.20s;", line, why);
    s->n++;
}

static void on_row(void *ctx, char what, const struct hub_member *m)
{
    struct seen *s = ctx;
    size_t l = strlen(s->text);
    snprintf(s->text + l, sizeof s->text - l, "%c%s;", what, m->member_no);
    s->n++;
}

static bool only_a(void *ctx, const char *station)
{
    (void)ctx;
    return strcmp(station, "st-a") == 0;
}

static void on_member(void *ctx, const struct hub_member *m, bool active)
{
    struct seen *s = ctx;
    size_t l = strlen(s->text);
    snprintf(s->text + l, sizeof s->text - l, "%s%s;", m->member_no,
             active ? "" : "(off)");
    s->n++;
}

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

static err_code import(const char *csv, bool dry, struct seen *s,
                       const char *actor)
{
    char *text = strdup(csv);
    struct hub_roster_opts o = { .dry_run = dry, .actor = actor, .ctx = s,
                                 .station_ok = only_a, .bad = on_bad,
                                 .row = on_row };
    int n = 0;
    err_code e = hub_roster_import_text(db, "t", text, &o, sink, &n);
    free(text);
    return e;
}

static void roster_preview_and_import(void **state)
{
    (void)state;
    struct seen s = { "", 0 };
    assert_int_equal(import("member_no,name,phone,community,station\n"
                            "A1,甲,13800000001,c,st-a\n"
                            "A2,乙,13800000002,c,st-a\n", false, &s,
                            "tester"), ERR_OK);
    assert_int_equal(audit_count("roster.import"), 1);

    /* Bad lines by number; a station out of scope reads as unknown. */
    memset(&s, 0, sizeof s);
    assert_int_equal(import("member_no,name,phone,community,station\n"
                            "A1,甲,13800000001,c,st-a\n"
                            "A3,丙,123,c,st-a\n"
                            "B1,丁,13800000004,c,st-b\n"
                            "A4,=cmd,13800000005,c,st-a\n", true, &s,
                            "tester"), ERR_INVAL);
    assert_non_null(strstr(s.text, "bad 3 phone must"));
    assert_non_null(strstr(s.text, "bad 4 unknown station"));
    assert_non_null(strstr(s.text, "bad 5 name looks"));

    /* The plan: A1 changed, A5 new, A2 made inactive; nothing done. */
    memset(&s, 0, sizeof s);
    assert_int_equal(import("member_no,name,phone,community,station\n"
                            "A1,甲改,13800000001,c,st-a\n"
                            "A5,戊,13800000006,c,st-a\n", true, &s,
                            "tester"), ERR_OK);
    assert_non_null(strstr(s.text, "~A1;"));
    assert_non_null(strstr(s.text, "+A5;"));
    assert_non_null(strstr(s.text, "-A2;"));
    struct hub_member m;
    assert_int_equal(hub_db_member_get(db, "A5", &m), ERR_NOTFOUND);
    assert_int_equal(hub_db_member_get(db, "A1", &m), ERR_OK);
    assert_string_equal(m.name, "甲");
    assert_int_equal(audit_count("roster.import"), 1);

    /* Applied: the list shows it, active first, searched. */
    memset(&s, 0, sizeof s);
    assert_int_equal(import("member_no,name,phone,community,station\n"
                            "A1,甲改,13800000001,c,st-a\n"
                            "A5,戊,13800000006,c,st-a\n", false, &s,
                            "tester"), ERR_OK);
    assert_int_equal(audit_count("roster.import"), 2);
    memset(&s, 0, sizeof s);
    assert_int_equal(hub_db_members_list(db, "st-a", "", 100, on_member, &s),
                     ERR_OK);
    assert_string_equal(s.text, "A1;A5;A2(off);");
    memset(&s, 0, sizeof s);
    assert_int_equal(hub_db_members_list(db, "st-a", "戊", 100, on_member,
                                         &s), ERR_OK);
    assert_string_equal(s.text, "A5;");
    memset(&s, 0, sizeof s);
    /* LIKE's wildcards are searched for as themselves. */
    assert_int_equal(hub_db_members_list(db, "st-a", "%", 100, on_member,
                                         &s), ERR_OK);
    assert_int_equal(s.n, 0);
}

static void member_edit(void **state)
{
    (void)state;
    struct hub_member m = { .member_no = "A1", .name = "甲",
                            .phone = "12" };
    assert_int_equal(hub_member_edit(db, "tester", &m, true, sink),
                     ERR_INVAL);
    snprintf(m.phone, sizeof m.phone, "13900000001");
    assert_int_equal(hub_member_edit(db, "tester", &m, false, sink), ERR_OK);
    bool active = true;
    assert_int_equal(hub_db_member_active(db, "A1", &active), ERR_OK);
    assert_false(active);
    struct hub_member got;
    assert_int_equal(hub_db_member_get(db, "A1", &got), ERR_OK);
    assert_string_equal(got.phone, "13900000001");
    assert_int_equal(audit_count("member.edit"), 1);
    snprintf(m.member_no, sizeof m.member_no, "NOPE");
    assert_int_equal(hub_member_edit(db, "tester", &m, true, sink),
                     ERR_NOTFOUND);
}

static void on_diff(void *ctx, char what, const char *key, const char *old,
                    const char *new_)
{
    struct seen *s = ctx;
    size_t l = strlen(s->text);
    snprintf(s->text + l, sizeof s->text - l, "%c%s%s%s;", what, key,
             old ? "o" : "", new_ ? "n" : "");
    s->n++;
}

static err_code publish(const char *json, bool dry, struct seen *s)
{
    cJSON *arr = cJSON_Parse(json);
    struct hub_publish_opts o = { .label = "t", .err = sink,
                                  .utc_offset_minutes = 480,
                                  .dry_run = dry, .actor = "tester",
                                  .ctx = s, .diff = on_diff };
    int changes = 0;
    err_code e = hub_publish_items(db, "notices", arr, "st-a", &o, &changes);
    cJSON_Delete(arr);
    return e;
}

static void notices_diff(void **state)
{
    (void)state;
    struct seen s = { "", 0 };
    assert_int_equal(publish("[{\"id\":\"N1\",\"title\":\"a\",\"body\":\"b\","
                             "\"published_days_ago\":0},"
                             "{\"id\":\"N2\",\"title\":\"c\",\"body\":\"d\","
                             "\"published_days_ago\":1}]", false, &s),
                     ERR_OK);
    assert_int_equal(audit_count("board.publish"), 1);
    /* N1 only re-dated (no change), N2 retitled, N3 new; then N1 gone. */
    memset(&s, 0, sizeof s);
    assert_int_equal(publish("[{\"id\":\"N1\",\"title\":\"a\",\"body\":\"b\","
                             "\"published_days_ago\":3},"
                             "{\"id\":\"N2\",\"title\":\"C\",\"body\":\"d\","
                             "\"published_days_ago\":1},"
                             "{\"id\":\"N3\",\"title\":\"e\",\"body\":\"f\","
                             "\"published_days_ago\":0}]", true, &s),
                     ERR_OK);
    assert_string_equal(s.text, "~N2on;+N3n;");
    memset(&s, 0, sizeof s);
    assert_int_equal(publish("[{\"id\":\"N2\",\"title\":\"c\",\"body\":\"d\","
                             "\"published_days_ago\":1}]", true, &s),
                     ERR_OK);
    assert_string_equal(s.text, "-N1o;");
    /* The dry runs changed nothing, and wrote no audit line. */
    char *data = NULL;
    assert_int_equal(hub_db_published_get(db, "st-a", "notice", "N3", &data),
                     ERR_NOTFOUND);
    assert_int_equal(hub_db_published_get(db, "st-a", "notice", "N1", &data),
                     ERR_OK);
    free(data);
    assert_int_equal(audit_count("board.publish"), 1);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    sink = fopen("/dev/null", "w");
    if (hub_db_open(hubfx_store(path), &db) != ERR_OK)
        return -1;
    return hub_db_station_add(db, "st-a", "A") == ERR_OK &&
           hub_db_station_add(db, "st-b", "B") == ERR_OK ? 0 : -1;
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
        cmocka_unit_test(roster_preview_and_import),
        cmocka_unit_test(member_edit),
        cmocka_unit_test(notices_diff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
