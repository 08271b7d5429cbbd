/* hub/hub_db_stats.h - the queries behind the reports of hub/hub_stats.h:
 * check-ins, service and the issue ledger over a period and a set of
 * stations (hub/hub_filter.h), on SQLite and PostgreSQL alike. Rows come
 * to a callback; their strings live until it returns. */
#ifndef HUB_DB_STATS_H
#define HUB_DB_STATS_H

#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_filter.h"

/* The stations a filter covers (all of them when it names none), by id:
 * those with nothing in the period are reported too, with zeros. */
struct hub_stat_station {
    const char *id, *name;
};
err_code hub_db_stats_stations(struct hub_db *db, const struct hub_filter *f,
                               void (*fn)(void *ctx,
                                          const struct hub_stat_station *r),
                               void *ctx);

/* Check-ins of a station in the period (events by their hub time,
 * event_ms). roster: its active members now; roster_checked_in: how
 * many of them checked in there; visit_minutes: the check-outs'. */
struct hub_stat_checkin_station {
    const char *station, *name;
    int64_t     roster, check_ins, members, roster_checked_in;
    int64_t     visit_minutes;
};
err_code hub_db_stats_checkin_stations(
    struct hub_db *db, const struct hub_filter *f,
    void (*fn)(void *ctx, const struct hub_stat_checkin_station *r),
    void *ctx);

/* Per member and station: every active member of the stations' rosters
 * (zeros when they did not come) and anyone else who checked in. days:
 * distinct local days with a check-in; last_ms: the last check-in (0:
 * none). */
struct hub_stat_checkin_member {
    const char *station, *member_no, *name;
    int64_t     check_ins, days, visit_minutes, last_ms;
};
err_code hub_db_stats_checkin_members(
    struct hub_db *db, const struct hub_filter *f,
    void (*fn)(void *ctx, const struct hub_stat_checkin_member *r),
    void *ctx);

/* Service logs of the period by the day the service was done (the
 * log's `day`, back-filled ones included) and their state now. Per
 * station: every station of the filter (member_no NULL, name the
 * station's); per member: members with a log (name the member's). */
struct hub_stat_service {
    const char *station, *member_no, *name;
    int64_t     logs, members, confirmed, confirmed_minutes, pending;
    int64_t     rejected, points;
};
err_code hub_db_stats_service(struct hub_db *db, const struct hub_filter *f,
                              bool per_member,
                              void (*fn)(void *ctx,
                                         const struct hub_stat_service *r),
                              void *ctx);

/* Tickets (requests and wishes) filed in the period, by station. */
struct hub_stat_ticket {
    const char *station;
    const char *kind, *state;     /* "request"/"wish", "closed", ... */
    int64_t     filed_ms, accepted_ms, answered_ms, closed_ms;
    int64_t     deadline_ms;
    int         signoffs, satisfied;
};
err_code hub_db_stats_tickets(struct hub_db *db, const struct hub_filter *f,
                              void (*fn)(void *ctx,
                                         const struct hub_stat_ticket *r),
                              void *ctx);

#endif
