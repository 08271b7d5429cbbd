/* tests/test_claims.c - claiming posts (认岗) against a real hub server
 * in-process over real TLS (as test_ledger.c): the rules refused when
 * publishing (two heads, a second deputy, a sixth member, a capacity
 * outside 3-5, an open post with no place free); refusals at the kiosk
 * (a closed post, the deputy taken, a holder again, a swap with an
 * unknown member or one without a post) and again at the hub for events
 * the kiosk's checks did not stop (the member sees the reason); approval
 * re-checking the rules (a sixth member, a second deputy) and a swap
 * approved republishing both posts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/clock.h"
#include "base/event.h"
#include "firmware/post_claim.h"
#include "firmware/store.h"
#include "firmware/store_claims.h"
#include "hub/hub_claims.h"
#include "hub/hub_db.h"
#include "hub/hub_db_claims.h"
#include "hub/hub_db_users.h"
#include "hub/hub_publish.h"
#include "hub/hub_roster.h"
#include "sync/sync.h"
#include "tests/support/hub_fixture.h"

#define STATION "sq-hongqi-01"

/* Publish posts (a JSON array) to the station; the messages into err. */
static err_code publish(const char *json, char *err, size_t cap)
{
    struct hub_db *db = hubfx_db();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cJSON *arr = cJSON_Parse(json);
    assert_non_null(arr);
    struct hub_publish_opts o = { .label = "posts", .err = f,
                                  .utc_offset_minutes = 480 };
    int changes;
    err_code e = hub_publish_items(db, "posts", arr, STATION, &o, &changes);
    cJSON_Delete(arr);
    fclose(f);
    snprintf(err, cap, "%s", buf ? buf : "");
    free(buf);
    hub_db_close(db);
    return e;
}

static int setup_all(void **state)
{
    (void)state;
    char err[512];
    hubfx_init("test_claims");
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_station_add(db, STATION, "HQ"), ERR_OK);
    int n = 0;
    assert_int_equal(hub_roster_import(db, "assets/demo/roster.csv",
                                       false, false, stderr, &n), ERR_OK);
    hub_db_close(db);
    /* P1: open, one place, deputy taken; P2: closed; P3: open, two
     * places, no deputy yet. */
    assert_int_equal(publish("[{\"id\":\"P1\",\"category\":\"财务\","
        "\"name\":\"财务监督岗\",\"duties\":\"d\",\"order\":1,\"open\":true,"
        "\"holders\":[{\"member_no\":\"HQ0042\",\"role\":\"head\"},"
        "{\"member_no\":\"HQ0006\",\"role\":\"deputy\"},"
        "{\"member_no\":\"HQ0026\",\"role\":\"member\"},"
        "{\"member_no\":\"HQ0029\",\"role\":\"member\"}]},"
        "{\"id\":\"P2\",\"category\":\"服务\",\"name\":\"服务监督岗\","
        "\"duties\":\"d\",\"order\":2,"
        "\"holders\":[{\"member_no\":\"HQ0030\",\"role\":\"head\"},"
        "{\"member_no\":\"HQ0021\",\"role\":\"deputy\"},"
        "{\"member_no\":\"HQ0013\",\"role\":\"member\"}]},"
        "{\"id\":\"P3\",\"category\":\"管理\",\"name\":\"管理监督岗\","
        "\"duties\":\"d\",\"order\":3,\"open\":true,\"places\":2,"
        "\"holders\":[{\"member_no\":\"HQ0005\",\"role\":\"head\"},"
        "{\"member_no\":\"HQ0020\",\"role\":\"member\"},"
        "{\"member_no\":\"HQ0024\",\"role\":\"member\"}]}]",
        err, sizeof err), ERR_OK);
    hubfx_start();
    hubfx_enrol(STATION, "kiosk-1", "k1.key", "k1.crt");
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    hubfx_stop();
    return 0;
}

static void round_of(void)
{
    struct sync_opts o = { .db_path = hubfx_path("k1.db"),
                           .host = "127.0.0.1", .port = hubfx_port(),
                           .ca_file = hubfx_path("hub/ca.crt"),
                           .cert_file = hubfx_path("k1.crt"),
                           .key_file = hubfx_path("k1.key"),
                           .station = STATION, .timeout_ms = 3000,
                           .batch = 200, .debounce_ms = 20,
                           .backoff_min_ms = 20, .backoff_max_ms = 200 };
    struct sync *s = NULL;
    assert_int_equal(sync_create(&o, &s), ERR_OK);
    assert_int_equal(sync_round(s), ERR_OK);
    sync_destroy(s);
}

static struct store *kstore(void)
{
    struct store *s = NULL;
    assert_int_equal(store_open(hubfx_path("k1.db"), &s), ERR_OK);
    return s;
}

/* A post of `holders` (member numbers, roles "h", "d" or "m"). */
static const char *post_json(const char *extra, const char *holders)
{
    static char buf[2048];
    static const char *const role[] = { "head", "deputy", "member" };
    int n = snprintf(buf, sizeof buf, "[{\"id\":\"PX\",\"category\":\"c\","
                     "\"name\":\"n\",\"duties\":\"d\",\"order\":9%s,"
                     "\"holders\":[", extra);
    for (int i = 0; holders[i]; i++) {
        int r = holders[i] == 'h' ? 0 : holders[i] == 'd' ? 1 : 2;
        n += snprintf(buf + n, sizeof buf - (size_t)n,
                      "%s{\"member_no\":\"HQ00%02d\",\"role\":\"%s\"}",
                      i ? "," : "", 31 + i, role[r]);
    }
    snprintf(buf + n, sizeof buf - (size_t)n, "]}]");
    return buf;
}

static void publishing_refuses_broken_rules(void **st)
{
    (void)st;
    char err[512];
    assert_int_equal(publish(post_json("", "hhm"), err, sizeof err),
                     ERR_INVAL);
    assert_non_null(strstr(err, "post PX: 2 heads (岗长), exactly one"));
    assert_int_equal(publish(post_json("", "hddm"), err, sizeof err),
                     ERR_INVAL);
    assert_non_null(strstr(err, "post PX: 2 deputies (副岗长), at most one"));
    assert_int_equal(publish(post_json("", "hdmmmm"), err, sizeof err),
                     ERR_INVAL);
    assert_non_null(strstr(err, "post PX: 6 members, at most 5"));
    assert_int_equal(publish(post_json("", "mdm"), err, sizeof err),
                     ERR_INVAL);
    assert_non_null(strstr(err, "post PX: 0 heads (岗长), exactly one"));
    assert_int_equal(publish(post_json(",\"max_members\":6", "hdm"), err,
                             sizeof err), ERR_INVAL);
    assert_non_null(strstr(err, "post PX: capacity must lie within 3-5"));
    assert_int_equal(publish(post_json(",\"min_members\":2", "hdm"), err,
                             sizeof err), ERR_INVAL);
    assert_non_null(strstr(err, "capacity must lie within 3-5"));
    assert_int_equal(publish(post_json("", "hd"), err, sizeof err),
                     ERR_INVAL);
    assert_non_null(strstr(err, "post PX: 2 members, at least 3"));
    assert_int_equal(publish(post_json(",\"open\":true", "hdmmm"), err,
                             sizeof err), ERR_INVAL);
    assert_non_null(strstr(err, "post PX: full (5 of 5)"));
    assert_int_equal(publish(post_json(",\"open\":true,\"places\":3",
                                       "hdm"), err, sizeof err), ERR_INVAL);
    assert_non_null(strstr(err, "post PX: 3 places open, but 2 free"));
    /* Nothing of the refused ones reached the boards. */
    struct hub_db *db = hubfx_db();
    char *data = NULL;
    assert_int_equal(hub_db_published_get(db, STATION, "post", "PX", &data),
                     ERR_NOTFOUND);
    hub_db_close(db);
}

static void kiosk_refuses_and_stores_nothing(void **st)
{
    (void)st;
    round_of();
    struct store *s = kstore();
    struct stamp now;
    const char *why;
    bool deputy_free;
    clock_now(&now);
    assert_true(post_claim_open(s, "P1", &deputy_free));
    assert_false(deputy_free);
    assert_false(post_claim_open(s, "P2", &deputy_free));
    assert_int_equal(post_claim(s, "P2", "HQ0003", ROLE_MEMBER, &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "post not open for claiming");
    assert_int_equal(post_claim(s, "P1", "HQ0003", ROLE_DEPUTY, &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "deputy taken");
    assert_int_equal(post_claim(s, "P1", "HQ0042", ROLE_MEMBER, &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "already holds this post");
    assert_int_equal(post_claim(s, "P9", "HQ0003", ROLE_MEMBER, &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "unknown post");
    assert_int_equal(post_swap(s, "HQ0042", "HQ9999", "P2", &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "unknown member");
    assert_int_equal(post_swap(s, "HQ0042", "HQ0003", "P2", &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "other member holds no post");
    assert_int_equal(post_swap(s, "HQ0003", "HQ0030", "P2", &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "holds no post");
    struct post_claim c[4];
    size_t n = 9;
    assert_int_equal(store_claims_for(s, "HQ0042", c, 4, &n), ERR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_claims_for(s, "HQ0003", c, 4, &n), ERR_OK);
    assert_int_equal(n, 0);
    store_close(s);
}

/* An event the kiosk's checks would have stopped (an older kiosk's, or
 * a board changed since): stored straight into its queue. */
static void raw_event(struct store *s, enum event_kind k, const char *member,
                      const char *data)
{
    struct event ev = { .kind = k };
    clock_now(&ev.at);
    snprintf(ev.member_no, sizeof ev.member_no, "%s", member);
    snprintf(ev.data, sizeof ev.data, "%s", data);
    assert_int_equal(store_event_append(s, &ev), ERR_OK);
}

static const struct post_claim *find(const struct post_claim *c, size_t n,
                                     enum change_claim_kind k)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].kind == k)
            return &c[i];
    return NULL;
}

static void hub_refuses_what_the_kiosk_let_through(void **st)
{
    (void)st;
    struct store *s = kstore();
    raw_event(s, EVENT_POST_CLAIM, "HQ0003", "{\"post\":\"P2\",\"role\":"
              "\"member\"}");
    raw_event(s, EVENT_POST_SWAP, "HQ0042", "{\"post\":\"P1\",\"other\":"
              "\"HQ9999\",\"other_post\":\"P2\"}");
    raw_event(s, EVENT_POST_SWAP, "HQ0026", "{\"post\":\"P1\",\"other\":"
              "\"HQ0004\",\"other_post\":\"P2\"}");
    raw_event(s, EVENT_POST_CLAIM, "HQ0011", "{\"post\":\"P9\",\"role\":"
              "\"member\"}");
    store_close(s);
    round_of();
    round_of();                  /* the verdicts come back */
    s = kstore();
    struct post_claim c[4];
    size_t n = 0;
    assert_int_equal(store_claims_for(s, "HQ0003", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].state, CHANGE_CLAIM_DECLINED);
    assert_string_equal(c[0].reason, "post not open for claiming");
    assert_int_equal(store_claims_for(s, "HQ0042", c, 4, &n), ERR_OK);
    const struct post_claim *w = find(c, n, CHANGE_CLAIM_SWAP);
    assert_non_null(w);
    assert_int_equal(w->state, CHANGE_CLAIM_DECLINED);
    assert_string_equal(w->reason, "unknown member");
    assert_int_equal(store_claims_for(s, "HQ0026", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].reason, "other member holds no post");
    assert_int_equal(store_claims_for(s, "HQ0011", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(c[0].reason, "unknown post");
    store_close(s);
    /* Nothing pending at the hub: they were refused. */
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_claims_list(db, "claim", STATION, 480, f), ERR_OK);
    assert_int_equal(hub_claims_list(db, "swap", STATION, 480, f), ERR_OK);
    fclose(f);
    hub_db_close(db);
    assert_string_equal(out, "id,station,member_no,name,post,role,filed\n"
        "id,station,member_no,name,post,other_no,other_name,other_post,"
        "filed\n");
    free(out);
}

struct ids {
    int64_t id[8];
    char    member[8][32];
    size_t  n;
};

static void collect(void *ctx, const struct hub_claim *c)
{
    struct ids *x = ctx;
    if (x->n < 8) {
        snprintf(x->member[x->n], 32, "%s", c->member_no);
        x->id[x->n++] = c->id;
    }
}

static int64_t pending_of(const char *kind, const char *member)
{
    struct ids x = { .n = 0 };
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_claims_each(db, kind, STATION, "pending",
                                        collect, &x), ERR_OK);
    hub_db_close(db);
    for (size_t i = 0; i < x.n; i++)
        if (strcmp(x.member[i], member) == 0)
            return x.id[i];
    fail_msg("no pending %s of %s", kind, member);
    return 0;
}

static err_code decide(const char *kind, int64_t id, bool approve,
                       char *why, size_t cap)
{
    struct hub_db *db = hubfx_db();
    err_code e = hub_claim_decide_audited(db, kind, id, approve,
                                          approve ? NULL : "名额已满", "test",
                                          "tester", hub_now_ms(), why, cap);
    hub_db_close(db);
    return e;
}

static void count_row(void *ctx, const struct hub_audit_row *r)
{
    (void)r;
    (*(int *)ctx)++;
}

/* The audit lines of tester's decisions named action. */
static int audited(const char *action)
{
    struct hub_db *db = hubfx_db();
    struct hub_audit_filter f = { .actor = "tester", .action = action,
                                  .object = "station:" STATION,
                                  .limit = 100 };
    int n = 0;
    assert_int_equal(hub_db_audit_each(db, &f, count_row, &n), ERR_OK);
    hub_db_close(db);
    return n;
}

static char *post_data(const char *id)
{
    char *data = NULL;
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_published_get(db, STATION, "post", id, &data),
                     ERR_OK);
    hub_db_close(db);
    return data;
}

static void approval_rechecks_the_rules(void **st)
{
    (void)st;
    struct store *s = kstore();
    struct stamp now;
    const char *why;
    char msg[320];
    clock_now(&now);
    /* Two claims of P1's one place, two of P3's deputy: each passes
     * while the others are pending. */
    assert_int_equal(post_claim(s, "P1", "HQ0007", ROLE_MEMBER, &now, &why),
                     ERR_OK);
    assert_int_equal(post_claim(s, "P1", "HQ0008", ROLE_MEMBER, &now, &why),
                     ERR_OK);
    assert_int_equal(post_claim(s, "P3", "HQ0009", ROLE_DEPUTY, &now, &why),
                     ERR_OK);
    assert_int_equal(post_claim(s, "P3", "HQ0010", ROLE_DEPUTY, &now, &why),
                     ERR_OK);
    assert_int_equal(post_swap(s, "HQ0042", "HQ0030", "P2", &now, &why),
                     ERR_OK);
    store_close(s);
    round_of();
    assert_int_equal(decide("claim", pending_of("claim", "HQ0007"), true,
                            msg, sizeof msg), ERR_OK);
    assert_int_equal(decide("claim", pending_of("claim", "HQ0008"), true,
                            msg, sizeof msg), ERR_DENIED);
    assert_string_equal(msg, "post P1: post full");           /* a sixth */
    assert_int_equal(decide("claim", pending_of("claim", "HQ0009"), true,
                            msg, sizeof msg), ERR_OK);
    assert_int_equal(decide("claim", pending_of("claim", "HQ0010"), true,
                            msg, sizeof msg), ERR_DENIED);
    assert_string_equal(msg, "post P3: deputy taken");   /* a second one */
    /* A swap of another kind's id is refused; its own approved. */
    int64_t sw = pending_of("swap", "HQ0042");
    assert_int_equal(decide("claim", sw, true, msg, sizeof msg), ERR_DENIED);
    assert_int_equal(decide("swap", sw, true, msg, sizeof msg), ERR_OK);
    assert_int_equal(decide("claim", pending_of("claim", "HQ0008"), false,
                            msg, sizeof msg), ERR_OK);
    /* Each decision made is audited in its transaction; a refused one
     * (rules, wrong kind) left no line. */
    assert_int_equal(audited("claim.approve"), 2);
    assert_int_equal(audited("claim.decline"), 1);
    assert_int_equal(audited("swap.approve"), 1);
    char *p1 = post_data("P1"), *p2 = post_data("P2"), *p3 = post_data("P3");
    assert_non_null(strstr(p1, "\"member_no\":\"HQ0007\""));
    assert_null(strstr(p1, "\"member_no\":\"HQ0008\""));
    assert_non_null(strstr(p1, "\"open\":false"));
    assert_non_null(strstr(p1, "{\"member_no\":\"HQ0030\",\"name\":"));
    assert_null(strstr(p1, "\"HQ0042\""));
    assert_non_null(strstr(p2, "\"HQ0042\""));
    assert_null(strstr(p2, "\"HQ0030\""));
    assert_non_null(strstr(p3, "\"member_no\":\"HQ0009\""));
    assert_non_null(strstr(p3, "\"places\":1"));
    free(p1);
    free(p2);
    free(p3);
    /* The kiosk's boards and My record follow. */
    round_of();
    s = kstore();
    struct post_holder h[8];
    size_t n = 0;
    assert_int_equal(store_post_holders(s, "P1", h, 8, &n), ERR_OK);
    assert_int_equal(n, 5);
    bool deputy_free;
    assert_false(post_claim_open(s, "P1", &deputy_free));
    struct post_claim c[4];
    assert_int_equal(store_claims_for(s, "HQ0008", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].state, CHANGE_CLAIM_DECLINED);
    assert_string_equal(c[0].reason, "名额已满");
    assert_true(c[0].from_hub);
    assert_int_equal(store_claims_for(s, "HQ0007", c, 4, &n), ERR_OK);
    assert_int_equal(c[0].state, CHANGE_CLAIM_APPROVED);
    assert_int_equal(store_claims_for(s, "HQ0042", c, 4, &n), ERR_OK);
    assert_int_equal(find(c, n, CHANGE_CLAIM_SWAP)->state,
                     CHANGE_CLAIM_APPROVED);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(publishing_refuses_broken_rules),
        cmocka_unit_test(kiosk_refuses_and_stores_nothing),
        cmocka_unit_test(hub_refuses_what_the_kiosk_let_through),
        cmocka_unit_test(approval_rechecks_the_rules),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
