/* hub/hub_stars.c - the star board from confirmed points, published
 * through hub_publish as a board of kind stars, and with it each member's
 * own totals (member_total changes), so My record on the kiosk shows the
 * figure and rank the board shows. */
#include "hub/hub_stars.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "hub/hub_db_board.h"
#include "hub/hub_db_points.h"
#include "hub/hub_points.h"
#include "hub/hub_publish.h"

static const char *const periods[3] = { "month", "quarter", "year" };

/* Append the top members of a period (top[0..n)) to arr as star items
 * of board (NULL: the overall board). */
static void stars_of(const char *board, const char *period,
                     const struct hub_star *top, size_t n, cJSON *arr)
{
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (board)
            cJSON_AddStringToObject(o, "board", board);
        cJSON_AddStringToObject(o, "period", period);
        cJSON_AddNumberToObject(o, "rank", (double)(i + 1));
        cJSON_AddStringToObject(o, "member_no", top[i].member_no);
        cJSON_AddNumberToObject(o, "points", top[i].points);
        cJSON_AddItemToArray(arr, o);
    }
}

static int rank_in(const struct hub_star *top, size_t n, const char *no)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(top[i].member_no, no) == 0)
            return (int)i + 1;
    return 0;
}

/* One member_total change per member whose figures differ from what the
 * station's kiosks were last sent (the day counted on included, so a new
 * day resends: a kiosk must know its figures are this period's). */
static err_code totals_publish(struct hub_db *db, const char *station,
                               const char *today, const char *const since[3],
                               const int64_t since_ms[3],
                               struct hub_star top[3][HUB_STARS_TOP],
                               const size_t n_top[3], int *changes)
{
    struct hub_member_points *pts;
    size_t n;
    err_code e = hub_db_member_points(db, station, since, since_ms, &pts,
                                      &n);

    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "as_of", today);
        for (int k = 0; k < 3; k++) {
            char name[24];
            snprintf(name, sizeof name, "%s_points", periods[k]);
            cJSON_AddNumberToObject(d, name, pts[i].points[k]);
            snprintf(name, sizeof name, "%s_rank", periods[k]);
            cJSON_AddNumberToObject(d, name, rank_in(top[k], n_top[k],
                                                     pts[i].member_no));
        }
        char *json = cJSON_PrintUnformatted(d);
        cJSON_Delete(d);
        if (!hub_db_published_same(db, station, "member_total",
                                   pts[i].member_no, json)) {
            /* What was sent before goes first: a total changes many
             * times, and the published table holds one row a key. */
            e = hub_db_published_del(db, station, "member_total",
                                     pts[i].member_no);
            if (e == ERR_OK)
                e = hub_db_change_add(db, station, NULL, "member_total",
                                      pts[i].member_no, json);
            if (e == ERR_OK)
                e = hub_db_published_put(db, station, "member_total",
                                         pts[i].member_no, json);
            if (e == ERR_OK)
                (*changes)++;
        }
        free(json);
    }
    free(pts);
    return e;
}

err_code hub_stars_publish(struct hub_db *db, const char *station,
                           int64_t now_ms, int utc_offset_minutes,
                           FILE *err, int *changes)
{
    int64_t (*const starts[])(int64_t, int) = { clock_month_start,
        clock_quarter_start, clock_year_start };
    struct hub_publish_opts o = { .label = "computed star board",
                                  .err = err,
                                  .utc_offset_minutes = utc_offset_minutes };
    struct hub_star top[3][HUB_STARS_TOP];
    size_t n_top[3] = { 0, 0, 0 };
    char since[3][11], today[11];
    const char *since_p[3] = { since[0], since[1], since[2] };
    int64_t since_ms[3];
    int totals = 0;
    err_code e = ERR_OK;

    *changes = 0;
    if (!hub_db_station_exists(db, station)) {
        fprintf(err, "unknown station %s\n", station);
        return ERR_NOTFOUND;
    }
    clock_ymd(now_ms, utc_offset_minutes, today);
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < 3 && e == ERR_OK; i++) {
        since_ms[i] = starts[i](now_ms, utc_offset_minutes);
        clock_ymd(since_ms[i], utc_offset_minutes, since[i]);
        e = hub_db_stars_top(db, station, since[i], since_ms[i], top[i],
                             HUB_STARS_TOP,
                             &n_top[i]);
        stars_of(NULL, periods[i], top[i], n_top[i], arr);
    }
    /* Each star's own board (打擂争星): the logs of the categories
     * mapped to it, service logs only (a wish has no category). */
    size_t n_kinds;
    const struct hub_star_kind *kinds = hub_star_kinds(&n_kinds);
    for (size_t k = 0; k < n_kinds && e == ERR_OK; k++)
        for (int i = 0; i < 3 && e == ERR_OK; i++) {
            struct hub_star btop[HUB_STARS_TOP];
            size_t bn = 0;
            e = hub_db_star_board_top(db, station, kinds[k].key, since[i],
                                      btop, HUB_STARS_TOP, &bn);
            stars_of(kinds[k].key, periods[i], btop, bn, arr);
        }
    if (e == ERR_OK)
        e = hub_publish_items(db, "stars", arr, station, &o, changes);
    cJSON_Delete(arr);
    if (e == ERR_OK)
        e = hub_db_begin(db);
    if (e == ERR_OK) {
        e = totals_publish(db, station, today, since_p, since_ms, top, n_top,
                           &totals);
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
    }
    *changes += totals;
    return e;
}

struct refresh_ctx {
    struct hub_db *db;
    int64_t        now_ms;
    int            utc_offset;
    FILE          *err;
    int            stations;
    err_code       e;
    /* Marks gathered first: no write while the marks query reads. */
    char         (*todo)[2][160];
    size_t         n, cap;
};

static void mark_seen(void *ctx, const char *station, const char *now_mark,
                      const char *last_mark)
{
    struct refresh_ctx *r = ctx;
    if (strcmp(now_mark, last_mark) == 0)
        return;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->todo = realloc(r->todo, r->cap * sizeof *r->todo);
        if (!r->todo)
            abort();
    }
    snprintf(r->todo[r->n][0], sizeof r->todo[r->n][0], "%s", station);
    snprintf(r->todo[r->n][1], sizeof r->todo[r->n][1], "%s", now_mark);
    r->n++;
}

err_code hub_stars_refresh(struct hub_db *db, int64_t now_ms,
                           int utc_offset_minutes, FILE *err, int *stations)
{
    char today[11];
    struct refresh_ctx r = { .db = db, .now_ms = now_ms,
                             .utc_offset = utc_offset_minutes, .err = err };
    clock_ymd(now_ms, utc_offset_minutes, today);
    err_code e = hub_db_stars_marks(db, today, mark_seen, &r);
    for (size_t i = 0; i < r.n && e == ERR_OK; i++) {
        int changes = 0;
        e = hub_stars_publish(db, r.todo[i][0], now_ms, utc_offset_minutes,
                              err, &changes);
        /* The mark after the boards: a crash between them computes the
         * boards again, never leaves them stale under a new mark. The
         * mark was read before the boards, so a decision committed while
         * they were computed changes the mark again: the next check
         * recomputes, and the boards converge. */
        if (e == ERR_OK)
            e = hub_db_stars_mark_put(db, r.todo[i][0], r.todo[i][1]);
        if (e == ERR_OK)
            r.stations++;
    }
    free(r.todo);
    if (stations)
        *stations = r.stations;
    return e;
}
