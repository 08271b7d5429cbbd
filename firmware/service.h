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

#endif
