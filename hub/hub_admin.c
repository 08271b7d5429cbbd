/* hub/hub_admin.c - hubctl's operations on the hub store. Input
 * files are read whole (capped), validated whole, then applied in one
 * transaction. Shares the sqlite handle of hub_db.c. */
#include "hub/hub_admin.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/phone.h"
#include "base/xmalloc.h"
#include "sync/pki.h"

static sqlite3 *H(struct hub_db *db)
{
    return hub_db_handle(db);
}

static sqlite3_stmt *prep(struct hub_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(H(db), sql, -1, &st, NULL) != SQLITE_OK)
        log_error("hub admin: %s", sqlite3_errmsg(H(db)));
    return st;
}

static err_code step_done(struct hub_db *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return ERR_OK;
    log_error("hub admin: %s", sqlite3_errmsg(H(db)));
    return ERR_DB;
}

static err_code read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (!f)
        return ERR_IO;
    char *buf = xmalloc(HUB_FILE_MAX + 1);
    size_t n = fread(buf, 1, HUB_FILE_MAX + 1, f);
    fclose(f);
    if (n > HUB_FILE_MAX) {
        free(buf);
        return ERR_INVAL;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return ERR_OK;
}

/* ---- roster ------------------------------------------------------------ */

#define CSV_FIELDS 5

struct row {
    char member_no[32];
    char name[64];
    char phone[24];
    char community[64];
    char station[64];
};

/* Split one CSV line (RFC 4180 quoting) into at most `max` fields in
 * place. Returns the field count, or -1 for a broken quote. */
static int csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return max + 1;
        char *out = p;
        f[n++] = p;
        if (*p == '"') {
            char *r = p + 1;
            for (;;) {
                if (*r == '\0')
                    return -1;
                if (*r == '"' && r[1] == '"') {
                    *out++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else {
                    *out++ = *r++;
                }
            }
            if (*r != ',' && *r != '\0')
                return -1;
            char sep = *r;
            *out = '\0';
            if (sep == '\0')
                return n;
            p = r + 1;
            continue;
        }
        char *c = strchr(p, ',');
        if (!c)
            return n;
        *c = '\0';
        p = c + 1;
    }
}

static bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1
                  : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
        if (extra < 0)
            return false;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xc0) != 0x80)
                return false;
    }
    return true;
}

static bool phone_valid(const char *s)
{
    size_t n = strlen(s);
    if (n != 11 || s[0] != '1')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool text_ok(const char *s, size_t cap)
{
    return s[0] && strlen(s) < cap && utf8_valid(s) && !strchr(s, '\n');
}

/* Why a row is bad, or NULL. */
static const char *row_check(struct hub_db *db, char **f, int n,
                             struct row *r)
{
    if (n != CSV_FIELDS)
        return "expected 5 fields: member_no,name,phone,community,station";
    if (strlen(f[0]) >= sizeof r->member_no || !pki_id_valid(f[0]))
        return "member_no must be 1-31 of A-Z a-z 0-9 . _ -";
    if (!text_ok(f[1], sizeof r->name))
        return "name is empty, too long or not UTF-8";
    if (!phone_valid(f[2]))
        return "phone must be 11 digits starting with 1";
    if (!text_ok(f[3], sizeof r->community))
        return "community is empty, too long or not UTF-8";
    if (!pki_id_valid(f[4]) || !hub_db_station_exists(db, f[4]))
        return "unknown station (add it with hubctl add-station)";
    str_copy(r->member_no, sizeof r->member_no, f[0]);
    str_copy(r->name, sizeof r->name, f[1]);
    str_copy(r->phone, sizeof r->phone, f[2]);
    str_copy(r->community, sizeof r->community, f[3]);
    str_copy(r->station, sizeof r->station, f[4]);
    return NULL;
}

static err_code member_put_active(struct hub_db *db, const struct row *r,
                                  bool active)
{
    sqlite3_stmt *st = prep(db, "INSERT OR REPLACE INTO members(member_no,"
                            " name, phone, community, station, active)"
                            " VALUES(?,?,?,?,?,?)");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, r->member_no, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, r->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->phone, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, r->community, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, r->station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, active);
    err_code e = step_done(db, st);
    if (e != ERR_OK)
        return e;
    char masked[PHONE_MASKED];
    phone_mask(r->phone, masked);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "name", r->name);
    cJSON_AddStringToObject(d, "phone_masked", masked);
    cJSON_AddStringToObject(d, "community", r->community);
    cJSON_AddBoolToObject(d, "active", active);
    char *json = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    e = hub_db_change_add(db, r->station, NULL, "member", r->member_no, json);
    free(json);
    return e;
}

/* The roster names the whole membership of each station in it: load its
 * member numbers into a temporary table, so finding who left is one
 * indexed query even for a city's roster. */
static err_code load_import(struct hub_db *db, const struct row *rows,
                            size_t n)
{
    sqlite3_stmt *st;
    err_code e = ERR_OK;

    if (sqlite3_exec(H(db), "CREATE TEMP TABLE IF NOT EXISTS import_rows("
                     "member_no TEXT PRIMARY KEY, station TEXT NOT NULL);"
                     "DELETE FROM import_rows", NULL, NULL, NULL) != SQLITE_OK)
        return ERR_DB;
    st = prep(db, "INSERT OR IGNORE INTO import_rows VALUES(?, ?)");
    if (!st)
        return ERR_DB;
    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        sqlite3_bind_text(st, 1, rows[i].member_no, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, rows[i].station, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            e = ERR_DB;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return e;
}

/* A member of a station on the roster who is not on it any more has left:
 * kept (for reports and history) but inactive, and kiosks are told, so
 * the card and number stop working there. *gone counts them. */
static err_code deactivate_missing(struct hub_db *db, const struct row *rows,
                                   size_t n, FILE *err, int *gone)
{
    sqlite3_stmt *st;
    err_code e = load_import(db, rows, n);
    struct row r;
    int rc;

    *gone = 0;
    if (e != ERR_OK)
        return e;
    st = prep(db, "SELECT member_no, name, phone, community, station"
              " FROM members WHERE active = 1"
              " AND station IN (SELECT station FROM import_rows)"
              " AND member_no NOT IN (SELECT member_no FROM import_rows)");
    if (!st)
        return ERR_DB;
    while (e == ERR_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *f[] = { r.member_no, r.name, r.phone, r.community, r.station };
        size_t cap[] = { sizeof r.member_no, sizeof r.name, sizeof r.phone,
                         sizeof r.community, sizeof r.station };
        for (int i = 0; i < 5; i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            str_copy(f[i], cap[i], v ? v : "");
        }
        e = member_put_active(db, &r, false);
        if (e == ERR_OK) {
            fprintf(err, "%s: %s %s is no longer on the roster: made"
                    " inactive\n", r.station, r.member_no, r.name);
            (*gone)++;
        }
    }
    sqlite3_finalize(st);
    return e;
}

static bool dup_in(const struct row *rows, size_t n, const char *no)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].member_no, no) == 0)
            return true;
    return false;
}

/* Parse every line; bad ones are reported and skipped. */
static int roster_parse(struct hub_db *db, const char *path, char *text,
                        FILE *err, struct row **out, size_t *n)
{
    static const char header[] = "member_no,name,phone,community,station";
    size_t cap = 64, count = 0;
    struct row *rows = xmalloc(cap * sizeof *rows);
    int bad = 0, lineno = 0;
    char *save = NULL;
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
        text += 3;                                 /* UTF-8 BOM */
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        line[strcspn(line, "\r")] = '\0';
        const char *why = NULL;
        char *f[CSV_FIELDS + 1];
        if (lineno == 1) {
            if (strcmp(line, header) != 0) {
                fprintf(err, "%s:1: header must be %s\n", path, header);
                bad++;
            }
            continue;
        }
        if (strlen(line) >= HUB_CSV_LINE_MAX)
            why = "line too long";
        if (count == cap)
            rows = xrealloc(rows, (cap *= 2) * sizeof *rows);
        if (!why)
            why = row_check(db, f, csv_split(line, f, CSV_FIELDS),
                            &rows[count]);
        if (!why && dup_in(rows, count, rows[count].member_no))
            why = "member_no appears twice";
        if (why) {
            fprintf(err, "%s:%d: %s\n", path, lineno, why);
            bad++;
        } else {
            count++;
        }
    }
    *out = rows;
    *n = count;
    return bad;
}

err_code hub_admin_import_roster(struct hub_db *db, const char *path,
                                 bool force, FILE *err, int *imported)
{
    char *text = NULL;
    size_t len;
    *imported = 0;
    err_code e = read_file(path, &text, &len);
    if (e != ERR_OK) {
        fprintf(err, "%s: cannot read (or over %d bytes)\n", path,
                HUB_FILE_MAX);
        return e;
    }
    struct row *rows = NULL;
    size_t n = 0;
    int bad = roster_parse(db, path, text, err, &rows, &n);
    free(text);
    if (bad > 0 && !force) {
        fprintf(err, "%s: %d bad line(s): nothing imported\n", path, bad);
        free(rows);
        return ERR_INVAL;
    }
    e = hub_db_begin(db);
    for (size_t i = 0; i < n && e == ERR_OK; i++)
        e = member_put_active(db, &rows[i], true);
    int gone = 0;
    if (e == ERR_OK)
        e = deactivate_missing(db, rows, n, err, &gone);
    if (e == ERR_OK)
        e = hub_db_commit(db);
    else
        hub_db_rollback(db);
    free(rows);
    if (e == ERR_OK)
        *imported = (int)n;
    return e;
}

/* ---- publishing boards -------------------------------------------------- */

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
    sqlite3_stmt *st = prep(db, "SELECT name, phone FROM members"
                            " WHERE member_no = ?");
    if (!st || !no)
        return false;
    sqlite3_bind_text(st, 1, no, -1, SQLITE_TRANSIENT);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        str_copy(name, cap, (const char *)sqlite3_column_text(st, 0));
        if (masked)
            phone_mask((const char *)sqlite3_column_text(st, 1), masked);
    }
    sqlite3_finalize(st);
    return found;
}

struct pubctx {
    struct hub_db *db;
    const char    *path;
    FILE          *err;
    int            utc_offset;
    int            index;              /* item being read, for messages */
};

static const char *post_item(struct pubctx *c, const cJSON *o,
                             struct items *it)
{
    const char *id = jstr(o, "id"), *cat = jstr(o, "category");
    const char *name = jstr(o, "name"), *duties = jstr(o, "duties");
    int order;
    const cJSON *hs = cJSON_GetObjectItemCaseSensitive(o, "holders");
    if (!id || !pki_id_valid(id) || !cat || !name || !duties ||
        !jint(o, "order", 0, 1000000, &order) || !cJSON_IsArray(hs))
        return "post needs id, category, name, duties, order, holders";
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
    int rank, points;
    char name[64], key[32];
    if (!period || (strcmp(period, "month") && strcmp(period, "quarter") &&
                    strcmp(period, "year")) ||
        !jint(o, "rank", 1, 1000, &rank) ||
        !jint(o, "points", 0, 1000000, &points))
        return "star needs period (month|quarter|year), rank, points";
    if (!member_lookup(c->db, no, name, sizeof name, NULL))
        return "star member is not in the roster";
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "period", period);
    cJSON_AddNumberToObject(d, "rank", rank);
    cJSON_AddStringToObject(d, "member_no", no);
    cJSON_AddStringToObject(d, "name", name);
    cJSON_AddNumberToObject(d, "points", points);
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
    sqlite3_stmt *st = prep(db, "SELECT key FROM published"
                            " WHERE scope = ? AND type = ?");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    err_code e = ERR_OK;
    while (e == ERR_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        if (items_has(it, key))
            continue;
        e = hub_db_change_add(db, station, NULL, type, key, NULL);
        (*changes)++;
    }
    sqlite3_finalize(st);
    if (e != ERR_OK)
        return e;
    st = prep(db, "DELETE FROM published WHERE scope = ? AND type = ?");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    return step_done(db, st);
}

static bool unchanged(struct hub_db *db, const char *scope, const char *type,
                      const struct item *i)
{
    sqlite3_stmt *st = prep(db, "SELECT 1 FROM published WHERE scope = ?"
                            " AND type = ? AND key = ? AND data = ?");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, scope, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, i->key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, i->data, -1, SQLITE_TRANSIENT);
    bool same = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return same;
}

static err_code apply_items(struct hub_db *db, const char *station,
                            const char *type, const struct items *it,
                            int *changes)
{
    const char *scope = station ? station : "*";
    bool *same = xcalloc(it->n + 1, sizeof *same);
    for (size_t i = 0; i < it->n; i++)
        same[i] = unchanged(db, scope, type, &it->v[i]);
    err_code e = diff_deletes(db, scope, station, type, it, changes);
    for (size_t i = 0; i < it->n && e == ERR_OK; i++) {
        sqlite3_stmt *st = prep(db, "INSERT INTO published(scope, type, key,"
                                " data) VALUES(?,?,?,?)");
        if (!st) {
            e = ERR_DB;
            break;
        }
        sqlite3_bind_text(st, 1, scope, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, it->v[i].key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, it->v[i].data, -1, SQLITE_TRANSIENT);
        e = step_done(db, st);
        if (e == ERR_OK && !same[i]) {
            e = hub_db_change_add(db, station, NULL, type, it->v[i].key,
                                  it->v[i].data);
            (*changes)++;
        }
    }
    free(same);
    return e;
}

static err_code publish_items(struct pubctx *c, const struct board_kind *k,
                              const cJSON *arr, const char *station,
                              int *changes)
{
    struct items it = { 0 };
    int bad = read_items(c, k, arr, &it);
    err_code e = ERR_OK;
    if (bad > 0) {
        fprintf(c->err, "%s: %d bad item(s): nothing published\n", c->path,
                bad);
        e = ERR_INVAL;
    }
    if (e == ERR_OK)
        e = hub_db_begin(c->db);
    if (e == ERR_OK) {
        e = apply_items(c->db, station, k->type, &it, changes);
        if (e == ERR_OK)
            e = hub_db_commit(c->db);
        else
            hub_db_rollback(c->db);
    }
    items_free(&it);
    return e;
}

err_code hub_admin_publish(struct hub_db *db, const char *kind,
                           const char *path, const char *station,
                           int utc_offset_minutes, FILE *err, int *changes)
{
    const struct board_kind *k = NULL;
    *changes = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            k = &kinds[i];
    if (!k) {
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
    err_code e = read_file(path, &text, &len);
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
    struct pubctx c = { db, path, err, utc_offset_minutes, 0 };
    e = publish_items(&c, k, arr, station, changes);
    cJSON_Delete(arr);
    return e;
}

/* ---- the star board from points ----------------------------------------- */

#define STARS_TOP 10

/* Append the top members of `station` by confirmed points on days from
 * `since` (YYYY-MM-DD) on to arr, as star items of `period`. */
static err_code stars_of(struct hub_db *db, const char *station,
                         const char *period, const char *since, cJSON *arr)
{
    sqlite3_stmt *st = prep(db, "SELECT member_no, sum(points) AS p"
        " FROM service_logs WHERE station = ? AND status = 'confirmed'"
        " AND day >= ? GROUP BY member_no HAVING p > 0"
        " ORDER BY p DESC, member_no LIMIT ?");
    int rank = 0, rc;

    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, since, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, STARS_TOP);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "period", period);
        cJSON_AddNumberToObject(o, "rank", ++rank);
        cJSON_AddStringToObject(o, "member_no",
                                (const char *)sqlite3_column_text(st, 0));
        cJSON_AddNumberToObject(o, "points", sqlite3_column_int(st, 1));
        cJSON_AddItemToArray(arr, o);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ERR_OK : ERR_DB;
}

err_code hub_admin_publish_stars(struct hub_db *db, const char *station,
                                 int64_t now_ms, int utc_offset_minutes,
                                 FILE *err, int *changes)
{
    int64_t (*const starts[])(int64_t, int) = { clock_month_start,
        clock_quarter_start, clock_year_start };
    static const char *const periods[] = { "month", "quarter", "year" };
    struct pubctx c = { db, "computed star board", err, utc_offset_minutes,
                        0 };
    cJSON *arr = cJSON_CreateArray();
    err_code e = ERR_OK;

    *changes = 0;
    if (!hub_db_station_exists(db, station)) {
        fprintf(err, "unknown station %s\n", station);
        cJSON_Delete(arr);
        return ERR_NOTFOUND;
    }
    for (int i = 0; i < 3 && e == ERR_OK; i++) {
        char since[11];
        clock_ymd(starts[i](now_ms, utc_offset_minutes), utc_offset_minutes,
                  since);
        e = stars_of(db, station, periods[i], since, arr);
    }
    for (size_t i = 0; e == ERR_OK && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, "stars") == 0)
            e = publish_items(&c, &kinds[i], arr, station, changes);
    cJSON_Delete(arr);
    return e;
}

/* ---- service-log decisions --------------------------------------------- */

err_code hub_admin_pending(struct hub_db *db, FILE *out)
{
    sqlite3_stmt *st = prep(db, "SELECT l.device, l.seq, l.station,"
                            " l.member_no, coalesce(m.name, ''), l.category,"
                            " l.minutes, l.day, l.note FROM service_logs l"
                            " LEFT JOIN members m USING(member_no)"
                            " WHERE l.status = 'pending'"
                            " ORDER BY l.station, l.device, l.seq");
    if (!st)
        return ERR_DB;
    fprintf(out, "device,seq,station,member_no,name,category,minutes,day,"
            "note\n");
    while (sqlite3_step(st) == SQLITE_ROW) {
        fprintf(out, "%s,%" PRId64 ",%s,%s,%s,%s,%d,%s,\"",
                sqlite3_column_text(st, 0),
                (int64_t)sqlite3_column_int64(st, 1),
                sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
                sqlite3_column_text(st, 4), sqlite3_column_text(st, 5),
                sqlite3_column_int(st, 6), sqlite3_column_text(st, 7));
        for (const char *p = (const char *)sqlite3_column_text(st, 8); *p;
             p++)
            fputs(*p == '"' ? "\"\"" : (char[]){ *p, 0 }, out);
        fputs("\"\n", out);
    }
    sqlite3_finalize(st);
    return ERR_OK;
}

static err_code decide_in_tx(struct hub_db *db, const char *device,
                             uint64_t seq, bool confirm, int points)
{
    sqlite3_stmt *st = prep(db, "SELECT station, minutes FROM service_logs"
                            " WHERE device = ? AND seq = ?");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (int64_t)seq);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return ERR_NOTFOUND;
    }
    char station[64];
    str_copy(station, sizeof station, (const char *)sqlite3_column_text(st, 0));
    int minutes = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    if (!confirm)
        points = 0;
    else if (points < 0)
        points = hub_points_for(minutes);
    st = prep(db, "UPDATE service_logs SET status = ?, points = ?,"
              " decided_ms = ? WHERE device = ? AND seq = ?");
    if (!st)
        return ERR_DB;
    const char *status = confirm ? "confirmed" : "rejected";
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, points);
    sqlite3_bind_int64(st, 3, hub_now_ms());
    sqlite3_bind_text(st, 4, device, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, (int64_t)seq);
    err_code e = step_done(db, st);
    char key[24], data[128];
    snprintf(key, sizeof key, "%" PRIu64, seq);
    snprintf(data, sizeof data, "{\"seq\":%" PRIu64 ",\"status\":\"%s\","
             "\"points\":%d}", seq, status, points);
    if (e == ERR_OK)
        e = hub_db_change_add(db, station, device, "log_status", key, data);
    return e;
}

err_code hub_admin_decide(struct hub_db *db, const char *device, uint64_t seq,
                          bool confirm, int points)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = decide_in_tx(db, device, seq, confirm, points);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

/* ---- reports ----------------------------------------------------------- */

static err_code csv_query(struct hub_db *db, const char *sql, int offset_min,
                          const char *header, FILE *out)
{
    sqlite3_stmt *st = prep(db, sql);
    if (!st)
        return ERR_DB;
    char mod[32];
    snprintf(mod, sizeof mod, "%+d minutes", offset_min);
    sqlite3_bind_text(st, 1, mod, -1, SQLITE_TRANSIENT);
    fprintf(out, "%s\n", header);
    int cols = sqlite3_column_count(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < cols; i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            fprintf(out, "%s%s", i ? "," : "", v ? v : "");
        }
        fputc('\n', out);
    }
    sqlite3_finalize(st);
    return ERR_OK;
}

err_code hub_admin_report_members(struct hub_db *db, int utc_offset_minutes,
                                  FILE *out)
{
    static const char sql[] =
        "WITH ev AS (SELECT strftime('%Y-%m', event_ms / 1000, 'unixepoch',"
        "  ?1) AS month, * FROM events),"
        " v AS (SELECT month, member_no, station,"
        "  sum(kind = 'check_in') AS check_ins,"
        "  sum(CASE WHEN kind = 'check_out' THEN"
        "   coalesce(json_extract(data, '$.minutes'), 0) ELSE 0 END)"
        "   AS visit_minutes FROM ev GROUP BY month, member_no, station),"
        " s AS (SELECT substr(l.day, 1, 7) AS month, l.member_no, l.station,"
        "  sum(l.minutes) AS service_minutes, sum(l.points) AS points"
        "  FROM service_logs l WHERE l.status = 'confirmed'"
        "  GROUP BY 1, 2, 3),"
        " k AS (SELECT month, member_no, station FROM v UNION"
        "  SELECT month, member_no, station FROM s)"
        " SELECT k.month, k.member_no, coalesce(m.name, ''), k.station,"
        "  coalesce(v.check_ins, 0), coalesce(v.visit_minutes, 0),"
        "  coalesce(s.service_minutes, 0), coalesce(s.points, 0)"
        " FROM k LEFT JOIN v USING(month, member_no, station)"
        " LEFT JOIN s USING(month, member_no, station)"
        " LEFT JOIN members m ON m.member_no = k.member_no"
        " ORDER BY k.month, k.station, k.member_no";
    return csv_query(db, sql, utc_offset_minutes,
                     "month,member_no,name,station,check_ins,visit_minutes,"
                     "service_minutes,points", out);
}

err_code hub_admin_report_stations(struct hub_db *db, int utc_offset_minutes,
                                   FILE *out)
{
    static const char sql[] =
        "WITH ci AS (SELECT strftime('%Y-%m', event_ms / 1000, 'unixepoch',"
        "  ?1) AS month, station, member_no FROM events"
        "  WHERE kind = 'check_in'),"
        " r AS (SELECT station, count(*) AS roster FROM members"
        "  WHERE active GROUP BY station)"
        " SELECT ci.month, ci.station, coalesce(r.roster, 0),"
        "  count(DISTINCT ci.member_no), count(*),"
        "  printf('%.3f', CASE WHEN coalesce(r.roster, 0) = 0 THEN 0 ELSE"
        "   count(DISTINCT ci.member_no) * 1.0 / r.roster END)"
        " FROM ci LEFT JOIN r USING(station)"
        " GROUP BY ci.month, ci.station ORDER BY 1, 2";
    return csv_query(db, sql, utc_offset_minutes,
                     "month,station,roster_members,members_checked_in,"
                     "check_ins,check_in_rate", out);
}

err_code hub_admin_fleet(struct hub_db *db, FILE *out)
{
    static const char sql[] =
        "SELECT d.id, d.station, CASE WHEN s.last_seen_ms IS NULL THEN"
        "  'never' ELSE strftime('%Y-%m-%dT%H:%M:%SZ', s.last_seen_ms / 1000,"
        "  'unixepoch') END,"
        " CASE WHEN s.last_seen_ms IS NULL THEN '' ELSE"
        "  (CAST(strftime('%s','now') AS INTEGER) * 1000 - s.last_seen_ms)"
        "  / 1000 END,"
        " coalesce(s.version, ''), coalesce(s.queue, ''),"
        " coalesce(s.offset_ms, ''), d.acked,"
        " CASE WHEN d.revoked THEN 'revoked' ELSE 'enrolled' END,"
        " coalesce((SELECT strftime('%Y-%m-%dT%H:%M:%SZ', e.event_ms / 1000,"
        "  'unixepoch') || ' ' || json_extract(e.data, '$.from') || '->' ||"
        "  json_extract(e.data, '$.to') || ' (' ||"
        "  replace(json_extract(e.data, '$.reason'), ',', ';') || ')' FROM events e"
        "  WHERE e.device = d.id AND e.kind = 'rollback'"
        "  ORDER BY e.seq DESC LIMIT 1), '')"
        " FROM devices d LEFT JOIN fleet.seen s ON s.device = d.id"
        " WHERE ?1 IS NOT NULL ORDER BY d.station, d.id";
    err_code e = hub_db_attach_fleet(db);
    if (e != ERR_OK)
        return e;
    return csv_query(db, sql, 0, "device,station,last_contact,age_s,version,"
                     "queue,clock_offset_ms,acked_seq,state,last_rollback", out);
}

err_code hub_admin_events(struct hub_db *db, const char *device, FILE *out)
{
    sqlite3_stmt *st = prep(db, "SELECT seq, kind, member_no, event_ms,"
                            " corrected FROM events WHERE device = ?"
                            " ORDER BY seq");
    if (!st)
        return ERR_DB;
    sqlite3_bind_text(st, 1, device, -1, SQLITE_TRANSIENT);
    fprintf(out, "seq,kind,member_no,event_ms,corrected\n");
    while (sqlite3_step(st) == SQLITE_ROW)
        fprintf(out, "%" PRId64 ",%s,%s,%" PRId64 ",%d\n",
                (int64_t)sqlite3_column_int64(st, 0),
                sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                (int64_t)sqlite3_column_int64(st, 3),
                sqlite3_column_int(st, 4));
    sqlite3_finalize(st);
    return ERR_OK;
}
