/* firmware/service.h - service done elsewhere (服务记实), logged at the kiosk
 * and stored as pending until the community confirms it on the hub. */
#ifndef SERVICE_H
#define SERVICE_H

#include <stddef.h>

#include "firmware/clock.h"
#include "firmware/config.h"
#include "firmware/err.h"
#include "firmware/store.h"

#define SERVICE_MIN_MINUTES 15
#define SERVICE_MAX_MINUTES 720          /* one long day's duty */
#define SERVICE_NOTE_MAX    120          /* bytes of UTF-8 */

struct service_category {
    const char *key;        /* stored and synced: "patrol" */
    const char *zh;         /* 治安巡逻 */
    const char *en;         /* Patrol */
};

/* The fixed list, in display order; *n gets its length. */
const struct service_category *service_categories(size_t *n);
const struct service_category *service_category_find(const char *key);

/* Preset notes offered by the screen (keys into the string tables). */
const char *const *service_note_presets(size_t *n);

enum service_refusal {
    SERVICE_OK = 0,
    SERVICE_UNKNOWN_MEMBER,
    SERVICE_INACTIVE_MEMBER,
    SERVICE_UNKNOWN_CATEGORY,
    SERVICE_MINUTES_OUT_OF_RANGE,
    SERVICE_DAY_IN_FUTURE,
    SERVICE_DAY_TOO_OLD,
    SERVICE_NOTE_TOO_LONG,
};

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

#endif
