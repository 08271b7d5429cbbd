/* firmware/store_hub.c - the hub's state as the kiosk keeps it: applying
 * pages of the change feed (all of a page and its cursor, or nothing) and
 * the read-only queries the boards, contacts and My record screens ask.
 * Unknown change types are skipped so an older kiosk survives a newer hub;
 * a malformed page changes nothing. */
#include "firmware/store_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "base/json.h"
#include "base/log.h"
#include "firmware/store_card.h"
#include "base/xmalloc.h"

#define HUB_PAGE_MAX (8u << 20)     /* a larger page is refused outright */

/* ---- applying the change feed ----------------------------------------- */

static int role_of(const char *r)
{
    if (strcmp(r, "head") == 0)
        return ROLE_HEAD;
    if (strcmp(r, "deputy") == 0)
        return ROLE_DEPUTY;
    return ROLE_MEMBER;
}

static void bind_strs(sqlite3_stmt *st, const cJSON *d, const char *const *k,
                      int from)
{
    for (int i = 0; k[i]; i++)
        sqlite3_bind_text(st, from + i, json_str(d, k[i]), -1, SQLITE_TRANSIENT);
}

static err_code put_member(struct store *s, const char *key, const cJSON *d)
{
    static const char *const k[] = { "name", "phone_masked", "community", NULL };
    const cJSON *active = cJSON_GetObjectItemCaseSensitive(d, "active");
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO members"
        "(member_no, name, phone_masked, community, active)"
        " VALUES(?, ?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    bind_strs(st, d, k, 2);
    sqlite3_bind_int(st, 5, !cJSON_IsFalse(active));
    return store_step_done(s, st, "member put");
}

static err_code put_holders(struct store *s, const char *post_id,
                            const cJSON *holders)
{
    const cJSON *h;
    sqlite3_stmt *st;
    err_code e;

    cJSON_ArrayForEach(h, holders) {
        if (!cJSON_IsObject(h) || json_str(h, "member_no")[0] == '\0')
            return ERR_PROTO;
        st = store_stmt(s, "INSERT OR REPLACE INTO post_holders"
                        "(post_id, member_no, name, role) VALUES(?, ?, ?, ?)");
        if (st == NULL)
            return ERR_DB;
        sqlite3_bind_text(st, 1, post_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, json_str(h, "member_no"), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, json_str(h, "name"), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 4, role_of(json_str(h, "role")));
        e = store_step_done(s, st, "holder put");
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}

static err_code put_post(struct store *s, const char *key, const cJSON *d)
{
    static const char *const k[] = { "category", "name", "duties", NULL };
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO posts"
        "(id, category, name, duties, ord) VALUES(?, ?, ?, ?, ?)");
    err_code e;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    bind_strs(st, d, k, 2);
    sqlite3_bind_int(st, 5, (int)json_int(d, "order", INT_MIN, INT_MAX));
    e = store_step_done(s, st, "post put");
    if (e != ERR_OK)
        return e;
    /* The page carries the whole list of holders: replace, not merge. */
    st = store_stmt(s, "DELETE FROM post_holders WHERE post_id = ?");
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    e = store_step_done(s, st, "holders clear");
    if (e != ERR_OK)
        return e;
    return put_holders(s, key,
                       cJSON_GetObjectItemCaseSensitive(d, "holders"));
}

static err_code put_shift(struct store *s, const char *key, const cJSON *d)
{
    static const char *const k[] = { "shift", "member_no", "name",
                                     "phone_masked", NULL };
    sqlite3_stmt *st;
    int64_t day;

    if (clock_parse_ymd(json_str(d, "day"), &day) != ERR_OK)
        return ERR_PROTO;
    st = store_stmt(s, "INSERT OR REPLACE INTO shifts"
        "(key, day, shift, member_no, name, phone_masked)"
        " VALUES(?, ?, ?, ?, ?, ?)");
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, day);
    bind_strs(st, d, k, 3);
    return store_step_done(s, st, "shift put");
}

static err_code put_contact(struct store *s, const char *key, const cJSON *d)
{
    static const char *const k[] = { "building", "unit", "name", "role",
                                     "duties", "phone", NULL };
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO contacts"
        "(id, building, unit, name, role, duties, phone)"
        " VALUES(?, ?, ?, ?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    bind_strs(st, d, k, 2);
    return store_step_done(s, st, "contact put");
}

static err_code put_notice(struct store *s, const char *key, const cJSON *d)
{
    static const char *const k[] = { "title", "body", NULL };
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO notices"
        "(id, title, body, published_ms) VALUES(?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    bind_strs(st, d, k, 2);
    sqlite3_bind_int64(st, 4, json_int(d, "published_ms", INT64_MIN,
                                       INT64_MAX));
    return store_step_done(s, st, "notice put");
}

static err_code put_star(struct store *s, const char *key, const cJSON *d)
{
    static const char *const k[] = { "member_no", "name", NULL };
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO stars"
        "(period, rank, member_no, name, points) VALUES(?, ?, ?, ?, ?)");
    const char *period = json_str(d, "period");

    (void)key;
    if (strcmp(period, "month") && strcmp(period, "quarter") &&
        strcmp(period, "year"))
        return ERR_PROTO;
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, (int)json_int(d, "rank", INT_MIN, INT_MAX));
    bind_strs(st, d, k, 3);
    sqlite3_bind_int(st, 5, (int)json_int(d, "points", INT_MIN, INT_MAX));
    return store_step_done(s, st, "star put");
}

static err_code put_log_status(struct store *s, const char *key,
                               const cJSON *d)
{
    const char *status = json_str(d, "status");
    enum log_status st;

    (void)key;
    if (strcmp(status, "confirmed") == 0)
        st = LOG_CONFIRMED;
    else if (strcmp(status, "rejected") == 0)
        st = LOG_REJECTED;
    else if (strcmp(status, "pending") == 0)
        st = LOG_PENDING;
    else
        return ERR_PROTO;
    return store_log_set_status(s,
                                (uint64_t)json_int(d, "seq", 0, INT64_MAX),
                                st, (int)json_int(d, "points", INT_MIN,
                                                  INT_MAX));
}

static err_code put_revocation(struct store *s, const char *key,
                               const cJSON *d)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO revocations"
                                  "(id, revoked_ms) VALUES(?, ?)");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, json_int(d, "revoked_ms", INT64_MIN,
                                       INT64_MAX));
    return store_step_done(s, st, "revocation put");
}

static err_code put_credential_key(struct store *s, const char *key,
                                   const cJSON *d)
{
    return store_card_key_put(s, key, json_str(d, "public_key"),
                              json_int(d, "not_after_ms", INT64_MIN,
                                       INT64_MAX));
}

struct change_type {
    const char *type;
    const char *board;           /* board_updates key it freshens */
    err_code  (*put)(struct store *, const char *, const cJSON *);
    const char *del_sql;         /* one "?" for the key */
};

static const struct change_type change_types[] = {
    { "member", "members", put_member,
      "DELETE FROM members WHERE member_no = ?" },
    { "post", "posts", put_post,
      "DELETE FROM posts WHERE id = ?" },
    { "shift", "duty", put_shift, "DELETE FROM shifts WHERE key = ?" },
    { "contact", "contacts", put_contact, "DELETE FROM contacts WHERE id = ?" },
    { "notice", "notices", put_notice, "DELETE FROM notices WHERE id = ?" },
    { "star", "stars", put_star,
      "DELETE FROM stars WHERE period || '/' || rank = ?" },
    { "log_status", NULL, put_log_status, NULL },
    { "revocation", "revocations", put_revocation,
      "DELETE FROM revocations WHERE id = ?" },
    { "credential_key", NULL, put_credential_key,
      "DELETE FROM credential_keys WHERE kid = ?" },
};

static err_code del_row(struct store *s, const struct change_type *t,
                        const char *key)
{
    sqlite3_stmt *st;
    err_code e;

    if (t->del_sql == NULL)
        return ERR_PROTO;
    st = store_stmt(s, t->del_sql);
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    e = store_step_done(s, st, "delete");
    if (e == ERR_OK && strcmp(t->type, "post") == 0) {
        st = store_stmt(s, "DELETE FROM post_holders WHERE post_id = ?");
        if (st == NULL)
            return ERR_DB;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        e = store_step_done(s, st, "holders delete");
    }
    return e;
}

static err_code mark_board(struct store *s, const char *board, int64_t ms)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO board_updates"
                                  "(board, updated_ms) VALUES(?, ?)");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, board, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ms);
    return store_step_done(s, st, "board mark");
}

static err_code apply_one(struct store *s, const cJSON *c, int64_t hub_ms)
{
    const char *type = json_str(c, "type"), *op = json_str(c, "op");
    const char *key = json_str(c, "key");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(c, "data");
    const struct change_type *t = NULL;
    err_code e;

    for (size_t i = 0; i < sizeof change_types / sizeof change_types[0]; i++)
        if (strcmp(change_types[i].type, type) == 0)
            t = &change_types[i];
    if (t == NULL)
        return ERR_OK;                  /* newer hub: skip what we lack */
    if (key[0] == '\0' || strlen(key) > 128)
        return ERR_PROTO;
    if (strcmp(op, "put") == 0 && cJSON_IsObject(data))
        e = t->put(s, key, data);
    else if (strcmp(op, "del") == 0)
        e = del_row(s, t, key);
    else
        return ERR_PROTO;
    if (e == ERR_OK && t->board)
        e = mark_board(s, t->board, hub_ms);
    return e;
}

static err_code apply_page(struct store *s, const cJSON *page,
                           const char *cursor)
{
    const cJSON *changes = cJSON_GetObjectItemCaseSensitive(page, "changes");
    const cJSON *c;
    int64_t hub_ms = json_int(page, "hub_time_ms", 0, INT64_MAX);
    err_code e;

    if (!cJSON_IsArray(changes))
        return ERR_PROTO;
    if (hub_ms <= 0) {
        struct stamp now;
        clock_now(&now);
        hub_ms = now.wall_ms;
    }
    cJSON_ArrayForEach(c, changes) {
        if (!cJSON_IsObject(c))
            return ERR_PROTO;
        e = apply_one(s, c, hub_ms);
        if (e != ERR_OK)
            return e;
    }
    if (json_int(page, "hub_time_ms", 0, INT64_MAX) > 0) {
        /* The latest time the hub vouched for: an untrusted clock is
         * never believed to be earlier than this (docs/cards.md). */
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)hub_ms);
        e = store_meta_set(s, "hub_time_ms", buf);
        if (e != ERR_OK)
            return e;
    }
    return cursor ? store_meta_set(s, "changes_cursor", cursor) : ERR_OK;
}

err_code store_hub_apply(struct store *s, const char *json, size_t len,
                         const char *cursor)
{
    cJSON *page;
    err_code e;

    if (len > HUB_PAGE_MAX) {
        log_warn("store: change page of %zu bytes refused", len);
        return ERR_PROTO;
    }
    page = cJSON_ParseWithLength(json, len);
    if (page == NULL || !cJSON_IsObject(page)) {
        log_warn("store: change page is not a JSON object");
        cJSON_Delete(page);
        return ERR_PROTO;
    }
    e = store_begin(s);
    if (e == ERR_OK) {
        e = apply_page(s, page, cursor);
        if (e == ERR_OK)
            e = store_commit(s);
        if (e != ERR_OK) {
            store_rollback(s);
            log_warn("store: change page refused: %s", err_str(e));
        }
    }
    cJSON_Delete(page);
    return e;
}
