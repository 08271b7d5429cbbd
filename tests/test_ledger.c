/* tests/test_ledger.c - residents speak back, end to end: kiosks sync
 * with a real hub server in-process over real TLS (as test_sync.c), the
 * staff's steps go through hubctl's own ledger commands on the hub's
 * database. A request filed on an offline kiosk syncs later; the hub
 * accepts, assigns and answers; the kiosk shows the answer; the reporter
 * signs off with the PIN; the hub shows it closed. A wish is accepted,
 * claimed from two kiosks (one wins, the other learns it at its next
 * sync), done by its member and signed off, and the points reach the
 * member's record. Refusals: wrong PINs and the lockout (here, at the
 * hub and at the station's other kiosk), unknown tickets, an inactive
 * member's claim, a too long description at both ends. Privacy: the
 * phone is in no change the hub sends, and gone from the kiosk's
 * database file once the hub acknowledged it. */
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
#include "base/log.h"
#include "cmd/hubctl_ledger.h"
#include "firmware/config.h"
#include "firmware/store.h"
#include "firmware/store_ledger.h"
#include "firmware/summary.h"
#include "firmware/ticket.h"
#include "hub/hub_db.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_ledger.h"
#include "hub/hub_roster.h"
#include "hub/hub_stars.h"
#include "sync/sync.h"
#include "tests/support/hub_fixture.h"

#define STATION "sq-hongqi-01"
#define PHONE "13912345678"

static int setup_all(void **state)
{
    (void)state;
    hubfx_init("test_ledger");
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_station_add(db, STATION, "HQ"), ERR_OK);
    int n = 0;
    assert_int_equal(hub_roster_import(db, "assets/demo/roster.csv",
                                       false, false, stderr, &n), ERR_OK);
    assert_int_equal(hub_ledger_types_load(db, "assets/demo/ledger_types.json",
                                           stderr, &n), ERR_OK);
    assert_int_equal(n, 10);
    hub_db_close(db);
    hubfx_start();
    hubfx_enrol(STATION, "kiosk-1", "k1.key", "k1.crt");
    hubfx_enrol(STATION, "kiosk-2", "k2.key", "k2.crt");
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    hubfx_stop();
    return 0;
}

static struct sync *kiosk(int n, int port)
{
    char db[16], crt[16], key[16];
    snprintf(db, sizeof db, "k%d.db", n);
    snprintf(crt, sizeof crt, "k%d.crt", n);
    snprintf(key, sizeof key, "k%d.key", n);
    struct sync_opts o = { .db_path = hubfx_path(db), .host = "127.0.0.1",
                           .port = port, .ca_file = hubfx_path("hub/ca.crt"),
                           .cert_file = hubfx_path(crt),
                           .key_file = hubfx_path(key), .station = STATION,
                           .timeout_ms = 3000, .batch = 200,
                           .debounce_ms = 20, .backoff_min_ms = 20,
                           .backoff_max_ms = 200 };
    struct sync *s = NULL;
    assert_int_equal(sync_create(&o, &s), ERR_OK);
    return s;
}

static void round_of(int n)
{
    struct sync *s = kiosk(n, hubfx_port());
    assert_int_equal(sync_round(s), ERR_OK);
    sync_destroy(s);
}

static struct store *kstore(int n)
{
    char db[16];
    snprintf(db, sizeof db, "k%d.db", n);
    struct store *s = NULL;
    assert_int_equal(store_open(hubfx_path(db), &s), ERR_OK);
    return s;
}

static void kcfg(struct config *cfg, int n)
{
    config_defaults(cfg);
    snprintf(cfg->station_id, sizeof cfg->station_id, "%s", STATION);
    snprintf(cfg->member_prefix, sizeof cfg->member_prefix, "HQ");
    snprintf(cfg->device_id, sizeof cfg->device_id, "kiosk-%d", n);
}

/* hubctl ledger ARGS... on the hub's database, as staff would run it. */
static int hubctl(const char *first, ...)
{
    char *argv[16];
    int argc = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    struct hub_db *db = hubfx_db();
    int rc = hubctl_ledger(db, 480, argc, argv);
    hub_db_close(db);
    return rc;
}

static struct hub_ticket hub_ticket(const char *t)
{
    struct hub_ticket h;
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_ledger_get(db, t, &h), ERR_OK);
    hub_db_close(db);
    return h;
}

static void now_stamp(struct stamp *now)
{
    clock_now(now);
}

/* Every change the hub would send the station's kiosks, from the start. */
static char *feed_all(void)
{
    struct hub_db *db = hubfx_db();
    char *all = NULL, *page = NULL, cursor[64] = "";
    size_t n = 0, len;
    FILE *f = open_memstream(&all, &n);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(hub_db_changes(db, STATION, "kiosk-1", cursor,
                                        hub_now_ms(), &page, &len), ERR_OK);
        fwrite(page, 1, len, f);
        char *c = strstr(page, "\"cursor\":\"");
        assert_non_null(c);
        sscanf(c + 10, "%63[^\"]", cursor);
        bool more = strstr(page, "\"more\":true") != NULL;
        free(page);
        if (!more)
            break;
    }
    fclose(f);
    hub_db_close(db);
    return all;
}

static bool file_holds(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 1 << 20, n, k = strlen(needle);
    char *buf = malloc(cap);
    bool found = false;
    /* Overlapping windows, so a match across two reads is seen. */
    size_t keep = 0;
    while ((n = fread(buf + keep, 1, cap - keep, f)) > 0) {
        n += keep;
        for (size_t i = 0; i + k <= n && !found; i++)
            found = memcmp(buf + i, needle, k) == 0;
        keep = n >= k ? k - 1 : n;
        memmove(buf, buf + n - keep, keep);
    }
    free(buf);
    fclose(f);
    return found;
}

/* ---- a request, end to end ------------------------------------------- */

static char request_ticket[LEDGER_TICKET];
static char request_pin[5];

static void request_filed_offline_answered_and_signed_off(void **st)
{
    (void)st;
    struct config cfg;
    struct stamp now;
    const char *why = NULL;
    kcfg(&cfg, 1);
    round_of(1);                                   /* types from the hub */
    struct store *k = kstore(1);
    struct ledger_type types[16];
    size_t n = 0;
    assert_int_equal(store_ledger_types(k, LEDGER_REQUEST, types, 16, &n),
                     ERR_OK);
    assert_int_equal(n, 8);
    assert_string_equal(types[0].name, "环境卫生");
    assert_true(types[1].n_presets >= 3);

    /* The hub is away: nothing answers on this port. */
    struct sync *away = kiosk(1, 1);
    now_stamp(&now);
    struct ticket_request rq = { .kind = LEDGER_REQUEST, .type = "repair",
                                 .building = "3号楼", .unit = "2单元",
                                 .text = "楼道灯不亮", .phone = PHONE };
    struct ticket_filed tf;
    assert_int_equal(ticket_file(k, &cfg, &rq, &now, &why, &tf), ERR_OK);
    assert_string_equal(tf.ticket, "HQ01-1-0001");
    assert_true(ledger_pin_ok(tf.pin));
    assert_int_not_equal(sync_round(away), ERR_OK);
    sync_destroy(away);
    struct ticket t;
    assert_int_equal(store_ticket_find(k, "10001", &t), ERR_OK);
    assert_int_equal(t.state, LEDGER_REGISTERED);
    assert_false(t.from_hub);
    strcpy(request_ticket, tf.ticket);
    strcpy(request_pin, tf.pin);

    round_of(1);                                   /* back online */
    struct hub_ticket h = hub_ticket(tf.ticket);
    assert_int_equal(h.state, LEDGER_REGISTERED);
    assert_string_equal(h.phone, PHONE);           /* staff may call back */
    assert_string_equal(h.text, "楼道灯不亮");

    assert_int_equal(hubctl("accept", tf.ticket, "--by", "李主任", NULL), 0);
    assert_int_equal(hubctl("assign", tf.ticket, "网格长王强", "--days", "3",
                            "--by", "李主任", NULL), 0);
    assert_int_equal(hubctl("answer", tf.ticket, "已更换楼道灯泡", "--by",
                            "网格长王强", NULL), 0);
    /* A step out of order is refused. */
    assert_int_not_equal(hubctl("accept", tf.ticket, "--by", "李主任", NULL),
                         0);

    round_of(1);
    assert_int_equal(store_ticket_get(k, tf.ticket, &t), ERR_OK);
    assert_int_equal(t.state, LEDGER_ANSWERED);
    assert_string_equal(t.answer, "已更换楼道灯泡");
    assert_true(t.accepted_ms > 0 && t.assigned_ms > 0 && t.answered_ms > 0);

    enum ticket_pin r;
    int left;
    int64_t until;
    char wrong[12];
    snprintf(wrong, sizeof wrong, "%04d", (atoi(tf.pin) + 1) % 10000);
    assert_int_equal(ticket_pin_check(k, tf.ticket, wrong, &now, &r, &left,
                                      &until), ERR_OK);
    assert_int_equal(r, TICKET_PIN_WRONG);
    assert_int_equal(left, LEDGER_PIN_TRIES - 1);
    assert_int_equal(ticket_pin_check(k, tf.ticket, tf.pin, &now, &r, &left,
                                      &until), ERR_OK);
    assert_int_equal(r, TICKET_PIN_OK);
    assert_int_equal(ticket_signoff(k, tf.ticket, wrong, true, "", &now,
                                    &why), ERR_INVAL);
    assert_string_equal(why, "wrong PIN");
    assert_int_equal(ticket_signoff(k, tf.ticket, tf.pin, true, "", &now,
                                    &why), ERR_OK);
    round_of(1);
    h = hub_ticket(tf.ticket);
    assert_int_equal(h.state, LEDGER_CLOSED);
    assert_int_equal(h.signoffs, 1);
    assert_int_equal(h.satisfied, 1);
    assert_int_equal(store_ticket_get(k, tf.ticket, &t), ERR_OK);
    assert_int_equal(t.state, LEDGER_CLOSED);
    assert_true(t.from_hub);
    assert_int_equal(hubctl("show", tf.ticket, NULL), 0);
    store_close(k);
}

/* Not satisfied reopens it (重新办理), with the reason, until answered
 * again and signed off. */
static void unsatisfied_reopens(void **st)
{
    (void)st;
    struct config cfg;
    struct stamp now;
    const char *why;
    struct ticket_filed tf;
    kcfg(&cfg, 1);
    struct store *k = kstore(1);
    now_stamp(&now);
    struct ticket_request rq = { .kind = LEDGER_REQUEST, .type = "noise",
                                 .building = "5号楼", .unit = "",
                                 .text = "夜间装修噪音", .phone = "" };
    assert_int_equal(ticket_file(k, &cfg, &rq, &now, &why, &tf), ERR_OK);
    assert_string_equal(tf.ticket, "HQ01-1-0002");
    round_of(1);
    assert_int_equal(hubctl("accept", tf.ticket, "--by", "李主任", NULL), 0);
    assert_int_equal(hubctl("answer", tf.ticket, "已联系物业", "--by", "李主任",
                            NULL), 0);
    round_of(1);
    assert_int_equal(ticket_signoff(k, tf.ticket, tf.pin, false, "", &now,
                                    &why), ERR_INVAL);
    assert_string_equal(why, "reason missing");
    assert_int_equal(ticket_signoff(k, tf.ticket, tf.pin, false,
                                    "晚上还在施工", &now, &why), ERR_OK);
    round_of(1);
    struct hub_ticket h = hub_ticket(tf.ticket);
    assert_int_equal(h.state, LEDGER_REOPENED);
    assert_string_equal(h.reason, "晚上还在施工");
    assert_int_equal(hubctl("answer", tf.ticket, "已责令停止夜间施工", "--by",
                            "李主任", NULL), 0);
    /* The reporter's yes given by phone, recorded by staff. */
    assert_int_equal(hubctl("close", tf.ticket, "satisfied", "--by", "李主任",
                            NULL), 0);
    h = hub_ticket(tf.ticket);
    assert_int_equal(h.state, LEDGER_CLOSED);
    assert_int_equal(h.signoffs, 2);
    assert_int_equal(h.satisfied, 1);
    store_close(k);
}

/* ---- a wish, end to end --------------------------------------------- */

static void wish_claimed_twice_done_signed_off_points_arrive(void **st)
{
    (void)st;
    struct config cfg;
    struct stamp now;
    const char *why;
    struct ticket_filed tf;
    kcfg(&cfg, 1);
    struct store *k1 = kstore(1);
    now_stamp(&now);
    struct ticket_request rq = { .kind = LEDGER_WISH, .type = "daily",
                                 .building = "2号楼", .unit = "1单元",
                                 .text = "帮忙代买药品", .phone = "" };
    /* A request-only type is no wish. */
    rq.type = "noise";
    assert_int_equal(ticket_file(k1, &cfg, &rq, &now, &why, &tf), ERR_INVAL);
    assert_string_equal(why, "unknown type");
    rq.type = "daily";
    assert_int_equal(ticket_file(k1, &cfg, &rq, &now, &why, &tf), ERR_OK);
    round_of(1);
    round_of(2);
    struct store *k2 = kstore(2);
    struct ticket wall[8];
    size_t n;
    assert_int_equal(store_wishes_open(k2, wall, 8, &n), ERR_OK);
    assert_int_equal(n, 0);                 /* not on the wall before staff
                                             * read and accept it */
    assert_int_equal(hubctl("accept", tf.ticket, "--by", "李主任", NULL), 0);
    round_of(1);
    round_of(2);
    assert_int_equal(store_wishes_open(k2, wall, 8, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(wall[0].text, "帮忙代买药品");

    /* Both kiosks take a claim before either syncs. */
    assert_int_equal(wish_claim(k1, tf.ticket, "HQ0003", &now, &why), ERR_OK);
    assert_int_equal(wish_claim(k2, tf.ticket, "HQ0004", &now, &why), ERR_OK);
    struct wish_claim c[4];
    assert_int_equal(store_wish_claims_for(k2, "HQ0004", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(wish_claim_state(&c[0]), WISH_CLAIM_SENT);
    round_of(1);                                  /* kiosk 1 is first */
    round_of(2);
    assert_int_equal(store_wish_claims_for(k2, "HQ0004", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(wish_claim_state(&c[0]), WISH_CLAIM_LOST);
    assert_int_equal(store_wish_claims_for(k1, "HQ0003", c, 4, &n), ERR_OK);
    assert_int_equal(wish_claim_state(&c[0]), WISH_CLAIM_WON);
    struct hub_ticket h = hub_ticket(tf.ticket);
    assert_string_equal(h.assignee, "HQ0003");
    /* The loser's claim is kept aside at the hub with its reason. */
    struct hub_db *db = hubfx_db();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(hub_db_refused_csv(db, STATION, f), ERR_OK);
    fclose(f);
    hub_db_close(db);
    assert_non_null(strstr(buf, "wish already claimed"));
    free(buf);

    /* Only the claimer marks it done. */
    assert_int_equal(wish_done(k2, tf.ticket, "HQ0004", "", &now, &why),
                     ERR_INVAL);
    assert_int_equal(wish_done(k1, tf.ticket, "HQ0003", "药已送到", &now,
                               &why), ERR_OK);
    round_of(1);
    round_of(2);
    /* The resident signs off at the other kiosk of the station. */
    assert_int_equal(ticket_signoff(k2, tf.ticket, tf.pin, true, "", &now,
                                    &why), ERR_OK);
    round_of(2);
    h = hub_ticket(tf.ticket);
    assert_int_equal(h.state, LEDGER_CLOSED);
    assert_int_equal(h.points, 3);                /* the type's rule */
    round_of(1);
    assert_int_equal(store_wish_claims_for(k1, "HQ0003", c, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(c[0].t.state, LEDGER_CLOSED);
    assert_int_equal(c[0].t.points, 3);
    /* In the member's record totals, at either kiosk of the station. */
    struct config kc;
    struct member_summary ms;
    kcfg(&kc, 1);
    clock_now(&now);
    assert_int_equal(summary_for(k1, &kc, "HQ0003", &now, &ms), ERR_OK);
    assert_int_equal(ms.month.points, 3);
    assert_int_equal(ms.year.points, 3);
    assert_int_equal(summary_for(k2, &kc, "HQ0003", &now, &ms), ERR_OK);
    assert_int_equal(ms.year.points, 3);
    assert_int_equal(summary_for(k2, &kc, "HQ0004", &now, &ms), ERR_OK);
    assert_int_equal(ms.year.points, 0);
    /* The hub's star board counts the wish too; once its totals reach
     * the kiosk, My record shows the hub's figure and rank, the wish
     * counted once (not the hub's 3 plus the kiosk's 3). */
    {
        struct hub_db *sdb = hubfx_db();
        int changes = 0;
        assert_int_equal(hub_stars_publish(sdb, STATION, clock_wall_ms(),
                                           480, stderr, &changes), ERR_OK);
        hub_db_close(sdb);
        assert_true(changes > 0);
        round_of(1);
        clock_now(&now);
        assert_int_equal(summary_for(k1, &kc, "HQ0003", &now, &ms), ERR_OK);
        assert_true(ms.month.from_hub);
        assert_int_equal(ms.month.points, 3);
        assert_int_equal(ms.month.rank, 1);
        assert_int_equal(ms.year.points, 3);
    }
    /* hubctl ledger claims: the wish, its claimer and the points. */
    char *csv = NULL;
    size_t csv_len = 0;
    FILE *cf = open_memstream(&csv, &csv_len);
    struct hub_db *hdb = hubfx_db();
    assert_int_equal(hub_ledger_list(hdb, STATION, "wish", "closed", false,
                                     clock_wall_ms(), 480, cf), ERR_OK);
    hub_db_close(hdb);
    fclose(cf);
    char want[96];
    snprintf(want, sizeof want, "\"%s\",", tf.ticket);
    assert_non_null(strstr(csv, want));
    assert_non_null(strstr(csv, "\"HQ0003\",0,3\n"));
    free(csv);
    assert_int_equal(hubctl("claims", "--station", STATION, NULL), 0);
    store_close(k1);
    store_close(k2);
}

/* ---- refusals ---------------------------------------------------------- */

static void wrong_pins_lock_here_at_the_hub_and_next_door(void **st)
{
    (void)st;
    struct config cfg;
    struct stamp now;
    const char *why;
    struct ticket_filed tf;
    kcfg(&cfg, 1);
    struct store *k = kstore(1);
    now_stamp(&now);
    struct ticket_request rq = { .kind = LEDGER_REQUEST, .type = "safety",
                                 .building = "1号楼", .unit = "",
                                 .text = "电动车楼道充电", .phone = "" };
    assert_int_equal(ticket_file(k, &cfg, &rq, &now, &why, &tf), ERR_OK);
    round_of(1);
    round_of(2);
    char wrong[12];
    snprintf(wrong, sizeof wrong, "%04d", (atoi(tf.pin) + 7) % 10000);
    enum ticket_pin r;
    int left;
    int64_t until;
    for (int i = 1; i < LEDGER_PIN_TRIES; i++) {
        assert_int_equal(ticket_pin_check(k, tf.ticket, wrong, &now, &r,
                                          &left, &until), ERR_OK);
        assert_int_equal(r, TICKET_PIN_WRONG);
        assert_int_equal(left, LEDGER_PIN_TRIES - i);
    }
    assert_int_equal(ticket_pin_check(k, tf.ticket, wrong, &now, &r, &left,
                                      &until), ERR_OK);
    assert_int_equal(r, TICKET_PIN_LOCKED);
    assert_int_equal(until, now.wall_ms + LEDGER_LOCK_MS);
    /* The right PIN does not open a locked ticket. */
    assert_int_equal(ticket_pin_check(k, tf.ticket, tf.pin, &now, &r, &left,
                                      &until), ERR_OK);
    assert_int_equal(r, TICKET_PIN_LOCKED);
    round_of(1);
    struct hub_ticket h = hub_ticket(tf.ticket);
    assert_true(h.locked_until_ms > now.wall_ms);
    round_of(2);
    struct store *k2 = kstore(2);
    assert_int_equal(ticket_pin_check(k2, tf.ticket, tf.pin, &now, &r, &left,
                                      &until), ERR_OK);
    assert_int_equal(r, TICKET_PIN_LOCKED);
    /* After the lock: the right PIN opens it. */
    struct stamp later = now;
    later.wall_ms += LEDGER_LOCK_MS + 1000;
    assert_int_equal(ticket_pin_check(k2, tf.ticket, tf.pin, &later, &r,
                                      &left, &until), ERR_OK);
    assert_int_equal(r, TICKET_PIN_OK);
    /* The hub checks a sign-off's PIN itself. */
    assert_int_equal(hubctl("accept", tf.ticket, "--by", "李主任", NULL), 0);
    assert_int_equal(hubctl("answer", tf.ticket, "已清理", "--by", "李主任",
                            NULL), 0);
    char bad_hash[LEDGER_PIN_HASH];
    ledger_pin_hash(tf.ticket, wrong, bad_hash);
    struct hub_ledger_act a = { .step = LEDGER_STEP_SIGNOFF,
                                .actor = "reporter", .satisfied = true,
                                .text = "", .pin_hash = bad_hash,
                                .station = STATION,
                                .at = later.wall_ms + LEDGER_LOCK_MS };
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_ledger_act(db, tf.ticket, &a, &why), ERR_DENIED);
    assert_string_equal(why, "wrong PIN");
    a.station = "sq-other-02";
    assert_int_equal(hub_db_ledger_act(db, tf.ticket, &a, &why), ERR_DENIED);
    assert_string_equal(why, "ticket of another station");
    hub_db_close(db);
    store_close(k);
    store_close(k2);
}

static void unknown_tickets_refused(void **st)
{
    (void)st;
    struct store *k = kstore(1);
    struct stamp now;
    struct ticket t;
    enum ticket_pin r;
    int left;
    int64_t until;
    const char *why;
    now_stamp(&now);
    assert_int_equal(store_ticket_find(k, "99999", &t), ERR_NOTFOUND);
    assert_int_equal(ticket_pin_check(k, "HQ01-9-9999", "1234", &now, &r,
                                      &left, &until), ERR_NOTFOUND);
    assert_int_equal(ticket_signoff(k, "HQ01-9-9999", "1234", true, "", &now,
                                    &why), ERR_NOTFOUND);
    assert_int_equal(wish_claim(k, "HQ01-9-9999", "HQ0005", &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "unknown ticket");
    assert_int_not_equal(hubctl("show", "HQ01-9-9999", NULL), 0);
    assert_int_not_equal(hubctl("accept", "HQ01-9-9999", "--by", "x", NULL),
                         0);
    store_close(k);
}

static void inactive_member_claim_refused_at_both_ends(void **st)
{
    (void)st;
    struct config cfg;
    struct stamp now;
    const char *why;
    struct ticket_filed tf;
    kcfg(&cfg, 1);
    /* HQ0060 leaves: the roster without the last line. */
    FILE *in = fopen("assets/demo/roster.csv", "r");
    FILE *out = fopen(hubfx_path("roster59.csv"), "w");
    char line[512];
    while (fgets(line, sizeof line, in))
        if (strncmp(line, "HQ0060,", 7) != 0)
            fputs(line, out);
    fclose(in);
    fclose(out);
    struct hub_db *db = hubfx_db();
    int n;
    assert_int_equal(hub_roster_import(db, hubfx_path("roster59.csv"), true,
                                       false, stderr, &n), ERR_OK);
    hub_db_close(db);
    struct store *k = kstore(1);
    now_stamp(&now);
    struct ticket_request rq = { .kind = LEDGER_WISH, .type = "study",
                                 .building = "4号楼", .unit = "",
                                 .text = "教老人使用智能手机", .phone = "" };
    assert_int_equal(ticket_file(k, &cfg, &rq, &now, &why, &tf), ERR_OK);
    round_of(1);
    assert_int_equal(hubctl("accept", tf.ticket, "--by", "李主任", NULL), 0);
    round_of(1);
    assert_int_equal(wish_claim(k, tf.ticket, "HQ0060", &now, &why),
                     ERR_INVAL);
    assert_string_equal(why, "member inactive");
    assert_int_not_equal(hubctl("claim", tf.ticket, "HQ0060", NULL), 0);
    struct hub_ticket h = hub_ticket(tf.ticket);
    assert_int_equal(h.state, LEDGER_ACCEPTED);
    assert_string_equal(h.assignee, "");
    assert_int_equal(hubctl("claim", tf.ticket, "HQ0007", NULL), 0);
    store_close(k);
}

static void too_long_description_refused_at_both_ends(void **st)
{
    (void)st;
    struct config cfg;
    struct stamp now;
    const char *why;
    struct ticket_filed tf;
    char text[LEDGER_TEXT_BYTES + 8] = "";
    kcfg(&cfg, 1);
    for (int i = 0; i < LEDGER_TEXT_CHARS; i++)
        strcat(text, "修");
    struct store *k = kstore(1);
    now_stamp(&now);
    struct ticket_request rq = { .kind = LEDGER_REQUEST, .type = "repair",
                                 .building = "1号楼", .unit = "",
                                 .text = text, .phone = "" };
    strcat(text, "理");                              /* 141 characters */
    assert_int_equal(ticket_file(k, &cfg, &rq, &now, &why, &tf), ERR_INVAL);
    assert_string_equal(why, "description too long");
    /* A kiosk that skipped its own rule is refused by the hub. */
    struct event ev = { .kind = EVENT_LEDGER_FILE, .at = now };
    char hash[LEDGER_PIN_HASH];
    ledger_pin_hash("HQ01-1-0777", "1234", hash);
    snprintf(ev.data, sizeof ev.data, "{\"ticket\":\"HQ01-1-0777\","
             "\"kind\":\"request\",\"type\":\"repair\",\"building\":\"1号楼\","
             "\"unit\":\"\",\"text\":\"%s\",\"pin_hash\":\"%s\"}", text, hash);
    assert_int_equal(store_begin(k), ERR_OK);
    assert_int_equal(store_event_append(k, &ev), ERR_OK);
    assert_int_equal(store_commit(k), ERR_OK);
    round_of(1);
    struct hub_ticket h;
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_ledger_get(db, "HQ01-1-0777", &h), ERR_NOTFOUND);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(hub_db_refused_csv(db, STATION, f), ERR_OK);
    fclose(f);
    hub_db_close(db);
    assert_non_null(strstr(buf, "description too long"));
    free(buf);
    store_close(k);
}

/* ---- privacy and the export -------------------------------------------- */

static void phone_never_in_feed_and_gone_from_kiosk(void **st)
{
    (void)st;
    char *feed = feed_all();
    assert_non_null(strstr(feed, request_ticket));    /* tickets are there */
    assert_null(strstr(feed, PHONE));
    assert_null(strstr(feed, "phone\""));
    free(feed);
    /* Acknowledged: the event keeps no phone, and the file neither (the
     * store overwrites what it deletes; closing checkpoints the WAL). */
    struct store *k = kstore(1);
    uint64_t acked = 0, last = 0;
    assert_int_equal(store_acked_seq(k, &acked), ERR_OK);
    assert_int_equal(store_last_seq(k, &last), ERR_OK);
    assert_int_equal(acked, last);
    struct event evs[64];
    size_t n = 0;
    assert_int_equal(store_events_after(k, 0, evs, 64, &n), ERR_OK);
    int filings = 0;
    for (size_t i = 0; i < n; i++)
        if (evs[i].kind == EVENT_LEDGER_FILE) {
            filings++;
            assert_null(strstr(evs[i].data, "phone"));
        }
    assert_true(filings >= 4);
    store_close(k);
    assert_false(file_holds(hubfx_path("k1.db"), PHONE));
    assert_false(file_holds(hubfx_path("k1.db-wal"), PHONE));
    /* The hub keeps it for the callback. */
    assert_string_equal(hub_ticket(request_ticket).phone, PHONE);
}

static void export_counts_by_type_and_state(void **st)
{
    (void)st;
    char day[11], *buf = NULL;
    size_t len = 0;
    clock_ymd(clock_wall_ms(), 480, day);
    struct hub_db *db = hubfx_db();
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(hub_ledger_export(db, STATION, day, day, 480,
                                       clock_wall_ms(), f), ERR_OK);
    fclose(f);
    assert_int_equal(hub_ledger_export(db, STATION, day, "2020-01-01", 480,
                                       clock_wall_ms(), stderr), ERR_INVAL);
    hub_db_close(db);
    /* repair: one filed and closed, satisfied; noise: signed off twice,
     * once satisfied (50%); the total row last (the refused filing is not in it). */
    char want[160];
    snprintf(want, sizeof want, "\"%s\",\"%s\",\"%s\",\"repair\",1,0,0,0,0,1,"
             "0,0,", STATION, day, day);
    assert_non_null(strstr(buf, want));
    assert_non_null(strstr(buf, ",2,1,50\n"));
    snprintf(want, sizeof want, "\"%s\",\"%s\",\"%s\",\"*\",5,", STATION,
             day, day);
    assert_non_null(strstr(buf, want));
    free(buf);
    assert_int_equal(hubctl("list", "--overdue", NULL), 0);
    assert_int_equal(hubctl("export", STATION, day, day, NULL), 0);
}

int main(void)
{
    log_set_level(LOG_LVL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_filed_offline_answered_and_signed_off),
        cmocka_unit_test(unsatisfied_reopens),
        cmocka_unit_test(wish_claimed_twice_done_signed_off_points_arrive),
        cmocka_unit_test(wrong_pins_lock_here_at_the_hub_and_next_door),
        cmocka_unit_test(unknown_tickets_refused),
        cmocka_unit_test(inactive_member_claim_refused_at_both_ends),
        cmocka_unit_test(too_long_description_refused_at_both_ends),
        cmocka_unit_test(phone_never_in_feed_and_gone_from_kiosk),
        cmocka_unit_test(export_counts_by_type_and_state),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
