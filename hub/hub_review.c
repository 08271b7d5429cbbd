/* hub/hub_review.c - listing pending service logs and deciding them. */
#include "hub/hub_review.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/csv.h"
#include "base/service_confirm.h"
#include "base/ledger.h"
#include "base/service_rules.h"
#include "hub/hub_audit.h"
#include "hub/hub_db_confirm.h"
#include "hub/hub_points.h"
#include "hub/hub_db_review.h"

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

static void log_row(void *ctx, const struct hub_log_row *r)
{
    FILE *out = ctx;
    csv_text(out, r->device, true);
    csv_text(out, r->epoch, false);
    csv_int(out, r->seq, false);
    csv_text(out, r->station, false);
    csv_text(out, r->member_no, false);
    csv_text(out, r->category, false);
    csv_int(out, r->minutes, false);
    csv_text(out, r->day, false);
    csv_text(out, r->status, false);
    csv_int(out, r->points, false);
    csv_text(out, r->method, false);
    csv_text(out, r->rating, false);
    csv_text(out, r->confirmed_by, false);
    csv_text(out, r->reason, false);
    csv_text(out, r->served_place, false);
    csv_text(out, r->served_ticket, false);
    csv_int(out, r->decided_ms, false);
    csv_end(out);
}

err_code hub_review_logs(struct hub_db *db, const char *station, FILE *out)
{
    csv_header(out, "device,epoch,seq,station,member_no,category,minutes,"
               "day,status,points,method,rating,confirmed_by,reason,"
               "served_place,served_ticket,decided_ms");
    return hub_db_logs_each(db, station, log_row, out);
}

/* Staff's verdict: the vocabulary, the reason a rejection must carry,
 * and kiosk_pin left to the resident's own answer at the terminal. */
static const char *verdict_refusal(const struct hub_review_verdict *v)
{
    if (v->method < 0)
        return "unknown method (kiosk_pin, phone, visit or staff)";
    if (v->rating < 0)
        return "unknown rating (satisfied, basic or unsatisfied)";
    if (v->confirm && v->method == CONFIRM_KIOSK_PIN)
        return "kiosk_pin is recorded by the resident's own confirmation at"
               " the kiosk";
    if (!v->confirm) {
        const char *bad = confirm_reason_check(v->reason);
        if (bad)
            return strcmp(bad, "reason missing") == 0
                   ? "a rejection needs --reason TEXT (the member sees it)"
                   : bad;
    }
    if (v->by && ledger_text_check(v->by, CONFIRM_BY_BYTES / 4, false))
        return "--by: a name of one line, at most 16 characters";
    return NULL;
}

/* The verdict's audit line: object station:ID so users whose scope
 * covers the station see it; the log's key and the verdict in after. */
static err_code audit_verdict(struct hub_db *db, const char *actor,
                              const char *station,
                              const struct hub_log_key *k,
                              const struct hub_verdict *v)
{
    char obj[96];
    snprintf(obj, sizeof obj, "station:%s", station);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "device", k->device);
    cJSON_AddStringToObject(o, "epoch", k->epoch ? k->epoch : "");
    cJSON_AddNumberToObject(o, "seq", (double)k->seq);
    cJSON_AddStringToObject(o, "status", v->confirm ? "confirmed"
                                                    : "rejected");
    cJSON_AddNumberToObject(o, "points", v->points);
    cJSON_AddStringToObject(o, "method", confirm_method_name(v->method));
    cJSON_AddStringToObject(o, "rating", confirm_rating_name(v->rating));
    cJSON_AddStringToObject(o, "by", v->by ? v->by : "");
    if (!v->confirm)
        cJSON_AddStringToObject(o, "reason", v->reason ? v->reason : "");
    char *after = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!after)
        return ERR_IO;          /* out of memory */
    err_code e = hub_audit_record(db, actor, v->confirm ? "log.confirm"
                                                        : "log.reject",
                                  obj, "", after);
    free(after);
    return e;
}

static err_code decide_in_tx(struct hub_db *db, const char *device,
                             const char *epoch, uint64_t seq,
                             const struct hub_review_verdict *rv)
{
    struct hub_log_info li;
    struct hub_log_key k = { .device = device, .epoch = epoch, .seq = seq };
    err_code e = hub_db_log_info(db, &k, &li);
    if (e != ERR_OK)
        return e;
    k.epoch = li.epoch;
    struct hub_verdict v = {
        .confirm = rv->confirm,
        .points = rv->points,
        .method = rv->method > 0 ? (enum confirm_method)rv->method
                                 : CONFIRM_STAFF,
        .rating = rv->rating > 0 ? (enum confirm_rating)rv->rating
                                 : CONFIRM_RATING_NONE,
        .by = rv->by && rv->by[0] ? rv->by : "staff",
        .reason = rv->reason,
    };
    /* By the rule of the log's post or category (hub_points.h). */
    if (v.points < 0)
        e = hub_points_for_verdict(db, device, li.epoch, seq, li.minutes,
                                   v.method, v.rating, &v.points);
    if (e != ERR_OK)
        return e;
    e = hub_db_log_verdict(db, &k, &v);
    if (e != ERR_OK || !rv->actor)
        return e;
    return audit_verdict(db, rv->actor, li.station, &k, &v);
}

err_code hub_review_verdict(struct hub_db *db, const char *device,
                            const char *epoch, uint64_t seq,
                            const struct hub_review_verdict *v,
                            const char **why)
{
    *why = verdict_refusal(v);
    if (*why)
        return ERR_DENIED;
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = decide_in_tx(db, device, epoch, seq, v);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

err_code hub_review_decide_in(struct hub_db *db, const char *device,
                              const char *epoch, uint64_t seq, bool confirm,
                              int points)
{
    /* The bare confirm of before: staff's, by the rule; a bare reject
     * names its reason for the member. */
    struct hub_review_verdict v = {
        .confirm = confirm, .points = points, .method = CONFIRM_STAFF,
        .reason = confirm ? NULL : "工作人员未予确认",
    };
    const char *why;
    return hub_review_verdict(db, device, epoch, seq, &v, &why);
}

err_code hub_review_decide(struct hub_db *db, const char *device,
                           uint64_t seq, bool confirm, int points)
{
    return hub_review_decide_in(db, device, NULL, seq, confirm, points);
}
