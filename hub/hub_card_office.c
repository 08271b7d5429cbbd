/* hub/hub_card_office.c - issuing and revoking cards for the console
 * (hub/hub_card_office.h): the same signer as `hubctl card`, under its
 * lock, with the store's record and the audit line. */
#include "hub/hub_card_office.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_audit.h"
#include "hub/hub_card.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_db_roster_list.h"

#define MAX_DAYS 3660           /* as hubctl card's --days */
#define ROSTER_MAX 20000

static pthread_mutex_t office_mu = PTHREAD_MUTEX_INITIALIZER;

int hub_card_lock(const char *cards_dir)
{
    char path[600];
    pthread_mutex_lock(&office_mu);
    /* The directory may not exist yet (hub_card_open makes it). */
    mkdir(cards_dir, 0700);
    snprintf(path, sizeof path, "%s/cards.lock", cards_dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        log_error("hub_card: cannot lock %s", path);
        if (fd >= 0)
            close(fd);
        pthread_mutex_unlock(&office_mu);
        return -1;
    }
    return fd;
}

void hub_card_unlock(int lock)
{
    if (lock < 0)
        return;
    flock(lock, LOCK_UN);
    close(lock);
    pthread_mutex_unlock(&office_mu);
}

static err_code say(char *msg, size_t cap, err_code e, const char *what)
{
    snprintf(msg, cap, "%s", what);
    return e;
}

static void object_of(char kind, const char *holder, char *out, size_t cap)
{
    snprintf(out, cap, "%s:%s", kind == 'T' ? "technician" : "member",
             holder);
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static err_code audit_issue(struct hub_db *db, const struct hub_card_rec *r)
{
    char obj[80], from[11], to[11], *after = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&after, &len);
    card_ymd(r->issued_day, from);
    card_ymd(r->expires_day, to);
    fputs("{\"card\":", f);
    json_str(f, r->card_id);
    fprintf(f, ",\"kind\":\"%c\",\"scope\":", r->kind);
    json_str(f, r->station);
    fprintf(f, ",\"from\":\"%s\",\"to\":\"%s\"}", from, to);
    fclose(f);
    object_of(r->kind, r->holder, obj, sizeof obj);
    err_code e = hub_audit_record(db, r->issued_by, "card.issue", obj, NULL,
                                  after);
    free(after);
    return e;
}

/* Dates and kind, before anything is signed. */
static err_code order_ok(const struct hub_card_order *o, char *msg,
                         size_t cap)
{
    if (o->kind != 'M' && o->kind != 'R' && o->kind != 'T')
        return say(msg, cap, ERR_INVAL, "kind is M, R or T");
    if (o->to_day < o->from_day)
        return say(msg, cap, ERR_INVAL, "the card ends before it starts");
    if (o->to_day - o->from_day >= MAX_DAYS)
        return say(msg, cap, ERR_INVAL, "a card is valid ten years at most");
    if (o->to_day < o->now_ms / HUB_CARD_DAY_MS - 1)
        return say(msg, cap, ERR_INVAL, "the card would already be expired");
    return ERR_OK;
}

/* Sign one card with h and fill r; nothing in the store yet. */
static err_code sign(struct hub_card *h, const struct hub_card_order *o,
                     const char *holder, const char *scope,
                     struct hub_card_rec *r, char *msg, size_t cap)
{
    struct hub_card_request rq = { .kind = (enum card_kind)o->kind,
                                   .id = holder, .scope = scope,
                                   .issued_day = o->from_day,
                                   .expires_day = o->to_day };
    struct card c;
    memset(r, 0, sizeof *r);
    err_code e = hub_card_issue(h, &rq, r->text, sizeof r->text, &c);
    if (e == ERR_NOTFOUND)
        return say(msg, cap, e, "no credential key yet: hubctl card init");
    if (e != ERR_OK)
        return say(msg, cap, e, "cannot sign the card (bad id or scope)");
    card_credential_id(&c, r->card_id);
    r->kind = o->kind;
    str_copy(r->holder, sizeof r->holder, holder);
    str_copy(r->station, sizeof r->station, scope);
    r->serial = c.serial;
    r->issued_day = c.issued_day;
    r->expires_day = c.expires_day;
    r->issued_ms = o->now_ms;
    str_copy(r->issued_by, sizeof r->issued_by, o->actor);
    return ERR_OK;
}

static err_code record(struct hub_db *db, const struct hub_card_rec *r)
{
    err_code e = hub_db_card_put(db, r);
    return e == ERR_OK ? audit_issue(db, r) : e;
}

err_code hub_card_office_issue(struct hub_db *db, const char *cards_dir,
                               const struct hub_card_order *o,
                               struct hub_card_rec *out, char *msg,
                               size_t cap)
{
    struct hub_member m;
    const char *scope = o->scope;
    msg[0] = '\0';
    err_code e = order_ok(o, msg, cap);
    if (e != ERR_OK)
        return e;
    if (o->kind != 'T') {
        bool active = false;
        if (hub_db_member_get(db, o->holder, &m) != ERR_OK ||
            hub_db_member_active(db, o->holder, &active) != ERR_OK)
            return say(msg, cap, ERR_NOTFOUND, "no such member");
        if (!active)
            return say(msg, cap, ERR_INVAL, "the member is not active");
        scope = m.station;
    }
    if (!scope || !scope[0])
        return say(msg, cap, ERR_INVAL, "a technician card needs a scope");
    int lock = hub_card_lock(cards_dir);
    struct hub_card *h = NULL;
    if (lock < 0)
        return say(msg, cap, ERR_IO, "cannot lock the card state");
    e = hub_card_open(cards_dir, &h);
    if (e != ERR_OK)
        say(msg, cap, e, "cannot open the card state");
    /* Signed (and its serial taken in cards.json) before the store's
     * transaction: if the store then fails, a serial is skipped and the
     * card was never shown to anyone; never two cards with one serial. */
    if (e == ERR_OK)
        e = sign(h, o, o->holder, scope, out, msg, cap);
    if (e == ERR_OK && (e = hub_db_begin(db)) == ERR_OK) {
        e = record(db, out);
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
        if (e != ERR_OK)
            say(msg, cap, e, "cannot record the card");
    }
    hub_card_close(h);
    hub_card_unlock(lock);
    return e;
}

struct roster {
    struct hub_member *v;
    size_t n;
};

static void collect(void *ctx, const struct hub_member *m, bool active)
{
    struct roster *r = ctx;
    if (!active)
        return;
    r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
    r->v[r->n++] = *m;
}

err_code hub_card_office_roster(struct hub_db *db, const char *cards_dir,
                                const char *station,
                                const struct hub_card_order *o,
                                void (*fn)(void *ctx,
                                           const struct hub_card_rec *r),
                                void *ctx, int *n, char *msg, size_t cap)
{
    struct roster ro = { 0 };
    *n = 0;
    msg[0] = '\0';
    err_code e = order_ok(o, msg, cap);
    if (e == ERR_OK && o->kind == 'T')
        e = say(msg, cap, ERR_INVAL, "a roster gets member cards");
    if (e != ERR_OK)
        return e;
    if (!hub_db_station_exists(db, station))
        return say(msg, cap, ERR_NOTFOUND, "unknown station");
    e = hub_db_members_list(db, station, "", ROSTER_MAX, collect, &ro);
    if (e == ERR_OK && ro.n == 0)
        e = say(msg, cap, ERR_NOTFOUND, "the station has no active members");
    if (e != ERR_OK) {
        free(ro.v);
        return e;
    }
    int lock = hub_card_lock(cards_dir);
    struct hub_card *h = NULL;
    struct hub_card_rec *recs = xcalloc(ro.n, sizeof *recs);
    e = lock < 0 ? say(msg, cap, ERR_IO, "cannot lock the card state")
                 : hub_card_open(cards_dir, &h);
    if (e != ERR_OK && lock >= 0)
        say(msg, cap, e, "cannot open the card state");
    for (size_t i = 0; e == ERR_OK && i < ro.n; i++)
        e = sign(h, o, ro.v[i].member_no, station, &recs[i], msg, cap);
    if (e == ERR_OK && (e = hub_db_begin(db)) == ERR_OK) {
        for (size_t i = 0; e == ERR_OK && i < ro.n; i++)
            e = record(db, &recs[i]);
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
        if (e != ERR_OK)
            say(msg, cap, e, "cannot record the cards");
    }
    hub_card_close(h);
    hub_card_unlock(lock);
    if (e == ERR_OK) {
        *n = (int)ro.n;
        for (size_t i = 0; fn && i < ro.n; i++)
            fn(ctx, &recs[i]);
    }
    free(recs);
    free(ro.v);
    return e;
}

err_code hub_card_office_revoke(struct hub_db *db, const char *cards_dir,
                                const char *card_id, const char *reason,
                                const char *actor, int64_t now_ms,
                                char *msg, size_t cap)
{
    struct hub_card_rec r;
    msg[0] = '\0';
    if (!reason || !reason[0] || strlen(reason) > 200)
        return say(msg, cap, ERR_INVAL, "a reason (up to 200 bytes) is "
                   "required");
    err_code e = hub_db_card_get(db, card_id, &r);
    if (e != ERR_OK)
        return say(msg, cap, e, "no such card");
    if (r.revoked_ms)
        return say(msg, cap, ERR_INVAL, "the card is already revoked");
    int lock = hub_card_lock(cards_dir);
    struct hub_card *h = NULL;
    if (lock < 0)
        return say(msg, cap, ERR_IO, "cannot lock the card state");
    e = hub_card_open(cards_dir, &h);
    if (e != ERR_OK)
        say(msg, cap, e, "cannot open the card state");
    if (e == ERR_OK && (e = hub_db_begin(db)) == ERR_OK) {
        char data[64], obj[80], *after = NULL;
        size_t len = 0;
        snprintf(data, sizeof data, "{\"revoked_ms\":%lld}",
                 (long long)now_ms);
        FILE *f = open_memstream(&after, &len);
        fputs("{\"card\":", f);
        json_str(f, card_id);
        fputs(",\"reason\":", f);
        json_str(f, reason);
        fputs("}", f);
        fclose(f);
        object_of(r.kind, r.holder, obj, sizeof obj);
        e = hub_db_card_set_revoked(db, card_id, now_ms, actor, reason);
        /* The one entry kiosks need, as hubctl's publish writes it. */
        if (e == ERR_OK)
            e = hub_card_db_publish(db, "revocation", card_id, data);
        if (e == ERR_OK)
            e = hub_audit_record(db, actor, "card.revoke", obj, NULL, after);
        /* cards.json last, inside the transaction: if it cannot be
         * written nothing is stored; if the commit then fails the card
         * is on the file's list only, and the next `hubctl card revoke`
         * or rotate publishes it (revoked on more, never on fewer). */
        if (e == ERR_OK)
            e = hub_card_revoke(h, card_id, now_ms);
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
        if (e != ERR_OK)
            say(msg, cap, e, "cannot revoke the card");
        free(after);
    }
    hub_card_close(h);
    hub_card_unlock(lock);
    return e;
}

err_code hub_card_db_record(void *ctx, const struct card *c,
                            const char *text)
{
    const struct hub_card_recorder *rc = ctx;
    struct hub_card_rec r;
    memset(&r, 0, sizeof r);
    card_credential_id(c, r.card_id);
    r.kind = (char)c->kind;
    str_copy(r.holder, sizeof r.holder, c->id);
    str_copy(r.station, sizeof r.station, c->scope);
    r.serial = c->serial;
    r.issued_day = c->issued_day;
    r.expires_day = c->expires_day;
    str_copy(r.text, sizeof r.text, text);
    r.issued_ms = rc->now_ms;
    str_copy(r.issued_by, sizeof r.issued_by, rc->actor);
    err_code e = hub_db_begin(rc->db);
    if (e != ERR_OK)
        return e;
    e = record(rc->db, &r);
    if (e == ERR_OK)
        return hub_db_commit(rc->db);
    hub_db_rollback(rc->db);
    return e;
}
