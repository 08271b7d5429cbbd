/* hub/hub_addr.c - per-address connection records and their log lines:
 * see hub_addr.h. */
#include "hub/hub_addr.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define BUCKETS 1024
#define MINUTE_MS 60000

struct hub_addrs {
    struct hub_addr *bucket[BUCKETS];
    double           tokens;        /* lines left, refilled per minute */
    int64_t          tokens_ms;
    unsigned         lines;
    unsigned         pending;       /* records with counts not yet logged */
};

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;          /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % BUCKETS;
}

struct hub_addrs *hub_addrs_create(void)
{
    struct hub_addrs *t = xcalloc(1, sizeof *t);
    t->tokens = HUB_ADDR_LINES;
    return t;
}

void hub_addrs_destroy(struct hub_addrs *t)
{
    if (!t)
        return;
    for (int i = 0; i < BUCKETS; i++)
        for (struct hub_addr *a = t->bucket[i], *n; a; a = n) {
            n = a->next;
            free(a);
        }
    free(t);
}

struct hub_addr *hub_addrs_get(struct hub_addrs *t, const char *name)
{
    unsigned h = hash(name);
    for (struct hub_addr *a = t->bucket[h]; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a;
    struct hub_addr *a = xcalloc(1, sizeof *a);
    str_copy(a->name, sizeof a->name, name);
    a->next = t->bucket[h];
    t->bucket[h] = a;
    return a;
}

static bool has_counts(const struct hub_addr *a)
{
    return a->since_ms != 0;
}

void hub_addrs_release(struct hub_addrs *t, struct hub_addr *a)
{
    if (a->conns > 0 || has_counts(a))
        return;
    struct hub_addr **pp = &t->bucket[hash(a->name)];
    while (*pp && *pp != a)
        pp = &(*pp)->next;
    if (*pp)
        *pp = a->next;
    free(a);
}

static bool take_line(struct hub_addrs *t, int64_t now)
{
    if (now > t->tokens_ms) {
        t->tokens += (double)(now - t->tokens_ms) * HUB_ADDR_LINES /
                     MINUTE_MS;
        if (t->tokens > HUB_ADDR_LINES)
            t->tokens = HUB_ADDR_LINES;
        t->tokens_ms = now;
    }
    if (t->tokens < 1.0)
        return false;
    t->tokens -= 1.0;
    return true;
}

/* One line for a's counts, if its interval is over and the budget has a
 * line left. */
static void maybe_log(struct hub_addrs *t, struct hub_addr *a, int64_t now)
{
    if (!has_counts(a))
        return;
    if (a->logged_ms && now - a->logged_ms < HUB_ADDR_LOG_EVERY_MS)
        return;
    if (!take_line(t, now))
        return;
    /* Only what happened: "3918 closed idle unauthenticated (over the
     * cap), 12 timed out idle in 10 s". */
    static const char *const what[HUB_ADDR_NEVENTS] = {
        [HUB_ADDR_EVICTED] = "closed idle unauthenticated (over the cap)",
        [HUB_ADDR_REFUSED] = "refused (no room)",
        [HUB_ADDR_TIMED_OUT] = "timed out idle",
        [HUB_ADDR_FAILED] = "handshakes failed",
    };
    char line[512];
    size_t len = 0;
    for (int i = 0; i < HUB_ADDR_NEVENTS; i++) {
        if (!a->count[i] || len >= sizeof line)
            continue;
        int n = snprintf(line + len, sizeof line - len, "%s%u %s",
                         len ? ", " : "", a->count[i], what[i]);
        len += n > 0 ? (size_t)n : 0;
    }
    double s = (double)(now - a->since_ms) / 1000.0;
    log_warn("hub: %s: %s%s%s%s in %.0f s", a->name, line,
             a->last_failure[0] ? " (last: " : "", a->last_failure,
             a->last_failure[0] ? ")" : "", s < 0 ? 0 : s);
    t->lines++;
    memset(a->count, 0, sizeof a->count);
    a->last_failure[0] = '\0';
    a->since_ms = 0;
    a->logged_ms = now;
    t->pending--;
}

void hub_addrs_note(struct hub_addrs *t, struct hub_addr *a,
                    enum hub_addr_event ev, const char *why, int64_t now_ms)
{
    if (!has_counts(a)) {
        a->since_ms = now_ms ? now_ms : 1;
        t->pending++;
    }
    a->count[ev]++;
    if (why && why[0])
        str_copy(a->last_failure, sizeof a->last_failure, why);
    maybe_log(t, a, now_ms);
}

void hub_addrs_flush(struct hub_addrs *t, int64_t now_ms)
{
    if (!t->pending)
        return;
    for (int i = 0; i < BUCKETS; i++)
        for (struct hub_addr *a = t->bucket[i], *n; a; a = n) {
            n = a->next;
            maybe_log(t, a, now_ms);
            if (a->conns == 0)
                hub_addrs_release(t, a);
        }
}

unsigned hub_addrs_lines(const struct hub_addrs *t)
{
    return t->lines;
}
