/* hub/hub_publish.c - publishing the boards kiosks show (posts, duty,
 * contacts, notices, stars): every item checked (members against the
 * roster), then in one transaction only what differs from the last
 * publication of the same scope goes to the feed (put / del). */
#include "hub/hub_publish.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/phone.h"
#include "base/xmalloc.h"
#include "hub/hub_audit.h"
#include "hub/hub_claims.h"
#include "hub/hub_db_board.h"
#include "hub/hub_db_board_read.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_input.h"
#include "hub/hub_points.h"
#include "sync/pki.h"

/* One board item ready to publish. */
struct item {
    char  key[160];
    char *data;                                  /* JSON text */
};

struct items {
    struct item *v;
    size_t       n, cap;
};

static void items_add(struct items *it, const char *key, cJSON *data)
{
    if (it->n == it->cap) {
        it->cap = it->cap ? it->cap * 2 : 32;
        it->v = xrealloc(it->v, it->cap * sizeof *it->v);
    }
    str_copy(it->v[it->n].key, sizeof it->v[it->n].key, key);
    it->v[it->n].data = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    it->n++;
}

static void items_free(struct items *it)
{
    for (size_t i = 0; i < it->n; i++)
        free(it->v[i].data);
    free(it->v);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool jint(const cJSON *o, const char *k, int lo, int hi, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi)
        return false;
    *out = v->valueint;
    return true;
}

/* The roster's name (and masked phone) of a member; false if unknown. */
static bool member_lookup(struct hub_db *db, const char *no, char *name,
                          size_t cap, char *masked)
{
    struct hub_member m;
    if (!no || hub_db_member_get(db, no, &m) != ERR_OK)
        return false;
    str_copy(name, cap, m.name);
    if (masked)
        phone_mask(m.phone, masked);
    return true;
}

struct pubctx {
    struct hub_db *db;
    const char    *path;
    FILE          *err;
    int            utc_offset;
    int            index;              /* item being read, for messages */
    char           msg[256];           /* a message built for the item */
    const struct hub_publish_opts *o;  /* NULL: hubctl's file */
};

/* A post with its rules (docs/rules.md, 认岗): holders as the roster
 * names them, capacity (min_members..max_members, 3-5 unless given
 * within that), exactly one head, at most one deputy, and whether it is
 * open for claiming with how many places (all free ones unless given). */
static const char *post_item(struct pubctx *c, const cJSON *o,
                             struct items *it)
{
    const char *id = jstr(o, "id"), *cat = jstr(o, "category");
    const char *name = jstr(o, "name"), *duties = jstr(o, "duties");
    int order, lo = HUB_POST_MIN_MEMBERS, hi = HUB_POST_MAX_MEMBERS, places;
    const cJSON *hs = cJSON_GetObjectItemCaseSensitive(o, "holders");
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, "open");
    if (!id || !pki_id_valid(id) || !cat || !name || !duties ||
        !jint(o, "order", 0, 1000000, &order) || !cJSON_IsArray(hs))
        return "post needs id, category, name, duties, order, holders";
    if ((cJSON_GetObjectItemCaseSensitive(o, "min_members") &&
         !jint(o, "min_members", 0, 1000, &lo)) ||
        (cJSON_GetObjectItemCaseSensitive(o, "max_members") &&
         !jint(o, "max_members", 0, 1000, &hi)) ||
        (op && !cJSON_IsBool(op)))
        return "post's min_members, max_members: numbers; open: true or "
               "false";
    int n = cJSON_GetArraySize(hs);
    places = hi - n;
    if (cJSON_GetObjectItemCaseSensitive(o, "places") &&
        !jint(o, "places", 0, 1000, &places))
        return "post's places: a number";
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "category", cat);
    cJSON_AddStringToObject(d, "name", name);
    cJSON_AddStringToObject(d, "duties", duties);
    cJSON_AddNumberToObject(d, "order", order);
    cJSON *arr = cJSON_AddArrayToObject(d, "holders");
    const cJSON *h;
    cJSON_ArrayForEach(h, hs) {
        const char *no = jstr(h, "member_no"), *role = jstr(h, "role");
        char mname[64];
        if (!role || (strcmp(role, "head") && strcmp(role, "deputy") &&
                      strcmp(role, "member"))) {
            cJSON_Delete(d);
            return "holder role must be head, deputy or member";
        }
        if (!member_lookup(c->db, no, mname, sizeof mname, NULL)) {
            cJSON_Delete(d);
            return "holder is not in the roster";
        }
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "member_no", no);
        cJSON_AddStringToObject(x, "name", mname);
        cJSON_AddStringToObject(x, "role", role);
        cJSON_AddItemToArray(arr, x);
    }
    bool open = cJSON_IsTrue(op);
    cJSON_AddNumberToObject(d, "min_members", lo);
    cJSON_AddNumberToObject(d, "max_members", hi);
    cJSON_AddBoolToObject(d, "open", open);
    cJSON_AddNumberToObject(d, "places", open ? places : 0);
    if (!hub_post_rules_ok(id, d, c->msg, sizeof c->msg)) {
        cJSON_Delete(d);
        return c->msg;
    }
    items_add(it, id, d);
    return NULL;
}

static void ymd_from_offset(int utc_offset, int day_offset, char out[11])
{
    time_t t = time(NULL) + (time_t)utc_offset * 60 +
               (time_t)day_offset * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static const char *duty_item(struct pubctx *c, const cJSON *o,
                             struct items *it)
{
    int off;
    const char *shift = jstr(o, "shift"), *no = jstr(o, "member_no");
    char name[64], masked[PHONE_MASKED], day[11], key[160];
    if (!jint(o, "day_offset", 0, 366, &off) || !shift || strlen(shift) > 31)
        return "shift needs day_offset 0-366, shift (up to 31 bytes)";
    if (!member_lookup(c->db, no, name, sizeof name, masked))
        return "shift member is not in the roster";
    ymd_from_offset(c->utc_offset, off, day);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "day", day);
    cJSON_AddStringToObject(d, "shift", shift);
    cJSON_AddStringToObject(d, "member_no", no);
    cJSON_AddStringToObject(d, "name", name);
    cJSON_AddStringToObject(d, "phone_masked", masked);
    snprintf(key, sizeof key, "%s/%s/%s", day, shift, no);
    items_add(it, key, d);
    return NULL;
}

static const char *contact_item(struct pubctx *c, const cJSON *o,
                                struct items *it)
{
    (void)c;
    static const char *const k[] = { "building", "unit", "name", "role",
                                     "duties", "phone", NULL };
    const char *id = jstr(o, "id");
    if (!id || !pki_id_valid(id))
        return "contact needs an id";
    cJSON *d = cJSON_CreateObject();
    for (int i = 0; k[i]; i++) {
        const char *v = jstr(o, k[i]);
        if (!v || strlen(v) > 500) {
            cJSON_Delete(d);
            return "contact needs building, unit, name, role, duties, phone";
        }
        cJSON_AddStringToObject(d, k[i], v);
    }
    /* Kiosks show a role by its name in their language: one they have
     * no name for would show a key. */
    const char *role = jstr(o, "role");
    if (strcmp(role, "grid_leader") && strcmp(role, "grid_member") &&
        strcmp(role, "building_leader") && strcmp(role, "unit_leader")) {
        cJSON_Delete(d);
        return "contact role must be grid_leader, grid_member, "
               "building_leader or unit_leader";
    }
    items_add(it, id, d);
    return NULL;
}

static const char *notice_item(struct pubctx *c, const cJSON *o,
                               struct items *it)
{
    (void)c;
    const char *id = jstr(o, "id"), *title = jstr(o, "title");
    const char *body = jstr(o, "body");
    int ago;
    if (!id || !pki_id_valid(id) || !title || !body ||
        strlen(title) > 127 || strlen(body) > 2047 ||
        !jint(o, "published_days_ago", 0, 3650, &ago))
        return "notice needs id, title (<128 B), body (<2048 B), "
               "published_days_ago";
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "title", title);
    cJSON_AddStringToObject(d, "body", body);
    cJSON_AddNumberToObject(d, "published_ms",
                            (double)(hub_now_ms() - ago * 86400000LL));
    items_add(it, id, d);
    return NULL;
}

static const char *star_item(struct pubctx *c, const cJSON *o,
                             struct items *it)
{
    const char *period = jstr(o, "period"), *no = jstr(o, "member_no");
    /* A star's own board (打擂争星, hub_points.h); none: the overall. */
    const char *board = jstr(o, "board");
    int rank, points;
    char name[64], key[64];
    if (board && !hub_star_kind_find(board))
        return "star board must be one of the stars (hubctl stars category)";
    if (!period || (strcmp(period, "month") && strcmp(period, "quarter") &&
                    strcmp(period, "year")) ||
        !jint(o, "rank", 1, 1000, &rank) ||
        !jint(o, "points", 0, 1000000, &points))
        return "star needs period (month|quarter|year), rank, points";
    if (!member_lookup(c->db, no, name, sizeof name, NULL))
        return "star member is not in the roster";
    cJSON *d = cJSON_CreateObject();
    if (board)
        cJSON_AddStringToObject(d, "board", board);
    cJSON_AddStringToObject(d, "period", period);
    cJSON_AddNumberToObject(d, "rank", rank);
    cJSON_AddStringToObject(d, "member_no", no);
    cJSON_AddStringToObject(d, "name", name);
    cJSON_AddNumberToObject(d, "points", points);
    if (board)
        snprintf(key, sizeof key, "%s/%s/%d", board, period, rank);
    else
        snprintf(key, sizeof key, "%s/%d", period, rank);
    items_add(it, key, d);
    return NULL;
}

struct board_kind {
    const char *kind;              /* hubctl's word */
    const char *type;              /* change type */
    const char *(*item)(struct pubctx *c, const cJSON *o, struct items *it);
};

static const struct board_kind kinds[] = {
    { "posts", "post", post_item },
    { "duty", "shift", duty_item },
    { "contacts", "contact", contact_item },
    { "notices", "notice", notice_item },
    { "stars", "star", star_item },
};

static int read_items(struct pubctx *c, const struct board_kind *k,
                      const cJSON *arr, struct items *it)
{
    int bad = 0;
    const cJSON *o;
    c->index = 0;
    cJSON_ArrayForEach(o, arr) {
        c->index++;
        const char *why = cJSON_IsObject(o) ? k->item(c, o, it)
                                            : "item is not an object";
        if (why) {
            fprintf(c->err, "%s: item %d: %s\n", c->path, c->index, why);
            if (c->o && c->o->bad)
                c->o->bad(c->o->ctx, c->index, why);
            bad++;
        }
    }
    for (size_t i = 0; i < it->n; i++)
        for (size_t j = i + 1; j < it->n; j++)
            if (strcmp(it->v[i].key, it->v[j].key) == 0) {
                fprintf(c->err, "%s: key %s appears twice\n", c->path,
                        it->v[i].key);
                bad++;
            }
    return bad;
}

static bool items_has(const struct items *it, const char *key)
{
    for (size_t i = 0; i < it->n; i++)
        if (strcmp(it->v[i].key, key) == 0)
            return true;
    return false;
}

/* Deletes for keys published before and gone now. */
static err_code diff_deletes(struct hub_db *db, const char *scope,
                             const char *station, const char *type,
                             const struct items *it, int *changes)
{
    char **keys = NULL;
    size_t n = 0;
    err_code e = hub_db_published_keys(db, scope, type, &keys, &n);
    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        if (items_has(it, keys[i]))
            continue;
        e = hub_db_change_add(db, station, NULL, type, keys[i], NULL);
        (*changes)++;
    }
    hub_db_keys_free(keys, n);
    return e == ERR_OK ? hub_db_published_clear(db, scope, type) : e;
}

static err_code apply_items(struct hub_db *db, const char *station,
                            const char *type, const struct items *it,
                            int *changes)
{
    const char *scope = station ? station : "*";
    bool *same = xcalloc(it->n + 1, sizeof *same);
    for (size_t i = 0; i < it->n; i++)
        same[i] = hub_db_published_same(db, scope, type, it->v[i].key,
                                        it->v[i].data);
    err_code e = diff_deletes(db, scope, station, type, it, changes);
    for (size_t i = 0; i < it->n && e == ERR_OK; i++) {
        e = hub_db_published_put(db, scope, type, it->v[i].key,
                                 it->v[i].data);
        if (e == ERR_OK && !same[i]) {
            e = hub_db_change_add(db, station, NULL, type, it->v[i].key,
                                  it->v[i].data);
            (*changes)++;
        }
    }
    free(same);
    return e;
}

/* Two items' data alike but for a notice's publishing time (recomputed
 * from published_days_ago at every publication). */
static bool same_data(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    cJSON *x = cJSON_Parse(a), *y = cJSON_Parse(b);
    cJSON_DeleteItemFromObjectCaseSensitive(x, "published_ms");
    cJSON_DeleteItemFromObjectCaseSensitive(y, "published_ms");
    bool same = x && y && cJSON_Compare(x, y, true);
    cJSON_Delete(x);
    cJSON_Delete(y);
    return same;
}

struct plan_del {
    const struct hub_publish_opts *o;
    const struct items            *it;
    int                           *changes;
};

static void plan_del(void *ctx, const char *key, const char *data)
{
    struct plan_del *p = ctx;
    if (items_has(p->it, key))
        return;
    p->o->diff(p->o->ctx, '-', key, data, NULL);
    (*p->changes)++;
}

/* What apply_items would send, told to o->diff; nothing changes. */
static err_code plan_items(struct hub_db *db, const char *station,
                           const char *type, const struct items *it,
                           const struct hub_publish_opts *o, int *changes)
{
    const char *scope = station ? station : "*";
    err_code e = ERR_OK;
    for (size_t i = 0; i < it->n && e == ERR_OK; i++) {
        char *old = NULL;
        e = hub_db_published_get(db, scope, type, it->v[i].key, &old);
        if (e == ERR_NOTFOUND) {
            e = ERR_OK;
            if (o->diff)
                o->diff(o->ctx, '+', it->v[i].key, NULL, it->v[i].data);
            (*changes)++;
        } else if (e == ERR_OK && !same_data(old, it->v[i].data)) {
            if (o->diff)
                o->diff(o->ctx, '~', it->v[i].key, old, it->v[i].data);
            (*changes)++;
        }
        free(old);
    }
    struct plan_del p = { o, it, changes };
    if (e == ERR_OK && o->diff)
        e = hub_db_published_each(db, scope, type, plan_del, &p);
    return e;
}

static err_code audit_publish(struct hub_db *db, const char *station,
                              const char *kind, const struct items *it,
                              const char *actor, int changes)
{
    char obj[96], after[128];
    if (station)
        snprintf(obj, sizeof obj, "station:%s", station);
    else
        snprintf(obj, sizeof obj, "board:all");
    snprintf(after, sizeof after, "{\"board\":\"%s\",\"items\":%zu,"
             "\"changes\":%d}", kind, it->n, changes);
    return hub_audit_record(db, actor, "board.publish", obj, NULL, after);
}

static const struct board_kind *kind_named(const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return &kinds[i];
    return NULL;
}

err_code hub_publish_items(struct hub_db *db, const char *kind,
                           const cJSON *arr, const char *station,
                           const struct hub_publish_opts *o, int *changes)
{
    const struct board_kind *k = kind_named(kind);
    struct pubctx c = { db, o->label, o->err, o->utc_offset_minutes, 0, "",
                        o };
    struct items it = { 0 };
    err_code e = ERR_OK;

    *changes = 0;
    if (!k)
        return ERR_INVAL;
    int bad = read_items(&c, k, arr, &it);
    if (bad > 0) {
        fprintf(c.err, "%s: %d bad item(s): nothing published\n", c.path,
                bad);
        e = ERR_INVAL;
    }
    if (e == ERR_OK && o->dry_run) {
        e = plan_items(db, station, k->type, &it, o, changes);
        items_free(&it);
        return e;
    }
    if (e == ERR_OK)
        e = hub_db_begin(db);
    if (e == ERR_OK) {
        e = apply_items(db, station, k->type, &it, changes);
        if (e == ERR_OK && o->actor)
            e = audit_publish(db, station, kind, &it, o->actor, *changes);
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
    }
    items_free(&it);
    return e;
}

err_code hub_publish_board(struct hub_db *db, const char *kind,
                           const char *path, const char *station,
                           int utc_offset_minutes, FILE *err, int *changes)
{
    *changes = 0;
    if (!kind_named(kind)) {
        fprintf(err, "unknown board %s (posts, duty, contacts, notices, "
                "stars)\n", kind);
        return ERR_INVAL;
    }
    if (station && !hub_db_station_exists(db, station)) {
        fprintf(err, "unknown station %s\n", station);
        return ERR_NOTFOUND;
    }
    char *text = NULL;
    size_t len;
    err_code e = hub_input_read(path, &text, &len);
    if (e != ERR_OK) {
        fprintf(err, "%s: cannot read\n", path);
        return e;
    }
    cJSON *arr = cJSON_ParseWithLength(text, len);
    free(text);
    if (!cJSON_IsArray(arr)) {
        fprintf(err, "%s: not a JSON array\n", path);
        cJSON_Delete(arr);
        return ERR_INVAL;
    }
    struct hub_publish_opts o = { .label = path, .err = err,
                                  .utc_offset_minutes = utc_offset_minutes };
    e = hub_publish_items(db, kind, arr, station, &o, changes);
    cJSON_Delete(arr);
    return e;
}
