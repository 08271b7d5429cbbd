/* sync/http.c - HTTP/1.1 messages over tls.h, parsed by http-parser.
 * Owns the parser state and the carried-over bytes of one connection;
 * knows nothing of the protocol's paths or JSON. */
#include "sync/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <http_parser.h>

#include "base/xmalloc.h"

#define CARRY_CAP 16384

struct http_reader {
    http_parser          parser;
    http_parser_settings settings;
    bool                 request;
    size_t               max_body;
    unsigned char        carry[CARRY_CAP];
    size_t               carry_len;
    /* per message */
    struct http_msg     *msg;
    size_t               head_bytes;
    size_t               body_cap;
    char                *cur;             /* the kept header being read */
    size_t               cur_cap;
    bool                 last_was_value;
    char                 field[32];
    size_t               field_len;
    bool                 done;
    int                  cap_hit;        /* 413 or 431 */
};

static struct http_reader *rd(http_parser *p)
{
    return p->data;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = rd(p);
    size_t have = strlen(r->msg->url);
    if (have + len >= HTTP_URL_MAX) {
        r->cap_hit = 414;
        return 1;
    }
    memcpy(r->msg->url + have, at, len);
    r->msg->url[have + len] = '\0';
    return 0;
}

static int count_head(struct http_reader *r, size_t len)
{
    r->head_bytes += len;
    if (r->head_bytes > HTTP_HEAD_MAX) {
        r->cap_hit = 431;
        return 1;
    }
    return 0;
}

static int on_field(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = rd(p);
    if (count_head(r, len))
        return 1;
    if (r->last_was_value)
        r->field_len = 0;
    r->last_was_value = false;
    size_t n = len;
    if (r->field_len + n >= sizeof r->field)
        n = sizeof r->field - 1 - r->field_len;
    memcpy(r->field + r->field_len, at, n);
    r->field_len += n;
    r->field[r->field_len] = '\0';
    return 0;
}

/* Where the current header's value goes: one of the few headers kept
 * (Kiosk-Status, Range or Content-Range, and for the web console Cookie
 * and Content-Type), or nowhere. */
static void pick_header(struct http_reader *r)
{
    struct http_msg *m = r->msg;
    r->cur = NULL;
    r->cur_cap = 0;
    if (strcasecmp(r->field, "Kiosk-Status") == 0) {
        r->cur = m->kiosk_status;
        r->cur_cap = HTTP_STATUS_MAX;
    } else if (strcasecmp(r->field, r->request ? "Range"
                                               : "Content-Range") == 0) {
        r->cur = m->range;
        r->cur_cap = HTTP_RANGE_MAX;
    } else if (r->request && strcasecmp(r->field, "Cookie") == 0) {
        r->cur = m->cookie;
        r->cur_cap = HTTP_COOKIE_MAX;
    } else if (strcasecmp(r->field, "Content-Type") == 0) {
        r->cur = m->content_type;
        r->cur_cap = HTTP_TYPE_MAX;
    }
}

static int on_value(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = rd(p);
    if (count_head(r, len))
        return 1;
    if (!r->last_was_value)
        pick_header(r);
    r->last_was_value = true;
    if (!r->cur)
        return 0;
    char *s = r->cur;
    size_t cap = r->cur_cap;
    size_t have = strlen(s);
    size_t n = len;
    if (have + n >= cap)
        n = cap - 1 - have;
    memcpy(s + have, at, n);
    s[have + n] = '\0';
    return 0;
}

static int on_headers_complete(http_parser *p)
{
    struct http_reader *r = rd(p);
    /* Refuse before reading a byte of a body that will not fit. */
    if ((p->flags & F_CONTENTLENGTH) && p->content_length > r->max_body) {
        r->cap_hit = 413;
        return -1;
    }
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    struct http_reader *r = rd(p);
    struct http_msg *m = r->msg;
    if (m->body_len + len > r->max_body) {
        r->cap_hit = 413;
        return 1;
    }
    if (m->body_len + len + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap * 2 : 4096;
        while (cap < m->body_len + len + 1)
            cap *= 2;
        m->body = xrealloc(m->body, cap);
        r->body_cap = cap;
    }
    memcpy(m->body + m->body_len, at, len);
    m->body_len += len;
    m->body[m->body_len] = '\0';
    return 0;
}

static int on_complete(http_parser *p)
{
    struct http_reader *r = rd(p);
    r->done = true;
    http_parser_pause(p, 1);
    return 0;
}

err_code http_reader_create(bool request, size_t max_body,
                            struct http_reader **out)
{
    struct http_reader *r = xcalloc(1, sizeof *r);
    r->request = request;
    r->max_body = max_body;
    http_parser_settings_init(&r->settings);
    r->settings.on_url = on_url;
    r->settings.on_header_field = on_field;
    r->settings.on_header_value = on_value;
    r->settings.on_headers_complete = on_headers_complete;
    r->settings.on_body = on_body;
    r->settings.on_message_complete = on_complete;
    *out = r;
    return ERR_OK;
}

void http_reader_destroy(struct http_reader *r)
{
    free(r);
}

void http_msg_free(struct http_msg *msg)
{
    if (!msg)
        return;
    free(msg->body);
    msg->body = NULL;
    msg->body_len = 0;
}

static void begin(struct http_reader *r, struct http_msg *msg)
{
    memset(msg, 0, sizeof *msg);
    r->msg = msg;
    r->head_bytes = 0;
    r->body_cap = 0;
    r->cur = NULL;
    r->cur_cap = 0;
    r->last_was_value = false;
    r->field_len = 0;
    r->done = false;
    r->cap_hit = 0;
    http_parser_init(&r->parser, r->request ? HTTP_REQUEST : HTTP_RESPONSE);
    r->parser.data = r;
}

static void finish(struct http_reader *r, struct http_msg *msg)
{
    http_parser *p = &r->parser;
    msg->keep_alive = http_should_keep_alive(p) != 0;
    msg->status = (int)p->status_code;
    msg->method = p->method == HTTP_GET    ? HTTP_M_GET
                : p->method == HTTP_POST ? HTTP_M_POST
                                         : HTTP_M_OTHER;
    if (!msg->body) {
        msg->body = xstrdup("");
        msg->body_len = 0;
    }
}

/* Feed what is carried; ERR_OK with r->done when a message ended. */
static err_code feed(struct http_reader *r)
{
    size_t n = http_parser_execute(&r->parser, &r->settings,
                                   (const char *)r->carry, r->carry_len);
    enum http_errno he = HTTP_PARSER_ERRNO(&r->parser);
    if (he != HPE_OK && !(he == HPE_PAUSED && r->done)) {
        r->msg->reject = r->cap_hit ? r->cap_hit : 400;
        return r->cap_hit ? ERR_INVAL : ERR_PROTO;
    }
    memmove(r->carry, r->carry + n, r->carry_len - n);
    r->carry_len -= n;
    return ERR_OK;
}

static err_code on_eof(struct http_reader *r, struct http_msg *msg,
                       bool started)
{
    if (!started) {
        msg->closed = true;
        return ERR_NET;
    }
    http_parser_execute(&r->parser, &r->settings, NULL, 0);
    if (r->done)
        return ERR_OK;
    return ERR_NET;                          /* cut mid-message */
}

err_code http_read(struct http_reader *r, const struct http_src *src,
                   struct http_msg *msg)
{
    begin(r, msg);
    bool started = r->carry_len > 0;
    err_code e = ERR_OK;
    while (e == ERR_OK && !r->done) {
        if (r->carry_len == 0) {
            size_t got = 0;
            e = src->read(src->ctx, r->carry, CARRY_CAP, &got);
            if (e == ERR_OK && got == 0) {
                e = on_eof(r, msg, started);
                break;
            }
            r->carry_len = got;
            started = true;
        }
        if (e == ERR_OK)
            e = feed(r);
    }
    if (e != ERR_OK) {
        http_msg_free(msg);
        r->carry_len = 0;
        return e;
    }
    finish(r, msg);
    return ERR_OK;
}

static err_code tls_src_read(void *ctx, void *buf, size_t cap, size_t *got)
{
    return tls_read(ctx, buf, cap, got);
}

err_code http_read_tls(struct http_reader *r, struct tls_conn *t,
                       struct http_msg *msg)
{
    struct http_src src = { t, tls_src_read };
    return http_read(r, &src, msg);
}

const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 206: return "Partial Content";
    case 303: return "See Other";
    case 416: return "Range Not Satisfiable";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default:  return "Status";
    }
}

/* Head and body in one write: one TLS record where it fits. */
static err_code send_parts(struct tls_conn *t, const char *head, size_t hlen,
                           const char *body, size_t len)
{
    if (hlen + len <= 16384) {
        char *buf = xmalloc(hlen + len);
        memcpy(buf, head, hlen);
        if (len)
            memcpy(buf + hlen, body, len);
        err_code e = tls_write(t, buf, hlen + len);
        free(buf);
        return e;
    }
    err_code e = tls_write(t, head, hlen);
    return e == ERR_OK ? tls_write(t, body, len) : e;
}

err_code http_write_request(struct tls_conn *t, const char *method,
                            const char *url, const char *host,
                            const char *extra, const char *body, size_t len)
{
    char head[1024 + HTTP_URL_MAX];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: %s\r\n%s"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     method, url, host, extra ? extra : "", len);
    if (n < 0 || (size_t)n >= sizeof head)
        return ERR_INVAL;
    return send_parts(t, head, (size_t)n, body, len);
}

err_code http_write_response(struct tls_conn *t, int status,
                             const char *body, size_t len, bool keep_alive)
{
    return http_write_response_ex(t, status, NULL, "", body, len,
                                  keep_alive);
}

err_code http_write_response_ex(struct tls_conn *t, int status,
                                const char *type, const char *extra,
                                const char *body, size_t len,
                                bool keep_alive)
{
    char head[2048];               /* the console's headers too */
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n%s"
                     "Content-Length: %zu\r\nConnection: %s\r\n\r\n",
                     status, http_reason(status),
                     type ? type : "application/json", extra ? extra : "",
                     len, keep_alive ? "keep-alive" : "close");
    if (n < 0 || (size_t)n >= sizeof head)
        return ERR_INVAL;
    return send_parts(t, head, (size_t)n, body, len);
}

bool http_reader_pending(const struct http_reader *r)
{
    return r && r->carry_len > 0;
}
