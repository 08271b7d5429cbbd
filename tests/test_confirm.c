/* tests/test_confirm.c - service confirmed by the person served (服务确认),
 * end to end: kiosks sync with a real hub server in-process over real TLS
 * (as test_ledger.c). A member logs service for a resident's wish at one
 * kiosk; the hub sends the station's kiosks what the resident may
 * confirm; the resident answers at the other kiosk with the ticket's PIN;
 * the hub decides the log (method kiosk_pin, by "resident") and the
 * member's kiosk shows it confirmed with its method. Staff confirm with
 * each method and reject only with a reason, which reaches the member's
 * kiosk. Refusals: a wrong PIN, a second answer, a resident's answer for
 * a log that does not name that ticket, kiosk_pin claimed by staff, an
 * unknown method or rating, a malformed served place or ticket at both
 * ends, a served ticket of another station. */
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
#include "base/service_confirm.h"
#include "cmd/hubctl_ledger.h"
#include "firmware/config.h"
#include "firmware/served.h"
#include "firmware/service.h"
#include "firmware/store.h"
#include "firmware/store_confirm.h"
#include "firmware/store_ledger.h"
#include "firmware/ticket.h"
#include "hub/hub_audit.h"
#include "hub/hub_db.h"
#include "hub/hub_db_confirm.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_db_trend.h"
#include "hub/hub_db_users.h"
#include "hub/hub_ledger.h"
#include "hub/hub_review.h"
#include "hub/hub_roster.h"
#include "sync/sync.h"
#include "tests/support/hub_fixture.h"

#define STATION "sq-hongqi-01"

static int setup_all(void **state)
{
    (void)state;
    hubfx_init("test_confirm");
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_station_add(db, STATION, "HQ"), ERR_OK);
    assert_int_equal(hub_db_station_add(db, "sq-other", "OT"), ERR_OK);
    int n = 0;
    assert_int_equal(hub_roster_import(db, "assets/demo/roster.csv",
                                       false, false, stderr, &n), ERR_OK);
    assert_int_equal(hub_ledger_types_load(db, "assets/demo/ledger_types.json",
                                           stderr, &n), ERR_OK);
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

static void round_of(int n)
{
    char db[16], crt[16], key[16];
    snprintf(db, sizeof db, "k%d.db", n);
    snprintf(crt, sizeof crt, "k%d.crt", n);
    snprintf(key, sizeof key, "k%d.key", n);
    struct sync_opts o = { .db_path = hubfx_path(db), .host = "127.0.0.1",
                           .port = hubfx_port(),
                           .ca_file = hubfx_path("hub/ca.crt"),
                           .cert_file = hubfx_path(crt),
                           .key_file = hubfx_path(key), .station = STATION,
                           .timeout_ms = 3000, .batch = 200,
                           .debounce_ms = 20, .backoff_min_ms = 20,
                           .backoff_max_ms = 200 };
    struct sync *s = NULL;
    assert_int_equal(sync_create(&o, &s), ERR_OK);
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

/* The hub's CSV of one function, as staff read it. */
static char *logs_csv(void)
{
    struct hub_db *db = hubfx_db();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(hub_review_logs(db, STATION, f), ERR_OK);
    fclose(f);
    hub_db_close(db);
    return buf;
}

static char *refused_csv(void)
{
    struct hub_db *db = hubfx_db();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(hub_db_refused_csv(db, STATION, f), ERR_OK);
    fclose(f);
    hub_db_close(db);
    return buf;
}

/* A member's log on kiosk n, its seq. */
static uint64_t log_on(int n, const char *member, int minutes,
                       const char *place, const char *ticket)
{
    struct config cfg;
    struct stamp now;
    enum service_refusal why;
    struct service_log l;
    kcfg(&cfg, n);
    clock_now(&now);
    struct store *k = kstore(n);
    struct service_request rq = { .member_no = member, .category = "elderly_care",
                                  .minutes = minutes, .served_place = place,
                                  .served_ticket = ticket };
    assert_int_equal(service_log(k, &cfg, &rq, &now, &why, &l), ERR_OK);
    store_close(k);
    return l.seq;
}

/* The member's log seq on kiosk n as the kiosk holds it now. */
static struct service_log kiosk_log(int n, const char *member, uint64_t seq)
{
    struct service_log logs[32];
    size_t m;
    struct store *k = kstore(n);
    assert_int_equal(store_logs_for(k, member, 0, INT64_MAX / 2, logs, 32, &m),
                     ERR_OK);
    store_close(k);
    for (size_t i = 0; i < m; i++)
        if (logs[i].seq == seq)
            return logs[i];
    fail_msg("no log %llu of %s on kiosk %d", (unsigned long long)seq,
             member, n);
    return logs[0];
}

static struct ticket_filed wish;

/* A resident's wish filed at kiosk 2, accepted by staff, claimed by the
 * member at kiosk 1. */
static void file_wish(void)
{
    struct config cfg;
    struct stamp now;
    const char *why;
    kcfg(&cfg, 2);
    clock_now(&now);
    round_of(1);                      /* the roster and the ledger's types */
    round_of(2);
    struct store *k2 = kstore(2);
    struct ticket_request rq = { .kind = LEDGER_WISH, .type = "daily",
                                 .building = "2号楼", .unit = "1单元",
                                 .text = "帮忙代买药品", .phone = "" };
    assert_int_equal(ticket_file(k2, &cfg, &rq, &now, &why, &wish), ERR_OK);
    store_close(k2);
    round_of(2);
    assert_int_equal(hubctl("accept", wish.ticket, "--by", "李主任", NULL), 0);
    round_of(1);
    struct store *k1 = kstore(1);
    err_code e = wish_claim(k1, wish.ticket, "HQ0003", &now, &why);
    if (e != ERR_OK)
        fail_msg("claim: %s", why ? why : err_str(e));
    store_close(k1);
    round_of(1);
}

static void resident_confirms_with_pin_and_member_sees_it(void **st)
{
    (void)st;
    file_wish();
    uint64_t seq = log_on(1, "HQ0003", 60, "2号楼/1单元", wish.ticket);
    round_of(1);
    char *csv = logs_csv();
    assert_non_null(strstr(csv, "\"pending\""));
    assert_non_null(strstr(csv, wish.ticket));
    assert_non_null(strstr(csv, "2号楼/1单元"));
    free(csv);

    /* The other kiosk of the station learns what the resident may
     * confirm: who, what, how long; never the phone. */
    round_of(2);
    struct store *k2 = kstore(2);
    struct awaiting w[4];
    size_t n;
    assert_int_equal(store_awaiting_for(k2, wish.ticket, w, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_string_equal(w[0].a.name, "郑丽华");
    assert_string_equal(w[0].a.category, "elderly_care");
    assert_int_equal(w[0].a.minutes, 60);
    assert_int_equal(w[0].a.seq, seq);
    assert_string_equal(w[0].a.device, "kiosk-1");

    struct stamp now;
    clock_now(&now);
    const char *why;
    struct served_answer ans = { .ticket = wish.ticket, .pin = "0000",
                                 .key = w[0].key, .confirmed = true,
                                 .rating = CONFIRM_SATISFIED };
    if (strcmp(wish.pin, "0000") == 0)
        ans.pin = "1111";
    assert_int_equal(served_answer(k2, &ans, &now, &why), ERR_INVAL);
    assert_string_equal(why, "wrong PIN");
    /* 不属实 needs a reason. */
    ans.pin = wish.pin;
    ans.confirmed = false;
    assert_int_equal(served_answer(k2, &ans, &now, &why), ERR_INVAL);
    assert_string_equal(why, "reason missing");
    ans.confirmed = true;
    assert_int_equal(served_answer(k2, &ans, &now, &why), ERR_OK);
    /* Asked once: answered here, not asked again before the hub says. */
    assert_int_equal(served_answer(k2, &ans, &now, &why), ERR_INVAL);
    assert_string_equal(why, "not awaiting");
    assert_int_equal(store_awaiting_for(k2, wish.ticket, w, 4, &n), ERR_OK);
    assert_int_equal(n, 0);
    store_close(k2);
    round_of(2);

    csv = logs_csv();
    char want[160];
    snprintf(want, sizeof want, "\"confirmed\",2,\"kiosk_pin\",\"satisfied\","
             "\"resident\",\"\",\"2号楼/1单元\",\"%s\"", wish.ticket);
    assert_non_null(strstr(csv, want));
    free(csv);

    /* The member's kiosk: confirmed, and how. */
    round_of(1);
    struct service_log l = kiosk_log(1, "HQ0003", seq);
    assert_int_equal(l.status, LOG_CONFIRMED);
    assert_int_equal(l.method, CONFIRM_KIOSK_PIN);
    assert_int_equal(l.rating, CONFIRM_SATISFIED);
    assert_int_equal(l.points, 2);
    assert_true(l.decided_ms > 0);
    assert_string_equal(l.served_ticket, wish.ticket);
    /* Decided: withdrawn from every kiosk of the station. */
    round_of(2);
    k2 = kstore(2);
    struct awaiting one;
    assert_int_equal(store_awaiting_get(k2, w[0].key, &one), ERR_NOTFOUND);
    store_close(k2);
}

static void resident_says_not_true_rejects_with_reason(void **st)
{
    (void)st;
    uint64_t seq = log_on(1, "HQ0003", 90, NULL, wish.ticket);
    round_of(1);
    round_of(2);
    struct store *k2 = kstore(2);
    struct awaiting w[4];
    size_t n;
    assert_int_equal(store_awaiting_for(k2, wish.ticket, w, 4, &n), ERR_OK);
    assert_int_equal(n, 1);
    struct stamp now;
    clock_now(&now);
    const char *why;
    struct served_answer ans = { .ticket = wish.ticket, .pin = wish.pin,
                                 .key = w[0].key, .confirmed = false,
                                 .reason = "没有上门服务" };
    assert_int_equal(served_answer(k2, &ans, &now, &why), ERR_OK);
    store_close(k2);
    round_of(2);
    round_of(1);
    struct service_log l = kiosk_log(1, "HQ0003", seq);
    assert_int_equal(l.status, LOG_REJECTED);
    assert_int_equal(l.method, CONFIRM_KIOSK_PIN);
    assert_string_equal(l.reason, "没有上门服务");
    assert_int_equal(l.points, 0);
}

struct audit_seen {
    int n, confirm, reject, station;
};

static void audit_row(void *ctx, const struct hub_audit_row *r)
{
    struct audit_seen *a = ctx;
    a->n++;
    a->confirm += strcmp(r->action, "log.confirm") == 0;
    a->reject += strcmp(r->action, "log.reject") == 0 &&
                 strstr(r->after, "当天未在岗") != NULL;
    a->station += strcmp(r->object, "station:" STATION) == 0 &&
                  strstr(r->after, "\"device\":\"kiosk-1\"") != NULL;
}

static void count_days(void *ctx, const char *station, int64_t day,
                       int64_t n)
{
    (void)station;
    (void)day;
    *(int64_t *)ctx += n;
}

static void staff_confirm_with_each_method_reject_needs_reason(void **st)
{
    (void)st;
    uint64_t s1 = log_on(1, "HQ0004", 60, NULL, NULL);
    uint64_t s2 = log_on(1, "HQ0004", 60, NULL, NULL);
    uint64_t s3 = log_on(1, "HQ0004", 60, NULL, NULL);
    uint64_t s4 = log_on(1, "HQ0004", 60, NULL, NULL);
    round_of(1);
    struct hub_db *db = hubfx_db();
    const char *why = NULL;
    struct hub_review_verdict v = { .confirm = true, .points = -1,
                                    .method = CONFIRM_PHONE, .by = "李主任",
                                    .rating = CONFIRM_BASIC };
    assert_int_equal(hub_review_verdict(db, "kiosk-1", NULL, s1, &v, &why),
                     ERR_OK);
    /* A console user's verdict carries its actor: one audit line. */
    v = (struct hub_review_verdict){ .confirm = true, .points = -1,
                                     .method = CONFIRM_VISIT, .by = "王书记",
                                     .actor = "web-sec" };
    assert_int_equal(hub_review_verdict(db, "kiosk-1", NULL, s2, &v, &why),
                     ERR_OK);
    /* The bare confirm of before: staff's. */
    assert_int_equal(hub_review_decide(db, "kiosk-1", s3, true, -1), ERR_OK);
    /* Refusals, each with its sentence. */
    v = (struct hub_review_verdict){ .confirm = true, .points = -1,
                                     .method = CONFIRM_KIOSK_PIN };
    assert_int_equal(hub_review_verdict(db, "kiosk-1", NULL, s4, &v, &why),
                     ERR_DENIED);
    assert_non_null(strstr(why, "resident"));
    v = (struct hub_review_verdict){ .confirm = true, .points = -1,
                                     .method = -1 };
    assert_int_equal(hub_review_verdict(db, "kiosk-1", NULL, s4, &v, &why),
                     ERR_DENIED);
    assert_non_null(strstr(why, "unknown method"));
    v = (struct hub_review_verdict){ .confirm = true, .points = -1,
                                     .rating = -1 };
    assert_int_equal(hub_review_verdict(db, "kiosk-1", NULL, s4, &v, &why),
                     ERR_DENIED);
    assert_non_null(strstr(why, "unknown rating"));
    v = (struct hub_review_verdict){ .confirm = false, .actor = "web-sec" };
    assert_int_equal(hub_review_verdict(db, "kiosk-1", NULL, s4, &v, &why),
                     ERR_DENIED);
    assert_non_null(strstr(why, "--reason"));
    v.reason = "   ";
    assert_int_equal(hub_review_verdict(db, "kiosk-1", NULL, s4, &v, &why),
                     ERR_DENIED);
    v.reason = "当天未在岗，时长不符";
    assert_int_equal(hub_review_verdict(db, "kiosk-1", NULL, s4, &v, &why),
                     ERR_OK);
    /* The confirm and the reject, not the refusals, each under the
     * station so users whose scope covers it see them. */
    struct audit_seen seen = { 0 };
    struct hub_audit_filter af = { .actor = "web-sec", .limit = 10 };
    assert_int_equal(hub_db_audit_each(db, &af, audit_row, &seen), ERR_OK);
    assert_int_equal(seen.n, 2);
    assert_int_equal(seen.confirm, 1);
    assert_int_equal(seen.reject, 1);
    assert_int_equal(seen.station, 2);
    /* The dashboard's trend query runs on this engine too. */
    int64_t days = 0;
    assert_int_equal(hub_db_checkins_daily(db, 0, count_days, &days), ERR_OK);
    hub_db_close(db);

    char *csv = logs_csv();
    char want[160];
    snprintf(want, sizeof want, ",%llu,\"" STATION "\",\"HQ0004\","
             "\"elderly_care\",60,", (unsigned long long)s1);
    char *row = strstr(csv, want);
    assert_non_null(row);
    assert_non_null(strstr(row, "\"confirmed\",2,\"phone\",\"basic\","
                                "\"李主任\""));
    assert_non_null(strstr(csv, "\"confirmed\",2,\"visit\",\"\",\"王书记\""));
    assert_non_null(strstr(csv, "\"confirmed\",2,\"staff\",\"\",\"staff\""));
    assert_non_null(strstr(csv, "\"rejected\",0,\"staff\",\"\",\"staff\","
                                "\"当天未在岗，时长不符\""));
    free(csv);

    round_of(1);
    assert_int_equal(kiosk_log(1, "HQ0004", s1).method, CONFIRM_PHONE);
    assert_int_equal(kiosk_log(1, "HQ0004", s1).rating, CONFIRM_BASIC);
    assert_int_equal(kiosk_log(1, "HQ0004", s2).method, CONFIRM_VISIT);
    assert_int_equal(kiosk_log(1, "HQ0004", s3).method, CONFIRM_STAFF);
    struct service_log l = kiosk_log(1, "HQ0004", s4);
    assert_int_equal(l.status, LOG_REJECTED);
    assert_string_equal(l.reason, "当天未在岗，时长不符");
}

struct epoch_find {
    uint64_t seq;
    char     epoch[64];
};

static void epoch_of_row(void *ctx, const struct hub_log_row *r)
{
    struct epoch_find *f = ctx;
    if (strcmp(r->device, "kiosk-1") == 0 && (uint64_t)r->seq == f->seq)
        snprintf(f->epoch, sizeof f->epoch, "%s", r->epoch);
}

/* An answer that names a log of another ticket (a forged or confused
 * upload): the hub refuses it, whatever its PIN. */
static void answer_for_a_log_not_naming_the_ticket_refused(void **st)
{
    (void)st;
    struct config cfg;
    struct stamp now;
    const char *why;
    struct ticket_filed other;
    kcfg(&cfg, 2);
    clock_now(&now);
    struct store *k2 = kstore(2);
    struct ticket_request rq = { .kind = LEDGER_REQUEST, .type = "repair",
                                 .building = "3号楼", .unit = "2单元",
                                 .text = "楼道灯坏了", .phone = "" };
    assert_int_equal(ticket_file(k2, &cfg, &rq, &now, &why, &other), ERR_OK);
    store_close(k2);
    round_of(2);
    uint64_t seq = log_on(1, "HQ0003", 30, NULL, wish.ticket);
    round_of(1);

    char hash[LEDGER_PIN_HASH], data[512];
    struct epoch_find ef = { .seq = seq };
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_logs_each(db, STATION, epoch_of_row, &ef), ERR_OK);
    assert_true(ef.epoch[0] != '\0');
    ledger_pin_hash(other.ticket, other.pin, hash);
    snprintf(data, sizeof data, "{\"ticket\":\"%s\",\"pin_hash\":\"%s\","
             "\"log_device\":\"kiosk-1\",\"log_epoch\":\"%s\",\"log_seq\":%llu,"
             "\"confirmed\":true,\"rating\":\"\",\"reason\":\"\"}",
             other.ticket, hash, ef.epoch, (unsigned long long)seq);
    struct proto_event ev = { .seq = 1, .kind = "service_confirm",
                              .wall_ms = now.wall_ms, .clock_trusted = true,
                              .boot_id = "b", .mono_ms = 1 };
    snprintf(ev.data, sizeof ev.data, "%s", data);
    uint64_t acked;
    size_t fresh;
    assert_int_equal(hub_db_events_put(db, STATION, "forger", &ev, 1, NULL,
                                       now.wall_ms, &acked, &fresh), ERR_OK);
    hub_db_close(db);
    char *csv = refused_csv();
    if (!strstr(csv, "the log does not name this ticket"))
        fail_msg("%s", csv);
    free(csv);
    csv = logs_csv();
    char want[128];
    snprintf(want, sizeof want, "\"kiosk-1\",\"%s\",%llu,", ef.epoch,
             (unsigned long long)seq);
    char *row = strstr(csv, want);
    assert_non_null(row);
    assert_non_null(strstr(row, "\"pending\""));
    free(csv);
}

/* A served place or ticket of the wrong shape: refused at the kiosk and
 * again at the hub; a ticket of another station at the hub. */
static void malformed_served_refused_at_both_ends(void **st)
{
    (void)st;
    struct config cfg;
    struct stamp now;
    enum service_refusal why;
    kcfg(&cfg, 1);
    clock_now(&now);
    struct store *k1 = kstore(1);
    struct service_request rq = { .member_no = "HQ0003", .category = "elderly_care",
                                  .minutes = 60, .served_place = "2号楼" };
    assert_int_equal(service_log(k1, &cfg, &rq, &now, &why, NULL), ERR_INVAL);
    assert_int_equal(why, SERVICE_SERVED_MALFORMED);
    rq.served_place = NULL;
    rq.served_ticket = "not a ticket";
    assert_int_equal(service_log(k1, &cfg, &rq, &now, &why, NULL), ERR_INVAL);
    assert_int_equal(why, SERVICE_SERVED_MALFORMED);
    store_close(k1);
    assert_string_equal(served_check("/1", ""), "malformed served place");
    assert_null(served_check("1/", ""));          /* the whole building */
    assert_null(served_check("2号楼/1单元", "HQ01-1-0001"));

    /* The hub: a forged upload of each. */
    char ymd[11];
    clock_ymd(now.wall_ms, 0, ymd);
    struct { const char *extra, *why; } bad[] = {
        { "\"served_place\":\"nowhere\"", "malformed served place" },
        { "\"served_ticket\":\"x\"", "malformed served ticket" },
    };
    struct hub_db *db = hubfx_db();
    for (size_t i = 0; i < 2; i++) {
        struct proto_event ev = { .seq = 10 + i, .kind = "service_log",
                                  .member_no = "HQ0003",
                                  .wall_ms = now.wall_ms,
                                  .clock_trusted = true, .boot_id = "b",
                                  .mono_ms = 1 };
        snprintf(ev.data, sizeof ev.data, "{\"category\":\"elderly_care\","
                 "\"minutes\":60,\"day\":\"%s\",\"note\":\"\",%s}", ymd,
                 bad[i].extra);
        uint64_t acked;
        size_t fresh;
        assert_int_equal(hub_db_events_put(db, STATION, "forger", &ev, 1,
                                           NULL, now.wall_ms, &acked, &fresh),
                         ERR_OK);
    }
    hub_db_close(db);
    char *csv = refused_csv();
    assert_non_null(strstr(csv, "malformed served place"));
    assert_non_null(strstr(csv, "malformed served ticket"));
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resident_confirms_with_pin_and_member_sees_it),
        cmocka_unit_test(resident_says_not_true_rejects_with_reason),
        cmocka_unit_test(staff_confirm_with_each_method_reject_needs_reason),
        cmocka_unit_test(answer_for_a_log_not_naming_the_ticket_refused),
        cmocka_unit_test(malformed_served_refused_at_both_ends),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
