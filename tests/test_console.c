/* tests/test_console.c - the web console's core without a browser:
 * escaping and safe URLs, form/cookie parsing, CSRF token comparison,
 * Argon2id hashing, login lockout and per-address throttling, sessions
 * (idle and absolute timeouts), THE scope function over the hierarchy,
 * the audit log written in the change's transaction, and its
 * formula-safe CSV. Runs on SQLite, and on PostgreSQL under
 * tests/hub_pg_test.sh (HUB_TEST_STORE). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hub/hub_audit.h"
#include "hub/hub_db.h"
#include "hub/hub_db_users.h"
#include "hub/hub_users.h"
#include "tests/support/hub_fixture.h"
#include "web/html.h"
#include "web/web.h"

static char dir[] = "/tmp/test_console.XXXXXX";
static struct hub_db *db;

static char *render(void (*fn)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, s);
    fclose(f);
    return buf;
}

static void escaping(void **state)
{
    (void)state;
    char *t = render(html_text, "<script>alert('x')</script>&\"");
    assert_string_equal(t, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
                           "&amp;&quot;");
    free(t);
    t = render(html_attr, "\" onmouseover=\"x");
    assert_null(strchr(t, '"'));
    free(t);
    t = render(html_text, "红旗社区");
    assert_string_equal(t, "红旗社区");
    free(t);
}

static void urls(void **state)
{
    (void)state;
    assert_true(html_url_ok("/members/HQ0001"));
    assert_true(html_url_ok("https://example.org/x"));
    assert_true(html_url_ok("?a=1"));
    assert_false(html_url_ok("javascript:alert(1)"));
    assert_false(html_url_ok("JaVaScRiPt:alert(1)"));
    assert_false(html_url_ok(" java\tscript:alert(1)"));
    assert_false(html_url_ok("data:text/html,<script>"));
    assert_false(html_url_ok("vbscript:x"));
    char *t = render(html_url, "javascript:alert(1)");
    assert_string_equal(t, "#");
    free(t);
}

static void forms_and_cookies(void **state)
{
    (void)state;
    struct web_req req = { .body = "csrf=ab12&name=%E7%BA%A2+x&bad=%zz",
                           .query = "next=%2Faudit",
                           .cookie = "lang=en; sid=0123; pre=ff" };
    char v[64];
    assert_true(web_form(&req, "csrf", v, sizeof v));
    assert_string_equal(v, "ab12");
    assert_true(web_form(&req, "name", v, sizeof v));
    assert_string_equal(v, "红 x");
    assert_false(web_form(&req, "bad", v, sizeof v));    /* malformed */
    assert_false(web_form(&req, "missing", v, sizeof v));
    assert_true(web_query(&req, "next", v, sizeof v));
    assert_string_equal(v, "/audit");
    assert_true(web_cookie(&req, "sid", v, sizeof v));
    assert_string_equal(v, "0123");
    assert_true(web_cookie(&req, "pre", v, sizeof v));
    assert_string_equal(v, "ff");
    assert_false(web_cookie(&req, "id", v, sizeof v));
    /* A NUL smuggled in would cut what later code reads. */
    assert_false(web_url_decode("a%00b", 5, v, sizeof v));
    strcpy(req.path, "/members/HQ%2F1");
    assert_true(web_path_arg(&req, "/members/", v, sizeof v));
    strcpy(req.path, "/members/a/b");
    assert_false(web_path_arg(&req, "/members/", v, sizeof v));
}

static void redirects_stay_local(void **state)
{
    (void)state;
    struct web_resp r = { 0 };
    web_redirect(&r, "//evil.example/");
    assert_non_null(strstr(r.headers, "Location: /\r\n"));
    memset(&r, 0, sizeof r);
    web_redirect(&r, "/audit\r\nSet-Cookie: x=1");
    assert_non_null(strstr(r.headers, "Location: /\r\n"));
    memset(&r, 0, sizeof r);
    web_redirect(&r, "/audit");
    assert_non_null(strstr(r.headers, "Location: /audit\r\n"));
}

static void tokens(void **state)
{
    (void)state;
    assert_true(hub_token_equal("abcd", "abcd"));
    assert_false(hub_token_equal("abcd", "abce"));
    assert_false(hub_token_equal("abcd", "abc"));
    assert_false(hub_token_equal("", ""));            /* no token: refused */
}

static void hashing(void **state)
{
    (void)state;
    char h1[192], h2[192];
    assert_int_equal(hub_pw_hash("correct horse", h1, sizeof h1), ERR_OK);
    assert_int_equal(hub_pw_hash("correct horse", h2, sizeof h2), ERR_OK);
    assert_memory_equal(h1, "$argon2id$v=19$m=19456,t=2,p=1$", 31);
    assert_string_not_equal(h1, h2);                  /* salted */
    assert_true(hub_pw_verify(h1, "correct horse"));
    assert_false(hub_pw_verify(h1, "correct horsE"));
    assert_false(hub_pw_verify("", "x"));
}

/* The hierarchy of the scope tests: one district, one street, two
 * communities with a station each, and a station without a place. */
static void hierarchy(void)
{
    char msg[160];
    assert_int_equal(hub_db_station_add(db, "st-a", "A"), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "st-b", "B"), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "st-loose", "L"), ERR_OK);
    assert_int_equal(hub_org_add(db, "t", "district", "d1", "区", "", msg,
                                 sizeof msg), ERR_OK);
    assert_int_equal(hub_org_add(db, "t", "street", "s1", "街道", "d1", msg,
                                 sizeof msg), ERR_OK);
    assert_int_equal(hub_org_add(db, "t", "community", "c1", "社区一", "s1",
                                 msg, sizeof msg), ERR_OK);
    assert_int_equal(hub_org_add(db, "t", "community", "c2", "社区二", "s1",
                                 msg, sizeof msg), ERR_OK);
    /* A community under a district, an id taken: refused. */
    assert_int_equal(hub_org_add(db, "t", "community", "c3", "x", "d1", msg,
                                 sizeof msg), ERR_INVAL);
    assert_int_equal(hub_org_add(db, "t", "street", "st-a", "x", "d1", msg,
                                 sizeof msg), ERR_INVAL);
    assert_int_equal(hub_station_place(db, "t", "st-a", "c1", msg, sizeof msg),
                     ERR_OK);
    assert_int_equal(hub_station_place(db, "t", "st-b", "c2", msg, sizeof msg),
                     ERR_OK);
}

static struct hub_user_row user(const char *role, const char *scope,
                                bool editor)
{
    struct hub_user_row u = { .editor = editor };
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.scope, sizeof u.scope, "%s", scope);
    return u;
}

static void scope(void **state)
{
    (void)state;
    hierarchy();
    struct hub_user_row adm = user("admin", "", true),
                        dis = user("district", "d1", false),
                        str = user("street", "s1", true),
                        com = user("community", "c1", true),
                        sta = user("station", "st-b", true);
    assert_true(hub_user_may(db, &adm, "st-loose", HUB_CHANGE));
    assert_true(hub_user_may(db, &dis, "st-a", HUB_SEE));
    assert_true(hub_user_may(db, &dis, "st-b", HUB_SEE));
    assert_false(hub_user_may(db, &dis, "st-a", HUB_CHANGE));   /* viewer */
    assert_false(hub_user_may(db, &dis, "st-loose", HUB_SEE));  /* no place */
    assert_true(hub_user_may(db, &str, "st-b", HUB_CHANGE));
    assert_true(hub_user_may(db, &com, "st-a", HUB_CHANGE));
    assert_false(hub_user_may(db, &com, "st-b", HUB_SEE));     /* other one */
    assert_true(hub_user_may(db, &sta, "st-b", HUB_SEE));
    assert_false(hub_user_may(db, &sta, "st-a", HUB_SEE));
    com.disabled = true;
    assert_false(hub_user_may(db, &com, "st-a", HUB_SEE));
    assert_false(hub_user_may(db, &adm, "", HUB_SEE));
    /* Roles are checked against the level of their scope. */
    char msg[160];
    assert_int_equal(hub_user_add(db, "t", "u-bad", "community", "s1", -1,
                                  "long enough", msg, sizeof msg), ERR_INVAL);
    assert_int_equal(hub_user_add(db, "t", "u-dis", "district", "d1", -1,
                                  "long enough", msg, sizeof msg), ERR_OK);
    struct hub_user_row got;
    assert_int_equal(hub_db_user_get(db, "u-dis", &got), ERR_OK);
    assert_false(got.editor);                 /* district: read-only */
    assert_int_equal(hub_user_add(db, "t", "u-short", "admin", "", -1,
                                  "short", msg, sizeof msg), ERR_INVAL);
}

static void count(void *ctx, const struct hub_audit_row *r)
{
    (void)r;
    (*(int *)ctx)++;
}

static void lockout(void **state)
{
    (void)state;
    char msg[160];
    assert_int_equal(hub_user_add(db, "t", "lock-u", "admin", "", -1,
                                  "right password", msg, sizeof msg), ERR_OK);
    struct hub_session_new s;
    enum hub_login_rc rc;
    int64_t now = 1700000000000;
    for (int i = 0; i < HUB_LOGIN_MAX_FAILS; i++) {
        assert_int_equal(hub_login(db, "lock-u", "wrong", "10.0.0.1", now, &s,
                                   &rc), ERR_OK);
        assert_int_equal(rc, HUB_LOGIN_BAD);
    }
    /* Locked: the right password fails too, until the lock ends. */
    assert_int_equal(hub_login(db, "lock-u", "right password", "10.0.0.2",
                               now + 1000, &s, &rc), ERR_OK);
    assert_int_equal(rc, HUB_LOGIN_BAD);
    assert_int_equal(hub_login(db, "lock-u", "right password", "10.0.0.2",
                               now + HUB_LOGIN_LOCK_MS + 1, &s, &rc), ERR_OK);
    assert_int_equal(rc, HUB_LOGIN_OK);
    /* The lock is in the audit log. */
    struct hub_audit_filter f = { .action = "user.lock", .object = "user:lock-u" };
    int n = 0;
    assert_int_equal(hub_db_audit_each(db, &f, count, &n), ERR_OK);
    assert_int_equal(n, 1);
}

static void throttling(void **state)
{
    (void)state;
    struct hub_session_new s;
    enum hub_login_rc rc;
    int64_t now = 1700000000000;
    /* One short of the cap (as many failures cost as much Argon2). */
    assert_int_equal(hub_db_login_addr_put(db, "10.9.9.9",
                                           HUB_ADDR_MAX_FAILS - 1, now),
                     ERR_OK);
    assert_int_equal(hub_login(db, "nobody-x", "pw", "10.9.9.9", now, &s,
                               &rc), ERR_OK);
    assert_int_equal(rc, HUB_LOGIN_BAD);
    assert_int_equal(hub_login(db, "nobody-x", "pw", "10.9.9.9", now, &s,
                               &rc), ERR_OK);
    assert_int_equal(rc, HUB_LOGIN_THROTTLED);
    /* Another address is not held back; the window ends. */
    assert_int_equal(hub_login(db, "nobody-x", "pw", "10.9.9.8", now, &s,
                               &rc), ERR_OK);
    assert_int_equal(rc, HUB_LOGIN_BAD);
    assert_int_equal(hub_login(db, "nobody-x", "pw", "10.9.9.9",
                               now + HUB_ADDR_WINDOW_MS, &s, &rc), ERR_OK);
    assert_int_equal(rc, HUB_LOGIN_BAD);
}

static void sessions(void **state)
{
    (void)state;
    char msg[160], csrf[HUB_SESSION_HEX + 1];
    assert_int_equal(hub_user_add(db, "t", "sess-u", "admin", "", -1,
                                  "session password", msg, sizeof msg),
                     ERR_OK);
    struct hub_session_new s;
    enum hub_login_rc rc;
    struct hub_user_row u;
    int64_t now = hub_now_ms();
    assert_int_equal(hub_login(db, "sess-u", "session password", "10.1.1.1",
                               now, &s, &rc), ERR_OK);
    assert_int_equal(rc, HUB_LOGIN_OK);
    assert_int_equal(strlen(s.id), HUB_SESSION_HEX);
    assert_int_equal(hub_session_check(db, s.id, now + 1000, &u, csrf,
                                       sizeof csrf), ERR_OK);
    assert_string_equal(u.name, "sess-u");
    assert_string_equal(csrf, s.csrf);
    /* Active every 20 minutes: alive past 30 minutes of age. */
    for (int64_t t = now + 20 * 60000; t < now + 3 * 3600000; t += 20 * 60000)
        assert_int_equal(hub_session_check(db, s.id, t, &u, csrf, sizeof csrf),
                         ERR_OK);
    /* ... but not past 12 hours; and an idle one ends after 30 minutes. */
    assert_int_equal(hub_session_check(db, s.id, now + HUB_SESSION_MAX_MS, &u,
                                       csrf, sizeof csrf), ERR_NOTFOUND);
    assert_int_equal(hub_login(db, "sess-u", "session password", "10.1.1.1",
                               now, &s, &rc), ERR_OK);
    assert_int_equal(hub_session_check(db, s.id, now + HUB_SESSION_IDLE_MS, &u,
                                       csrf, sizeof csrf), ERR_NOTFOUND);
    /* A new password ends every session of the user. */
    assert_int_equal(hub_login(db, "sess-u", "session password", "10.1.1.1",
                               now, &s, &rc), ERR_OK);
    assert_int_equal(hub_user_passwd(db, "t", "sess-u", "another password",
                                     msg, sizeof msg), ERR_OK);
    assert_int_equal(hub_session_check(db, s.id, now + 1000, &u, csrf,
                                       sizeof csrf), ERR_NOTFOUND);
    /* Only the hash of the id is stored. */
    struct hub_session_row row;
    assert_int_equal(hub_db_session_get(db, s.id, &row), ERR_NOTFOUND);
    assert_int_equal(hub_session_check(db, "not-hex", now, &u, csrf,
                                       sizeof csrf), ERR_NOTFOUND);
}

static void audit_in_transaction(void **state)
{
    (void)state;
    /* A change rolled back leaves no audit line, and the reverse. */
    assert_int_equal(hub_db_begin(db), ERR_OK);
    assert_int_equal(hub_audit_record(db, "tx-user", "x.change", "x:1",
                                      "{}", "{\"a\":1}"), ERR_OK);
    hub_db_rollback(db);
    struct hub_audit_filter f = { .actor = "tx-user" };
    int n = 0;
    assert_int_equal(hub_db_audit_each(db, &f, count, &n), ERR_OK);
    assert_int_equal(n, 0);
    char msg[160];
    assert_int_equal(hub_user_add(db, "tx-user", "aud-u", "admin", "", -1,
                                  "audited password", msg, sizeof msg),
                     ERR_OK);
    assert_int_equal(hub_db_audit_each(db, &f, count, &n), ERR_OK);
    assert_int_equal(n, 1);
}

static void audit_csv(void **state)
{
    (void)state;
    assert_int_equal(hub_audit_record(db, "=cmd|' /C calc'!A0", "@SUM(1)",
                                      "-2+3", "+x", "ok \"quoted\""), ERR_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct hub_audit_filter flt = { .actor = "=cmd|' /C calc'!A0" };
    assert_int_equal(hub_audit_csv(db, &flt, f), ERR_OK);
    fclose(f);
    assert_non_null(strstr(buf, "\"'=cmd|' /C calc'!A0\",\"'@SUM(1)\","
                                "\"'-2+3\",\"'+x\",\"ok \"\"quoted\"\"\""));
    free(buf);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    return hub_db_open(hubfx_store(path), &db) == ERR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    hub_db_close(db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escaping),
        cmocka_unit_test(urls),
        cmocka_unit_test(forms_and_cookies),
        cmocka_unit_test(redirects_stay_local),
        cmocka_unit_test(tokens),
        cmocka_unit_test(hashing),
        cmocka_unit_test(scope),
        cmocka_unit_test(lockout),
        cmocka_unit_test(throttling),
        cmocka_unit_test(sessions),
        cmocka_unit_test(audit_in_transaction),
        cmocka_unit_test(audit_csv),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
