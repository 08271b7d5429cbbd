/* tests/fuzz/fuzz_http.c - libFuzzer target for the hub's HTTP request
 * reader (sync/http.c over http-parser): the input is what a client sent
 * on one connection, handed over in chunks, read message after message
 * as hub_server does, with each Kiosk-Status header parsed as hub_api
 * does. The first byte picks the framing: bits 0-5 the chunk size (0:
 * all at once), bit 6 a response reader (the kiosk's side), bit 7 a
 * 64-byte body cap instead of the hub's. No input may crash, overrun a
 * cap or hang. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "sync/http.h"
#include "sync/proto.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The connection: at most `chunk` bytes a read, then a clean close. */
struct feed {
    const uint8_t *data;
    size_t         len, off, chunk;
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

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_LVL_ERROR);
    return 0;
}

static void check_msg(const struct http_msg *m, size_t max_body)
{
    struct proto_status st;

    if (strlen(m->url) >= HTTP_URL_MAX ||
        strlen(m->kiosk_status) >= HTTP_STATUS_MAX ||
        strlen(m->range) >= HTTP_RANGE_MAX || m->body == NULL ||
        m->body_len > max_body || m->body[m->body_len] != '\0')
        abort();
    if (m->kiosk_status[0])
        (void)proto_status_parse(m->kiosk_status, &st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_reader *r;
    struct http_msg m;
    size_t max_body;
    err_code e;

    if (size < 1)
        return 0;
    max_body = data[0] & 0x80 ? 64 : PROTO_BODY_MAX;
    struct feed f = { data + 1, size - 1, 0, data[0] & 0x3f };
    struct http_src src = { &f, feed_read };
    if (f.chunk == 0)
        f.chunk = f.len ? f.len : 1;
    http_reader_create(!(data[0] & 0x40), max_body, &r);
    /* Each message takes at least one byte, so this ends; the bound is
     * a hang guard in case it does not. */
    for (size_t i = 0; i <= size; i++) {
        e = http_read(r, &src, &m);
        if (e != ERR_OK) {
            if ((e == ERR_PROTO && m.reject != 400) ||
                (e == ERR_INVAL && m.reject != 413 && m.reject != 414 &&
                 m.reject != 431))
                abort();
            break;
        }
        check_msg(&m, max_body);
        http_msg_free(&m);
        if (i == size)
            abort();                  /* more messages than bytes */
    }
    http_reader_destroy(r);
    return 0;
}
