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
#include "hub/hub_publish.h"

static const char *const periods[3] = { "month", "quarter", "year" };

/* Append the top members of a period (top[0..n)) to arr as star items. */
static void stars_of(const char *period, const struct hub_star *top,
                     size_t n, cJSON *arr)
{
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
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
        stars_of(periods[i], top[i], n_top[i], arr);
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
