/* tests/test_http.c - HTTP framing over http-parser: messages split at
 * every byte boundary, pipelined messages, keep-alive, the Kiosk-Status
 * header, and every cap (URL, headers, body). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sync/http.h"

/* A source that hands out at most `chunk` bytes per read. */
struct feed {
    const char *data;
    size_t      len, off, chunk;
};

static err_code feed_read(void *ctx, void *buf, size_t cap, size_t *got)
{
    struct feed *f = ctx;
    size_t n = f->len - f->off;
    if (n > f->chunk)
        n = f->chunk;
    if (n > cap)
        n = cap;
    memcpy(buf, f->data + f->off, n);
    f->off += n;
    *got = n;
    return ERR_OK;
}

static const char req[] =
    "POST /v1/events HTTP/1.1\r\nHost: hub\r\n"
    "Kiosk-Status: v=1;q=3\r\nContent-Length: 5\r\n\r\nhello";

static void request_parsed_at_any_split(void **state)
{
    (void)state;
    for (size_t chunk = 1; chunk <= sizeof req; chunk++) {
        struct feed f = { req, sizeof req - 1, 0, chunk };
        struct http_src src = { &f, feed_read };
        struct http_reader *r;
        http_reader_create(true, 100, &r);
        struct http_msg m;
        assert_int_equal(http_read(r, &src, &m), ERR_OK);
        assert_int_equal(m.method, HTTP_M_POST);
        assert_string_equal(m.url, "/v1/events");
        assert_string_equal(m.kiosk_status, "v=1;q=3");
        assert_int_equal(m.body_len, 5);
        assert_string_equal(m.body, "hello");
        assert_true(m.keep_alive);
        http_msg_free(&m);
        /* Then the peer closes: reported as a clean close. */
        assert_int_equal(http_read(r, &src, &m), ERR_NET);
        assert_true(m.closed);
        http_reader_destroy(r);
    }
}

static void pipelined_messages_kept_apart(void **state)
{
    (void)state;
    static const char two[] =
        "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n";
    struct feed f = { two, sizeof two - 1, 0, sizeof two };
    struct http_src src = { &f, feed_read };
    struct http_reader *r;
    http_reader_create(true, 100, &r);
    struct http_msg m;
    assert_int_equal(http_read(r, &src, &m), ERR_OK);
    assert_string_equal(m.url, "/a");
    assert_true(m.keep_alive);
    http_msg_free(&m);
    assert_int_equal(http_read(r, &src, &m), ERR_OK);
    assert_string_equal(m.url, "/b");
    assert_false(m.keep_alive);
    http_msg_free(&m);
    http_reader_destroy(r);
}

static void response_parsed(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 403 Forbidden\r\nContent-Length: 2"
                               "\r\n\r\n{}";
    struct feed f = { resp, sizeof resp - 1, 0, 7 };
    struct http_src src = { &f, feed_read };
    struct http_reader *r;
    http_reader_create(false, 100, &r);
    struct http_msg m;
    assert_int_equal(http_read(r, &src, &m), ERR_OK);
    assert_int_equal(m.status, 403);
    assert_string_equal(m.body, "{}");
    http_msg_free(&m);
    http_reader_destroy(r);
}

struct bad_case {
    const char *input;
    err_code    e;
    int         reject;
};

static void bad_input_refused(void **state)
{
    (void)state;
    static const struct bad_case cases[] = {
        { "BREW /pot HTCPCP/1.0\r\n\r\n", ERR_PROTO, 400 },
        { "GET / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", ERR_INVAL, 413 },
        { "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
          "65\r\n", ERR_INVAL, 413 },
        { "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
          ERR_PROTO, 400 },
        { "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", ERR_NET, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *in = cases[i].input;
        struct feed f = { in, strlen(in), 0, 64 };
        struct http_src src = { &f, feed_read };
        struct http_reader *r;
        http_reader_create(true, 100, &r);
        struct http_msg m;
        /* The chunked body of 0x65 = 101 bytes: past the cap as it comes. */
        if (i == 2) {
            static char big[300];
            memset(big, 0, sizeof big);
            strcpy(big, in);
            memset(big + strlen(in), 'x', 110);
            f.data = big;
            f.len = strlen(big);
        }
        assert_int_equal(http_read(r, &src, &m), cases[i].e);
        assert_int_equal(m.reject, cases[i].reject);
        assert_null(m.body);
        http_reader_destroy(r);
    }
}

static void long_url_and_headers_refused(void **state)
{
    (void)state;
    char *buf = malloc(HTTP_HEAD_MAX * 2);
    int n = snprintf(buf, 32, "GET /");
    memset(buf + n, 'u', HTTP_URL_MAX);
    strcpy(buf + n + HTTP_URL_MAX, " HTTP/1.1\r\n\r\n");
    struct feed f = { buf, strlen(buf), 0, 100 };
    struct http_src src = { &f, feed_read };
    struct http_reader *r;
    http_reader_create(true, 100, &r);
    struct http_msg m;
    assert_int_equal(http_read(r, &src, &m), ERR_INVAL);
    assert_int_equal(m.reject, 414);
    http_reader_destroy(r);
    n = snprintf(buf, 64, "GET / HTTP/1.1\r\nX: ");
    memset(buf + n, 'h', HTTP_HEAD_MAX);
    strcpy(buf + n + HTTP_HEAD_MAX, "\r\n\r\n");
    f = (struct feed){ buf, strlen(buf), 0, 1000 };
    http_reader_create(true, 100, &r);
    assert_int_equal(http_read(r, &src, &m), ERR_INVAL);
    assert_int_equal(m.reject, 431);
    http_reader_destroy(r);
    free(buf);
}

/* Random bytes and damaged copies of a good request, split at random:
 * every outcome is an answer or a refusal, never a crash or a leak
 * (run under ASan by make test). */
static void random_input_never_crashes(void **state)
{
    (void)state;
    unsigned seed = 4242;
    char buf[512];
    for (int round = 0; round < 3000; round++) {
        size_t len;
        if (round % 2) {
            len = (size_t)(rand_r(&seed) % (int)sizeof buf);
            for (size_t i = 0; i < len; i++)
                buf[i] = (char)rand_r(&seed);
        } else {
            len = sizeof req - 1;
            memcpy(buf, req, len);
            for (int k = 0; k < 1 + rand_r(&seed) % 4; k++)
                buf[rand_r(&seed) % (int)len] = (char)rand_r(&seed);
        }
        struct feed f = { buf, len, 0, 1 + (size_t)(rand_r(&seed) % 64) };
        struct http_src src = { &f, feed_read };
        struct http_reader *r;
        http_reader_create(round % 3 != 0, 100, &r);
        struct http_msg m;
        for (int k = 0; k < 3; k++) {
            err_code e = http_read(r, &src, &m);
            if (e != ERR_OK) {
                assert_null(m.body);
                break;
            }
            assert_true(m.body_len <= 100);
            http_msg_free(&m);
        }
        http_reader_destroy(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_parsed_at_any_split),
        cmocka_unit_test(pipelined_messages_kept_apart),
        cmocka_unit_test(response_parsed),
        cmocka_unit_test(bad_input_refused),
        cmocka_unit_test(long_url_and_headers_refused),
        cmocka_unit_test(random_input_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
