/* firmware/service.h - service done elsewhere (服务记实), logged at the kiosk
 * and stored as pending until the community confirms it on the hub. */
#ifndef SERVICE_H
#define SERVICE_H

#include <stddef.h>

#include "base/clock.h"
#include "firmware/config.h"
#include "base/err.h"
#include "base/service_rules.h"
#include "firmware/store.h"

struct service_request {
    const char *member_no;
    const char *category;     /* key */
    int         minutes;
    int         days_ago;     /* 0 = today, up to service_backfill_days */
    const char *note;         /* NULL or "" for none */
    /* Whom it served, optional (base/service_confirm.h): NULL or "". A
     * ticket lets the served resident confirm it at the kiosk. */
    const char *served_place; /* "building/unit" */
    const char *served_ticket;
};

/* Validate and store as pending. ERR_INVAL with *why set for refusals;
 * *out (may be NULL) gets the stored log. */
err_code service_log(struct store *s, const struct config *cfg,
                     const struct service_request *req,
                     const struct stamp *now, enum service_refusal *why,
                     struct service_log *out);
/* The same, done on a post (its id; NULL or "" for none): the upload
 * names it, so the hub counts it by that post's points rule
 * (docs/rules.md "Points"). */
err_code service_log_on_post(struct store *s, const struct config *cfg,
                             const struct service_request *req,
                             const char *post, const struct stamp *now,
                             enum service_refusal *why,
                             struct service_log *out);

/* Inside the caller's transaction, a log the caller has checked: its
 * event and the member's pending log; sets l->seq. For logs credited by
 * a rule (the duty desk's shift, firmware/desk.c). */
err_code service_log_put(struct store *s, const struct config *cfg,
                         struct service_log *l, const struct stamp *now);

#endif
