/* hub/hub_limit.c - token buckets for failed enrolment attempts. */
#include "hub/hub_limit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

#define MINUTE_MS 60000

struct bucket {
    double  tokens;
    int64_t at_ms;                /* when tokens was right */
};

struct slot {
    char          addr[64];
    struct bucket b;
    int64_t       used_ms;        /* last attempt: eviction order */
    int64_t       logged_ms;      /* last warning line; 0: none yet */
    int           unlogged;       /* attempts since that line */
};

struct hub_limit {
    pthread_mutex_t lock;
    int             per_addr, global;
    struct bucket   all, lines;
    struct slot     slots[HUB_LIMIT_SLOTS];
};

/* Refill at rate per minute, up to rate (a minute's worth). */
static void refill(struct bucket *b, int rate, int64_t now)
{
    if (now > b->at_ms) {
        b->tokens += (double)(now - b->at_ms) * rate / MINUTE_MS;
        if (b->tokens > rate)
            b->tokens = rate;
    }
    b->at_ms = now;
}

static int wait_s(const struct bucket *b, int rate)
{
    double need = 1.0 - b->tokens;
    int s = (int)(need * 60.0 / rate) + 1;
    return s < 1 ? 1 : s;
}

struct hub_limit *hub_limit_create(int per_addr, int global)
{
    struct hub_limit *l = xcalloc(1, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    l->per_addr = per_addr > 0 ? per_addr : HUB_LIMIT_PER_ADDR;
    l->global = global > 0 ? global : HUB_LIMIT_GLOBAL;
    l->all.tokens = l->global;
    l->lines.tokens = HUB_LIMIT_LINES;
    return l;
}

void hub_limit_destroy(struct hub_limit *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

/* The address's slot; a new one (full bucket) replaces the least
 * recently used. */
static struct slot *slot_of(struct hub_limit *l, const char *addr,
                            int64_t now)
{
    struct slot *old = &l->slots[0];
    for (int i = 0; i < HUB_LIMIT_SLOTS; i++) {
        struct slot *s = &l->slots[i];
        if (s->addr[0] && strcmp(s->addr, addr) == 0) {
            refill(&s->b, l->per_addr, now);
            s->used_ms = now;
            return s;
        }
        if (!s->addr[0] || s->used_ms < old->used_ms)
            old = s;
        if (!s->addr[0])
            break;
    }
    memset(old, 0, sizeof *old);
    str_copy(old->addr, sizeof old->addr, addr);
    old->b.tokens = l->per_addr;
    old->b.at_ms = now;
    old->used_ms = now;
    return old;
}

/* One more failed attempt of s; how many a warning line is due for. */
static int log_due(struct hub_limit *l, struct slot *s, int64_t now)
{
    s->unlogged++;
    if (s->logged_ms && now - s->logged_ms < MINUTE_MS)
        return 0;
    refill(&l->lines, HUB_LIMIT_LINES, now);
    if (l->lines.tokens < 1.0)
        return 0;
    l->lines.tokens -= 1.0;
    int n = s->unlogged;
    s->unlogged = 0;
    s->logged_ms = now;
    return n;
}

void hub_limit_admit(struct hub_limit *l, const char *addr, int64_t now_ms,
                     struct hub_limit_verdict *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&l->lock);
    struct slot *s = slot_of(l, addr, now_ms);
    refill(&l->all, l->global, now_ms);
    out->allowed = s->b.tokens >= 1.0 && l->all.tokens >= 1.0;
    if (!out->allowed) {
        int a = s->b.tokens < 1.0 ? wait_s(&s->b, l->per_addr) : 0;
        int g = l->all.tokens < 1.0 ? wait_s(&l->all, l->global) : 0;
        out->retry_s = a > g ? a : g;
        out->log_n = log_due(l, s, now_ms);
    }
    pthread_mutex_unlock(&l->lock);
}

int hub_limit_failed(struct hub_limit *l, const char *addr, int64_t now_ms)
{
    pthread_mutex_lock(&l->lock);
    struct slot *s = slot_of(l, addr, now_ms);
    refill(&l->all, l->global, now_ms);
    s->b.tokens = s->b.tokens >= 1.0 ? s->b.tokens - 1.0 : 0.0;
    l->all.tokens = l->all.tokens >= 1.0 ? l->all.tokens - 1.0 : 0.0;
    int n = log_due(l, s, now_ms);
    pthread_mutex_unlock(&l->lock);
    return n;
}
