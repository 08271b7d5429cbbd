/* hub/hub_roster.c - importing the roster: every line checked, then
 * applied in one transaction, each member's change sent to the kiosks of
 * its station (with the phone masked), and who left made inactive. */
#include "hub/hub_roster.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/csv.h"
#include "base/phone.h"
#include "base/pinhash.h"
#include "base/xmalloc.h"
#include "hub/hub_audit.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_db_units.h"
#include "hub/hub_input.h"
#include "sync/pki.h"

/* The roster's columns. The first five are every roster's, in this
 * order in the old file; the file's header names them, in any order, by
 * their English or Chinese name (a spreadsheet's export). */
enum roster_col {
    COL_MEMBER_NO, COL_NAME, COL_PHONE, COL_COMMUNITY, COL_STATION,
    COL_WORK_UNIT, COL_REG_KIND, COL_COUNT
};
#define COL_REQUIRED 5

static const struct {
    const char *name;           /* as messages say it */
    const char *aliases[4];
} columns[COL_COUNT] = {
    [COL_MEMBER_NO] = { "member_no", { "member_no", "党员编号", "编号" } },
    [COL_NAME]      = { "name", { "name", "姓名" } },
    [COL_PHONE]     = { "phone", { "phone", "手机号", "手机", "电话" } },
    [COL_COMMUNITY] = { "community", { "community", "社区" } },
    [COL_STATION]   = { "station", { "station", "服务站" } },
    [COL_WORK_UNIT] = { "work_unit", { "work_unit", "单位", "工作单位" } },
    [COL_REG_KIND]  = { "reg_kind", { "reg_kind", "报到类型" } },
};

/* The reg_kind values, as stored and as a spreadsheet may write them. */
static const struct {
    const char *value, *aliases[3];
} reg_kinds[] = {
    { "residence", { "residence", "居住地" } },
    { "paired", { "paired", "结对共建社区", "结对共建" } },
};

/* Which column of the file holds each of ours (-1: not in the file). */
struct roster_map {
    int at[COL_COUNT];
    int n;                      /* the file's column count */
};

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

static const char *reg_kind_of(const char *v)
{
    for (size_t k = 0; k < sizeof reg_kinds / sizeof reg_kinds[0]; k++)
        for (int a = 0; a < 3 && reg_kinds[k].aliases[a]; a++)
            if (strcmp(v, reg_kinds[k].aliases[a]) == 0)
                return reg_kinds[k].value;
    return NULL;
}

/* Why a row is bad, or NULL; *col gets the column (1-based) at fault,
 * 0 when it is the whole line. */
static const char *row_check(struct hub_db *db, const struct roster_map *m,
                             char **fv, int n, struct hub_member *r, int *col)
{
    static char why[160];
    const char *f[COL_COUNT];
    *col = 0;
    if (n != m->n) {
        snprintf(why, sizeof why, "expected %d fields as the header names,"
                 " found %d", m->n, n < 0 ? 0 : n);
        return why;
    }
    for (int c = 0; c < COL_COUNT; c++)
        f[c] = m->at[c] >= 0 ? fv[m->at[c]] : NULL;
    for (int i = 0; i < n; i++)
        if (csv_formula_like(fv[i])) {
            /* Named by our column where the file's is one of ours: the
             * console matches reasons by their start ("name looks"). */
            const char *name = "field";
            for (int c = 0; c < COL_COUNT; c++)
                if (m->at[c] == i)
                    name = columns[c].name;
            *col = i + 1;
            snprintf(why, sizeof why, "%s looks like a spreadsheet formula"
                     " (starts with = + - @, tab or CR)", name);
            return why;
        }
#define BAD(c, msg) return (*col = m->at[c] + 1, (msg))
    if (strlen(f[COL_MEMBER_NO]) >= sizeof r->member_no ||
        !pki_id_valid(f[COL_MEMBER_NO]))
        BAD(COL_MEMBER_NO, "member_no must be 1-31 of A-Z a-z 0-9 . _ -");
    if (!text_ok(f[COL_NAME], sizeof r->name))
        BAD(COL_NAME, "name is empty, too long or not UTF-8");
    if (!phone_valid(f[COL_PHONE]))
        BAD(COL_PHONE, "phone must be 11 digits starting with 1");
    if (!text_ok(f[COL_COMMUNITY], sizeof r->community))
        BAD(COL_COMMUNITY, "community is empty, too long or not UTF-8");
    if (!pki_id_valid(f[COL_STATION]) ||
        !hub_db_station_exists(db, f[COL_STATION]))
        BAD(COL_STATION, "unknown station (add it with hubctl add-station)");
    /* A file without the unit's columns keeps what the hub holds. */
    struct hub_member old;
    if (hub_db_member_get(db, f[COL_MEMBER_NO], &old) != ERR_OK)
        memset(&old, 0, sizeof old);
    const char *unit = f[COL_WORK_UNIT] ? f[COL_WORK_UNIT] : old.work_unit;
    const char *kind = old.reg_kind;
    struct hub_unit u;
    if (f[COL_WORK_UNIT] && unit[0] &&
        (strlen(unit) >= sizeof r->work_unit || !pki_id_valid(unit) ||
         hub_db_unit_get(db, unit, &u) != ERR_OK)) {
        snprintf(why, sizeof why, "unknown work unit \"%.60s\" (add it with"
                 " hubctl unit add CODE NAME)", unit);
        BAD(COL_WORK_UNIT, why);
    }
    if (f[COL_REG_KIND]) {
        kind = f[COL_REG_KIND][0] ? reg_kind_of(f[COL_REG_KIND]) : "";
        if (!kind) {
            snprintf(why, sizeof why, "reg_kind \"%.60s\" must be residence"
                     " (居住地) or paired (结对共建社区)", f[COL_REG_KIND]);
            BAD(COL_REG_KIND, why);
        }
        if (strcmp(kind, "paired") == 0 && !unit[0])
            BAD(COL_REG_KIND, "reg_kind paired needs the member's work unit");
    }
#undef BAD
    memset(r, 0, sizeof *r);
    str_copy(r->member_no, sizeof r->member_no, f[COL_MEMBER_NO]);
    str_copy(r->name, sizeof r->name, f[COL_NAME]);
    str_copy(r->phone, sizeof r->phone, f[COL_PHONE]);
    str_copy(r->community, sizeof r->community, f[COL_COMMUNITY]);
    str_copy(r->station, sizeof r->station, f[COL_STATION]);
    str_copy(r->work_unit, sizeof r->work_unit, unit);
    str_copy(r->reg_kind, sizeof r->reg_kind, kind);
    return NULL;
}

/* The header line to a column map; false (reported) when a column is
 * unknown, named twice, or one of the first five is missing. */
static bool header_map(char *line, const char *path, FILE *err,
                       struct roster_map *m)
{
    char *f[COL_COUNT + 2];
    int n = csv_split(line, f, COL_COUNT + 1);
    for (int c = 0; c < COL_COUNT; c++)
        m->at[c] = -1;
    m->n = n;
    if (n < 1 || n > COL_COUNT) {
        fprintf(err, "%s:1: the header must name the columns member_no,"
                "name,phone,community,station and optionally work_unit"
                " (单位), reg_kind (报到类型)\n", path);
        return false;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        char *h = f[i];
        while (*h == ' ')
            h++;
        h[strcspn(h, " ")] = '\0';
        int found = -1;
        for (int c = 0; c < COL_COUNT && found < 0; c++)
            for (int a = 0; a < 4 && columns[c].aliases[a]; a++)
                if (strcmp(h, columns[c].aliases[a]) == 0)
                    found = c;
        if (found < 0) {
            fprintf(err, "%s:1: column %d: unknown column \"%.60s\" (known:"
                    " member_no, name, phone, community, station,"
                    " work_unit/单位, reg_kind/报到类型)\n", path, i + 1, h);
            ok = false;
        } else if (m->at[found] >= 0) {
            fprintf(err, "%s:1: column %d: %s named twice\n", path, i + 1,
                    columns[found].name);
            ok = false;
        } else {
            m->at[found] = i;
        }
    }
    for (int c = 0; c < COL_REQUIRED; c++)
        if (ok && m->at[c] < 0) {
            fprintf(err, "%s:1: the header has no %s column\n", path,
                    columns[c].name);
            ok = false;
        }
    return ok;
}

/* Store a member and tell the kiosks of its station. */
static err_code member_put_active(struct hub_db *db,
                                  const struct hub_member *r, bool active)
{
    err_code e = hub_db_member_put(db, r, active);
    if (e != ERR_OK)
        return e;
    char masked[PHONE_MASKED];
    phone_mask(r->phone, masked);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "name", r->name);
    cJSON_AddStringToObject(d, "phone_masked", masked);
    cJSON_AddStringToObject(d, "community", r->community);
    cJSON_AddBoolToObject(d, "active", active);
    /* Only when set: an older roster's changes stay as they were. */
    if (r->work_unit[0])
        cJSON_AddStringToObject(d, "work_unit", r->work_unit);
    if (r->reg_kind[0])
        cJSON_AddStringToObject(d, "reg_kind", r->reg_kind);
    char pin[PINHASH_HASH_MAX];
    e = hub_db_member_pin_get(db, r->member_no, pin, sizeof pin);
    if (e != ERR_OK) {
        cJSON_Delete(d);
        return e;
    }
    if (pin[0])
        cJSON_AddStringToObject(d, "pin_hash", pin);
    char *json = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    e = hub_db_change_add(db, r->station, NULL, "member", r->member_no, json);
    free(json);
    return e;
}

/* A roster names the whole membership of each station in it: a member of
 * such a station who is not on it any more has left: kept (for reports
 * and history) but inactive, and kiosks are told, so the card and number
 * stop working there. */
static err_code deactivate_missing(struct hub_db *db,
                                   const struct hub_member *rows, size_t n,
                                   FILE *err)
{
    struct hub_member *gone = NULL;
    size_t n_gone = 0;
    err_code e = hub_db_members_missing(db, rows, n, &gone, &n_gone);
    for (size_t i = 0; i < n_gone && e == ERR_OK; i++) {
        e = member_put_active(db, &gone[i], false);
        if (e == ERR_OK)
            fprintf(err, "%s: %s %s is no longer on the roster: made"
                    " inactive\n", gone[i].station, gone[i].member_no,
                    gone[i].name);
    }
    free(gone);
    return e;
}

static int by_station(const void *a, const void *b)
{
    return strcmp(((const struct hub_member *)a)->station,
                  ((const struct hub_member *)b)->station);
}

/* ERR_DENIED (reported) when a station would lose more of its active
 * members than a roster update plausibly means to. */
static err_code drop_guard(struct hub_db *db, const struct hub_member *rows,
                           size_t n, const char *path, FILE *err)
{
    struct hub_member *gone = NULL;
    size_t n_gone = 0;
    err_code e = hub_db_members_missing(db, rows, n, &gone, &n_gone);
    if (n_gone > 1)
        qsort(gone, n_gone, sizeof *gone, by_station);
    for (size_t i = 0; i < n_gone && e == ERR_OK; i++) {
        if (i > 0 && strcmp(gone[i].station, gone[i - 1].station) == 0)
            continue;
        int drop = 0, active = 0;
        for (size_t j = i; j < n_gone && !by_station(&gone[j], &gone[i]);
             j++)
            drop++;
        e = hub_db_station_active(db, gone[i].station, &active);
        if (e == ERR_OK && drop > HUB_ROSTER_DROP_MIN &&
            drop * 100 > active * HUB_ROSTER_DROP_PCT) {
            fprintf(err, "%s: %s: %d of its %d active members are not on"
                    " this roster and would become inactive: nothing"
                    " imported (--replace-all if that is meant)\n", path,
                    gone[i].station, drop, active);
            e = ERR_DENIED;
        }
    }
    free(gone);
    return e;
}

/* One audit line per station the import touched (for the console: its
 * rows are shown to the users whose scope covers the station), in the
 * import's transaction. */
static err_code audit_import(struct hub_db *db, const char *actor,
                             const struct hub_member *rows, size_t n)
{
    err_code e = ERR_OK;
    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        bool seen = false;
        int count = 0;
        for (size_t j = 0; j < n; j++) {
            bool same = strcmp(rows[j].station, rows[i].station) == 0;
            if (same && j < i)
                seen = true;
            count += same;
        }
        if (seen)
            continue;
        char obj[96], after[64];
        snprintf(obj, sizeof obj, "station:%s", rows[i].station);
        snprintf(after, sizeof after, "{\"members\":%d}", count);
        e = hub_audit_record(db, actor, "roster.import", obj, NULL, after);
    }
    return e;
}

static err_code apply(struct hub_db *db, const struct hub_member *rows,
                      size_t n, const char *actor, FILE *err)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    for (size_t i = 0; i < n && e == ERR_OK; i++)
        e = member_put_active(db, &rows[i], true);
    if (e == ERR_OK)
        e = deactivate_missing(db, rows, n, err);
    if (e == ERR_OK && actor)
        e = audit_import(db, actor, rows, n);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

static bool dup_in(const struct hub_member *rows, size_t n, const char *no)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].member_no, no) == 0)
            return true;
    return false;
}

/* Parse every line; bad ones are reported and skipped. Lines are counted
 * as an editor shows them (a blank line counts, and is skipped). */
static int roster_parse(struct hub_db *db, const char *path, char *text,
                        const struct hub_roster_opts *o, FILE *err,
                        struct hub_member **out, size_t *n)
{
    size_t cap = 64, count = 0;
    struct hub_member *rows = xmalloc(cap * sizeof *rows);
    struct roster_map map = { .n = 0 };
    int bad = 0, lineno = 0;
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
        text += 3;                                 /* UTF-8 BOM */
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        line[strcspn(line, "\r")] = '\0';
        const char *why = NULL;
        char *f[COL_COUNT + 2];
        int col = 0;
        if (lineno == 1) {
            if (!header_map(line, path, err, &map)) {
                if (o && o->bad)
                    o->bad(o->ctx, 1, "header: an unknown, doubled or"
                           " missing column (see the import format)");
                bad++;
                break;                 /* rows cannot be read without it */
            }
            continue;
        }
        if (line[strspn(line, " ,")] == '\0')
            continue;                  /* blank, or a spreadsheet's ,,,, */
        if (strlen(line) >= HUB_CSV_LINE_MAX)
            why = "line too long";
        if (count == cap)
            rows = xrealloc(rows, (cap *= 2) * sizeof *rows);
        if (!why)
            why = row_check(db, &map, f, csv_split(line, f, COL_COUNT + 1),
                            &rows[count], &col);
        if (!why && dup_in(rows, count, rows[count].member_no)) {
            why = "member_no appears twice";
            col = map.at[COL_MEMBER_NO] + 1;
        }
        /* A station outside the importing user's scope reads exactly as
         * one that does not exist. */
        if (!why && o && o->station_ok &&
            !o->station_ok(o->ctx, rows[count].station))
            why = "unknown station (add it with hubctl add-station)";
        if (why && col > 0) {
            fprintf(err, "%s:%d: column %d (%.60s): %s\n", path, lineno,
                    col, f[col - 1][0] ? f[col - 1] : "empty", why);
            if (o && o->bad)
                o->bad(o->ctx, lineno, why);
            bad++;
        } else if (why) {
            fprintf(err, "%s:%d: %s\n", path, lineno, why);
            if (o && o->bad)
                o->bad(o->ctx, lineno, why);
            bad++;
        } else {
            count++;
        }
    }
    if (lineno == 0) {
        fprintf(err, "%s: empty file\n", path);
        bad++;
    }
    *out = rows;
    *n = count;
    return bad;
}

err_code hub_roster_import(struct hub_db *db, const char *path, bool force,
                           bool replace_all, FILE *err, int *imported)
{
    char *text = NULL;
    size_t len;
    *imported = 0;
    err_code e = hub_input_read(path, &text, &len);
    if (e != ERR_OK) {
        fprintf(err, "%s: cannot read (or over %d bytes)\n", path,
                HUB_FILE_MAX);
        return e;
    }
    struct hub_roster_opts o = { .force = force, .replace_all = replace_all };
    e = hub_roster_import_text(db, path, text, &o, err, imported);
    free(text);
    return e;
}

/* What the import would do, told to o->row: '+' a new member, '~' a
 * changed one (or one made active again), '-' one made inactive. */
static err_code preview(struct hub_db *db, const struct hub_member *rows,
                        size_t n, const struct hub_roster_opts *o)
{
    err_code e = ERR_OK;
    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        struct hub_member m;
        bool active = false;
        e = hub_db_member_get(db, rows[i].member_no, &m);
        if (e == ERR_NOTFOUND) {
            o->row(o->ctx, '+', &rows[i]);
            e = ERR_OK;
            continue;
        }
        if (e == ERR_OK)
            e = hub_db_member_active(db, rows[i].member_no, &active);
        if (e == ERR_OK && (!active || strcmp(m.name, rows[i].name) ||
                            strcmp(m.phone, rows[i].phone) ||
                            strcmp(m.community, rows[i].community) ||
                            strcmp(m.station, rows[i].station)))
            o->row(o->ctx, '~', &rows[i]);
    }
    struct hub_member *gone = NULL;
    size_t n_gone = 0;
    if (e == ERR_OK)
        e = hub_db_members_missing(db, rows, n, &gone, &n_gone);
    for (size_t i = 0; i < n_gone && e == ERR_OK; i++)
        o->row(o->ctx, '-', &gone[i]);
    free(gone);
    return e;
}

err_code hub_roster_import_text(struct hub_db *db, const char *label,
                                char *text, const struct hub_roster_opts *o,
                                FILE *err, int *imported)
{
    err_code e = ERR_OK;
    struct hub_member *rows = NULL;
    size_t n = 0;
    *imported = 0;
    int bad = roster_parse(db, label, text, o, err, &rows, &n);
    /* --force takes the good lines, never a file it could not read. */
    if (bad > 0 && (!o->force || n == 0)) {
        fprintf(err, "%s: %d bad line(s): nothing imported\n", label, bad);
        if (!o->dry_run) {
            free(rows);
            return ERR_INVAL;
        }
        e = ERR_INVAL;
    }
    if (o->dry_run && o->row) {
        err_code pe = preview(db, rows, n, o);
        if (pe != ERR_OK)
            e = pe;
    }
    if (!o->replace_all && e != ERR_DB) {
        err_code ge = drop_guard(db, rows, n, label, err);
        if (ge != ERR_OK)
            e = ge;
    }
    if (e == ERR_OK && !o->dry_run)
        e = apply(db, rows, n, o->actor, err);
    free(rows);
    if (e == ERR_OK)
        *imported = (int)n;
    return e;
}

err_code hub_member_edit(struct hub_db *db, const char *actor,
                         const struct hub_member *m, bool active, FILE *err)
{
    struct hub_member old;
    bool was = false;
    err_code e = hub_db_member_get(db, m->member_no, &old);
    if (e == ERR_OK)
        e = hub_db_member_active(db, m->member_no, &was);
    if (e == ERR_NOTFOUND)
        fprintf(err, "no member %s\n", m->member_no);
    if (e != ERR_OK)
        return e;
    struct hub_member nm = old;
    if (!text_ok(m->name, sizeof nm.name) || csv_formula_like(m->name)) {
        fprintf(err, "name is empty, too long, not UTF-8 or looks like a"
                " spreadsheet formula\n");
        return ERR_INVAL;
    }
    if (!phone_valid(m->phone)) {
        fprintf(err, "phone must be 11 digits starting with 1\n");
        return ERR_INVAL;
    }
    str_copy(nm.name, sizeof nm.name, m->name);
    str_copy(nm.phone, sizeof nm.phone, m->phone);
    char obj[64];
    snprintf(obj, sizeof obj, "member:%s", m->member_no);
    /* The audit keeps names and the active flag, never the phone. */
    cJSON *b = cJSON_CreateObject(), *a = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "name", old.name);
    cJSON_AddBoolToObject(b, "active", was);
    cJSON_AddStringToObject(a, "name", nm.name);
    cJSON_AddBoolToObject(a, "active", active);
    char *bj = cJSON_PrintUnformatted(b), *aj = cJSON_PrintUnformatted(a);
    cJSON_Delete(b);
    cJSON_Delete(a);
    e = hub_db_begin(db);
    if (e == ERR_OK) {
        e = member_put_active(db, &nm, active);
        if (e == ERR_OK)
            e = hub_audit_record(db, actor, "member.edit", obj, bj, aj);
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
    }
    free(bj);
    free(aj);
    return e;
}

/* A PIN is what an elderly member can remember and type on the keypad:
 * 4 to 6 digits. */
static bool pin_valid(const char *pin)
{
    size_t n = strlen(pin);
    if (n < HUB_PIN_MIN || n > HUB_PIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

err_code hub_member_pin_set(struct hub_db *db, const char *member_no,
                            const char *pin, FILE *err)
{
    struct hub_member m;
    char hash[PINHASH_HASH_MAX];
    bool active;

    if (!pin_valid(pin)) {
        fprintf(err, "a PIN is %d to %d digits\n", HUB_PIN_MIN, HUB_PIN_MAX);
        return ERR_INVAL;
    }
    err_code e = hub_db_member_get(db, member_no, &m);
    if (e == ERR_OK)
        e = hub_db_member_active(db, member_no, &active);
    if (e == ERR_NOTFOUND)
        fprintf(err, "no member %s\n", member_no);
    if (e != ERR_OK)
        return e;
    e = pinhash_make(pin, HUB_PIN_ITER, hash, sizeof hash);
    if (e != ERR_OK)
        return e;
    e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_member_pin_set(db, member_no, hash);
    if (e == ERR_OK)
        e = member_put_active(db, &m, active);
    if (e == ERR_OK)
        e = hub_db_commit(db);
    else
        hub_db_rollback(db);
    return e;
}
