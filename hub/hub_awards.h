/* hub/hub_awards.h - `hubctl awards YEAR`: the year-end awards of each
 * station (年度表彰): its excellent posts (优秀监督岗), ranked by their
 * holders' confirmed points on the post that year, per holder, and its
 * excellent members (优秀党员), ranked by their points of the year as the
 * star board counts them. Recorded in the store, reported as CSV and
 * published to the station's kiosks (award changes) for the star board
 * screen's 年度表彰 panel. */
#ifndef HUB_AWARDS_H
#define HUB_AWARDS_H

#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_AWARDS_MAX 50           /* of either kind, per station */

struct hub_awards_opts {
    int year;                       /* 2000 .. 2200 */
    int posts;                      /* how many posts: 2 by default */
    int members;                    /* how many members: 10 by default */
    int utc_offset_minutes;         /* where the year starts */
    /* Who computed them: each station's awards are audited
     * (`awards.publish`, object station:ID, after: year and how many of
     * each kind) in that station's transaction. NULL: not audited (tests
     * and the timer only; hubctl and the console always name one). */
    const char *actor;
};

/* Rank, record and publish the awards of year for every station; CSV
 * (year,station,kind,rank,subject,name,points) to out. Ties share a
 * rank (1, 2, 2, 4) and a tie at the last place is awarded whole, so a
 * station may have more than o->members awarded; nobody with no points
 * is. A rerun replaces the year's awards; the kiosks hold the last
 * awards published. *changes: award changes sent. ERR_INVAL (said on
 * err): year or counts out of range. */
err_code hub_awards_run(struct hub_db *db, const struct hub_awards_opts *o,
                        FILE *out, FILE *err, int *changes);

#endif
