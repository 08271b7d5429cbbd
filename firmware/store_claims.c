/* firmware/store_claims.c - see store_claims.h. */
#include "firmware/store_claims.h"

#include <string.h>

#include "firmware/store_int.h"
#include "base/xmalloc.h"

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

err_code store_post_rules_get(struct store *s, const char *post_id,
                              struct post_rules *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT min_members, max_members,"
        " open, places FROM post_rules WHERE post_id = ?");
    *out = (struct post_rules){ 3, 5, false, 0 };
    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, post_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->min_members = sqlite3_column_int(st, 0);
        out->max_members = sqlite3_column_int(st, 1);
        out->open = sqlite3_column_int(st, 2) != 0;
        out->places = sqlite3_column_int(st, 3);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
           ? ERR_OK : store_err(s, rc, "post rules get");
}

err_code store_post_rules_put(struct store *s, const char *post_id,
                              const struct change_post *p)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO post_rules"
        "(post_id, min_members, max_members, open, places)"
        " VALUES(?, ?, ?, ?, ?)");
    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, post_id);
    /* A hub before the rules sends none: the defaults, closed. */
    sqlite3_bind_int(st, 2, p->min_members ? p->min_members : 3);
    sqlite3_bind_int(st, 3, p->max_members ? p->max_members : 5);
    sqlite3_bind_int(st, 4, p->open && p->places > 0);
    sqlite3_bind_int(st, 5, p->open ? p->places : 0);
    return store_step_done(s, st, "post rules put");
}

static int role_code(enum change_role r)
{
    return r == CHANGE_ROLE_HEAD ? ROLE_HEAD
         : r == CHANGE_ROLE_DEPUTY ? ROLE_DEPUTY : ROLE_MEMBER;
}

static err_code claim_put(struct store *s, const struct post_claim *c)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO post_claims"
        "(id, kind, member_no, post_id, role, other_no, other_post, state,"
        " reason, filed_ms, decided_ms, from_hub)"
        " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->id);
    sqlite3_bind_int(st, 2, c->kind);
    bind_text(st, 3, c->member_no);
    bind_text(st, 4, c->post_id);
    sqlite3_bind_int(st, 5, c->role);
    bind_text(st, 6, c->other_no);
    bind_text(st, 7, c->other_post);
    sqlite3_bind_int(st, 8, c->state);
    bind_text(st, 9, c->reason);
    sqlite3_bind_int64(st, 10, c->filed_ms);
    sqlite3_bind_int64(st, 11, c->decided_ms);
    sqlite3_bind_int(st, 12, c->from_hub);
    return store_step_done(s, st, "claim put");
}

err_code store_claim_put_local(struct store *s, const struct post_claim *c)
{
    return claim_put(s, c);
}

err_code store_claim_apply(struct store *s, const struct change *c)
{
    const struct change_claim *k = &c->u.claim;
    struct post_claim p = {
        .kind = k->kind, .role = role_code(k->role), .state = k->state,
        .filed_ms = k->filed_ms, .decided_ms = k->decided_ms,
        .from_hub = true,
    };
    str_copy(p.id, sizeof p.id, c->key);
    str_copy(p.member_no, sizeof p.member_no, k->member_no);
    str_copy(p.post_id, sizeof p.post_id, k->post_id);
    str_copy(p.other_no, sizeof p.other_no, k->other_no);
    str_copy(p.other_post, sizeof p.other_post, k->other_post);
    str_copy(p.reason, sizeof p.reason, k->reason);
    /* The hub's row answers the one made here: one line, not two. */
    sqlite3_stmt *st = store_stmt(s, "DELETE FROM post_claims"
        " WHERE from_hub = 0 AND kind = ? AND member_no = ? AND post_id = ?");
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int(st, 1, p.kind);
    bind_text(st, 2, p.member_no);
    bind_text(st, 3, p.post_id);
    err_code e = store_step_done(s, st, "local claim drop");
    return e == ERR_OK ? claim_put(s, &p) : e;
}

#define CLAIM_COLS "id, kind, member_no, post_id, role, other_no," \
    " other_post, state, reason, filed_ms, decided_ms, from_hub"

static err_code claim_rows(struct store *s, sqlite3_stmt *st,
                           struct post_claim *out, size_t cap, size_t *n)
{
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
        struct post_claim *c = &out[(*n)++];
        memset(c, 0, sizeof *c);
        store_col_text(st, 0, c->id, sizeof c->id);
        c->kind = (enum change_claim_kind)sqlite3_column_int(st, 1);
        store_col_text(st, 2, c->member_no, sizeof c->member_no);
        store_col_text(st, 3, c->post_id, sizeof c->post_id);
        c->role = (enum post_role)sqlite3_column_int(st, 4);
        store_col_text(st, 5, c->other_no, sizeof c->other_no);
        store_col_text(st, 6, c->other_post, sizeof c->other_post);
        c->state = (enum change_claim_state)sqlite3_column_int(st, 7);
        store_col_text(st, 8, c->reason, sizeof c->reason);
        c->filed_ms = sqlite3_column_int64(st, 9);
        c->decided_ms = sqlite3_column_int64(st, 10);
        c->from_hub = sqlite3_column_int(st, 11) != 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
           ? ERR_OK : store_err(s, rc, "claims");
}

err_code store_claims_for(struct store *s, const char *member_no,
                          struct post_claim *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " CLAIM_COLS
        " FROM post_claims WHERE member_no = ?"
        " ORDER BY filed_ms DESC, id DESC");
    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, member_no);
    return claim_rows(s, st, out, cap, n);
}

err_code store_claims_pending_on(struct store *s, const char *post_id,
                                 struct post_claim *out, size_t cap,
                                 size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT " CLAIM_COLS
        " FROM post_claims WHERE post_id = ? AND kind = 0 AND state = 0"
        " ORDER BY filed_ms, id");
    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, post_id);
    return claim_rows(s, st, out, cap, n);
}
