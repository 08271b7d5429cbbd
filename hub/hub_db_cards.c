/* hub/hub_db_cards.c - the issued cards table (hub/hub_db_cards.h). */
#include "hub/hub_db_cards.h"

#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

/* One row a card; the list pages read a station's newest first. */
static const char cards_schema[] =
    "CREATE TABLE IF NOT EXISTS cards_issued("
    " card_id TEXT PRIMARY KEY, kind TEXT NOT NULL, holder TEXT NOT NULL,"
    " station TEXT NOT NULL, serial INTEGER NOT NULL,"
    " issued_day INTEGER NOT NULL, expires_day INTEGER NOT NULL,"
    " text TEXT NOT NULL, issued_ms INTEGER NOT NULL,"
    " issued_by TEXT NOT NULL, revoked_ms INTEGER NOT NULL DEFAULT 0,"
    " revoked_by TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS cards_issued_station"
    " ON cards_issued(station, issued_ms);"
    "CREATE INDEX IF NOT EXISTS cards_issued_holder"
    " ON cards_issued(holder);";

err_code hub_db_cards_migrate(struct hub_db *db)
{
    return hub_db_schema(db, cards_schema);
}

#define COLS "card_id, kind, holder, station, serial, issued_day," \
    " expires_day, text, issued_ms, issued_by, revoked_ms, revoked_by, reason"

err_code hub_db_card_put(struct hub_db *db, const struct hub_card_rec *r)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO cards_issued(" COLS
        ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    char kind[2] = { r->kind, '\0' };
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, r->card_id);
    hub_db_bind_text(st, 2, kind);
    hub_db_bind_text(st, 3, r->holder);
    hub_db_bind_text(st, 4, r->station);
    sql_bind_int(st, 5, r->serial);
    sql_bind_int(st, 6, r->issued_day);
    sql_bind_int(st, 7, r->expires_day);
    hub_db_bind_text(st, 8, r->text);
    sql_bind_int(st, 9, r->issued_ms);
    hub_db_bind_text(st, 10, r->issued_by);
    sql_bind_int(st, 11, r->revoked_ms);
    hub_db_bind_text(st, 12, r->revoked_by);
    hub_db_bind_text(st, 13, r->reason);
    return hub_db_done(db, st, "card put");
}

static void rec_from(struct sql_stmt *st, struct hub_card_rec *r)
{
    memset(r, 0, sizeof *r);
    str_copy(r->card_id, sizeof r->card_id, hub_db_col_text(st, 0));
    r->kind = hub_db_col_text(st, 1)[0];
    str_copy(r->holder, sizeof r->holder, hub_db_col_text(st, 2));
    str_copy(r->station, sizeof r->station, hub_db_col_text(st, 3));
    r->serial = sql_col_int(st, 4);
    r->issued_day = sql_col_int(st, 5);
    r->expires_day = sql_col_int(st, 6);
    str_copy(r->text, sizeof r->text, hub_db_col_text(st, 7));
    r->issued_ms = sql_col_int(st, 8);
    str_copy(r->issued_by, sizeof r->issued_by, hub_db_col_text(st, 9));
    r->revoked_ms = sql_col_int(st, 10);
    str_copy(r->revoked_by, sizeof r->revoked_by, hub_db_col_text(st, 11));
    str_copy(r->reason, sizeof r->reason, hub_db_col_text(st, 12));
}

err_code hub_db_card_get(struct hub_db *db, const char *card_id,
                         struct hub_card_rec *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " COLS
                                      " FROM cards_issued WHERE card_id = ?");
    memset(out, 0, sizeof *out);
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, card_id);
    err_code e = hub_db_step_one(db, st, "card get");
    if (e == ERR_OK)
        rec_from(st, out);
    sql_finalize(st);
    return e;
}

err_code hub_db_card_set_revoked(struct hub_db *db, const char *card_id,
                                 int64_t ms, const char *by,
                                 const char *reason)
{
    struct sql_stmt *st = hub_db_prep(db, "UPDATE cards_issued SET"
        " revoked_ms = ?, revoked_by = ?, reason = ?"
        " WHERE card_id = ? AND revoked_ms = 0");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, ms);
    hub_db_bind_text(st, 2, by);
    hub_db_bind_text(st, 3, reason);
    hub_db_bind_text(st, 4, card_id);
    err_code e = hub_db_done(db, st, "card revoke");
    if (e != ERR_OK)
        return e;
    struct hub_card_rec r;
    return hub_db_card_get(db, card_id, &r);
}

err_code hub_db_cards_each(struct hub_db *db, const char *station,
                           const char *holder, int limit,
                           void (*fn)(void *ctx,
                                      const struct hub_card_rec *r),
                           void *ctx)
{
    /* One query however many stations: the page filters by scope. */
    struct sql_stmt *st = hub_db_prep(db, "SELECT " COLS " FROM cards_issued"
        " WHERE (?1 = '' OR station = ?1) AND (?2 = '' OR holder = ?2)"
        " ORDER BY issued_ms DESC, card_id LIMIT ?3");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station ? station : "");
    hub_db_bind_text(st, 2, holder ? holder : "");
    sql_bind_int(st, 3, limit);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_card_rec r;
        rec_from(st, &r);
        fn(ctx, &r);
    }
    err_code e = hub_db_rows_end(db, rc, "cards");
    sql_finalize(st);
    return e;
}
