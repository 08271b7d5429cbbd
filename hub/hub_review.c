/* hub/hub_review.c - listing pending service logs and deciding them. */
#include "hub/hub_review.h"

#include <inttypes.h>

#include "base/csv.h"
#include "hub/hub_db_review.h"

static void pending_row(void *ctx, const struct hub_pending *p)
{
    FILE *out = ctx;
    csv_text(out, p->device, true);
    csv_int(out, p->seq, false);
    csv_text(out, p->station, false);
    csv_text(out, p->member_no, false);
    csv_text(out, p->name, false);
    csv_text(out, p->category, false);
    csv_int(out, p->minutes, false);
    csv_text(out, p->day, false);
    csv_text(out, p->note, false);
    csv_end(out);
}

err_code hub_review_pending(struct hub_db *db, FILE *out)
{
    csv_header(out, "device,seq,station,member_no,name,category,minutes,day,"
               "note");
    return hub_db_pending_each(db, pending_row, out);
}

static err_code decide_in_tx(struct hub_db *db, const char *device,
                             uint64_t seq, bool confirm, int points)
{
    char station[64];
    int minutes;
    err_code e = hub_db_log_get(db, device, seq, station, sizeof station,
                                &minutes);
    if (e != ERR_OK)
        return e;
    if (!confirm)
        points = 0;
    else if (points < 0)
        points = hub_points_for(minutes);
    const char *status = confirm ? "confirmed" : "rejected";
    e = hub_db_log_decide(db, device, seq, status, points);
    char key[24], data[128];
    snprintf(key, sizeof key, "%" PRIu64, seq);
    snprintf(data, sizeof data, "{\"seq\":%" PRIu64 ",\"status\":\"%s\","
             "\"points\":%d}", seq, status, points);
    if (e == ERR_OK)
        e = hub_db_change_add(db, station, device, "log_status", key, data);
    return e;
}

err_code hub_review_decide(struct hub_db *db, const char *device,
                           uint64_t seq, bool confirm, int points)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = decide_in_tx(db, device, seq, confirm, points);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}
