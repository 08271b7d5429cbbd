/* hub/hub_db_desk.h - the duty desk's store at the hub (来访登记): each
 * visitor a kiosk's duty member logged (EVENT_VISITOR), one row per
 * event in visitor_log, for `hubctl desk-log`; and the once-a-day rule of
 * the duty desk's shift credit across a station's kiosks. Both run inside
 * the upload's transaction (hub_db_events.c): a refusal is the event's. */
#ifndef HUB_DB_DESK_H
#define HUB_DB_DESK_H

#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "sync/proto.h"

/* Tables (hub_db_open runs it), on SQLite and PostgreSQL. */
err_code hub_db_desk_migrate(struct hub_db *db);

/* An uploaded event that passed hub_rules_check and the roster: a
 * visitor passed on must name a ticket of the station already held (the
 * kiosk uploads the filing first); a "duty_desk" service log must be the
 * first of its member and day at the station (two kiosks of a station
 * each see only their own check-outs). *why set: refused, nothing
 * stored. Other kinds: ERR_OK, nothing done. */
err_code hub_db_desk_check(struct hub_db *db, const char *station,
                           const struct proto_event *ev, const char **why);
/* After the event was stored: its visitor_log row. */
err_code hub_db_desk_put(struct hub_db *db, const char *station,
                         const char *device, const char *epoch,
                         const struct proto_event *ev, int64_t at);

struct hub_visitor {
    const char *station, *device, *day, *member_no, *name;
    int64_t     at_ms;
    const char *type, *building, *unit, *text, *outcome, *reason, *ticket;
};

/* Visitors of local day `day` ("YYYY-MM-DD", the kiosk's), of one
 * station (NULL: all), in the order they came. */
err_code hub_db_desk_each(struct hub_db *db, const char *station,
                          const char *day,
                          void (*fn)(void *ctx, const struct hub_visitor *v),
                          void *ctx);

#endif
