/* tests/test_proto.c - the protocol v1 JSON codec: tables of inputs and
 * what must come out, including everything that must be refused; change
 * pages come out as typed changes (base/change.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/card.h"
#include "base/log.h"
#include "sync/proto.h"
#include "base/ledger.h"

#define EV(extra) "{\"events\":[{\"seq\":1,\"kind\":\"check_in\"," \
    "\"member_no\":\"M1\",\"wall_ms\":5,\"clock_trusted\":false," \
    "\"boot_id\":\"b\",\"mono_ms\":7" extra "}]}"

static void events_round_trip(void **state)
{
    (void)state;
    struct event ev[2] = {
        { .seq = 16, .kind = EVENT_CHECK_IN, .member_no = "HQ0001",
          .at = { 1763800000000, true, "boot-1", 1234 }, .data = "{}" },
        { .seq = 17, .kind = EVENT_SERVICE_LOG, .member_no = "HQ0002",
          .at = { 1763800000001, false, "boot-1", 1235 },
          .data = "{\"category\":\"patrol\",\"minutes\":60,"
                  "\"note\":\"\xe5\xb7\xa1\"}" },
    };
    char *json;
    size_t len;
    assert_int_equal(proto_events_encode(ev, 2, "st1", &json, &len), ERR_OK);
    struct proto_event *out;
    size_t n;
    char station[64];
    assert_int_equal(proto_events_decode(json, len, &out, &n, station,
                                         sizeof station), ERR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(station, "st1");
    assert_int_equal(out[0].seq, 16);
    assert_string_equal(out[0].kind, "check_in");
    assert_int_equal(out[0].wall_ms, 1763800000000);
    assert_true(out[0].clock_trusted);
    assert_false(out[1].clock_trusted);
    assert_string_equal(out[1].kind, "service_log");
    assert_string_equal(out[1].boot_id, "boot-1");
    assert_int_equal(out[1].mono_ms, 1235);
    assert_non_null(strstr(out[1].data, "\"minutes\":60"));
    free(out);
    free(json);
}

static void events_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "null", "[]", "{}", "{\"events\":3}",
        "{\"events\":[],\"station\":5}",
        EV(",\"data\":[]"),                   /* data not an object */
        "{\"events\":[{\"seq\":-1,\"kind\":\"check_in\",\"member_no\":\"M\","
        "\"wall_ms\":1,\"clock_trusted\":true,\"mono_ms\":1}]}",
        "{\"events\":[{\"seq\":1e300,\"kind\":\"check_in\",\"member_no\":"
        "\"M\",\"wall_ms\":1,\"clock_trusted\":true,\"mono_ms\":1}]}",
        "{\"events\":[{\"seq\":1,\"kind\":\"check_in\",\"member_no\":\"M\","
        "\"wall_ms\":1,\"clock_trusted\":1,\"mono_ms\":1}]}",
        "{\"events\":[{\"seq\":1,\"kind\":\"check_in\",\"member_no\":"
        "\"0123456789012345678901234567890123456789\",\"wall_ms\":1,"
        "\"clock_trusted\":true,\"mono_ms\":1}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct proto_event *out = (void *)1;
        size_t n = 9;
        char st[64];
        assert_int_equal(proto_events_decode(bad[i], strlen(bad[i]), &out, &n,
                                             st, sizeof st), ERR_PROTO);
        assert_null(out);
        assert_int_equal(n, 0);
    }
}

/* cJSON prints integers from 2^52 up with an error of one unit: such
 * a number would not come back the same, so it is refused (found by
 * tests/fuzz/fuzz_proto.c). Below the cap every integer round-trips. */
static void integers_refused_where_they_would_not_reencode(void **state)
{
    (void)state;
    static const char *const json[] = {
        "{\"events\":[{\"seq\":4503599627370496,\"kind\":\"check_in\","
        "\"member_no\":\"M\",\"wall_ms\":4503599627370495,"
        "\"clock_trusted\":true,\"mono_ms\":1}]}",
        "{\"events\":[{\"seq\":9007199254740992,\"kind\":\"check_in\","
        "\"member_no\":\"M\",\"wall_ms\":1,\"clock_trusted\":true,"
        "\"mono_ms\":1}]}",
    };
    struct proto_event *out, *back;
    struct event ev = { .kind = EVENT_CHECK_IN, .data = "{}" };
    size_t n, len;
    char st[64], *enc;

    assert_int_equal(proto_events_decode(json[0], strlen(json[0]), &out, &n,
                                         st, sizeof st), ERR_OK);
    ev.seq = out[0].seq;
    ev.at.wall_ms = out[0].wall_ms;
    free(out);
    proto_events_encode(&ev, 1, "", &enc, &len);
    assert_int_equal(proto_events_decode(enc, len, &back, &n, st, sizeof st),
                     ERR_OK);
    assert_int_equal(back[0].seq, 4503599627370496ULL);
    assert_int_equal(back[0].wall_ms, 4503599627370495LL);
    assert_int_equal(proto_events_decode(json[1], strlen(json[1]), &out, &n,
                                         st, sizeof st), ERR_PROTO);
    free(enc);
    free(back);
}

static void batch_over_cap_refused(void **state)
{
    (void)state;
    size_t cap = (PROTO_BATCH_MAX + 1) * 120 + 64;
    char *buf = malloc(cap);
    size_t o = (size_t)snprintf(buf, cap, "{\"events\":[");
    for (int i = 1; i <= PROTO_BATCH_MAX + 1; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s{\"seq\":%d,\"kind\":"
                              "\"check_in\",\"member_no\":\"M\",\"wall_ms\":1,"
                              "\"clock_trusted\":true,\"mono_ms\":1}",
                              i > 1 ? "," : "", i);
    snprintf(buf + o, cap - o, "]}");
    struct proto_event *out;
    size_t n;
    char st[64];
    assert_int_equal(proto_events_decode(buf, strlen(buf), &out, &n, st,
                                         sizeof st), ERR_PROTO);
    free(buf);
}

static void ack_and_page(void **state)
{
    (void)state;
    char buf[128];
    uint64_t acked;
    int64_t t;
    assert_int_equal(proto_ack_encode(42, 1763800000000, buf, sizeof buf),
                     ERR_OK);
    assert_int_equal(proto_ack_decode(buf, strlen(buf), &acked, &t), ERR_OK);
    assert_int_equal(acked, 42);
    assert_int_equal(t, 1763800000000);
    assert_int_equal(proto_ack_decode("{\"acked\":\"x\"}", 13, &acked, &t),
                     ERR_PROTO);
    static const char page[] = "{\"changes\":[],\"cursor\":\"17\","
                               "\"more\":true,\"hub_time_ms\":5}";
    char cur[16];
    bool more = false;
    assert_int_equal(proto_page_peek(page, sizeof page - 1, cur, sizeof cur,
                                     &more, &t), ERR_OK);
    assert_string_equal(cur, "17");
    assert_true(more);
    static const char *const bad[] = {
        "{\"changes\":[],\"more\":false,\"hub_time_ms\":5}",
        "{\"changes\":{},\"cursor\":\"1\",\"more\":false,\"hub_time_ms\":5}",
        "{\"changes\":[],\"cursor\":\"1\",\"more\":0,\"hub_time_ms\":5}",
        "{\"changes\":[],\"cursor\":\"12345678901234567890\",\"more\":false,"
        "\"hub_time_ms\":5}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(proto_page_peek(bad[i], strlen(bad[i]), cur,
                                         sizeof cur, &more, &t), ERR_PROTO);
}

#define PAGE(changes) "{\"changes\":[" changes "],\"cursor\":\"9\"," \
    "\"more\":false,\"hub_time_ms\":1763800000000}"

static err_code decode(const char *json, struct change_page *p)
{
    char cur[PROTO_CURSOR_MAX];
    bool more;
    return proto_page_decode(json, strlen(json), p, cur, sizeof cur, &more);
}

/* One change of every type, each field where the store will look. */
static void page_decodes_every_type_into_typed_fields(void **state)
{
    (void)state;
    static const char page[] = "{\"changes\":["
        "{\"type\":\"member\",\"op\":\"put\",\"key\":\"HQ1\",\"data\":"
        "{\"name\":\"张伟\",\"phone_masked\":\"138****1001\","
        "\"community\":\"红旗\",\"active\":false}},"
        "{\"type\":\"post\",\"op\":\"put\",\"key\":\"P1\",\"data\":"
        "{\"category\":\"财务\",\"name\":\"岗\",\"duties\":\"d\",\"order\":3,"
        "\"holders\":[{\"member_no\":\"HQ1\",\"name\":\"张伟\","
        "\"role\":\"deputy\"},{\"member_no\":\"HQ2\",\"role\":\"head\"}]}},"
        "{\"type\":\"shift\",\"op\":\"put\",\"key\":\"s1\",\"data\":"
        "{\"day\":\"1970-01-03\",\"shift\":\"上午\",\"member_no\":\"HQ2\","
        "\"name\":\"王\",\"phone_masked\":\"139****0002\"}},"
        "{\"type\":\"contact\",\"op\":\"put\",\"key\":\"C1\",\"data\":"
        "{\"building\":\"3\",\"unit\":\"2\",\"name\":\"侯\","
        "\"role\":\"unit_leader\",\"duties\":\"x\",\"phone\":\"13800005001\"}},"
        "{\"type\":\"notice\",\"op\":\"put\",\"key\":\"N1\",\"data\":"
        "{\"title\":\"t\",\"body\":\"b\",\"published_ms\":1763800000000}},"
        "{\"type\":\"star\",\"op\":\"put\",\"key\":\"quarter/2\",\"data\":"
        "{\"period\":\"quarter\",\"rank\":2,\"member_no\":\"HQ3\","
        "\"name\":\"李\",\"points\":480}},"
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"7\",\"data\":"
        "{\"seq\":7,\"status\":\"rejected\",\"points\":0}},"
        "{\"type\":\"revocation\",\"op\":\"put\",\"key\":\"M.HQ1.1\","
        "\"data\":{\"revoked_ms\":5}},"
        "{\"type\":\"credential_key\",\"op\":\"put\",\"key\":\"ab12\","
        "\"data\":{\"public_key\":\"BPQ\",\"not_after_ms\":4102444800000}},"
        "{\"type\":\"hologram\",\"op\":\"put\",\"key\":\"h\",\"data\":{}},"
        "{\"type\":\"shift\",\"op\":\"del\",\"key\":\"s0\"},"
        "{\"type\":\"member_total\",\"op\":\"put\",\"key\":\"HQ1\","
        "\"data\":{\"as_of\":\"1970-01-03\",\"month_points\":61,"
        "\"month_rank\":7,\"quarter_points\":80,\"quarter_rank\":0,"
        "\"year_points\":200,\"year_rank\":3}},"
        "{\"type\":\"member\",\"op\":\"put\",\"key\":\"HQ2\",\"data\":"
        "{\"name\":\"王\",\"pin_hash\":\"pbkdf2-sha256$1$00$11\"}}],"
        "\"cursor\":\"196\",\"more\":true,\"hub_time_ms\":1763800006004}";
    struct change_page p;
    char cur[PROTO_CURSOR_MAX];
    bool more = false;
    assert_int_equal(proto_page_decode(page, sizeof page - 1, &p, cur,
                                       sizeof cur, &more), ERR_OK);
    assert_string_equal(cur, "196");
    assert_true(more);
    assert_int_equal(p.hub_time_ms, 1763800006004);
    assert_int_equal(p.n, 12);                /* the hologram left out */
    const struct change *c = p.changes;
    assert_int_equal(c[0].type, CHANGE_MEMBER);
    assert_int_equal(c[0].op, CHANGE_PUT);
    assert_string_equal(c[0].key, "HQ1");
    assert_string_equal(c[0].u.member.name, "张伟");
    assert_string_equal(c[0].u.member.phone_masked, "138****1001");
    assert_false(c[0].u.member.active);
    assert_int_equal(c[1].u.post.order, 3);
    assert_string_equal(c[1].u.post.category, "财务");
    assert_int_equal(c[1].u.post.n_holders, 2);
    assert_int_equal(c[1].u.post.holders[0].role, CHANGE_ROLE_DEPUTY);
    assert_string_equal(c[1].u.post.holders[1].member_no, "HQ2");
    assert_string_equal(c[1].u.post.holders[1].name, "");
    assert_int_equal(c[1].u.post.holders[1].role, CHANGE_ROLE_HEAD);
    assert_int_equal(c[2].u.shift.day, 2);
    assert_string_equal(c[2].u.shift.shift, "上午");
    assert_string_equal(c[3].u.contact.role, "unit_leader");
    assert_string_equal(c[3].u.contact.phone, "13800005001");
    assert_int_equal(c[4].u.notice.published_ms, 1763800000000);
    assert_int_equal(c[5].u.star.period, CHANGE_PERIOD_QUARTER);
    assert_int_equal(c[5].u.star.rank, 2);
    assert_int_equal(c[5].u.star.points, 480);
    assert_int_equal(c[6].u.log_status.seq, 7);
    assert_int_equal(c[6].u.log_status.status, CHANGE_LOG_REJECTED);
    assert_int_equal(c[7].u.revocation.revoked_ms, 5);
    assert_string_equal(c[8].u.credential_key.public_key, "BPQ");
    assert_int_equal(c[8].u.credential_key.not_after_ms, 4102444800000);
    assert_int_equal(c[9].type, CHANGE_SHIFT);
    assert_int_equal(c[9].op, CHANGE_DEL);
    assert_string_equal(c[9].key, "s0");
    assert_int_equal(c[10].type, CHANGE_MEMBER_TOTAL);
    assert_string_equal(c[10].key, "HQ1");
    assert_int_equal(c[10].u.member_total.as_of, 2);
    assert_int_equal(c[10].u.member_total.points[0], 61);
    assert_int_equal(c[10].u.member_total.rank[0], 7);
    assert_int_equal(c[10].u.member_total.points[1], 80);
    assert_int_equal(c[10].u.member_total.rank[1], 0);
    assert_int_equal(c[10].u.member_total.points[2], 200);
    assert_int_equal(c[10].u.member_total.rank[2], 3);
    assert_string_equal(c[11].u.member.pin_hash, "pbkdf2-sha256$1$00$11");
    assert_string_equal(c[0].u.member.pin_hash, "");
    change_page_free(&p);
    assert_null(p.changes);
    assert_int_equal(p.n, 0);
}

/* The residents' changes: a type with its presets (more than 8 are left
 * out), a ticket's public state; a ticket with a key that is no ticket
 * number, an unknown state or kind refuses the page. */
static void page_decodes_ledger_types_and_tickets(void **state)
{
    (void)state;
    struct change_page p = { 0 };
    assert_int_equal(decode(PAGE(
        "{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"repair\","
        "\"data\":{\"name\":\"设施维修\",\"name_en\":\"Repairs\","
        "\"kinds\":[\"request\",\"wish\"],\"order\":2,\"presets\":"
        "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}},"
        "{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-1-0042\","
        "\"data\":{\"kind\":\"wish\",\"type\":\"daily\",\"building\":"
        "\"3\",\"unit\":\"2\",\"text\":\"帮忙代买药品\",\"state\":"
        "\"assigned\",\"filed_ms\":1763800000000,\"deadline_ms\":"
        "1764000000000,\"locked_until_ms\":1763800900000,\"answer\":\"\","
        "\"pin_hash\":\"ab\",\"claimer\":\"HQ0003\",\"points\":3}},"
        "{\"type\":\"ticket\",\"op\":\"del\",\"key\":\"HQ01-1-0041\"}"),
        &p), ERR_OK);
    assert_int_equal(p.n, 3);
    const struct change_ledger_type *t = &p.changes[0].u.ledger_type;
    assert_int_equal(p.changes[0].type, CHANGE_LEDGER_TYPE);
    assert_string_equal(t->name, "设施维修");
    assert_string_equal(t->name_en, "Repairs");
    assert_true(t->for_request && t->for_wish);
    assert_int_equal(t->order, 2);
    assert_int_equal(t->n_presets, CHANGE_PRESETS);
    assert_string_equal(t->presets[7], "8");
    const struct change_ticket *k = &p.changes[1].u.ticket;
    assert_int_equal(p.changes[1].type, CHANGE_TICKET);
    assert_int_equal(k->kind, LEDGER_WISH);
    assert_int_equal(k->state, LEDGER_ASSIGNED);
    assert_string_equal(k->text, "帮忙代买药品");
    assert_string_equal(k->claimer, "HQ0003");
    assert_int_equal(k->locked_until_ms, 1763800900000LL);
    assert_int_equal(k->points, 3);
    assert_int_equal(p.changes[2].op, CHANGE_DEL);
    change_page_free(&p);

    static const char *const bad[] = {
        PAGE("{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"42\","
             "\"data\":{\"kind\":\"wish\",\"state\":\"accepted\"}}"),
        PAGE("{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-1-0042\","
             "\"data\":{\"kind\":\"wish\",\"state\":\"lost\"}}"),
        PAGE("{\"type\":\"ticket\",\"op\":\"put\",\"key\":\"HQ01-1-0042\","
             "\"data\":{\"kind\":\"gift\",\"state\":\"accepted\"}}"),
        PAGE("{\"type\":\"ledger_type\",\"op\":\"put\",\"key\":\"x\","
             "\"data\":{\"presets\":[1]}}"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct change_page q = { 0 };
        assert_int_equal(decode(bad[i], &q), ERR_PROTO);
        assert_int_equal(q.n, 0);
    }
}

/* A post's rules (a page from an older hub has none: closed) and a
 * claim's state; an unknown kind or state refuses the page. */
static void page_decodes_post_rules_and_claims(void **state)
{
    (void)state;
    struct change_page p = { 0 };
    assert_int_equal(decode(PAGE(
        "{\"type\":\"post\",\"op\":\"put\",\"key\":\"P01\",\"data\":{"
        "\"category\":\"财务\",\"name\":\"财务监督岗\",\"duties\":\"d\","
        "\"order\":1,\"holders\":[{\"member_no\":\"HQ0001\",\"role\":"
        "\"head\"}],\"min_members\":3,\"max_members\":5,\"open\":true,"
        "\"places\":2}},"
        "{\"type\":\"post\",\"op\":\"put\",\"key\":\"P02\",\"data\":{"
        "\"category\":\"服务\",\"name\":\"n\",\"duties\":\"d\",\"order\":2,"
        "\"holders\":[]}},"
        "{\"type\":\"claim\",\"op\":\"put\",\"key\":\"12\",\"data\":{"
        "\"kind\":\"swap\",\"member_no\":\"HQ0003\",\"post_id\":\"P01\","
        "\"role\":\"\",\"other_no\":\"HQ0004\",\"other_post\":\"P02\","
        "\"state\":\"declined\",\"reason\":\"名额已满\",\"filed_ms\":"
        "1763800000000,\"decided_ms\":1763900000000}}"), &p), ERR_OK);
    assert_int_equal(p.n, 3);
    const struct change_post *a = &p.changes[0].u.post, *b = &p.changes[1].u.post;
    assert_int_equal(a->min_members, 3);
    assert_int_equal(a->max_members, 5);
    assert_true(a->open);
    assert_int_equal(a->places, 2);
    assert_false(b->open);
    assert_int_equal(b->max_members, 0);
    const struct change_claim *c = &p.changes[2].u.claim;
    assert_int_equal(p.changes[2].type, CHANGE_CLAIM);
    assert_int_equal(c->kind, CHANGE_CLAIM_SWAP);
    assert_int_equal(c->state, CHANGE_CLAIM_DECLINED);
    assert_string_equal(c->member_no, "HQ0003");
    assert_string_equal(c->other_no, "HQ0004");
    assert_string_equal(c->other_post, "P02");
    assert_string_equal(c->reason, "名额已满");
    assert_int_equal(c->decided_ms, 1763900000000LL);
    change_page_free(&p);

    static const char *const bad[] = {
        PAGE("{\"type\":\"claim\",\"op\":\"put\",\"key\":\"1\",\"data\":{"
             "\"kind\":\"gift\",\"member_no\":\"HQ0003\",\"state\":"
             "\"pending\"}}"),
        PAGE("{\"type\":\"claim\",\"op\":\"put\",\"key\":\"1\",\"data\":{"
             "\"kind\":\"claim\",\"member_no\":\"HQ0003\",\"state\":"
             "\"maybe\"}}"),
        PAGE("{\"type\":\"claim\",\"op\":\"put\",\"key\":\"1\",\"data\":{"
             "\"kind\":\"claim\",\"member_no\":\"\",\"state\":\"pending\"}}"),
        PAGE("{\"type\":\"post\",\"op\":\"put\",\"key\":\"P1\",\"data\":{"
             "\"places\":-1}}"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct change_page q = { 0 };
        assert_int_equal(decode(bad[i], &q), ERR_PROTO);
        assert_int_equal(q.n, 0);
    }
}

/* A snapshot's page says so, and whether it begins or ends one; a page
 * without the member is an ordinary one; a malformed one is refused. */
/* A page with one photo put of key whose PNG is these n bytes. */
static char *photo_page(const char *key, const uint8_t *png, size_t n)
{
    size_t cap = n / 3 * 4 + 8, len = cap + 256;
    char *b64 = malloc(cap), *json = malloc(len);
    card_b64url_encode(png, n, b64, cap);
    snprintf(json, len, PAGE("{\"type\":\"photo\",\"op\":\"put\","
             "\"key\":\"%s\",\"data\":{\"png\":\"%s\"}}"), key, b64);
    free(b64);
    return json;
}

/* A photo is the PNG bytes, whole; what is not a PNG, is over
 * CHANGE_PHOTO_MAX or is nobody's (key) refuses the page. */
static void page_photos_decoded_or_refused(void **state)
{
    (void)state;
    static uint8_t png[CHANGE_PHOTO_MAX + 1] = { 0x89, 'P', 'N', 'G', '\r',
                                                 '\n', 0x1a, '\n', 0, 0,
                                                 0, 13, 'I', 'H', 'D', 'R' };
    struct change_page p = { 0 };
    for (size_t i = 16; i < sizeof png; i++)
        png[i] = (uint8_t)(i * 7);
    char *j = photo_page("member/HQ0001", png, 1000);
    assert_int_equal(decode(j, &p), ERR_OK);
    free(j);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.changes[0].type, CHANGE_PHOTO);
    assert_string_equal(p.changes[0].key, "member/HQ0001");
    assert_int_equal(p.changes[0].u.photo.len, 1000);
    assert_memory_equal(p.changes[0].u.photo.png, png, 1000);
    change_page_free(&p);

    j = photo_page("contact/C001", png, CHANGE_PHOTO_MAX);
    assert_int_equal(decode(j, &p), ERR_OK);
    free(j);
    assert_int_equal(p.changes[0].u.photo.len, CHANGE_PHOTO_MAX);
    change_page_free(&p);
    assert_int_equal(decode(PAGE("{\"type\":\"photo\",\"op\":\"del\","
                                 "\"key\":\"member/HQ0001\"}"), &p), ERR_OK);
    assert_int_equal(p.changes[0].op, CHANGE_DEL);
    change_page_free(&p);

    j = photo_page("member/HQ0001", png, CHANGE_PHOTO_MAX + 1);
    assert_int_equal(decode(j, &p), ERR_PROTO);          /* too big */
    free(j);
    j = photo_page("HQ0001", png, 1000);
    assert_int_equal(decode(j, &p), ERR_PROTO);          /* whose? */
    free(j);
    png[1] = 'G';
    j = photo_page("member/HQ0001", png, 1000);
    assert_int_equal(decode(j, &p), ERR_PROTO);          /* not a PNG */
    free(j);
    static const char *const bad[] = {
        PAGE("{\"type\":\"photo\",\"op\":\"put\",\"key\":\"member/A\","
             "\"data\":{\"png\":\"\"}}"),
        PAGE("{\"type\":\"photo\",\"op\":\"put\",\"key\":\"member/A\","
             "\"data\":{\"png\":\"iVBORw0KGgo+/AAA\"}}"),  /* not url */
        PAGE("{\"type\":\"photo\",\"op\":\"put\",\"key\":\"member/A\","
             "\"data\":{\"png\":7}}"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(decode(bad[i], &p), ERR_PROTO);
}

/* 双报到: a member's unit and kind (absent from an older hub's member:
 * ""), a work unit, a setting; what is malformed refuses the page. */
static void page_work_units_and_member_units(void **state)
{
    (void)state;
    struct change_page p = { 0 };
    assert_int_equal(decode(PAGE(
        "{\"type\":\"member\",\"op\":\"put\",\"key\":\"HQ1\",\"data\":"
        "{\"name\":\"张伟\",\"community\":\"红旗\",\"work_unit\":\"edu\","
        "\"reg_kind\":\"paired\"}},"
        "{\"type\":\"member\",\"op\":\"put\",\"key\":\"HQ2\",\"data\":"
        "{\"name\":\"王\",\"community\":\"红旗\",\"active\":true}},"
        "{\"type\":\"member\",\"op\":\"put\",\"key\":\"HQ3\",\"data\":"
        "{\"name\":\"李\",\"reg_kind\":\"lodger\"}},"
        "{\"type\":\"work_unit\",\"op\":\"put\",\"key\":\"edu\",\"data\":"
        "{\"name\":\"区教育局\",\"paired_community\":\"红旗社区\"}},"
        "{\"type\":\"work_unit\",\"op\":\"put\",\"key\":\"hosp\",\"data\":"
        "{\"name\":\"区人民医院\"}},"
        "{\"type\":\"work_unit\",\"op\":\"put\",\"key\":"
        "\"setting/cross_station_registration\",\"data\":{\"on\":true}},"
        "{\"type\":\"work_unit\",\"op\":\"del\",\"key\":\"old\"}"), &p),
        ERR_OK);
    assert_int_equal(p.n, 7);
    assert_string_equal(p.changes[0].u.member.work_unit, "edu");
    assert_string_equal(p.changes[0].u.member.reg_kind, "paired");
    assert_string_equal(p.changes[1].u.member.work_unit, "");   /* old hub */
    assert_string_equal(p.changes[1].u.member.reg_kind, "");
    assert_true(p.changes[1].u.member.active);
    assert_string_equal(p.changes[2].u.member.reg_kind, "");  /* unknown */
    assert_int_equal(p.changes[3].type, CHANGE_WORK_UNIT);
    assert_string_equal(p.changes[3].key, "edu");
    assert_string_equal(p.changes[3].u.work_unit.name, "区教育局");
    assert_string_equal(p.changes[3].u.work_unit.paired_community,
                        "红旗社区");
    assert_string_equal(p.changes[4].u.work_unit.paired_community, "");
    assert_true(p.changes[5].u.work_unit.on);
    assert_int_equal(p.changes[6].op, CHANGE_DEL);
    change_page_free(&p);
    assert_string_equal(change_type_name(CHANGE_WORK_UNIT), "work_unit");

    static const char *const bad[] = {
        PAGE("{\"type\":\"work_unit\",\"op\":\"put\",\"key\":\"edu\","
             "\"data\":{\"paired_community\":\"红旗社区\"}}"),  /* no name */
        PAGE("{\"type\":\"work_unit\",\"op\":\"put\",\"key\":\"a/b\","
             "\"data\":{\"name\":\"x\"}}"),
        PAGE("{\"type\":\"work_unit\",\"op\":\"put\",\"key\":"
             "\"setting/cross_station_registration\",\"data\":{\"on\":1}}"),
        PAGE("{\"type\":\"member\",\"op\":\"put\",\"key\":\"HQ1\","
             "\"data\":{\"name\":\"x\",\"work_unit\":"
             "\"a-unit-code-longer-than-its-field-of-32\"}}"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(decode(bad[i], &p), ERR_PROTO);
}

static void page_snapshot_marks(void **state)
{
    static const struct { const char *snap; err_code e; bool first, last; }
    cases[] = {
        { "", ERR_OK, false, false },
        { ",\"snapshot\":{\"first\":true,\"last\":false}", ERR_OK, true,
          false },
        { ",\"snapshot\":{\"first\":false,\"last\":true}", ERR_OK, false,
          true },
        { ",\"snapshot\":true", ERR_PROTO, false, false },
        { ",\"snapshot\":{\"first\":1,\"last\":true}", ERR_PROTO, false,
          false },
        { ",\"snapshot\":{\"first\":true}", ERR_PROTO, false, false },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[256], cur[PROTO_CURSOR_MAX];
        bool more;
        struct change_page p;
        snprintf(json, sizeof json, "{\"changes\":[],\"cursor\":\"s9.3\","
                 "\"more\":true,\"hub_time_ms\":5%s}", cases[i].snap);
        assert_int_equal(proto_page_decode(json, strlen(json), &p, cur,
                                           sizeof cur, &more), cases[i].e);
        if (cases[i].e == ERR_OK) {
            assert_int_equal(p.snapshot, cases[i].snap[0] != '\0');
            assert_int_equal(p.snapshot_first, cases[i].first);
            assert_int_equal(p.snapshot_last, cases[i].last);
            assert_string_equal(cur, "s9.3");
        }
        change_page_free(&p);
    }
}

/* Service confirmation: a verdict with how it was reached, one from a hub
 * before confirmation methods, one with a method this kiosk does not
 * know (a newer hub's: read as none), and what a resident may confirm
 * with its withdrawal. */
static void confirmation_changes_decoded(void **state)
{
    (void)state;
    struct change_page p;
    assert_int_equal(decode(PAGE(
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"7\",\"data\":"
        "{\"seq\":7,\"epoch\":\"e1\",\"status\":\"rejected\",\"points\":0,"
        "\"method\":\"kiosk_pin\",\"rating\":\"\",\"reason\":\"没有上门\","
        "\"decided_ms\":1763800000000}},"
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"8\",\"data\":"
        "{\"seq\":8,\"status\":\"confirmed\",\"points\":3}},"
        "{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"9\",\"data\":"
        "{\"seq\":9,\"status\":\"confirmed\",\"points\":3,"
        "\"method\":\"carrier_pigeon\",\"rating\":\"basic\"}},"
        "{\"type\":\"service_awaiting\",\"op\":\"put\","
        "\"key\":\"kiosk-1/e1/7\",\"data\":{\"ticket\":\"HQ01-2-0001\","
        "\"device\":\"kiosk-1\",\"epoch\":\"e1\",\"seq\":7,"
        "\"member_no\":\"HQ0003\",\"name\":\"张伟\","
        "\"category\":\"elderly_care\",\"minutes\":60,"
        "\"day\":\"1970-01-03\",\"phone\":\"13800000003\"}},"
        "{\"type\":\"service_awaiting\",\"op\":\"del\","
        "\"key\":\"kiosk-1/e1/7\"}"), &p), ERR_OK);
    assert_int_equal(p.n, 5);
    const struct change_log_status *l = &p.changes[0].u.log_status;
    assert_int_equal(l->status, CHANGE_LOG_REJECTED);
    assert_int_equal(l->method, CONFIRM_KIOSK_PIN);
    assert_int_equal(l->rating, CONFIRM_RATING_NONE);
    assert_string_equal(l->reason, "没有上门");
    assert_int_equal(l->decided_ms, 1763800000000);
    l = &p.changes[1].u.log_status;               /* an older hub's */
    assert_int_equal(l->method, CONFIRM_METHOD_NONE);
    assert_string_equal(l->reason, "");
    assert_int_equal(l->decided_ms, 0);
    l = &p.changes[2].u.log_status;
    assert_int_equal(l->method, CONFIRM_METHOD_NONE);
    assert_int_equal(l->rating, CONFIRM_BASIC);
    const struct change *c = &p.changes[3];
    assert_int_equal(c->type, CHANGE_SERVICE_AWAITING);
    assert_string_equal(c->key, "kiosk-1/e1/7");
    assert_string_equal(c->u.service_awaiting.ticket, "HQ01-2-0001");
    assert_string_equal(c->u.service_awaiting.device, "kiosk-1");
    assert_string_equal(c->u.service_awaiting.epoch, "e1");
    assert_int_equal(c->u.service_awaiting.seq, 7);
    assert_string_equal(c->u.service_awaiting.name, "张伟");
    assert_string_equal(c->u.service_awaiting.category, "elderly_care");
    assert_int_equal(c->u.service_awaiting.minutes, 60);
    assert_int_equal(c->u.service_awaiting.day, 2);
    assert_int_equal(p.changes[4].op, CHANGE_DEL);
    change_page_free(&p);
}

/* Each of these is refused whole, and leaves an empty page. */
static void page_refused_whole_when_any_change_is_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "[]", "{\"changes\":[]}",
        "{\"changes\":[],\"cursor\":\"1\",\"more\":false,\"hub_time_ms\":-1}",
        PAGE("{\"type\":\"notice\",\"op\":\"put\",\"key\":\"N\",\"data\":{}},"
             "3"),                                  /* not an object */
        PAGE("{\"type\":\"notice\",\"op\":\"patch\",\"key\":\"N\"}"),
        PAGE("{\"type\":\"notice\",\"op\":\"put\",\"key\":\"N\"}"),
        PAGE("{\"type\":\"notice\",\"op\":\"put\",\"key\":\"N\",\"data\":[]}"),
        PAGE("{\"type\":\"notice\",\"op\":\"del\",\"key\":\"\"}"),
        PAGE("{\"type\":\"notice\",\"op\":\"del\"}"),
        PAGE("{\"type\":\"shift\",\"op\":\"put\",\"key\":\"s\",\"data\":"
             "{\"day\":\"2026-13-45\"}}"),
        PAGE("{\"type\":\"star\",\"op\":\"put\",\"key\":\"s\",\"data\":"
             "{\"period\":\"week\"}}"),
        PAGE("{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"1\",\"data\":"
             "{\"seq\":1,\"status\":\"maybe\"}}"),
        PAGE("{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"1\",\"data\":"
             "{\"seq\":-1,\"status\":\"pending\"}}"),
        PAGE("{\"type\":\"post\",\"op\":\"put\",\"key\":\"P\",\"data\":"
             "{\"holders\":[{\"name\":\"no number\"}]}}"),
        PAGE("{\"type\":\"post\",\"op\":\"put\",\"key\":\"P\",\"data\":"
             "{\"holders\":[\"HQ1\"]}}"),
        PAGE("{\"type\":\"post\",\"op\":\"put\",\"key\":\"P\",\"data\":"
             "{\"order\":1.5}}"),
        PAGE("{\"type\":\"star\",\"op\":\"put\",\"key\":\"s\",\"data\":"
             "{\"period\":\"year\",\"rank\":3000000000}}"),
        PAGE("{\"type\":\"notice\",\"op\":\"put\",\"key\":\"N\",\"data\":"
             "{\"published_ms\":1e300}}"),
        PAGE("{\"type\":\"member_total\",\"op\":\"put\",\"key\":\"M\","
             "\"data\":{\"month_points\":3}}"),       /* no as_of */
        PAGE("{\"type\":\"member_total\",\"op\":\"put\",\"key\":\"M\","
             "\"data\":{\"as_of\":\"2026-12-01\",\"year_points\":-4}}"),
        PAGE("{\"type\":\"log_status\",\"op\":\"put\",\"key\":\"1\",\"data\":"
             "{\"seq\":1,\"status\":\"confirmed\",\"decided_ms\":-5}}"),
        /* service_awaiting: the ticket, the log's key and a real day. */
        PAGE("{\"type\":\"service_awaiting\",\"op\":\"put\",\"key\":\"k\","
             "\"data\":{\"ticket\":\"nope\",\"device\":\"d\",\"seq\":1,"
             "\"minutes\":60,\"day\":\"2026-11-20\"}}"),
        PAGE("{\"type\":\"service_awaiting\",\"op\":\"put\",\"key\":\"k\","
             "\"data\":{\"ticket\":\"HQ01-1-0001\",\"device\":\"d\","
             "\"minutes\":60,\"day\":\"2026-11-20\"}}"),       /* no seq */
        PAGE("{\"type\":\"service_awaiting\",\"op\":\"put\",\"key\":\"k\","
             "\"data\":{\"ticket\":\"HQ01-1-0001\",\"seq\":1,"
             "\"minutes\":60,\"day\":\"2026-11-20\"}}"),    /* no device */
        PAGE("{\"type\":\"service_awaiting\",\"op\":\"put\",\"key\":\"k\","
             "\"data\":{\"ticket\":\"HQ01-1-0001\",\"device\":\"d\","
             "\"seq\":1,\"minutes\":60,\"day\":\"11/20\"}}"),
        PAGE("{\"type\":\"service_awaiting\",\"op\":\"put\",\"key\":\"k\","
             "\"data\":{\"ticket\":\"HQ01-1-0001\",\"device\":\"d\","
             "\"seq\":1,\"minutes\":0,\"day\":\"2026-11-20\"}}"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct change_page p = { .n = 99 };
        assert_int_equal(decode(bad[i], &p), ERR_PROTO);
        assert_int_equal(p.n, 0);
        assert_null(p.changes);
    }
}

/* Text longer than its field is cut where a character starts; an
 * identifier longer than its field, or a key over 128 bytes, is refused. */
static void page_text_cut_identifiers_refused(void **state)
{
    (void)state;
    char json[1024], name[200] = "", key[160];
    for (int i = 0; i < 30; i++)
        strcat(name, "中");                    /* 90 bytes */
    snprintf(json, sizeof json, PAGE("{\"type\":\"member\",\"op\":\"put\","
             "\"key\":\"HQ1\",\"data\":{\"name\":\"%s\"}}"), name);
    struct change_page p;
    assert_int_equal(decode(json, &p), ERR_OK);
    assert_int_equal(strlen(p.changes[0].u.member.name), 63);  /* 21 chars */
    assert_memory_equal(p.changes[0].u.member.name, name, 63);
    assert_true(p.changes[0].u.member.active);  /* absent: active */
    change_page_free(&p);

    memset(key, 'H', CHANGE_KEY_MAX);
    for (int len = CHANGE_ID - 1; len <= CHANGE_ID; len++) {
        snprintf(json, sizeof json, PAGE("{\"type\":\"shift\",\"op\":"
                 "\"put\",\"key\":\"s\",\"data\":{\"day\":\"2026-11-20\","
                 "\"member_no\":\"%.*s\"}}"), len, key);
        assert_int_equal(decode(json, &p), len < CHANGE_ID ? ERR_OK
                                                            : ERR_PROTO);
        change_page_free(&p);
    }
    memset(key, 'k', CHANGE_KEY_MAX);
    key[CHANGE_KEY_MAX] = '\0';
    snprintf(json, sizeof json, PAGE("{\"type\":\"notice\",\"op\":\"del\","
             "\"key\":\"%s\"}"), key);
    assert_int_equal(decode(json, &p), ERR_OK);
    change_page_free(&p);
    snprintf(json, sizeof json, PAGE("{\"type\":\"notice\",\"op\":\"del\","
             "\"key\":\"%sk\"}"), key);
    assert_int_equal(decode(json, &p), ERR_PROTO);
}

static char *many(const char *head, const char *item, int n,
                  const char *tail)
{
    size_t cap = strlen(head) + (size_t)n * (strlen(item) + 1) +
                 strlen(tail) + 1;
    char *buf = malloc(cap);
    size_t o = (size_t)snprintf(buf, cap, "%s", head);
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? "," : "", item);
    snprintf(buf + o, cap - o, "%s", tail);
    return buf;
}

/* Changes per page, holders per post and the page's bytes: up to each
 * cap decodes, one more is refused. */
static void page_caps_changes_holders_and_bytes(void **state)
{
    (void)state;
    static const char del[] = "{\"type\":\"notice\",\"op\":\"del\","
                              "\"key\":\"N\"}";
    static const char holder[] = "{\"member_no\":\"HQ1\"}";
    static const char tail[] = "],\"cursor\":\"1\",\"more\":false,"
                               "\"hub_time_ms\":0}";
    struct change_page p;
    for (int extra = 0; extra <= 1; extra++) {
        char *json = many("{\"changes\":[", del, CHANGE_PAGE_MAX + extra,
                          tail);
        assert_int_equal(decode(json, &p), extra ? ERR_PROTO : ERR_OK);
        assert_int_equal(p.n, extra ? 0 : CHANGE_PAGE_MAX);
        change_page_free(&p);
        free(json);
        json = many("{\"changes\":[{\"type\":\"post\",\"op\":\"put\","
                    "\"key\":\"P\",\"data\":{\"holders\":[", holder,
                    CHANGE_HOLDERS_MAX + extra, "]}}" "],\"cursor\":\"1\","
                    "\"more\":false,\"hub_time_ms\":0}");
        assert_int_equal(decode(json, &p), extra ? ERR_PROTO : ERR_OK);
        if (!extra)
            assert_int_equal(p.changes[0].u.post.n_holders,
                             CHANGE_HOLDERS_MAX);
        change_page_free(&p);
        free(json);
    }
    /* A small page padded with blanks to the byte cap, and one past it. */
    static const char small[] = PAGE("");
    char *big = malloc(PROTO_PAGE_MAX + 1);
    memset(big, ' ', PROTO_PAGE_MAX + 1);
    memcpy(big, small, sizeof small - 1);
    char cur[PROTO_CURSOR_MAX];
    bool more;
    assert_int_equal(proto_page_decode(big, PROTO_PAGE_MAX, &p, cur,
                                       sizeof cur, &more), ERR_OK);
    change_page_free(&p);
    assert_int_equal(proto_page_decode(big, PROTO_PAGE_MAX + 1, &p, cur,
                                       sizeof cur, &more), ERR_PROTO);
    free(big);
}

/* Damaged copies of a good page: decoded whole or refused whole. */
static void damaged_pages_decoded_or_refused(void **state)
{
    (void)state;
    static const char good[] = PAGE(
        "{\"type\":\"post\",\"op\":\"put\",\"key\":\"P9\",\"data\":"
        "{\"name\":\"岗\",\"order\":9,\"holders\":"
        "[{\"member_no\":\"HQ0001\",\"role\":\"head\"}]}},"
        "{\"type\":\"star\",\"op\":\"put\",\"key\":\"year/1\",\"data\":"
        "{\"period\":\"year\",\"rank\":1,\"points\":2}}");
    unsigned seed = 99;
    char buf[sizeof good];
    for (int round = 0; round < 5000; round++) {
        memcpy(buf, good, sizeof good);
        size_t len = sizeof good - 1;
        for (int k = 0; k < 1 + rand_r(&seed) % 3; k++)
            buf[rand_r(&seed) % (int)len] = (char)(32 + rand_r(&seed) % 95);
        if (rand_r(&seed) % 4 == 0)
            len = (size_t)(rand_r(&seed) % (int)len);
        struct change_page p;
        char cur[PROTO_CURSOR_MAX];
        bool more;
        err_code e = proto_page_decode(buf, len, &p, cur, sizeof cur, &more);
        assert_true(e == ERR_OK || e == ERR_PROTO);
        if (e == ERR_OK)
            assert_true(p.n <= 2);
        else
            assert_true(p.n == 0 && p.changes == NULL);
        change_page_free(&p);
    }
}

static void status_header_round_trip(void **state)
{
    (void)state;
    struct proto_status a = { .version = "1.2.3", .queue = 12,
                              .offset_ms = -340, .boot_id = "abc-def",
                              .mono_ms = 99, .wall_ms = 1763800000000 };
    char buf[256];
    proto_status_format(&a, buf, sizeof buf);
    struct proto_status b;
    assert_int_equal(proto_status_parse(buf, &b), ERR_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_int_equal(proto_status_parse("", &b), ERR_OK);
    assert_int_equal(proto_status_parse("q=1;future=x", &b), ERR_OK);
    assert_int_equal(b.queue, 1);
    assert_int_equal(proto_status_parse("q=abc", &b), ERR_PROTO);
    assert_int_equal(proto_status_parse("nonsense", &b), ERR_PROTO);
}

static void enrol_messages(void **state)
{
    (void)state;
    char *json;
    char code[32], csr[64], cert[64], st[16], dev[16];
    assert_int_equal(proto_enrol_encode("ABC", "PEM", &json), ERR_OK);
    assert_int_equal(proto_enrol_decode(json, strlen(json), code, sizeof code,
                                        csr, sizeof csr), ERR_OK);
    assert_string_equal(code, "ABC");
    free(json);
    assert_int_equal(proto_enrol_decode("{\"code\":1}", 10, code, sizeof code,
                                        csr, sizeof csr), ERR_PROTO);
    assert_int_equal(proto_enrol_reply_encode("C", "s", "d", &json), ERR_OK);
    assert_int_equal(proto_enrol_reply_decode(json, strlen(json), cert,
                                              sizeof cert, st, sizeof st, dev,
                                              sizeof dev), ERR_OK);
    assert_string_equal(dev, "d");
    free(json);
}

/* Damaged copies of a good batch: decoded whole or refused whole. */
static void damaged_batches_decoded_or_refused(void **state)
{
    (void)state;
    static const char good[] = EV(",\"data\":{\"minutes\":5,\"n\":\"x\"}");
    unsigned seed = 77;
    char buf[sizeof good];
    for (int round = 0; round < 5000; round++) {
        memcpy(buf, good, sizeof good);
        size_t len = sizeof good - 1;
        for (int k = 0; k < 1 + rand_r(&seed) % 3; k++)
            buf[rand_r(&seed) % (int)len] = (char)(32 + rand_r(&seed) % 95);
        if (rand_r(&seed) % 4 == 0)
            len = (size_t)(rand_r(&seed) % (int)len);
        struct proto_event *out = NULL;
        size_t n = 0;
        char st[64];
        err_code e = proto_events_decode(buf, len, &out, &n, st, sizeof st);
        assert_true(e == ERR_OK || e == ERR_PROTO);
        if (e == ERR_OK) {
            assert_true(n <= 1);
            free(out);
        } else {
            assert_null(out);
        }
        char cur[16];
        bool more;
        int64_t t;
        proto_page_peek(buf, len, cur, sizeof cur, &more, &t);
    }
}

/* A star of a star's own board carries its board; one without is the
 * overall board's (every hub before star boards). An award decodes with
 * its kind; a board with a "/", an award of no kind, year or subject
 * refuses the page. */
static void star_boards_and_awards_decoded(void **st)
{
    (void)st;
    struct change_page p = { 0 };
    assert_int_equal(decode(PAGE(
        "{\"type\":\"star\",\"op\":\"put\",\"key\":\"security/month/1\","
        "\"data\":{\"board\":\"security\",\"period\":\"month\",\"rank\":1,"
        "\"member_no\":\"HQ1\",\"name\":\"王芳\",\"points\":7}},"
        "{\"type\":\"star\",\"op\":\"put\",\"key\":\"month/1\",\"data\":"
        "{\"period\":\"month\",\"rank\":1,\"member_no\":\"HQ1\","
        "\"points\":9}},"
        "{\"type\":\"award\",\"op\":\"put\",\"key\":\"2025/post/P01\","
        "\"data\":{\"year\":2025,\"kind\":\"post\",\"rank\":2,"
        "\"subject\":\"P01\",\"name\":\"财务监督岗\",\"points\":40}},"
        "{\"type\":\"award\",\"op\":\"del\",\"key\":\"2024/member/HQ1\"}"),
        &p), ERR_OK);
    assert_int_equal(p.n, 4);
    assert_string_equal(p.changes[0].u.star.board, "security");
    assert_int_equal(p.changes[0].u.star.points, 7);
    assert_string_equal(p.changes[1].u.star.board, "");
    assert_int_equal(p.changes[2].type, CHANGE_AWARD);
    assert_int_equal(p.changes[2].u.award.kind, CHANGE_AWARD_POST);
    assert_int_equal(p.changes[2].u.award.year, 2025);
    assert_int_equal(p.changes[2].u.award.rank, 2);
    assert_string_equal(p.changes[2].u.award.subject, "P01");
    assert_string_equal(p.changes[2].u.award.name, "财务监督岗");
    assert_int_equal(p.changes[3].op, CHANGE_DEL);
    assert_string_equal(change_type_name(CHANGE_AWARD), "award");
    change_page_free(&p);

    static const char *const bad[] = {
        PAGE("{\"type\":\"star\",\"op\":\"put\",\"key\":\"s\",\"data\":"
             "{\"board\":\"a/b\",\"period\":\"month\",\"rank\":1,"
             "\"member_no\":\"HQ1\",\"points\":1}}"),
        PAGE("{\"type\":\"award\",\"op\":\"put\",\"key\":\"a\",\"data\":"
             "{\"year\":2025,\"kind\":\"prize\",\"rank\":1,"
             "\"subject\":\"P1\",\"points\":1}}"),
        PAGE("{\"type\":\"award\",\"op\":\"put\",\"key\":\"a\",\"data\":"
             "{\"kind\":\"post\",\"rank\":1,\"subject\":\"P1\","
             "\"points\":1}}"),
        PAGE("{\"type\":\"award\",\"op\":\"put\",\"key\":\"a\",\"data\":"
             "{\"year\":2025,\"kind\":\"member\",\"rank\":1,"
             "\"points\":1}}"),
        PAGE("{\"type\":\"award\",\"op\":\"put\",\"key\":\"a\",\"data\":"
             "{\"year\":2025,\"kind\":\"member\",\"rank\":0,"
             "\"subject\":\"HQ1\",\"points\":1}}"),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct change_page q = { 0 };
        assert_int_equal(decode(bad[i], &q), ERR_PROTO);
        assert_int_equal(q.n, 0);
    }
}

int main(void)
{
    log_set_level(LOG_LVL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_round_trip),
        cmocka_unit_test(events_refused),
        cmocka_unit_test(integers_refused_where_they_would_not_reencode),
        cmocka_unit_test(batch_over_cap_refused),
        cmocka_unit_test(ack_and_page),
        cmocka_unit_test(page_decodes_every_type_into_typed_fields),
        cmocka_unit_test(page_decodes_ledger_types_and_tickets),
        cmocka_unit_test(page_photos_decoded_or_refused),
        cmocka_unit_test(page_snapshot_marks),
        cmocka_unit_test(page_work_units_and_member_units),
        cmocka_unit_test(page_refused_whole_when_any_change_is_malformed),
        cmocka_unit_test(confirmation_changes_decoded),
        cmocka_unit_test(page_text_cut_identifiers_refused),
        cmocka_unit_test(page_caps_changes_holders_and_bytes),
        cmocka_unit_test(damaged_pages_decoded_or_refused),
        cmocka_unit_test(status_header_round_trip),
        cmocka_unit_test(enrol_messages),
        cmocka_unit_test(damaged_batches_decoded_or_refused),
        cmocka_unit_test(page_decodes_post_rules_and_claims),
        cmocka_unit_test(star_boards_and_awards_decoded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
