/* hub/hub_rules.h - the kiosk's rules, applied again by the hub to every
 * uploaded event before it is stored (sync/PROTOCOL.md, "What the hub
 * refuses"): a kiosk's certificate is all it takes to upload, so the hub
 * believes nothing the kiosk would itself have refused. The checks that
 * need the roster (member known, of the certificate's station) are the
 * store's (hub_db_events.c); these need none. */
#ifndef HUB_RULES_H
#define HUB_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sync/proto.h"

/* Longest visit a check-out may report: a visit never spans a day. */
#define HUB_VISIT_MAX_MINUTES (24 * 60)

/* True when `s` is valid UTF-8 free of control characters (U+0000-U+001F,
 * U+007F-U+009F) and bidi controls (U+200E, U+200F, U+202A-U+202E,
 * U+2066-U+2069); else false with why ("control character", ...). */
bool hub_rules_text_ok(const char *s, const char **why);

/* True when the event passes; else false with a short reason in `why`
 * (cap bytes). event_ms is the event's time by the hub's clock: a service
 * log's day is judged against it, not against the hub's now, so a kiosk
 * syncing after a week offline keeps its logs. station is the
 * certificate's. */
bool hub_rules_check(const struct proto_event *ev, int64_t event_ms,
                     const char *station, char *why, size_t cap);

#endif
