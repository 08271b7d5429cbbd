/* hub/hub_ledger.c - types, listings and the export of the issue ledger
 * (hub/hub_ledger.h). The SQL is hub_db_ledger.c's. */
#include "hub/hub_ledger.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "base/csv.h"
#include "base/file.h"
#include "base/ledger.h"
#include "base/xmalloc.h"

#define TYPES_MAX 64
#define TYPES_FILE_MAX (256 * 1024)
#define DAY_MS (24LL * 3600 * 1000)

static bool type_from(const cJSON *o, struct hub_ledger_type *t,
                      const char **why)
{
    const cJSON *k, *p, *v;
    memset(t, 0, sizeof *t);
#define STR(name, f, need) do { \
        v = cJSON_GetObjectItemCaseSensitive(o, name); \
        if ((need && !cJSON_IsString(v)) || (v && !cJSON_IsString(v)) || \
            (v && str_copy(t->f, sizeof t->f, v->valuestring) != 0)) \
            return *why = "bad " name, false; \
    } while (0)
    STR("code", code, true);
    STR("name", name, true);
    STR("name_en", name_en, false);
#undef STR
    if (!t->code[0] || !t->name[0] || strchr(t->code, '/'))
        return *why = "bad code or name", false;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(o, "kinds")) {
        const char *s = cJSON_IsString(k) ? k->valuestring : "";
        t->for_request |= strcmp(s, "request") == 0;
        t->for_wish |= strcmp(s, "wish") == 0;
    }
    if (!t->for_request && !t->for_wish)
        return *why = "kinds names neither request nor wish", false;
    v = cJSON_GetObjectItemCaseSensitive(o, "order");
    t->order = cJSON_IsNumber(v) ? v->valueint : 0;
    v = cJSON_GetObjectItemCaseSensitive(o, "deadline_days");
    if (!cJSON_IsNumber(v) || v->valueint < 1 || v->valueint > 365)
        return *why = "deadline_days must be 1-365", false;
    t->deadline_days = v->valueint;
    v = cJSON_GetObjectItemCaseSensitive(o, "points");
    t->points = cJSON_IsNumber(v) ? v->valueint : 0;
    if (t->points < 0 || t->points > HUB_POINTS_MAX)
        return *why = "points out of range", false;
    p = cJSON_GetObjectItemCaseSensitive(o, "presets");
    cJSON *out = cJSON_CreateArray();
    int n = 0;
    cJSON_ArrayForEach(v, p) {
        if (!cJSON_IsString(v) ||
            ledger_text_check(v->valuestring, LEDGER_TEXT_CHARS, true) ||
            strlen(v->valuestring) >= 128 || ++n > 8) {
            cJSON_Delete(out);
            return *why = "presets: up to 8 descriptions under 128 bytes",
                   false;
        }
        cJSON_AddItemToArray(out, cJSON_CreateString(v->valuestring));
    }
    char *s = cJSON_PrintUnformatted(out);
    cJSON_Delete(out);
    bool fits = str_copy(t->presets_json, sizeof t->presets_json, s) == 0;
    free(s);
    return fits ? true : (*why = "presets too long", false);
}

err_code hub_ledger_types_load(struct hub_db *db, const char *path,
                               FILE *err, int *n)
{
    char *text = NULL;
    size_t len = 0;
    *n = 0;
    err_code e = file_read_capped(path, TYPES_FILE_MAX, &text, &len);
    if (e != ERR_OK) {
        fprintf(err, "%s: cannot read (%s)\n", path, err_str(e));
        return e;
    }
    cJSON *root = cJSON_ParseWithLength(text, len), *o;
    free(text);
    if (!cJSON_IsArray(root) || cJSON_GetArraySize(root) > TYPES_MAX) {
        cJSON_Delete(root);
        fprintf(err, "%s: not a JSON array of up to %d types\n", path,
                TYPES_MAX);
        return ERR_INVAL;
    }
    int count = cJSON_GetArraySize(root), i = 0;
    struct hub_ledger_type *ts = xcalloc((size_t)count + 1, sizeof *ts);
    cJSON_ArrayForEach(o, root) {
        const char *why = NULL;
        if (!cJSON_IsObject(o) || !type_from(o, &ts[i], &why)) {
            fprintf(err, "%s: type %d: %s\n", path, i + 1,
                    why ? why : "not an object");
            e = ERR_INVAL;
            break;
        }
        i++;
    }
    cJSON_Delete(root);
    if (e == ERR_OK)
        e = hub_db_begin(db);
    for (int j = 0; e == ERR_OK && j < count; j++)
        e = hub_db_ledger_type_put(db, &ts[j]);
    if (e == ERR_OK && i == count)
        e = hub_db_commit(db);
    else if (i == count)
        hub_db_rollback(db);
    if (e == ERR_OK)
        *n = count;
    free(ts);
    return e;
}

bool hub_ledger_overdue(const struct hub_ticket *t, int64_t now)
{
    return t->state != LEDGER_ANSWERED && t->state != LEDGER_CLOSED &&
           t->deadline_ms > 0 && now > t->deadline_ms;
}

/* ---- list and show ---------------------------------------------------- */

struct list_ctx {
    FILE       *out;
    const char *kind, *state;
    bool        overdue_only;
    int64_t     now;
    int         utc_offset;
};

static void day_cell(FILE *out, int64_t ms, int off)
{
    char d[11] = "";
    if (ms > 0)
        clock_ymd(ms, off, d);
    csv_text(out, d, false);
}

static void list_row(void *ctx, const struct hub_ticket *t)
{
    struct list_ctx *c = ctx;
    bool late = hub_ledger_overdue(t, c->now);
    if ((c->kind && strcmp(c->kind, ledger_kind_name(t->kind)) != 0) ||
        (c->state && strcmp(c->state, ledger_state_name(t->state)) != 0) ||
        (c->overdue_only && !late))
        return;
    csv_text(c->out, t->ticket, true);
    csv_text(c->out, t->station, false);
    csv_text(c->out, ledger_kind_name(t->kind), false);
    csv_text(c->out, t->type, false);
    csv_text(c->out, t->building, false);
    csv_text(c->out, t->unit, false);
    csv_text(c->out, ledger_state_name(t->state), false);
    day_cell(c->out, t->filed_ms, c->utc_offset);
    day_cell(c->out, t->deadline_ms, c->utc_offset);
    csv_text(c->out, t->assignee, false);
    csv_int(c->out, late, false);
    csv_int(c->out, t->points, false);
    csv_end(c->out);
}

err_code hub_ledger_list(struct hub_db *db, const char *station,
                         const char *kind, const char *state,
                         bool overdue_only, int64_t now, int utc_offset,
                         FILE *out)
{
    struct list_ctx c = { out, kind, state, overdue_only, now, utc_offset };
    if ((state && ledger_state_parse(state) == 0) ||
        (kind && ledger_kind_parse(kind) == 0))
        return ERR_INVAL;
    csv_header(out, "ticket,station,kind,type,building,unit,state,filed,"
               "deadline,assignee,overdue,points");
    return hub_db_ledger_each(db, station, 0, INT64_MAX, list_row, &c);
}

static void stamp_line(FILE *out, const char *what, int64_t ms, int off)
{
    char d[11];
    if (ms <= 0)
        return;
    clock_ymd(ms, off, d);
    int64_t local = ms + (int64_t)off * 60000;
    int mins = (int)((local % DAY_MS + DAY_MS) % DAY_MS / 60000);
    fprintf(out, "%-10s %s %02d:%02d\n", what, d, mins / 60, mins % 60);
}

static void trail_line(void *ctx, const struct hub_trail *r)
{
    FILE *out = ((struct list_ctx *)ctx)->out;
    int off = ((struct list_ctx *)ctx)->utc_offset;
    char d[11];
    clock_ymd(r->at, off, d);
    int64_t local = r->at + (int64_t)off * 60000;
    int mins = (int)((local % DAY_MS + DAY_MS) % DAY_MS / 60000);
    fprintf(out, "  %s %02d:%02d  %-8s %-10s %s -> %s%s%s\n", d, mins / 60,
            mins % 60, r->step, r->actor, r->from[0] ? r->from : "-", r->to,
            r->detail[0] ? "  " : "", r->detail);
}

err_code hub_ledger_show(struct hub_db *db, const char *ticket, int64_t now,
                         int utc_offset, FILE *out)
{
    struct hub_ticket t;
    err_code e = hub_db_ledger_get(db, ticket, &t);
    if (e != ERR_OK)
        return e;
    fprintf(out, "ticket     %s (%s, %s)\nstation    %s (filed at %s)\n"
            "state      %s%s\nplace      %s %s\ndescription %s\n"
            "phone      %s\n", t.ticket, ledger_kind_name(t.kind), t.type,
            t.station, t.device, ledger_state_name(t.state),
            hub_ledger_overdue(&t, now) ? " (OVERDUE)" : "", t.building,
            t.unit, t.text, t.phone[0] ? t.phone : "(none given)");
    stamp_line(out, "filed", t.filed_ms, utc_offset);
    stamp_line(out, "accepted", t.accepted_ms, utc_offset);
    stamp_line(out, "assigned", t.assigned_ms, utc_offset);
    stamp_line(out, "deadline", t.deadline_ms, utc_offset);
    stamp_line(out, "answered", t.answered_ms, utc_offset);
    stamp_line(out, "closed", t.closed_ms, utc_offset);
    stamp_line(out, "locked to", t.locked_until_ms, utc_offset);
    if (t.accepted_by[0])
        fprintf(out, "accepted by %s\n", t.accepted_by);
    if (t.assignee[0])
        fprintf(out, "%s %s\n", t.kind == LEDGER_WISH ? "claimed by"
                                                     : "assigned to",
                t.assignee);
    if (t.answer[0])
        fprintf(out, "answer     %s (%s)\n", t.answer, t.answered_by);
    if (t.reason[0])
        fprintf(out, "not satisfied: %s\n", t.reason);
    if (t.points)
        fprintf(out, "points     %d\n", t.points);
    fprintf(out, "trail:\n");
    struct list_ctx c = { .out = out, .utc_offset = utc_offset };
    return hub_db_ledger_trail_each(db, ticket, trail_line, &c);
}

/* ---- export ------------------------------------------------------------ */

#define EXPORT_TYPES 65

struct tally {
    char    type[32];
    int     filed, by_state[LEDGER_REOPENED + 1], overdue;
    int64_t accept_ms, answer_ms;
    int     n_accept, n_answer, signoffs, satisfied;
};

struct export_ctx {
    struct tally t[EXPORT_TYPES];
    int          n;
    int64_t      now;
};

static void tally_add(struct tally *y, const struct hub_ticket *t,
                      int64_t now)
{
    y->filed++;
    y->by_state[t->state]++;
    y->overdue += hub_ledger_overdue(t, now);
    if (t->accepted_ms > 0) {
        y->accept_ms += t->accepted_ms - t->filed_ms;
        y->n_accept++;
    }
    if (t->answered_ms > 0) {
        y->answer_ms += t->answered_ms - t->filed_ms;
        y->n_answer++;
    }
    y->signoffs += t->signoffs;
    y->satisfied += t->satisfied;
}

static void export_row(void *ctx, const struct hub_ticket *t)
{
    struct export_ctx *c = ctx;
    int i;
    if (t->state < LEDGER_REGISTERED || t->state > LEDGER_REOPENED)
        return;
    for (i = 0; i < c->n - 1; i++)
        if (strcmp(c->t[i].type, t->type) == 0)
            break;
    if (i == c->n - 1 && c->n < EXPORT_TYPES) {
        /* The last slot is the total: keep it last. */
        c->t[c->n] = c->t[c->n - 1];
        memset(&c->t[i], 0, sizeof c->t[i]);
        str_copy(c->t[i].type, sizeof c->t[i].type, t->type);
        c->n++;
    }
    tally_add(&c->t[i], t, c->now);
    tally_add(&c->t[c->n - 1], t, c->now);
}

static void hours_cell(FILE *out, int64_t ms, int n)
{
    char b[32] = "";
    if (n > 0)
        snprintf(b, sizeof b, "%.1f", (double)ms / n / 3600000.0);
    fprintf(out, ",%s", b);
}

err_code hub_ledger_export(struct hub_db *db, const char *station,
                           const char *from, const char *to, int utc_offset,
                           int64_t now, FILE *out)
{
    int64_t d0, d1;
    if (clock_parse_ymd(from, &d0) != ERR_OK ||
        clock_parse_ymd(to, &d1) != ERR_OK || d1 < d0)
        return ERR_INVAL;
    int64_t off = (int64_t)utc_offset * 60000;
    struct export_ctx *c = xcalloc(1, sizeof *c);
    c->n = 1;
    c->now = now;
    str_copy(c->t[0].type, sizeof c->t[0].type, "*");
    err_code e = hub_db_ledger_each(db, station, d0 * DAY_MS - off,
                                    (d1 + 1) * DAY_MS - off, export_row, c);
    if (e == ERR_OK) {
        csv_header(out, "station,from,to,type,filed,registered,accepted,"
                   "assigned,answered,closed,reopened,overdue,"
                   "hours_to_accept,hours_to_answer,signoffs,satisfied,"
                   "satisfaction_pct");
        for (int i = 0; i < c->n; i++) {
            const struct tally *y = &c->t[i];
            csv_text(out, station, true);
            csv_text(out, from, false);
            csv_text(out, to, false);
            csv_text(out, y->type, false);
            csv_int(out, y->filed, false);
            for (int s = LEDGER_REGISTERED; s <= LEDGER_REOPENED; s++)
                csv_int(out, y->by_state[s], false);
            csv_int(out, y->overdue, false);
            hours_cell(out, y->accept_ms, y->n_accept);
            hours_cell(out, y->answer_ms, y->n_answer);
            csv_int(out, y->signoffs, false);
            csv_int(out, y->satisfied, false);
            if (y->signoffs)
                fprintf(out, ",%d", y->satisfied * 100 / y->signoffs);
            else
                fputc(',', out);
            csv_end(out);
        }
    }
    free(c);
    return e;
}
