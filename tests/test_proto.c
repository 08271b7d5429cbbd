/* tests/test_proto.c - the protocol v1 JSON codec: tables of inputs and
 * what must come out, including everything that must be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/log.h"
#include "sync/proto.h"

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

int main(void)
{
    log_set_level(LOG_LVL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_round_trip),
        cmocka_unit_test(events_refused),
        cmocka_unit_test(integers_refused_where_they_would_not_reencode),
        cmocka_unit_test(batch_over_cap_refused),
        cmocka_unit_test(ack_and_page),
        cmocka_unit_test(status_header_round_trip),
        cmocka_unit_test(enrol_messages),
        cmocka_unit_test(damaged_batches_decoded_or_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
