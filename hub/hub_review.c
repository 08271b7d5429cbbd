/* hub/hub_review.c - listing pending service logs and deciding them. */
#include "hub/hub_review.h"

#include <inttypes.h>

#include "base/csv.h"
#include "base/service_rules.h"
#include "hub/hub_db_points.h"
#include "hub/hub_db_review.h"
#include "hub/hub_points.h"

static void pending_row(void *ctx, const struct hub_pending *p)
{
    FILE *out = ctx;
    csv_text(out, p->device, true);
    csv_int(out, p->seq, false);
    csv_text(out, p->station, false);
    csv_text(out, p->member_no, false);
    csv_text(out, p->name, false);
    /* Names, as staff read them, not the keys the kiosk stored. */
    const struct service_category *cat = service_category_find(p->category);
    csv_text(out, cat ? cat->zh : p->category, false);
    csv_int(out, p->minutes, false);
    csv_text(out, p->day, false);
    csv_text(out, service_note_text(p->note, 1), false);
    csv_text(out, p->epoch, false);
    csv_end(out);
}

err_code hub_review_pending(struct hub_db *db, FILE *out)
{
    csv_header(out, "device,seq,station,member_no,name,category,minutes,day,"
               "note,epoch");
    return hub_db_pending_each(db, pending_row, out);
}

static err_code decide_in_tx(struct hub_db *db, const char *device,
                             const char *epoch, uint64_t seq, bool confirm,
                             int points)
{
    char station[64], ep[64];
    int minutes;
    struct hub_log_key k = { .device = device, .epoch = epoch, .seq = seq };
    err_code e = hub_db_log_get(db, &k, station, ep, sizeof station,
                                &minutes);
    if (e != ERR_OK)
        return e;
    k.epoch = ep;
    if (!confirm) {
        points = 0;
    } else if (points < 0) {
        /* By the rule of the log's post or category (hub_points.h). The
         * served person's confirmation method and rating are not stored
         * here yet: NULL counts as a staff confirmation, multiplier 1. */
        char cat[64], post[64];
        e = hub_db_log_rule_keys(db, device, ep, seq, cat, sizeof cat, post,
                                 sizeof post);
        if (e == ERR_OK)
            e = hub_points_for_log(db, cat, post, minutes, NULL, NULL,
                                   &points);
        if (e != ERR_OK)
            return e;
    }
    const char *status = confirm ? "confirmed" : "rejected";
    e = hub_db_log_decide(db, &k, status, points);
    /* The epoch travels with the verdict: a kiosk applies it only to its
     * own log of that seq, not to another timeline's. */
    char key[24], data[192];
    snprintf(key, sizeof key, "%" PRIu64, seq);
    snprintf(data, sizeof data, "{\"seq\":%" PRIu64 ",\"epoch\":\"%s\","
             "\"status\":\"%s\",\"points\":%d}", seq, ep, status, points);
    if (e == ERR_OK)
        e = hub_db_change_add(db, station, device, "log_status", key, data);
    return e;
}

err_code hub_review_decide_in(struct hub_db *db, const char *device,
                              const char *epoch, uint64_t seq, bool confirm,
                              int points)
{
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = decide_in_tx(db, device, epoch, seq, confirm, points);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

err_code hub_review_decide(struct hub_db *db, const char *device,
                           uint64_t seq, bool confirm, int points)
{
    return hub_review_decide_in(db, device, NULL, seq, confirm, points);
}
