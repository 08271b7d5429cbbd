/* hub/hub_db_ledger.c - the issue ledger's tables, steps, audit trail
 * and the ticket changes sent to kiosks (hub/hub_db_ledger.h). */
#include "hub/hub_db_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_audit.h"
#include "hub/hub_db_int.h"

#define DAY_MS (24LL * 3600 * 1000)

static const char ledger_schema[] =
    "CREATE TABLE IF NOT EXISTS ledger_types(code TEXT PRIMARY KEY,"
    " name TEXT NOT NULL, name_en TEXT NOT NULL DEFAULT '',"
    " for_request INTEGER NOT NULL, for_wish INTEGER NOT NULL,"
    " ord INTEGER NOT NULL DEFAULT 0, deadline_days INTEGER NOT NULL,"
    " points INTEGER NOT NULL DEFAULT 0, presets TEXT NOT NULL DEFAULT '[]');"
    "CREATE TABLE IF NOT EXISTS tickets(ticket TEXT PRIMARY KEY,"
    " station TEXT NOT NULL, device TEXT NOT NULL, kind TEXT NOT NULL,"
    " type TEXT NOT NULL, building TEXT NOT NULL, unit TEXT NOT NULL,"
    " text TEXT NOT NULL, phone TEXT NOT NULL DEFAULT '',"
    " pin_hash TEXT NOT NULL, state TEXT NOT NULL,"
    " filed_ms INTEGER NOT NULL, accepted_ms INTEGER NOT NULL DEFAULT 0,"
    " assigned_ms INTEGER NOT NULL DEFAULT 0,"
    " deadline_ms INTEGER NOT NULL DEFAULT 0,"
    " answered_ms INTEGER NOT NULL DEFAULT 0,"
    " closed_ms INTEGER NOT NULL DEFAULT 0,"
    " locked_until_ms INTEGER NOT NULL DEFAULT 0,"
    " accepted_by TEXT NOT NULL DEFAULT '', assignee TEXT NOT NULL DEFAULT '',"
    " answer TEXT NOT NULL DEFAULT '', answered_by TEXT NOT NULL DEFAULT '',"
    " reason TEXT NOT NULL DEFAULT '', pin_fails INTEGER NOT NULL DEFAULT 0,"
    " signoffs INTEGER NOT NULL DEFAULT 0,"
    " satisfied INTEGER NOT NULL DEFAULT 0,"
    " points INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS tickets_station ON tickets(station, filed_ms);"
    /* The audit trail: every step, who took it and when; never changed. */
    "CREATE TABLE IF NOT EXISTS ticket_trail(id INTEGER PRIMARY KEY,"
    " ticket TEXT NOT NULL, at_ms INTEGER NOT NULL, actor TEXT NOT NULL,"
    " step TEXT NOT NULL, state_from TEXT NOT NULL, state_to TEXT NOT NULL,"
    " detail TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS ticket_trail_ticket ON ticket_trail(ticket);";

err_code hub_db_ledger_migrate(struct hub_db *db)
{
    return hub_db_schema(db, ledger_schema);
}

/* ---- types ------------------------------------------------------------- */

static cJSON *type_json(const struct hub_ledger_type *t)
{
    cJSON *o = cJSON_CreateObject(), *k = cJSON_AddArrayToObject(o, "kinds");
    cJSON_AddStringToObject(o, "name", t->name);
    cJSON_AddStringToObject(o, "name_en", t->name_en);
    if (t->for_request)
        cJSON_AddItemToArray(k, cJSON_CreateString("request"));
    if (t->for_wish)
        cJSON_AddItemToArray(k, cJSON_CreateString("wish"));
    cJSON_AddNumberToObject(o, "order", t->order);
    cJSON *p = cJSON_Parse(t->presets_json);
    cJSON_AddItemToObject(o, "presets", cJSON_IsArray(p) ? p
                          : (cJSON_Delete(p), cJSON_CreateArray()));
    return o;
}

err_code hub_db_ledger_type_get(struct hub_db *db, const char *code,
                                struct hub_ledger_type *t)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT name, name_en, for_request,"
        " for_wish, ord, deadline_days, points, presets FROM ledger_types"
        " WHERE code = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, code);
    err_code e = hub_db_step_one(db, st, "ledger type");
    if (e == ERR_OK) {
        memset(t, 0, sizeof *t);
        str_copy(t->code, sizeof t->code, code);
        str_copy(t->name, sizeof t->name, hub_db_col_text(st, 0));
        str_copy(t->name_en, sizeof t->name_en, hub_db_col_text(st, 1));
        t->for_request = sql_col_int(st, 2);
        t->for_wish = sql_col_int(st, 3);
        t->order = sql_col_int(st, 4);
        t->deadline_days = sql_col_int(st, 5);
        t->points = sql_col_int(st, 6);
        str_copy(t->presets_json, sizeof t->presets_json,
                 hub_db_col_text(st, 7));
    }
    sql_finalize(st);
    return e;
}

err_code hub_db_ledger_type_put(struct hub_db *db,
                                const struct hub_ledger_type *t)
{
    struct hub_ledger_type old;
    err_code e = hub_db_ledger_type_get(db, t->code, &old);
    if (e != ERR_OK && e != ERR_NOTFOUND)
        return e;
    cJSON *now_j = type_json(t);
    char *now_s = cJSON_PrintUnformatted(now_j);
    bool same = false;
    if (e == ERR_OK) {
        cJSON *old_j = type_json(&old);
        char *old_s = cJSON_PrintUnformatted(old_j);
        same = strcmp(old_s, now_s) == 0;
        free(old_s);
        cJSON_Delete(old_j);
    }
    cJSON_Delete(now_j);
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO ledger_types(code,"
        " name, name_en, for_request, for_wish, ord, deadline_days, points,"
        " presets) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
        " name_en = excluded.name_en, for_request = excluded.for_request,"
        " for_wish = excluded.for_wish, ord = excluded.ord,"
        " deadline_days = excluded.deadline_days, points = excluded.points,"
        " presets = excluded.presets");
    if (!st) {
        free(now_s);
        return ERR_DB;
    }
    hub_db_bind_text(st, 1, t->code);
    hub_db_bind_text(st, 2, t->name);
    hub_db_bind_text(st, 3, t->name_en);
    sql_bind_int(st, 4, t->for_request);
    sql_bind_int(st, 5, t->for_wish);
    sql_bind_int(st, 6, t->order);
    sql_bind_int(st, 7, t->deadline_days);
    sql_bind_int(st, 8, t->points);
    hub_db_bind_text(st, 9, t->presets_json);
    e = hub_db_done(db, st, "ledger type put");
    if (e == ERR_OK && !same)
        e = hub_db_change_add(db, NULL, NULL, "ledger_type", t->code, now_s);
    free(now_s);
    return e;
}

/* ---- tickets ----------------------------------------------------------- */

#define TICKET_COLS "ticket, station, device, kind, type, building, unit," \
    " text, phone, pin_hash, state, filed_ms, accepted_ms, assigned_ms," \
    " deadline_ms, answered_ms, closed_ms, locked_until_ms, accepted_by," \
    " assignee, answer, answered_by, reason, pin_fails, signoffs," \
    " satisfied, points"

static void ticket_read(struct sql_stmt *st, struct hub_ticket *t)
{
    int i = 0;
    memset(t, 0, sizeof *t);
#define TXT(f) str_copy(t->f, sizeof t->f, hub_db_col_text(st, i++))
#define I64(f) (t->f = sql_col_int(st, i++))
    TXT(ticket); TXT(station); TXT(device);
    t->kind = ledger_kind_parse(hub_db_col_text(st, i++));
    TXT(type); TXT(building); TXT(unit); TXT(text); TXT(phone);
    TXT(pin_hash);
    t->state = ledger_state_parse(hub_db_col_text(st, i++));
    I64(filed_ms); I64(accepted_ms); I64(assigned_ms); I64(deadline_ms);
    I64(answered_ms); I64(closed_ms); I64(locked_until_ms);
    TXT(accepted_by); TXT(assignee); TXT(answer); TXT(answered_by);
    TXT(reason);
    t->pin_fails = sql_col_int(st, i++);
    t->signoffs = sql_col_int(st, i++);
    t->satisfied = sql_col_int(st, i++);
    t->points = sql_col_int(st, i++);
#undef TXT
#undef I64
}

err_code hub_db_ledger_get(struct hub_db *db, const char *ticket,
                           struct hub_ticket *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " TICKET_COLS
                                      " FROM tickets WHERE ticket = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, ticket);
    err_code e = hub_db_step_one(db, st, "ticket");
    if (e == ERR_OK)
        ticket_read(st, out);
    sql_finalize(st);
    return e;
}

/* Everything but the key and where it was filed. */
static err_code ticket_save(struct hub_db *db, const struct hub_ticket *t)
{
    struct sql_stmt *st = hub_db_prep(db, "UPDATE tickets SET state = ?,"
        " accepted_ms = ?, assigned_ms = ?, deadline_ms = ?,"
        " answered_ms = ?, closed_ms = ?, locked_until_ms = ?,"
        " accepted_by = ?, assignee = ?, answer = ?, answered_by = ?,"
        " reason = ?, pin_fails = ?, signoffs = ?, satisfied = ?,"
        " points = ? WHERE ticket = ?");
    if (!st)
        return ERR_DB;
    int i = 1;
    hub_db_bind_text(st, i++, ledger_state_name(t->state));
    sql_bind_int(st, i++, t->accepted_ms);
    sql_bind_int(st, i++, t->assigned_ms);
    sql_bind_int(st, i++, t->deadline_ms);
    sql_bind_int(st, i++, t->answered_ms);
    sql_bind_int(st, i++, t->closed_ms);
    sql_bind_int(st, i++, t->locked_until_ms);
    hub_db_bind_text(st, i++, t->accepted_by);
    hub_db_bind_text(st, i++, t->assignee);
    hub_db_bind_text(st, i++, t->answer);
    hub_db_bind_text(st, i++, t->answered_by);
    hub_db_bind_text(st, i++, t->reason);
    sql_bind_int(st, i++, t->pin_fails);
    sql_bind_int(st, i++, t->signoffs);
    sql_bind_int(st, i++, t->satisfied);
    sql_bind_int(st, i++, t->points);
    hub_db_bind_text(st, i++, t->ticket);
    return hub_db_done(db, st, "ticket save");
}

static err_code trail_add(struct hub_db *db, const char *ticket, int64_t at,
                          const char *actor, const char *step,
                          enum ledger_state from, enum ledger_state to,
                          const char *detail)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO ticket_trail(ticket,"
        " at_ms, actor, step, state_from, state_to, detail)"
        " VALUES(?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, ticket);
    sql_bind_int(st, 2, at);
    hub_db_bind_text(st, 3, actor);
    hub_db_bind_text(st, 4, step);
    hub_db_bind_text(st, 5, from ? ledger_state_name(from) : "");
    hub_db_bind_text(st, 6, ledger_state_name(to));
    hub_db_bind_text(st, 7, detail ? detail : "");
    return hub_db_done(db, st, "ticket trail");
}

/* What the station's kiosks get: never the phone, the reporter or the
 * staff's names; a wish's member number (the claimer's My record shows
 * it, the wall does not). */
static err_code ticket_emit(struct hub_db *db, const struct hub_ticket *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", ledger_kind_name(t->kind));
    cJSON_AddStringToObject(o, "type", t->type);
    cJSON_AddStringToObject(o, "building", t->building);
    cJSON_AddStringToObject(o, "unit", t->unit);
    cJSON_AddStringToObject(o, "text", t->text);
    cJSON_AddStringToObject(o, "state", ledger_state_name(t->state));
    cJSON_AddNumberToObject(o, "filed_ms", (double)t->filed_ms);
    cJSON_AddNumberToObject(o, "accepted_ms", (double)t->accepted_ms);
    cJSON_AddNumberToObject(o, "assigned_ms", (double)t->assigned_ms);
    cJSON_AddNumberToObject(o, "deadline_ms", (double)t->deadline_ms);
    cJSON_AddNumberToObject(o, "answered_ms", (double)t->answered_ms);
    cJSON_AddNumberToObject(o, "closed_ms", (double)t->closed_ms);
    cJSON_AddNumberToObject(o, "locked_until_ms",
                            (double)t->locked_until_ms);
    cJSON_AddStringToObject(o, "answer", t->answer);
    cJSON_AddStringToObject(o, "pin_hash", t->pin_hash);
    cJSON_AddStringToObject(o, "claimer",
                            t->kind == LEDGER_WISH ? t->assignee : "");
    cJSON_AddNumberToObject(o, "points", t->points);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    err_code e = hub_db_change_add(db, t->station, NULL, "ticket", t->ticket,
                                   s);
    free(s);
    return e;
}

static err_code member_active(struct hub_db *db, const char *member_no,
                              const char *station, const char **why)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT active, station"
                                      " FROM members WHERE member_no = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, member_no);
    err_code e = hub_db_step_one(db, st, "member");
    if (e == ERR_NOTFOUND) {
        *why = "unknown member";
        e = ERR_DENIED;
    } else if (e == ERR_OK && !sql_col_int(st, 0)) {
        *why = "member inactive";
        e = ERR_DENIED;
    } else if (e == ERR_OK && strcmp(hub_db_col_text(st, 1), station) != 0) {
        *why = "member of another station";
        e = ERR_DENIED;
    }
    sql_finalize(st);
    return e;
}

static const char *step_name(enum ledger_step s, enum ledger_kind k)
{
    switch (s) {
    case LEDGER_STEP_ACCEPT:  return "accept";
    case LEDGER_STEP_ASSIGN:  return k == LEDGER_WISH ? "claim" : "assign";
    case LEDGER_STEP_ANSWER:  return k == LEDGER_WISH ? "done" : "answer";
    case LEDGER_STEP_SIGNOFF: return "signoff";
    }
    return "?";
}

/* Why the step cannot be taken now, for a person. */
static const char *state_refusal(const struct hub_ticket *t,
                                 enum ledger_step s)
{
    if (t->kind == LEDGER_WISH && s == LEDGER_STEP_ASSIGN &&
        t->assignee[0])
        return "wish already claimed";
    if (t->kind == LEDGER_WISH && s == LEDGER_STEP_ASSIGN)
        return "wish not open for claims";
    if (t->state == LEDGER_CLOSED)
        return "ticket closed";
    if (s == LEDGER_STEP_SIGNOFF)
        return "ticket not answered";
    return "step does not fit the ticket's state";
}

/* A wrong PIN counts; LEDGER_PIN_TRIES in a row lock the ticket. */
static void pin_failed(struct hub_ticket *t, int64_t at)
{
    if (++t->pin_fails >= LEDGER_PIN_TRIES) {
        t->locked_until_ms = at + LEDGER_LOCK_MS;
        t->pin_fails = 0;
    }
}

/* The step on t (read, changed here, saved by the caller). ERR_DENIED
 * with *why; a wrong PIN changes t (the count) and is also denied. */
static err_code step_on(struct hub_db *db, struct hub_ticket *t,
                        const struct hub_ledger_act *a, const char **why,
                        const char **detail)
{
    const char *bad;
    *detail = NULL;
    if (a->station && strcmp(a->station, t->station) != 0)
        return *why = "ticket of another station", ERR_DENIED;
    if (a->step == LEDGER_STEP_SIGNOFF && a->pin_hash) {
        if (a->at < t->locked_until_ms)
            return *why = "ticket locked", ERR_DENIED;
        if (strcmp(a->pin_hash, t->pin_hash) != 0) {
            pin_failed(t, a->at);
            return *why = "wrong PIN", ERR_DENIED;
        }
    }
    if (!ledger_step_ok(t->kind, t->state, a->step))
        return *why = state_refusal(t, a->step), ERR_DENIED;
    switch (a->step) {
    case LEDGER_STEP_ACCEPT:
        t->state = LEDGER_ACCEPTED;
        t->accepted_ms = a->at;
        str_copy(t->accepted_by, sizeof t->accepted_by, a->actor);
        break;
    case LEDGER_STEP_ASSIGN:
        if (!a->to || !a->to[0])
            return *why = "assigned to nobody", ERR_DENIED;
        if (t->kind == LEDGER_WISH) {
            err_code e = member_active(db, a->to, t->station, why);
            if (e != ERR_OK)
                return e;
        }
        t->state = LEDGER_ASSIGNED;
        t->assigned_ms = a->at;
        str_copy(t->assignee, sizeof t->assignee, a->to);
        if (a->deadline_ms > 0)
            t->deadline_ms = a->deadline_ms;
        *detail = a->to;
        break;
    case LEDGER_STEP_ANSWER:
        if (t->kind == LEDGER_WISH && a->pin_hash == NULL &&
            a->station && strcmp(a->actor, t->assignee) != 0)
            return *why = "not the member who claimed it", ERR_DENIED;
        bad = ledger_text_check(a->text ? a->text : "", LEDGER_ANSWER_CHARS,
                                t->kind == LEDGER_REQUEST);
        if (bad)
            return *why = strcmp(bad, "description too long") == 0
                          ? "answer too long" : bad, ERR_DENIED;
        t->state = LEDGER_ANSWERED;
        t->answered_ms = a->at;
        str_copy(t->answer, sizeof t->answer, a->text ? a->text : "");
        str_copy(t->answered_by, sizeof t->answered_by, a->actor);
        *detail = t->answer;
        break;
    case LEDGER_STEP_SIGNOFF:
        bad = ledger_text_check(a->text ? a->text : "", LEDGER_REASON_CHARS,
                                !a->satisfied);
        if (bad)
            return *why = strcmp(bad, "description missing") == 0
                          ? "reason missing" : "reason too long", ERR_DENIED;
        t->signoffs++;
        t->pin_fails = 0;
        if (a->satisfied) {
            struct hub_ledger_type ty;
            t->satisfied++;
            t->state = LEDGER_CLOSED;
            t->closed_ms = a->at;
            /* A fulfilled wish earns its member the type's points. */
            if (t->kind == LEDGER_WISH &&
                hub_db_ledger_type_get(db, t->type, &ty) == ERR_OK)
                t->points = ty.points;
            *detail = "satisfied";
        } else {
            t->state = LEDGER_REOPENED;
            str_copy(t->reason, sizeof t->reason, a->text);
            *detail = t->reason;
        }
        break;
    }
    return ERR_OK;
}

/* Step, save, trail and emit; inside the caller's transaction. A wrong
 * PIN saves and emits the count (and a lock) but is still denied. */
static err_code act_in(struct hub_db *db, const char *ticket,
                       const struct hub_ledger_act *a, const char **why)
{
    struct hub_ticket t;
    const char *detail;
    *why = NULL;
    err_code e = hub_db_ledger_get(db, ticket, &t);
    if (e == ERR_NOTFOUND)
        *why = "unknown ticket";
    if (e != ERR_OK)
        return e;
    enum ledger_state from = t.state;
    int64_t locked = t.locked_until_ms;
    e = step_on(db, &t, a, why, &detail);
    if (e == ERR_DENIED && *why && strcmp(*why, "wrong PIN") == 0) {
        err_code s = ticket_save(db, &t);
        if (s == ERR_OK && t.locked_until_ms != locked)
            s = ticket_emit(db, &t);
        return s == ERR_OK ? ERR_DENIED : s;
    }
    if (e != ERR_OK)
        return e;
    e = ticket_save(db, &t);
    if (e == ERR_OK)
        e = trail_add(db, ticket, a->at, a->actor, step_name(a->step, t.kind),
                      from, t.state, detail);
    if (e == ERR_OK)
        e = ticket_emit(db, &t);
    return e;
}

/* The step's audit line (hub/hub_audit.h): who took it, and the
 * ticket's state, assignee and answer before and after. */
static char *audit_json(const struct hub_ticket *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "ticket", t->ticket);
    cJSON_AddStringToObject(o, "state", ledger_state_name(t->state));
    if (t->assignee[0])
        cJSON_AddStringToObject(o, "assignee", t->assignee);
    if (t->deadline_ms > 0)
        cJSON_AddNumberToObject(o, "deadline_ms", (double)t->deadline_ms);
    if (t->answer[0])
        cJSON_AddStringToObject(o, "answer", t->answer);
    if (t->reason[0])
        cJSON_AddStringToObject(o, "reason", t->reason);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static err_code act_audited(struct hub_db *db, const char *ticket,
                            const struct hub_ledger_act *a, const char **why)
{
    struct hub_ticket *before = xmalloc(sizeof *before);
    struct hub_ticket *after = xmalloc(sizeof *after);
    err_code e = hub_db_ledger_get(db, ticket, before);
    if (e == ERR_NOTFOUND)
        *why = "unknown ticket";
    if (e == ERR_OK)
        e = act_in(db, ticket, a, why);
    if (e == ERR_OK)
        e = hub_db_ledger_get(db, ticket, after);
    if (e == ERR_OK) {
        char action[32], object[80];
        snprintf(action, sizeof action, "ticket.%s",
                 step_name(a->step, before->kind));
        snprintf(object, sizeof object, "station:%s", before->station);
        char *b = audit_json(before), *n = audit_json(after);
        e = hub_audit_record(db, a->audit, action, object, b, n);
        free(b);
        free(n);
    }
    free(before);
    free(after);
    return e;
}

err_code hub_db_ledger_act(struct hub_db *db, const char *ticket,
                           const struct hub_ledger_act *a, const char **why)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    *why = NULL;
    e = a->audit ? act_audited(db, ticket, a, why) : act_in(db, ticket, a, why);
    /* A wrong PIN's count is kept even though the step is refused. */
    if (e == ERR_OK || e == ERR_DENIED) {
        err_code c = hub_db_commit(db);
        if (c != ERR_OK)
            return c;
        return e;
    }
    hub_db_rollback(db);
    return e;
}

/* ---- uploads ----------------------------------------------------------- */

static const char *jstr(const cJSON *d, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static bool hex64(const char *s)
{
    size_t n = strlen(s);
    if (n != 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static err_code file_ticket(struct hub_db *db, const char *station,
                            const char *device, const cJSON *d, int64_t at,
                            const char **why)
{
    struct hub_ticket t = { 0 }, old;
    struct hub_ledger_type ty;
    const char *bad;
    str_copy(t.ticket, sizeof t.ticket, jstr(d, "ticket"));
    t.kind = ledger_kind_parse(jstr(d, "kind"));
    if (!ledger_ticket_ok(jstr(d, "ticket")))
        return *why = "malformed ticket", ERR_DENIED;
    if (t.kind == 0)
        return *why = "unknown kind", ERR_DENIED;
    err_code e = hub_db_ledger_type_get(db, jstr(d, "type"), &ty);
    if (e == ERR_NOTFOUND ||
        (e == ERR_OK && !(t.kind == LEDGER_WISH ? ty.for_wish
                                                : ty.for_request)))
        return *why = "unknown type", ERR_DENIED;
    if (e != ERR_OK)
        return e;
    if ((bad = ledger_text_check(jstr(d, "text"), LEDGER_TEXT_CHARS, true)))
        return *why = bad, ERR_DENIED;
    if (!ledger_phone_ok(jstr(d, "phone")))
        return *why = "malformed phone", ERR_DENIED;
    if (!hex64(jstr(d, "pin_hash")))
        return *why = "malformed PIN hash", ERR_DENIED;
    e = hub_db_ledger_get(db, t.ticket, &old);
    if (e == ERR_OK)
        return *why = "ticket number in use", ERR_DENIED;
    if (e != ERR_NOTFOUND)
        return e;
    str_copy(t.station, sizeof t.station, station);
    str_copy(t.device, sizeof t.device, device);
    str_copy(t.type, sizeof t.type, ty.code);
    str_copy(t.building, sizeof t.building, jstr(d, "building"));
    str_copy(t.unit, sizeof t.unit, jstr(d, "unit"));
    str_copy(t.text, sizeof t.text, jstr(d, "text"));
    str_copy(t.phone, sizeof t.phone, jstr(d, "phone"));
    str_copy(t.pin_hash, sizeof t.pin_hash, jstr(d, "pin_hash"));
    t.state = LEDGER_REGISTERED;
    t.filed_ms = at;
    t.deadline_ms = at + ty.deadline_days * DAY_MS;
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO tickets(ticket,"
        " station, device, kind, type, building, unit, text, phone,"
        " pin_hash, state, filed_ms, deadline_ms)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, t.ticket);
    hub_db_bind_text(st, 2, t.station);
    hub_db_bind_text(st, 3, t.device);
    hub_db_bind_text(st, 4, ledger_kind_name(t.kind));
    hub_db_bind_text(st, 5, t.type);
    hub_db_bind_text(st, 6, t.building);
    hub_db_bind_text(st, 7, t.unit);
    hub_db_bind_text(st, 8, t.text);
    hub_db_bind_text(st, 9, t.phone);
    hub_db_bind_text(st, 10, t.pin_hash);
    hub_db_bind_text(st, 11, ledger_state_name(t.state));
    sql_bind_int(st, 12, t.filed_ms);
    sql_bind_int(st, 13, t.deadline_ms);
    e = hub_db_done(db, st, "ticket file");
    char actor[HUB_LEDGER_WHO + 16];
    snprintf(actor, sizeof actor, "resident@%s", device);
    if (e == ERR_OK)
        e = trail_add(db, t.ticket, at, actor, "file", 0, t.state, NULL);
    if (e == ERR_OK)
        e = ticket_emit(db, &t);
    return e;
}

static err_code pin_fail(struct hub_db *db, const char *station,
                         const cJSON *d, int64_t at, const char **why)
{
    struct hub_ticket t;
    err_code e = hub_db_ledger_get(db, jstr(d, "ticket"), &t);
    if (e == ERR_NOTFOUND)
        return *why = "unknown ticket", ERR_DENIED;
    if (e != ERR_OK)
        return e;
    if (strcmp(t.station, station) != 0)
        return *why = "ticket of another station", ERR_DENIED;
    int64_t locked = t.locked_until_ms;
    pin_failed(&t, at);
    e = ticket_save(db, &t);
    if (e == ERR_OK && t.locked_until_ms != locked)
        e = trail_add(db, t.ticket, at, "kiosk", "locked", t.state, t.state,
                      "wrong PIN");
    if (e == ERR_OK && t.locked_until_ms != locked)
        e = ticket_emit(db, &t);
    return e;
}

/* A claim or "done" names a wish, nothing else. */
static err_code wish_kind(struct hub_db *db, const char *ticket,
                          const char **why)
{
    struct hub_ticket t;
    err_code e = hub_db_ledger_get(db, ticket, &t);
    if (e == ERR_NOTFOUND)
        return *why = "unknown ticket", ERR_DENIED;
    if (e == ERR_OK && t.kind != LEDGER_WISH)
        return *why = "not a wish", ERR_DENIED;
    return e;
}

err_code hub_db_ledger_event(struct hub_db *db, const char *station,
                             const char *device,
                             const struct proto_event *ev, int64_t at,
                             const char **why)
{
    enum event_kind k = event_kind_parse(ev->kind);
    *why = NULL;
    if (k != EVENT_LEDGER_FILE && k != EVENT_LEDGER_SIGNOFF &&
        k != EVENT_LEDGER_PIN_FAIL && k != EVENT_WISH_CLAIM &&
        k != EVENT_WISH_DONE)
        return ERR_OK;
    cJSON *d = cJSON_Parse(ev->data);
    err_code e;
    struct hub_ledger_act a = { .at = at, .station = station };
    const cJSON *sat = cJSON_GetObjectItemCaseSensitive(d, "satisfied");
    switch (k) {
    case EVENT_LEDGER_FILE:
        e = file_ticket(db, station, device, d, at, why);
        break;
    case EVENT_LEDGER_PIN_FAIL:
        e = pin_fail(db, station, d, at, why);
        break;
    case EVENT_LEDGER_SIGNOFF:
        if (!cJSON_IsBool(sat)) {
            *why = "malformed sign-off";
            e = ERR_DENIED;
            break;
        }
        a.step = LEDGER_STEP_SIGNOFF;
        a.actor = "reporter";
        a.satisfied = cJSON_IsTrue(sat);
        a.text = jstr(d, "reason");
        a.pin_hash = jstr(d, "pin_hash");
        e = act_in(db, jstr(d, "ticket"), &a, why);
        break;
    case EVENT_WISH_CLAIM:
    case EVENT_WISH_DONE:
        a.step = k == EVENT_WISH_CLAIM ? LEDGER_STEP_ASSIGN
                                       : LEDGER_STEP_ANSWER;
        a.actor = ev->member_no;
        a.to = ev->member_no;
        a.text = jstr(d, "note");
        e = wish_kind(db, jstr(d, "ticket"), why);
        if (e == ERR_OK)
            e = act_in(db, jstr(d, "ticket"), &a, why);
        break;
    default:
        e = ERR_OK;
    }
    cJSON_Delete(d);
    if (e == ERR_NOTFOUND && *why)
        e = ERR_DENIED;
    /* A refusal is the event's, not the upload's: the caller keeps it
     * aside and goes on. */
    return e == ERR_DENIED ? ERR_OK : e;
}

/* ---- listing ----------------------------------------------------------- */

err_code hub_db_ledger_each(struct hub_db *db, const char *station,
                            int64_t from_ms, int64_t to_ms,
                            void (*fn)(void *ctx, const struct hub_ticket *t),
                            void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " TICKET_COLS " FROM tickets"
        " WHERE (?1 IS NULL OR station = ?1) AND filed_ms >= ?2"
        " AND filed_ms < ?3 ORDER BY filed_ms, ticket");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    sql_bind_int(st, 2, from_ms);
    sql_bind_int(st, 3, to_ms);
    enum sql_rc rc;
    struct hub_ticket *t = xmalloc(sizeof *t);
    while ((rc = sql_step(st)) == SQL_ROW) {
        ticket_read(st, t);
        fn(ctx, t);
    }
    free(t);
    err_code e = hub_db_rows_end(db, rc, "tickets");
    sql_finalize(st);
    return e;
}

err_code hub_db_ledger_trail_each(struct hub_db *db, const char *ticket,
                                  void (*fn)(void *ctx,
                                             const struct hub_trail *r),
                                  void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT at_ms, actor, step,"
        " state_from, state_to, detail FROM ticket_trail WHERE ticket = ?"
        " ORDER BY id");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, ticket);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_trail r = {
            .at = sql_col_int(st, 0),
            .actor = hub_db_col_text(st, 1), .step = hub_db_col_text(st, 2),
            .from = hub_db_col_text(st, 3), .to = hub_db_col_text(st, 4),
            .detail = hub_db_col_text(st, 5),
        };
        fn(ctx, &r);
    }
    err_code e = hub_db_rows_end(db, rc, "trail");
    sql_finalize(st);
    return e;
}
