/* firmware/summary.h - what a member sees on My record: minutes and points
 * this month / quarter / year, pending and confirmed logs, posts held and
 * next duty shifts. Read-only; answers from the local store alone. */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdbool.h>

#include "base/clock.h"
#include "firmware/config.h"
#include "base/err.h"
#include "firmware/store.h"

#define SUMMARY_LOGS   60           /* the year's, as My record lists */
#define SUMMARY_POSTS  8
#define SUMMARY_SHIFTS 6

struct period_total {
    int visit_minutes;        /* time at the station, closed visits */
    int service_minutes;      /* confirmed service logs */
    int pending_minutes;      /* logs still waiting for confirmation */
    /* The hub's count for the period (every station's confirmed logs,
     * the figure on the star board) when it sent one for this period;
     * otherwise this kiosk's own confirmed logs; and the points of the
     * wishes the member fulfilled (signed off in the period). */
    int points;
    int rank;                 /* on the star board; 0: not on it */
    bool from_hub;            /* points are the hub's count */
};

struct member_summary {
    struct member       member;
    struct period_total month, quarter, year;
    bool                checked_in;
    int64_t             checked_in_ms;
    struct service_log  logs[SUMMARY_LOGS];     /* this year, newest first */
    size_t              n_logs;
    int                 n_pending;
    struct post         posts[SUMMARY_POSTS];
    size_t              n_posts;
    struct duty_shift   shifts[SUMMARY_SHIFTS]; /* today onwards */
    size_t              n_shifts;
};

/* ERR_NOTFOUND: no such member. */
err_code summary_for(struct store *s, const struct config *cfg,
                     const char *member_no, const struct stamp *now,
                     struct member_summary *out);

#endif
