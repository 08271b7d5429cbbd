/* firmware/store_query.c - read-only queries over the hub's state for the
 * screens: roster, posts, duty roster, contacts, notices, star board.
 * Every list is bounded by the caller's capacity. */
#include "firmware/store_int.h"

#include <string.h>

/* Run st (bound by the caller) and hand each row to fill(row, i) until cap
 * rows; *n gets the count. */
static err_code rows(struct store *s, sqlite3_stmt *st, size_t cap, size_t *n,
                     void (*fill)(sqlite3_stmt *, void *, size_t), void *out)
{
    int rc = SQLITE_DONE;

    *n = 0;
    while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        fill(st, out, *n);
        (*n)++;
    }
    if (*n == cap)
        rc = SQLITE_DONE;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_OK : store_err(s, rc, "query");
}

static void fill_member(sqlite3_stmt *st, void *out, size_t i)
{
    struct member *m = (struct member *)out + i;
    store_col_text(st, 0, m->member_no, sizeof m->member_no);
    store_col_text(st, 1, m->name, sizeof m->name);
    store_col_text(st, 2, m->phone_masked, sizeof m->phone_masked);
    store_col_text(st, 3, m->community, sizeof m->community);
    m->active = sqlite3_column_int(st, 4) != 0;
    store_col_text(st, 5, m->pin_hash, sizeof m->pin_hash);
    store_col_text(st, 6, m->work_unit, sizeof m->work_unit);
    store_col_text(st, 7, m->reg_kind, sizeof m->reg_kind);
}

err_code store_member_get(struct store *s, const char *member_no,
                          struct member *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT member_no, name, phone_masked,"
        " community, active, pin_hash, work_unit, reg_kind FROM members"
        " WHERE member_no = ?");
    size_t n;
    err_code e;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
    e = rows(s, st, 1, &n, fill_member, out);
    return e == ERR_OK && n == 0 ? ERR_NOTFOUND : e;
}

static void fill_total(sqlite3_stmt *st, void *out, size_t i)
{
    struct member_total *t = (struct member_total *)out + i;
    t->as_of = sqlite3_column_int64(st, 0);
    for (int k = 0; k < 3; k++) {
        t->points[k] = sqlite3_column_int(st, 1 + k);
        t->rank[k] = sqlite3_column_int(st, 4 + k);
    }
}

err_code store_member_total(struct store *s, const char *member_no,
                            struct member_total *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT as_of, month_points,"
        " quarter_points, year_points, month_rank, quarter_rank, year_rank"
        " FROM member_totals WHERE member_no = ?");
    size_t n;
    err_code e;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
    e = rows(s, st, 1, &n, fill_total, out);
    return e == ERR_OK && n == 0 ? ERR_NOTFOUND : e;
}

err_code store_member_count(struct store *s, int *count)
{
    int64_t v;
    err_code e = store_step_int64(s, store_stmt(s,
        "SELECT count(*) FROM members"), &v, "member count");

    *count = (int)v;
    return e;
}

static void fill_text32(sqlite3_stmt *st, void *out, size_t i)
{
    store_col_text(st, 0, ((char (*)[32])out)[i], 32);
}

static void fill_text16(sqlite3_stmt *st, void *out, size_t i)
{
    store_col_text(st, 0, ((char (*)[16])out)[i], 16);
}

err_code store_post_categories(struct store *s, char (*out)[32], size_t cap,
                               size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT category FROM posts"
        " GROUP BY category ORDER BY min(ord), category");

    if (st == NULL)
        return ERR_DB;
    return rows(s, st, cap, n, fill_text32, out);
}

static void fill_post(sqlite3_stmt *st, void *out, size_t i)
{
    struct post *p = (struct post *)out + i;
    store_col_text(st, 0, p->id, sizeof p->id);
    store_col_text(st, 1, p->category, sizeof p->category);
    store_col_text(st, 2, p->name, sizeof p->name);
    store_col_text(st, 3, p->duties, sizeof p->duties);
}

err_code store_posts(struct store *s, const char *category,
                     struct post *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT id, category, name, duties"
        " FROM posts WHERE ?1 = '' OR category = ?1 ORDER BY ord, id");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, category, -1, SQLITE_STATIC);
    return rows(s, st, cap, n, fill_post, out);
}

err_code store_post_get(struct store *s, const char *id, struct post *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT id, category, name, duties"
                                  " FROM posts WHERE id = ?");
    size_t n;
    err_code e;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    e = rows(s, st, 1, &n, fill_post, out);
    return e == ERR_OK && n == 0 ? ERR_NOTFOUND : e;
}

static void fill_holder(sqlite3_stmt *st, void *out, size_t i)
{
    struct post_holder *h = (struct post_holder *)out + i;
    store_col_text(st, 0, h->post_id, sizeof h->post_id);
    store_col_text(st, 1, h->member_no, sizeof h->member_no);
    store_col_text(st, 2, h->name, sizeof h->name);
    h->role = (enum post_role)sqlite3_column_int(st, 3);
}

err_code store_post_holders(struct store *s, const char *post_id,
                            struct post_holder *out, size_t cap, size_t *n)
{
    /* The roster's name wins over the one published with the post. */
    sqlite3_stmt *st = store_stmt(s, "SELECT h.post_id, h.member_no,"
        " coalesce(m.name, h.name), h.role FROM post_holders h"
        " LEFT JOIN members m ON m.member_no = h.member_no"
        " WHERE h.post_id = ? ORDER BY h.role, h.member_no");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, post_id, -1, SQLITE_STATIC);
    return rows(s, st, cap, n, fill_holder, out);
}

err_code store_member_posts(struct store *s, const char *member_no,
                            struct post *out, size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT p.id, p.category, p.name,"
        " p.duties FROM posts p JOIN post_holders h ON h.post_id = p.id"
        " WHERE h.member_no = ? ORDER BY p.ord, p.id");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
    return rows(s, st, cap, n, fill_post, out);
}

static void fill_shift(sqlite3_stmt *st, void *out, size_t i)
{
    struct duty_shift *d = (struct duty_shift *)out + i;
    d->day = sqlite3_column_int64(st, 0);
    store_col_text(st, 1, d->shift, sizeof d->shift);
    store_col_text(st, 2, d->member_no, sizeof d->member_no);
    store_col_text(st, 3, d->name, sizeof d->name);
    store_col_text(st, 4, d->phone_masked, sizeof d->phone_masked);
}

err_code store_shifts(struct store *s, int64_t from_day, int64_t to_day,
                      const char *member_no, struct duty_shift *out,
                      size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT day, shift, member_no, name,"
        " phone_masked FROM shifts WHERE day >= ?1 AND day < ?2"
        " AND (?3 = '' OR member_no = ?3) ORDER BY day, shift, member_no");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_int64(st, 1, from_day);
    sqlite3_bind_int64(st, 2, to_day);
    sqlite3_bind_text(st, 3, member_no ? member_no : "", -1, SQLITE_STATIC);
    return rows(s, st, cap, n, fill_shift, out);
}

err_code store_buildings(struct store *s, char (*out)[16], size_t cap,
                         size_t *n)
{
    /* Numeric buildings in numeric order ("2" before "10"). */
    sqlite3_stmt *st = store_stmt(s, "SELECT DISTINCT building FROM contacts"
        " WHERE building != '' ORDER BY length(building), building");

    if (st == NULL)
        return ERR_DB;
    return rows(s, st, cap, n, fill_text16, out);
}

err_code store_units(struct store *s, const char *building, char (*out)[16],
                     size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT DISTINCT unit FROM contacts"
        " WHERE building = ? AND unit != '' ORDER BY length(unit), unit");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, building, -1, SQLITE_STATIC);
    return rows(s, st, cap, n, fill_text16, out);
}

static void fill_contact(sqlite3_stmt *st, void *out, size_t i)
{
    struct contact *c = (struct contact *)out + i;
    store_col_text(st, 0, c->id, sizeof c->id);
    store_col_text(st, 1, c->building, sizeof c->building);
    store_col_text(st, 2, c->unit, sizeof c->unit);
    store_col_text(st, 3, c->name, sizeof c->name);
    store_col_text(st, 4, c->role, sizeof c->role);
    store_col_text(st, 5, c->duties, sizeof c->duties);
    store_col_text(st, 6, c->phone, sizeof c->phone);
}

err_code store_contacts(struct store *s, const char *building,
                        const char *unit, struct contact *out, size_t cap,
                        size_t *n)
{
    /* A unit's people, then its building's leader, then the grid leader
     * (building ""), so the nearest responsible person comes first. */
    sqlite3_stmt *st = store_stmt(s, "SELECT id, building, unit, name, role,"
        " duties, phone FROM contacts"
        " WHERE ?1 = '' OR building = '' OR (building = ?1 AND"
        " (?2 = '' OR unit = '' OR unit = ?2))"
        " ORDER BY (building = '') , (unit = ''), length(building), building,"
        " length(unit), unit, id");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, building, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, unit, -1, SQLITE_STATIC);
    return rows(s, st, cap, n, fill_contact, out);
}

static void fill_notice(sqlite3_stmt *st, void *out, size_t i)
{
    struct notice *nt = (struct notice *)out + i;
    store_col_text(st, 0, nt->id, sizeof nt->id);
    store_col_text(st, 1, nt->title, sizeof nt->title);
    store_col_text(st, 2, nt->body, sizeof nt->body);
    nt->published_ms = sqlite3_column_int64(st, 3);
}

err_code store_notices(struct store *s, struct notice *out, size_t cap,
                       size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT id, title, body, published_ms"
        " FROM notices ORDER BY published_ms DESC, id");

    if (st == NULL)
        return ERR_DB;
    return rows(s, st, cap, n, fill_notice, out);
}

static void fill_star(sqlite3_stmt *st, void *out, size_t i)
{
    struct star *r = (struct star *)out + i;
    store_col_text(st, 0, r->period, sizeof r->period);
    r->rank = sqlite3_column_int(st, 1);
    store_col_text(st, 2, r->member_no, sizeof r->member_no);
    store_col_text(st, 3, r->name, sizeof r->name);
    r->points = sqlite3_column_int(st, 4);
}

err_code store_stars(struct store *s, const char *period, struct star *out,
                     size_t cap, size_t *n)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT s.period, s.rank, s.member_no,"
        " coalesce(m.name, s.name), s.points FROM stars s"
        " LEFT JOIN members m ON m.member_no = s.member_no"
        " WHERE s.period = ? ORDER BY s.rank");

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC);
    return rows(s, st, cap, n, fill_star, out);
}

err_code store_board_updated(struct store *s, const char *board, int64_t *ms)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT updated_ms FROM board_updates"
                                  " WHERE board = ?");
    err_code e;

    if (st != NULL)
        sqlite3_bind_text(st, 1, board, -1, SQLITE_STATIC);
    e = store_step_int64(s, st, ms, "board updated");
    return e == ERR_NOTFOUND ? ERR_OK : e;       /* never updated: 0 */
}

err_code store_photo_get(struct store *s, const char *key, uint8_t *buf,
                         size_t cap, size_t *len)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT png FROM photos WHERE key = ?");
    err_code e = ERR_NOTFOUND;
    int rc;

    *len = 0;
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 0);
        const void *b = sqlite3_column_blob(st, 0);
        if (b && n > 0 && (size_t)n <= cap) {
            memcpy(buf, b, (size_t)n);
            *len = (size_t)n;
            e = ERR_OK;
        }
    } else if (rc != SQLITE_DONE) {
        e = store_err(s, rc, "photo");
    }
    sqlite3_reset(st);
    return e;
}

static void fill_award(sqlite3_stmt *st, void *out, size_t i)
{
    struct award *a = (struct award *)out + i;
    a->year = sqlite3_column_int(st, 0);
    store_col_text(st, 1, a->kind, sizeof a->kind);
    a->rank = sqlite3_column_int(st, 2);
    store_col_text(st, 3, a->subject, sizeof a->subject);
    store_col_text(st, 4, a->name, sizeof a->name);
    a->points = sqlite3_column_int(st, 5);
}

err_code store_awards(struct store *s, struct award *out, size_t cap,
                      size_t *n)
{
    /* A member's name as the roster has it now, like the star board. */
    sqlite3_stmt *st = store_stmt(s, "SELECT a.year, a.kind, a.rank,"
        " a.subject, CASE WHEN a.kind = 'member' THEN coalesce(m.name,"
        " a.name) ELSE a.name END, a.points FROM awards a"
        " LEFT JOIN members m ON m.member_no = a.subject"
        " ORDER BY a.year DESC, a.kind = 'member', a.rank, a.subject");

    if (st == NULL)
        return ERR_DB;
    return rows(s, st, cap, n, fill_award, out);
}
