/* sync/tls.c - the dispatch side of tls.h: holds which back-end a context
 * and a connection use. Knows nothing of any TLS library. */
#include "sync/tls.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/xmalloc.h"

struct tls_ctx {
    const struct tls_ops *ops;
    void                 *priv;
};

struct tls_conn {
    const struct tls_ops *ops;
    void                 *priv;
};

err_code tls_ctx_create(const struct tls_ops *ops, const struct tls_params *p,
                        struct tls_ctx **out)
{
    void *priv = NULL;
    *out = NULL;
    err_code e = ops->ctx_create(p, &priv);
    if (e != ERR_OK)
        return e;
    struct tls_ctx *c = xmalloc(sizeof *c);
    c->ops = ops;
    c->priv = priv;
    *out = c;
    return ERR_OK;
}

void tls_ctx_destroy(struct tls_ctx *c)
{
    if (!c)
        return;
    c->ops->ctx_destroy(c->priv);
    free(c);
}

static err_code open_conn(struct tls_ctx *c, const struct tls_io *io,
                          const char *host, struct tls_conn **out)
{
    void *priv = NULL;
    *out = NULL;
    err_code e = c->ops->open(c->priv, io, host, &priv);
    if (e != ERR_OK && !(e == ERR_BUSY && priv))
        return e;
    struct tls_conn *t = xmalloc(sizeof *t);
    t->ops = c->ops;
    t->priv = priv;
    *out = t;
    return e;
}

err_code tls_handshake(struct tls_conn *t)
{
    return t->ops->handshake(t->priv);
}

err_code tls_connect(struct tls_ctx *c, const struct tls_io *io,
                     const char *host, struct tls_conn **out)
{
    return open_conn(c, io, host ? host : "", out);
}

err_code tls_accept(struct tls_ctx *c, const struct tls_io *io,
                    struct tls_conn **out)
{
    return open_conn(c, io, NULL, out);
}

err_code tls_read(struct tls_conn *t, void *buf, size_t cap, size_t *got)
{
    return t->ops->read(t->priv, buf, cap, got);
}

err_code tls_write(struct tls_conn *t, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len > 0) {
        size_t done = 0;
        err_code e = t->ops->write(t->priv, p, len, &done);
        if (e != ERR_OK)
            return e;
        p += done;
        len -= done;
    }
    return ERR_OK;
}

err_code tls_peer(struct tls_conn *t, struct tls_peer *out)
{
    if (!t->ops->peer)
        return ERR_UNSUPPORTED;
    return t->ops->peer(t->priv, out);
}

void tls_close(struct tls_conn *t)
{
    if (!t)
        return;
    t->ops->close(t->priv);
    free(t);
}

bool tls_pending(struct tls_conn *t)
{
    return t && t->ops->pending && t->ops->pending(t->priv);
}

static __thread char last_failure[192];

const char *tls_last_failure(void)
{
    return last_failure;
}

void tls_set_failure(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_failure, sizeof last_failure, fmt, ap);
    va_end(ap);
}
