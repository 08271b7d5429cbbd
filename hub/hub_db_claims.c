/* hub/hub_db_claims.c - see hub_db_claims.h. */
#include "hub/hub_db_claims.h"

#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

static const char claims_schema[] =
    "CREATE TABLE IF NOT EXISTS post_claims(id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL, station TEXT NOT NULL, member_no TEXT NOT NULL,"
    " post_id TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'member',"
    " other_no TEXT NOT NULL DEFAULT '', other_post TEXT NOT NULL"
    " DEFAULT '', state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
    " filed_ms INTEGER NOT NULL, decided_ms INTEGER NOT NULL DEFAULT 0,"
    " decided_by TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS post_claims_state"
    " ON post_claims(kind, state, station);";

err_code hub_db_claims_migrate(struct hub_db *db)
{
    return hub_db_schema(db, claims_schema);
}

#define CLAIM_COLS "id, kind, station, member_no, post_id, role, other_no," \
    " other_post, state, reason, filed_ms, decided_ms, decided_by"

static void claim_read(struct sql_stmt *st, struct hub_claim *c)
{
    memset(c, 0, sizeof *c);
    c->id = sql_col_int(st, 0);
    str_copy(c->kind, sizeof c->kind, hub_db_col_text(st, 1));
    str_copy(c->station, sizeof c->station, hub_db_col_text(st, 2));
    str_copy(c->member_no, sizeof c->member_no, hub_db_col_text(st, 3));
    str_copy(c->post_id, sizeof c->post_id, hub_db_col_text(st, 4));
    str_copy(c->role, sizeof c->role, hub_db_col_text(st, 5));
    str_copy(c->other_no, sizeof c->other_no, hub_db_col_text(st, 6));
    str_copy(c->other_post, sizeof c->other_post, hub_db_col_text(st, 7));
    str_copy(c->state, sizeof c->state, hub_db_col_text(st, 8));
    str_copy(c->reason, sizeof c->reason, hub_db_col_text(st, 9));
    c->filed_ms = sql_col_int(st, 10);
    c->decided_ms = sql_col_int(st, 11);
    str_copy(c->decided_by, sizeof c->decided_by, hub_db_col_text(st, 12));
}

err_code hub_db_claim_add(struct hub_db *db, struct hub_claim *c)
{
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO post_claims(kind,"
        " station, member_no, post_id, role, other_no, other_post, state,"
        " reason, filed_ms, decided_ms, decided_by)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, c->kind);
    hub_db_bind_text(st, 2, c->station);
    hub_db_bind_text(st, 3, c->member_no);
    hub_db_bind_text(st, 4, c->post_id);
    hub_db_bind_text(st, 5, c->role);
    hub_db_bind_text(st, 6, c->other_no);
    hub_db_bind_text(st, 7, c->other_post);
    hub_db_bind_text(st, 8, c->state);
    hub_db_bind_text(st, 9, c->reason);
    sql_bind_int(st, 10, c->filed_ms);
    sql_bind_int(st, 11, c->decided_ms);
    hub_db_bind_text(st, 12, c->decided_by);
    err_code e = hub_db_step_one(db, st, "claim add");
    if (e == ERR_OK)
        c->id = sql_col_int(st, 0);
    sql_finalize(st);
    return e;
}

err_code hub_db_claim_get(struct hub_db *db, int64_t id,
                          struct hub_claim *out)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " CLAIM_COLS
                                      " FROM post_claims WHERE id = ?");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, id);
    err_code e = hub_db_step_one(db, st, "claim get");
    if (e == ERR_OK)
        claim_read(st, out);
    sql_finalize(st);
    return e;
}

err_code hub_db_claim_decide(struct hub_db *db, const struct hub_claim *c)
{
    struct sql_stmt *st = hub_db_prep(db, "UPDATE post_claims SET state = ?,"
        " reason = ?, decided_ms = ?, decided_by = ? WHERE id = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, c->state);
    hub_db_bind_text(st, 2, c->reason);
    sql_bind_int(st, 3, c->decided_ms);
    hub_db_bind_text(st, 4, c->decided_by);
    sql_bind_int(st, 5, c->id);
    return hub_db_done(db, st, "claim decide");
}

bool hub_db_claim_pending(struct hub_db *db, const char *kind,
                          const char *member_no, const char *post_id)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT 1 FROM post_claims"
        " WHERE kind = ? AND member_no = ? AND post_id = ?"
        " AND state = 'pending'");
    if (!st)
        return false;
    hub_db_bind_text(st, 1, kind);
    hub_db_bind_text(st, 2, member_no);
    hub_db_bind_text(st, 3, post_id);
    bool found = hub_db_step_one(db, st, "claim pending") == ERR_OK;
    sql_finalize(st);
    return found;
}

err_code hub_db_claims_each(struct hub_db *db, const char *kind,
                            const char *station, const char *state,
                            void (*fn)(void *ctx, const struct hub_claim *c),
                            void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT " CLAIM_COLS
        " FROM post_claims WHERE kind = ?1"
        " AND (?2 IS NULL OR station = ?2) AND (?3 IS NULL OR state = ?3)"
        " ORDER BY id");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, kind);
    hub_db_bind_text(st, 2, station);
    hub_db_bind_text(st, 3, state);
    enum sql_rc rc;
    struct hub_claim c;
    while ((rc = sql_step(st)) == SQL_ROW) {
        claim_read(st, &c);
        fn(ctx, &c);
    }
    err_code e = hub_db_rows_end(db, rc, "claims");
    sql_finalize(st);
    return e;
}
