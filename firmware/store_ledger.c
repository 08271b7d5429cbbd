/* firmware/store_ledger.c - the kiosk's tables of requests and small
 * wishes (firmware/store_ledger.h). */
#include "firmware/store_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "firmware/store_int.h"

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* ---- types ------------------------------------------------------------- */

static void type_read(sqlite3_stmt *st, struct ledger_type *t)
{
    char presets[CHANGE_PRESETS * CHANGE_PRESET];
    memset(t, 0, sizeof *t);
    store_col_text(st, 0, t->code, sizeof t->code);
    store_col_text(st, 1, t->name, sizeof t->name);
    store_col_text(st, 2, t->name_en, sizeof t->name_en);
    t->for_request = sqlite3_column_int(st, 3);
    t->for_wish = sqlite3_column_int(st, 4);
    store_col_text(st, 5, presets, sizeof presets);
    /* One preset a line: the feed's texts hold no newline (the hub's
     * rules refuse control characters). */
    for (char *p = presets, *nl; *p && t->n_presets < CHANGE_PRESETS;
         p = nl + 1) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        str_copy(t->presets[t->n_presets++], CHANGE_PRESET, p);
        if (!nl)
            break;
    }
}

#define TYPE_COLS "code, name, name_en, for_request, for_wish, presets"

err_code store_ledger_types(struct store *s, enum ledger_kind k,
                            struct ledger_type *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " TYPE_COLS " FROM ledger_types"
        " WHERE (?1 = 1 AND for_request) OR (?1 = 2 AND for_wish)"
        " ORDER BY ord, code");
    int rc;
    *n = 0;
    if (!st)
        return ERR_DB;
    sqlite3_bind_int(st, 1, (int)k);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
        type_read(st, &out[(*n)++]);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK
                                                 : store_err(s, rc, "types");
}

err_code store_ledger_type_get(struct store *s, const char *code,
                               struct ledger_type *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " TYPE_COLS " FROM ledger_types"
                                  " WHERE code = ?");
    if (!st)
        return ERR_DB;
    bind_text(st, 1, code);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        type_read(st, out);
        sqlite3_reset(st);       /* no read snapshot left open */
        return ERR_OK;
    }
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, "type");
}

err_code store_ledger_type_apply(struct store *s, const struct change *c)
{
    const struct change_ledger_type *t = &c->u.ledger_type;
    char presets[CHANGE_PRESETS * CHANGE_PRESET] = "";
    size_t used = 0;
    for (int i = 0; i < t->n_presets; i++)
        used += (size_t)snprintf(presets + used, sizeof presets - used,
                                 "%s%s", i ? "\n" : "", t->presets[i]);
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO ledger_types"
        "(code, name, name_en, for_request, for_wish, ord, presets)"
        " VALUES(?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ERR_DB;
    bind_text(st, 1, c->key);
    bind_text(st, 2, t->name);
    bind_text(st, 3, t->name_en);
    sqlite3_bind_int(st, 4, t->for_request);
    sqlite3_bind_int(st, 5, t->for_wish);
    sqlite3_bind_int(st, 6, t->order);
    bind_text(st, 7, presets);
    return store_step_done(s, st, "ledger type put");
}

/* ---- tickets ----------------------------------------------------------- */

#define TICKET_COLS "ticket, kind, type, building, unit, text, state," \
    " filed_ms, accepted_ms, assigned_ms, deadline_ms, answered_ms," \
    " closed_ms, locked_until_ms, answer, pin_hash, claimer, points, from_hub"

static void ticket_read(sqlite3_stmt *st, struct ticket *t, int i)
{
    memset(t, 0, sizeof *t);
    store_col_text(st, i++, t->ticket, sizeof t->ticket);
    t->kind = (enum ledger_kind)sqlite3_column_int(st, i++);
    store_col_text(st, i++, t->type, sizeof t->type);
    store_col_text(st, i++, t->building, sizeof t->building);
    store_col_text(st, i++, t->unit, sizeof t->unit);
    store_col_text(st, i++, t->text, sizeof t->text);
    t->state = (enum ledger_state)sqlite3_column_int(st, i++);
    t->filed_ms = sqlite3_column_int64(st, i++);
    t->accepted_ms = sqlite3_column_int64(st, i++);
    t->assigned_ms = sqlite3_column_int64(st, i++);
    t->deadline_ms = sqlite3_column_int64(st, i++);
    t->answered_ms = sqlite3_column_int64(st, i++);
    t->closed_ms = sqlite3_column_int64(st, i++);
    t->locked_until_ms = sqlite3_column_int64(st, i++);
    store_col_text(st, i++, t->answer, sizeof t->answer);
    store_col_text(st, i++, t->pin_hash, sizeof t->pin_hash);
    store_col_text(st, i++, t->claimer, sizeof t->claimer);
    t->points = sqlite3_column_int(st, i++);
    t->from_hub = sqlite3_column_int(st, i++);
}

err_code store_ticket_put(struct store *s, const struct ticket *t)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO tickets("
        TICKET_COLS ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?)");
    int i = 1;
    if (!st)
        return ERR_DB;
    bind_text(st, i++, t->ticket);
    sqlite3_bind_int(st, i++, (int)t->kind);
    bind_text(st, i++, t->type);
    bind_text(st, i++, t->building);
    bind_text(st, i++, t->unit);
    bind_text(st, i++, t->text);
    sqlite3_bind_int(st, i++, (int)t->state);
    sqlite3_bind_int64(st, i++, t->filed_ms);
    sqlite3_bind_int64(st, i++, t->accepted_ms);
    sqlite3_bind_int64(st, i++, t->assigned_ms);
    sqlite3_bind_int64(st, i++, t->deadline_ms);
    sqlite3_bind_int64(st, i++, t->answered_ms);
    sqlite3_bind_int64(st, i++, t->closed_ms);
    sqlite3_bind_int64(st, i++, t->locked_until_ms);
    bind_text(st, i++, t->answer);
    bind_text(st, i++, t->pin_hash);
    bind_text(st, i++, t->claimer);
    sqlite3_bind_int(st, i++, t->points);
    sqlite3_bind_int(st, i++, t->from_hub);
    return store_step_done(s, st, "ticket put");
}

static err_code one_ticket(struct store *s, sqlite3_stmt *st,
                           struct ticket *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ticket_read(st, out, 0);
        sqlite3_reset(st);
        return ERR_OK;
    }
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, "ticket");
}

err_code store_ticket_get(struct store *s, const char *ticket,
                          struct ticket *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " TICKET_COLS " FROM tickets"
                                  " WHERE ticket = ?");
    if (!st)
        return ERR_DB;
    bind_text(st, 1, ticket);
    return one_ticket(s, st, out);
}

err_code store_ticket_find(struct store *s, const char *typed,
                           struct ticket *out)
{
    /* The digits after the station's prefix, dashes dropped: what the
     * keypad gives. Exactly one match, else none. */
    sqlite3_stmt *st = store_stmt(s, "SELECT " TICKET_COLS " FROM tickets"
        " WHERE ticket = ?1 OR replace(substr(ticket, instr(ticket, '-') + 1),"
        " '-', '') = ?1 LIMIT 2");
    if (!st)
        return ERR_DB;
    bind_text(st, 1, typed);
    err_code e = one_ticket(s, st, out);
    if (e != ERR_OK)
        return e;
    /* A second row would make the typed digits ambiguous. */
    st = store_stmt(s, "SELECT count(*) FROM tickets WHERE ticket = ?1 OR"
        " replace(substr(ticket, instr(ticket, '-') + 1), '-', '') = ?1");
    if (!st)
        return ERR_DB;
    bind_text(st, 1, typed);
    int64_t n = 0;
    e = store_step_int64(s, st, &n, "ticket count");
    return e != ERR_OK ? e : n == 1 ? ERR_OK : ERR_NOTFOUND;
}

err_code store_ticket_last(struct store *s, const char *prefix, uint64_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(max(CAST(substr(ticket,"
        " length(?1) + 1) AS INTEGER)), 0) FROM tickets"
        " WHERE substr(ticket, 1, length(?1)) = ?1");
    int64_t v = 0;
    if (!st)
        return ERR_DB;
    bind_text(st, 1, prefix);
    err_code e = store_step_int64(s, st, &v, "ticket last");
    *n = v > 0 ? (uint64_t)v : 0;
    return e;
}

err_code store_wishes_open(struct store *s, struct ticket *out, size_t cap,
                           size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " TICKET_COLS " FROM tickets"
        " WHERE kind = 2 AND state = 2 AND claimer = ''"
        " ORDER BY filed_ms DESC, ticket");
    int rc;
    *n = 0;
    if (!st)
        return ERR_DB;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
        ticket_read(st, &out[(*n)++], 0);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK
                                                 : store_err(s, rc, "wishes");
}

err_code store_ticket_apply(struct store *s, const struct change *c)
{
    const struct change_ticket *h = &c->u.ticket;
    struct ticket t = { 0 };
    str_copy(t.ticket, sizeof t.ticket, c->key);
    t.kind = h->kind;
    str_copy(t.type, sizeof t.type, h->type);
    str_copy(t.building, sizeof t.building, h->building);
    str_copy(t.unit, sizeof t.unit, h->unit);
    str_copy(t.text, sizeof t.text, h->text);
    t.state = h->state;
    t.filed_ms = h->filed_ms;
    t.accepted_ms = h->accepted_ms;
    t.assigned_ms = h->assigned_ms;
    t.deadline_ms = h->deadline_ms;
    t.answered_ms = h->answered_ms;
    t.closed_ms = h->closed_ms;
    t.locked_until_ms = h->locked_until_ms;
    str_copy(t.answer, sizeof t.answer, h->answer);
    str_copy(t.pin_hash, sizeof t.pin_hash, h->pin_hash);
    str_copy(t.claimer, sizeof t.claimer, h->claimer);
    t.points = h->points;
    t.from_hub = true;
    return store_ticket_put(s, &t);
}

/* ---- locks and claims -------------------------------------------------- */

err_code store_ticket_lock_get(struct store *s, const char *ticket,
                               int *fails, int64_t *locked_until_ms)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT fails, locked_until_ms"
                                  " FROM ticket_locks WHERE ticket = ?");
    *fails = 0;
    *locked_until_ms = 0;
    if (!st)
        return ERR_DB;
    bind_text(st, 1, ticket);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *fails = sqlite3_column_int(st, 0);
        *locked_until_ms = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
        return ERR_OK;
    }
    return rc == SQLITE_DONE ? ERR_OK : store_err(s, rc, "lock");
}

err_code store_ticket_lock_set(struct store *s, const char *ticket,
                               int fails, int64_t locked_until_ms)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO ticket_locks"
                                  "(ticket, fails, locked_until_ms)"
                                  " VALUES(?, ?, ?)");
    if (!st)
        return ERR_DB;
    bind_text(st, 1, ticket);
    sqlite3_bind_int(st, 2, fails);
    sqlite3_bind_int64(st, 3, locked_until_ms);
    return store_step_done(s, st, "lock set");
}

err_code store_wish_claim_put(struct store *s, const char *ticket,
                              const char *member_no, int64_t claimed_ms)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO wish_claims"
                                  "(ticket, member_no, claimed_ms)"
                                  " VALUES(?, ?, ?)");
    if (!st)
        return ERR_DB;
    bind_text(st, 1, ticket);
    bind_text(st, 2, member_no);
    sqlite3_bind_int64(st, 3, claimed_ms);
    return store_step_done(s, st, "claim put");
}

err_code store_wish_claim_done(struct store *s, const char *ticket,
                               int64_t done_ms)
{
    sqlite3_stmt *st = store_stmt(s, "UPDATE wish_claims SET done_ms = ?"
                                  " WHERE ticket = ?");
    if (!st)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, done_ms);
    bind_text(st, 2, ticket);
    return store_step_done(s, st, "claim done");
}

err_code store_wish_claims_for(struct store *s, const char *member_no,
                               struct wish_claim *out, size_t cap,
                               size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT t.ticket, t.kind, t.type,"
        " t.building, t.unit, t.text, t.state, t.filed_ms, t.accepted_ms,"
        " t.assigned_ms, t.deadline_ms, t.answered_ms, t.closed_ms,"
        " t.locked_until_ms, t.answer, t.pin_hash, t.claimer, t.points,"
        " t.from_hub, c.member_no, c.claimed_ms, c.done_ms"
        " FROM wish_claims c JOIN tickets t USING(ticket)"
        " WHERE c.member_no = ? ORDER BY c.claimed_ms DESC, t.ticket");
    int rc;
    *n = 0;
    if (!st)
        return ERR_DB;
    bind_text(st, 1, member_no);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
        struct wish_claim *w = &out[(*n)++];
        ticket_read(st, &w->t, 0);
        store_col_text(st, 19, w->member_no, sizeof w->member_no);
        w->claimed_ms = sqlite3_column_int64(st, 20);
        w->done_ms = sqlite3_column_int64(st, 21);
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? ERR_OK
                                                 : store_err(s, rc, "claims");
}

err_code store_wish_points(struct store *s, const char *member_no,
                           int64_t from_ms, int64_t to_ms, int *points)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT coalesce(sum(points), 0)"
        " FROM tickets WHERE kind = 2 AND state = 5 AND claimer = ?"
        " AND closed_ms >= ? AND closed_ms < ?");
    int64_t v = 0;
    *points = 0;
    if (!st)
        return ERR_DB;
    bind_text(st, 1, member_no);
    sqlite3_bind_int64(st, 2, from_ms);
    sqlite3_bind_int64(st, 3, to_ms);
    err_code e = store_step_int64(s, st, &v, "wish points");
    *points = (int)v;
    return e;
}

err_code store_ledger_scrub_acked(struct store *s, uint64_t seq)
{
    sqlite3_stmt *st = store_stmt(s, "UPDATE events SET"
        " data = json_remove(data, '$.phone') WHERE kind = ? AND seq <= ?"
        " AND json_extract(data, '$.phone') IS NOT NULL");
    if (!st)
        return ERR_DB;
    sqlite3_bind_int(st, 1, EVENT_LEDGER_FILE);
    sqlite3_bind_int64(st, 2, (int64_t)seq);
    return store_step_done(s, st, "phone scrub");
}
