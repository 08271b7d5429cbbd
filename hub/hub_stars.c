/* hub/hub_stars.c - the star board from confirmed points, published
 * through hub_publish as a board of kind stars. */
#include "hub/hub_stars.h"

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "hub/hub_db_board.h"
#include "hub/hub_publish.h"

/* Append the top members of `station` by confirmed points on days from
 * `since` (YYYY-MM-DD) on to arr, as star items of `period`. */
static err_code stars_of(struct hub_db *db, const char *station,
                         const char *period, const char *since, cJSON *arr)
{
    struct hub_star top[HUB_STARS_TOP];
    size_t n = 0;
    err_code e = hub_db_stars_top(db, station, since, top, HUB_STARS_TOP,
                                  &n);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "period", period);
        cJSON_AddNumberToObject(o, "rank", (double)(i + 1));
        cJSON_AddStringToObject(o, "member_no", top[i].member_no);
        cJSON_AddNumberToObject(o, "points", top[i].points);
        cJSON_AddItemToArray(arr, o);
    }
    return e;
}

err_code hub_stars_publish(struct hub_db *db, const char *station,
                           int64_t now_ms, int utc_offset_minutes,
                           FILE *err, int *changes)
{
    int64_t (*const starts[])(int64_t, int) = { clock_month_start,
        clock_quarter_start, clock_year_start };
    static const char *const periods[] = { "month", "quarter", "year" };
    struct hub_publish_opts o = { "computed star board", err,
                                  utc_offset_minutes };
    err_code e = ERR_OK;

    *changes = 0;
    if (!hub_db_station_exists(db, station)) {
        fprintf(err, "unknown station %s\n", station);
        return ERR_NOTFOUND;
    }
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < 3 && e == ERR_OK; i++) {
        char since[11];
        clock_ymd(starts[i](now_ms, utc_offset_minutes), utc_offset_minutes,
                  since);
        e = stars_of(db, station, periods[i], since, arr);
    }
    if (e == ERR_OK)
        e = hub_publish_items(db, "stars", arr, station, &o, changes);
    cJSON_Delete(arr);
    return e;
}
