/* firmware/store_hub.c - the hub's state as the kiosk keeps it: applying
 * pages of the change feed (all of a page and its cursor, or nothing),
 * and snapshots that replace it whole.
 * The pages arrive as typed changes (base/change.h), decoded from the
 * wire by sync/proto.c, which also leaves out types this kiosk does not
 * know; this file never sees JSON. */
#include "firmware/store_int.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "firmware/store_card.h"
#include "firmware/store_confirm.h"
#include "firmware/store_claims.h"
#include "firmware/store_ledger.h"
#include "firmware/store_reg.h"

/* ---- applying the change feed ----------------------------------------- */

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

static err_code put_member(struct store *s, const struct change *c)
{
    const struct change_member *m = &c->u.member;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO members"
        "(member_no, name, phone_masked, community, active, pin_hash,"
        " work_unit, reg_kind) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    bind_text(st, 2, m->name);
    bind_text(st, 3, m->phone_masked);
    bind_text(st, 4, m->community);
    sqlite3_bind_int(st, 5, m->active);
    bind_text(st, 6, m->pin_hash);
    bind_text(st, 7, m->work_unit);
    bind_text(st, 8, m->reg_kind);
    return store_step_done(s, st, "member put");
}

static err_code put_member_total(struct store *s, const struct change *c)
{
    const struct change_member_total *t = &c->u.member_total;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO member_totals"
        "(member_no, as_of, month_points, quarter_points, year_points,"
        " month_rank, quarter_rank, year_rank) VALUES(?,?,?,?,?,?,?,?)");

    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    sqlite3_bind_int64(st, 2, t->as_of);
    for (int k = 0; k < 3; k++) {
        sqlite3_bind_int(st, 3 + k, t->points[k]);
        sqlite3_bind_int(st, 6 + k, t->rank[k]);
    }
    return store_step_done(s, st, "member total put");
}

static int role_of(enum change_role r)
{
    switch (r) {
    case CHANGE_ROLE_HEAD:
        return ROLE_HEAD;
    case CHANGE_ROLE_DEPUTY:
        return ROLE_DEPUTY;
    default:
        return ROLE_MEMBER;
    }
}

static err_code put_holders(struct store *s, const char *post_id,
                            const struct change_post *p)
{
    sqlite3_stmt *st;
    err_code e;

    for (size_t i = 0; i < p->n_holders; i++) {
        const struct change_holder *h = &p->holders[i];
        if (h->member_no[0] == '\0')
            return ERR_PROTO;
        st = store_stmt(s, "INSERT OR REPLACE INTO post_holders"
                        "(post_id, member_no, name, role) VALUES(?, ?, ?, ?)");
        if (st == NULL)
            return ERR_DB;
        bind_text(st, 1, post_id);
        bind_text(st, 2, h->member_no);
        bind_text(st, 3, h->name);
        sqlite3_bind_int(st, 4, role_of(h->role));
        e = store_step_done(s, st, "holder put");
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}

static err_code put_post(struct store *s, const struct change *c)
{
    const struct change_post *p = &c->u.post;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO posts"
        "(id, category, name, duties, ord) VALUES(?, ?, ?, ?, ?)");
    err_code e;

    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    bind_text(st, 2, p->category);
    bind_text(st, 3, p->name);
    bind_text(st, 4, p->duties);
    sqlite3_bind_int(st, 5, p->order);
    e = store_step_done(s, st, "post put");
    if (e != ERR_OK)
        return e;
    /* The page carries the whole list of holders: replace, not merge. */
    st = store_stmt(s, "DELETE FROM post_holders WHERE post_id = ?");
    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    e = store_step_done(s, st, "holders clear");
    if (e == ERR_OK)
        e = store_post_rules_put(s, c->key, p);
    if (e != ERR_OK)
        return e;
    return put_holders(s, c->key, p);
}

static err_code put_shift(struct store *s, const struct change *c)
{
    const struct change_shift *d = &c->u.shift;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO shifts"
        "(key, day, shift, member_no, name, phone_masked)"
        " VALUES(?, ?, ?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    sqlite3_bind_int64(st, 2, d->day);
    bind_text(st, 3, d->shift);
    bind_text(st, 4, d->member_no);
    bind_text(st, 5, d->name);
    bind_text(st, 6, d->phone_masked);
    return store_step_done(s, st, "shift put");
}

static err_code put_contact(struct store *s, const struct change *c)
{
    const struct change_contact *k = &c->u.contact;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO contacts"
        "(id, building, unit, name, role, duties, phone)"
        " VALUES(?, ?, ?, ?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    bind_text(st, 2, k->building);
    bind_text(st, 3, k->unit);
    bind_text(st, 4, k->name);
    bind_text(st, 5, k->role);
    bind_text(st, 6, k->duties);
    bind_text(st, 7, k->phone);
    return store_step_done(s, st, "contact put");
}

static err_code put_notice(struct store *s, const struct change *c)
{
    const struct change_notice *n = &c->u.notice;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO notices"
        "(id, title, body, published_ms) VALUES(?, ?, ?, ?)");

    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    bind_text(st, 2, n->title);
    bind_text(st, 3, n->body);
    sqlite3_bind_int64(st, 4, n->published_ms);
    return store_step_done(s, st, "notice put");
}

/* The star's own period and rank place it; the key is only for deletes. */
static err_code put_star(struct store *s, const struct change *c)
{
    const struct change_star *r = &c->u.star;
    sqlite3_stmt *st;

    if (r->period < CHANGE_PERIOD_MONTH || r->period > CHANGE_PERIOD_YEAR)
        return ERR_PROTO;
    st = store_stmt(s, "INSERT OR REPLACE INTO stars"
        "(period, rank, member_no, name, points) VALUES(?, ?, ?, ?, ?)");
    if (st == NULL)
        return ERR_DB;
    /* A star's own board keeps its rows beside the overall board's under
     * "BOARD/PERIOD", so the key (BOARD/PERIOD/RANK) still deletes them. */
    char period[CHANGE_LABEL + 16];
    if (r->board[0])
        snprintf(period, sizeof period, "%s/%s", r->board,
                 change_period_name(r->period));
    else
        snprintf(period, sizeof period, "%s", change_period_name(r->period));
    sqlite3_bind_text(st, 1, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, r->rank);
    bind_text(st, 3, r->member_no);
    bind_text(st, 4, r->name);
    sqlite3_bind_int(st, 5, r->points);
    return store_step_done(s, st, "star put");
}

static err_code put_log_status(struct store *s, const struct change *c)
{
    const struct change_log_status *l = &c->u.log_status;
    enum log_status st;

    switch (l->status) {
    case CHANGE_LOG_CONFIRMED:
        st = LOG_CONFIRMED;
        break;
    case CHANGE_LOG_REJECTED:
        st = LOG_REJECTED;
        break;
    case CHANGE_LOG_PENDING:
        st = LOG_PENDING;
        break;
    default:
        return ERR_PROTO;
    }
    /* A verdict for this seq in another epoch is another timeline's (a
     * replaced unit's, or the original of a restored copy): not ours. A
     * hub before epochs names none: its verdicts apply as they did. */
    char mine[STORE_EPOCH];
    err_code e = store_epoch_of(s, l->seq, mine, sizeof mine);
    if (e != ERR_OK)
        return e;
    if (l->epoch_given && strcmp(mine, l->epoch) != 0) {
        log_info("store: verdict for seq %llu of epoch '%s' is not ours"
                 " ('%s')", (unsigned long long)l->seq, l->epoch, mine);
        return ERR_OK;
    }
    struct log_verdict v = {
        .status = st, .points = l->points, .method = l->method,
        .rating = l->rating, .reason = l->reason,
        .decided_ms = l->decided_ms,
    };
    return store_log_set_verdict(s, l->seq, &v);
}

static err_code put_revocation(struct store *s, const struct change *c)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO revocations"
                                  "(id, revoked_ms) VALUES(?, ?)");

    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    sqlite3_bind_int64(st, 2, c->u.revocation.revoked_ms);
    return store_step_done(s, st, "revocation put");
}

static err_code put_credential_key(struct store *s, const struct change *c)
{
    return store_card_key_put(s, c->key, c->u.credential_key.public_key,
                              c->u.credential_key.not_after_ms);
}

static err_code put_photo(struct store *s, const struct change *c)
{
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO photos"
                                  "(key, png) VALUES(?, ?)");

    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    sqlite3_bind_blob(st, 2, c->u.photo.png, (int)c->u.photo.len,
                      SQLITE_STATIC);
    return store_step_done(s, st, "photo put");
}

static err_code put_award(struct store *s, const struct change *c)
{
    const struct change_award *a = &c->u.award;
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO awards(key,"
        " year, kind, rank, subject, name, points) VALUES(?,?,?,?,?,?,?)");
    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    sqlite3_bind_int(st, 2, a->year);
    bind_text(st, 3, a->kind == CHANGE_AWARD_POST ? "post" : "member");
    sqlite3_bind_int(st, 4, a->rank);
    bind_text(st, 5, a->subject);
    bind_text(st, 6, a->name);
    sqlite3_bind_int(st, 7, a->points);
    return store_step_done(s, st, "award put");
}

struct change_kind {
    const char *board;           /* board_updates key it freshens */
    err_code  (*put)(struct store *, const struct change *);
    const char *del_sql;         /* one "?" for the key */
};

static const struct change_kind kinds[] = {
    [CHANGE_MEMBER] = { "members", put_member,
                        "DELETE FROM members WHERE member_no = ?" },
    [CHANGE_POST] = { "posts", put_post, "DELETE FROM posts WHERE id = ?" },
    [CHANGE_SHIFT] = { "duty", put_shift,
                       "DELETE FROM shifts WHERE key = ?" },
    [CHANGE_CONTACT] = { "contacts", put_contact,
                         "DELETE FROM contacts WHERE id = ?" },
    [CHANGE_NOTICE] = { "notices", put_notice,
                        "DELETE FROM notices WHERE id = ?" },
    [CHANGE_STAR] = { "stars", put_star,
                      "DELETE FROM stars WHERE period || '/' || rank = ?" },
    [CHANGE_LOG_STATUS] = { NULL, put_log_status, NULL },
    [CHANGE_REVOCATION] = { "revocations", put_revocation,
                            "DELETE FROM revocations WHERE id = ?" },
    [CHANGE_CREDENTIAL_KEY] = { NULL, put_credential_key,
                                "DELETE FROM credential_keys WHERE kid = ?" },
    [CHANGE_MEMBER_TOTAL] = { NULL, put_member_total,
                              "DELETE FROM member_totals WHERE member_no = ?" },
    [CHANGE_LEDGER_TYPE] = { NULL, store_ledger_type_apply,
                             "DELETE FROM ledger_types WHERE code = ?" },
    [CHANGE_TICKET] = { NULL, store_ticket_apply,
                        "DELETE FROM tickets WHERE ticket = ?" },
    [CHANGE_PHOTO] = { NULL, put_photo, "DELETE FROM photos WHERE key = ?" },
    [CHANGE_SERVICE_AWAITING] = { NULL, store_awaiting_apply,
                                  "DELETE FROM service_awaiting WHERE key = ?" },
    [CHANGE_CLAIM] = { NULL, store_claim_apply,
                       "DELETE FROM post_claims WHERE id = ?" },
    [CHANGE_AWARD] = { "awards", put_award,
                       "DELETE FROM awards WHERE key = ?" },
    [CHANGE_WORK_UNIT] = { NULL, store_work_unit_apply, NULL },
};

static err_code del_row(struct store *s, const struct change *c,
                        const struct change_kind *k)
{
    sqlite3_stmt *st;
    err_code e;

    if (c->type == CHANGE_WORK_UNIT)
        return store_work_unit_del(s, c->key);
    if (k->del_sql == NULL)
        return ERR_PROTO;        /* a verdict is replaced, never deleted */
    st = store_stmt(s, k->del_sql);
    if (st == NULL)
        return ERR_DB;
    bind_text(st, 1, c->key);
    e = store_step_done(s, st, "delete");
    if (e == ERR_OK && c->type == CHANGE_POST) {
        st = store_stmt(s, "DELETE FROM post_holders WHERE post_id = ?");
        if (st == NULL)
            return ERR_DB;
        bind_text(st, 1, c->key);
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

static err_code apply_one(struct store *s, const struct change *c,
                          int64_t hub_ms)
{
    const struct change_kind *k;
    size_t klen = strnlen(c->key, sizeof c->key);
    err_code e;

    if ((size_t)c->type >= sizeof kinds / sizeof kinds[0] ||
        kinds[c->type].put == NULL || klen == 0 || klen > CHANGE_KEY_MAX)
        return ERR_PROTO;
    k = &kinds[c->type];
    if (c->op == CHANGE_PUT)
        e = k->put(s, c);
    else if (c->op == CHANGE_DEL)
        e = del_row(s, c, k);
    else
        return ERR_PROTO;
    if (e == ERR_OK && k->board)
        e = mark_board(s, k->board, hub_ms);
    return e;
}

static err_code apply_page(struct store *s, const struct change_page *page,
                           const char *cursor)
{
    int64_t hub_ms = page->hub_time_ms;
    err_code e;

    if (hub_ms <= 0) {
        struct stamp now;
        clock_now(&now);
        hub_ms = now.wall_ms;
    }
    for (size_t i = 0; i < page->n; i++) {
        e = apply_one(s, &page->changes[i], hub_ms);
        if (e != ERR_OK)
            return e;
    }
    if (page->hub_time_ms > 0) {
        /* The latest time the hub vouched for: an untrusted clock is
         * never believed to be earlier than this (docs/cards.md). */
        e = store_set_hub_time(s, page->hub_time_ms);
        if (e != ERR_OK)
            return e;
    }
    return cursor ? store_set_cursor(s, cursor) : ERR_OK;
}

err_code store_hub_apply(struct store *s, const struct change_page *page,
                         const char *cursor)
{
    err_code e;

    if (page->n > CHANGE_PAGE_MAX) {
        log_warn("store: change page of %zu changes refused", page->n);
        return ERR_PROTO;
    }
    e = store_begin(s);
    if (e != ERR_OK)
        return e;
    e = apply_page(s, page, cursor);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        log_warn("store: change page refused: %s", err_str(e));
    }
    return e;
}

/* The tables the feed fills, emptied for a snapshot; the kiosk's own
 * logs (whose verdicts come again) are not among them. */
static err_code snapshot_clear(struct store *s)
{
    err_code e = sqlite3_exec(s->db, "DELETE FROM members;"
        " DELETE FROM posts; DELETE FROM post_holders; DELETE FROM shifts;"
        " DELETE FROM contacts; DELETE FROM notices; DELETE FROM stars;"
        " DELETE FROM revocations; DELETE FROM credential_keys;"
        /* The residents' tickets filed here and not yet fed back stay. */
        " DELETE FROM ledger_types; DELETE FROM tickets WHERE from_hub = 1;"
        " DELETE FROM photos; DELETE FROM service_awaiting;"
        " DELETE FROM post_rules;"
        /* Claims made here and not yet fed back stay (as tickets). */
        " DELETE FROM post_claims WHERE from_hub = 1;"
        " DELETE FROM awards; DELETE FROM work_units;"
        " DELETE FROM meta WHERE key LIKE '" STORE_HUB_SETTING "%';",
        NULL, NULL, NULL) == SQLITE_OK ? ERR_OK : ERR_DB;

    if (e != ERR_OK)
        log_warn("store: snapshot clear: %s", sqlite3_errmsg(s->db));
    return e;
}

/* Every board is as the snapshot left it, an emptied one too. */
static err_code snapshot_boards(struct store *s, int64_t hub_ms)
{
    err_code e = ERR_OK;

    if (hub_ms <= 0) {
        struct stamp now;
        clock_now(&now);
        hub_ms = now.wall_ms;
    }
    for (size_t i = 0; e == ERR_OK && i < sizeof kinds / sizeof kinds[0];
         i++)
        if (kinds[i].board)
            e = mark_board(s, kinds[i].board, hub_ms);
    return e;
}

static err_code snapshot_pages(struct store *s, store_page_source next,
                               void *ctx)
{
    int64_t hub_ms = 0;
    bool done = false;
    err_code e = snapshot_clear(s);

    while (e == ERR_OK) {
        struct change_page page;
        memset(&page, 0, sizeof page);
        e = next(ctx, &page, &done);
        if (e == ERR_OK && !done && page.n > CHANGE_PAGE_MAX)
            e = ERR_PROTO;
        if (e == ERR_OK && !done)
            e = apply_page(s, &page, NULL);
        if (page.hub_time_ms > hub_ms)
            hub_ms = page.hub_time_ms;
        change_page_free(&page);
        if (done)
            break;
    }
    return e == ERR_OK ? snapshot_boards(s, hub_ms) : e;
}

err_code store_hub_snapshot(struct store *s, store_page_source next,
                            void *ctx, const char *cursor)
{
    err_code e = store_begin(s);

    if (e != ERR_OK)
        return e;
    e = snapshot_pages(s, next, ctx);
    if (e == ERR_OK)
        e = store_set_cursor(s, cursor);
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        log_warn("store: snapshot refused: %s", err_str(e));
    } else {
        log_info("store: hub state replaced by a snapshot (cursor %s)",
                 cursor);
    }
    return e;
}
