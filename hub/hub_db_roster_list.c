/* hub/hub_db_roster_list.c - the console's roster list (both engines:
 * plain SQL, LIKE with an escape character). */
#include "hub/hub_db_roster_list.h"

#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_int.h"

/* q as a LIKE pattern: %q% with % _ and \ escaped. */
static void like_pattern(const char *q, char *out, size_t cap)
{
    size_t j = 0;
    if (cap < 3)
        return;
    out[j++] = '%';
    for (; q && *q && j + 3 < cap; q++) {
        if (*q == '%' || *q == '_' || *q == '\\')
            out[j++] = '\\';
        out[j++] = *q;
    }
    out[j++] = '%';
    out[j] = '\0';
}

err_code hub_db_members_list(struct hub_db *db, const char *station,
                             const char *q, int limit, hub_member_fn fn,
                             void *ctx)
{
    char pat[160];
    like_pattern(q, pat, sizeof pat);
    struct sql_stmt *st = hub_db_prep(db, "SELECT member_no, name, phone,"
        " community, station, active FROM members WHERE station = ?"
        " AND (name LIKE ? ESCAPE '\\' OR member_no LIKE ? ESCAPE '\\')"
        " ORDER BY active DESC, member_no LIMIT ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, station);
    hub_db_bind_text(st, 2, pat);
    hub_db_bind_text(st, 3, pat);
    sql_bind_int(st, 4, limit);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_member m;
        memset(&m, 0, sizeof m);
        str_copy(m.member_no, sizeof m.member_no, hub_db_col_text(st, 0));
        str_copy(m.name, sizeof m.name, hub_db_col_text(st, 1));
        str_copy(m.phone, sizeof m.phone, hub_db_col_text(st, 2));
        str_copy(m.community, sizeof m.community, hub_db_col_text(st, 3));
        str_copy(m.station, sizeof m.station, hub_db_col_text(st, 4));
        fn(ctx, &m, sql_col_int(st, 5) != 0);
    }
    err_code e = hub_db_rows_end(db, rc, "members list");
    sql_finalize(st);
    return e;
}
