/* hub/hub_tickets.c - session-ticket keys in a file: see hub_tickets.h. */
#include "hub/hub_tickets.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "base/file.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define MAGIC "kiosk-hub ticket keys 1\n"

struct hub_tickets {
    struct tls_ticket_store store;
    pthread_mutex_t         lock;
    char                    path[512];
    struct tls_ticket_keys  keys;
    bool                    loaded;
};

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static bool unhex(const char *s, unsigned char *b, size_t n)
{
    if (strlen(s) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return false;
        b[i] = (unsigned char)v;
    }
    return true;
}

/* One line: "cur NAME KEY CREATED" (hex, hex, Unix seconds). */
static bool parse_line(const char *line, const char *tag,
                       struct tls_ticket_key *k)
{
    char t[8], name[16], key[80];
    int64_t created;
    if (sscanf(line, "%7s %15s %79s %" SCNd64, t, name, key, &created) != 4)
        return false;
    return strcmp(t, tag) == 0 && unhex(name, k->name, sizeof k->name) &&
           unhex(key, k->key, sizeof k->key) && created > 0 &&
           (k->created_s = created, true);
}

/* ERR_NOTFOUND: no file yet; ERR_CORRUPT: not ours (then new keys). */
static err_code load(struct hub_tickets *t)
{
    char *data = NULL;
    size_t len;
    err_code e = file_read_capped(t->path, 4096, &data, &len);
    if (e != ERR_OK)
        return e;
    struct tls_ticket_keys k;
    memset(&k, 0, sizeof k);
    char *nl = strchr(data, '\n');
    e = ERR_CORRUPT;
    if (strncmp(data, MAGIC, strlen(MAGIC)) == 0 && nl &&
        parse_line(nl + 1, "cur", &k.cur)) {
        char *nl2 = strchr(nl + 1, '\n');
        k.have_prev = nl2 && parse_line(nl2 + 1, "prev", &k.prev);
        t->keys = k;
        e = ERR_OK;
    }
    free(data);
    return e;
}

static err_code save(struct hub_tickets *t)
{
    char buf[512], n1[9], k1[65], n2[9], k2[65];
    const struct tls_ticket_keys *k = &t->keys;
    hex(k->cur.name, sizeof k->cur.name, n1);
    hex(k->cur.key, sizeof k->cur.key, k1);
    int len = snprintf(buf, sizeof buf, MAGIC "cur %s %s %" PRId64 "\n", n1,
                       k1, k->cur.created_s);
    if (k->have_prev) {
        hex(k->prev.name, sizeof k->prev.name, n2);
        hex(k->prev.key, sizeof k->prev.key, k2);
        len += snprintf(buf + len, sizeof buf - (size_t)len,
                        "prev %s %s %" PRId64 "\n", n2, k2,
                        k->prev.created_s);
    }
    err_code e = file_write_atomic(t->path, buf, (size_t)len, 0600);
    memset(buf, 0, sizeof buf);
    if (e != ERR_OK)
        log_warn("hub: cannot save the session-ticket keys to %s: %s "
                 "(kiosks will need full handshakes after a restart)",
                 t->path, err_str(e));
    return e;
}

static err_code fresh_key(struct tls_ticket_key *k, int64_t now_s)
{
    if (getrandom(k->name, sizeof k->name, 0) != (ssize_t)sizeof k->name ||
        getrandom(k->key, sizeof k->key, 0) != (ssize_t)sizeof k->key)
        return ERR_IO;
    k->created_s = now_s;
    return ERR_OK;
}

static err_code keys_at(void *arg, int64_t now_s, struct tls_ticket_keys *out)
{
    struct hub_tickets *t = arg;
    err_code e = ERR_OK;
    pthread_mutex_lock(&t->lock);
    if (!t->loaded) {
        e = load(t);
        if (e == ERR_CORRUPT)
            log_warn("hub: %s is not a ticket key file: new keys", t->path);
        if (e != ERR_OK) {
            memset(&t->keys, 0, sizeof t->keys);
            e = fresh_key(&t->keys.cur, now_s);
            if (e == ERR_OK)
                save(t);
        }
        t->loaded = e == ERR_OK;
    }
    /* Due (or a clock that went back past its creation): rotate. */
    if (t->loaded && (now_s - t->keys.cur.created_s >= t->store.period_s ||
                      now_s < t->keys.cur.created_s)) {
        struct tls_ticket_key next;
        e = fresh_key(&next, now_s);
        if (e == ERR_OK) {
            t->keys.prev = t->keys.cur;
            t->keys.have_prev = true;
            t->keys.cur = next;
            save(t);
            log_info("hub: session-ticket key rotated");
        }
    }
    if (t->loaded)
        *out = t->keys;
    pthread_mutex_unlock(&t->lock);
    return t->loaded ? ERR_OK : e;
}

struct hub_tickets *hub_tickets_file(const char *path, int period_s)
{
    struct hub_tickets *t = xcalloc(1, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    snprintf(t->path, sizeof t->path, "%s", path);
    t->store.keys = keys_at;
    t->store.arg = t;
    t->store.period_s = period_s > 0 ? period_s : HUB_TICKETS_PERIOD_S;
    return t;
}

const struct tls_ticket_store *hub_tickets_store(struct hub_tickets *t)
{
    return &t->store;
}

void hub_tickets_destroy(struct hub_tickets *t)
{
    if (!t)
        return;
    memset(&t->keys, 0, sizeof t->keys);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
