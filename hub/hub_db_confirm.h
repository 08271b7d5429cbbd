/* hub/hub_db_confirm.h - the store's side of service confirmation (服务确认):
 * whom a service log names as served, how its verdict was reached (method,
 * who, rating, a rejection's reason), the log_status change that carries
 * all of it to the kiosk, and the service_awaiting change that lets the
 * served resident confirm at the station's kiosks with the ticket's PIN.
 * The rules (which method staff may record, that a rejection needs a
 * reason) are hub/hub_review.c's; the resident's answer, which arrives
 * inside an upload's transaction, is checked here. */
#ifndef HUB_DB_CONFIRM_H
#define HUB_DB_CONFIRM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/service_confirm.h"
#include "hub/hub_db.h"
#include "hub/hub_db_review.h"
#include "sync/proto.h"

/* The service_logs columns of this part, on an older store too. */
err_code hub_db_confirm_migrate(struct hub_db *db);

/* Whom the log at k (epoch set) names as served, stored with it; a named
 * ticket of the station, known here, sends the station's kiosks a
 * service_awaiting change. Inside the upload's transaction, after
 * hub_db_confirm_event passed the event. */
struct hub_served {
    const char *station, *member_no, *category, *day;
    int         minutes;
    const char *place, *ticket;        /* "" or NULL: none */
};
err_code hub_db_served_put(struct hub_db *db, const struct hub_log_key *k,
                           const struct hub_served *s);

/* A verdict as recorded. */
struct hub_verdict {
    bool                confirm;
    int                 points;        /* a confirmation's */
    enum confirm_method method;
    enum confirm_rating rating;
    const char         *by;            /* staff name or "resident" */
    const char         *reason;        /* a rejection's */
};
/* Record v on the log at k (epoch set), send the originating kiosk its
 * log_status and withdraw the service_awaiting change. ERR_NOTFOUND. */
err_code hub_db_log_verdict(struct hub_db *db, const struct hub_log_key *k,
                            const struct hub_verdict *v);

/* What the verdict functions need of a log. */
struct hub_log_info {
    char station[64], epoch[64], member_no[64], status[16];
    char served_ticket[SERVED_TICKET_BYTES];
    int  minutes;
};
/* ERR_NOTFOUND; ERR_INVAL when k->epoch is NULL and the seq is in several
 * epochs of the device. */
err_code hub_db_log_info(struct hub_db *db, const struct hub_log_key *k,
                         struct hub_log_info *out);

/* Before an event of `station` is stored. A service_log naming a ticket
 * known here must name one of the station. A service_confirm (the served
 * resident's answer at a kiosk): checks the ticket, its PIN's hash and
 * the log, then records the verdict with method kiosk_pin, by
 * "resident". Other kinds: ERR_OK, untouched. A refusal sets *why and
 * returns ERR_OK (the caller keeps the event aside). */
err_code hub_db_confirm_event(struct hub_db *db, const char *station,
                              const struct proto_event *ev, int64_t at,
                              const char **why);

/* One log with its verdict; the strings live until the callback returns. */
struct hub_log_row {
    const char *device, *epoch, *station, *member_no, *category, *day;
    int64_t     seq, decided_ms;
    int         minutes, points;
    const char *status, *method, *rating, *confirmed_by, *reason;
    const char *served_place, *served_ticket;
};
/* Each log of station (NULL: all) by station, device, epoch and seq. */
err_code hub_db_logs_each(struct hub_db *db, const char *station,
                          void (*fn)(void *ctx, const struct hub_log_row *r),
                          void *ctx);

#endif
