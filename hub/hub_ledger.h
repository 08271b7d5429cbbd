/* hub/hub_ledger.h - the issue ledger for staff: loading the types of
 * request and wish (their names, presets, deadline in days and a wish's
 * points: the hub's rules), listing and showing tickets with the overdue
 * flag and the audit trail, and the export per station (a community's
 * station) and period. hubctl calls these; the console will too. */
#ifndef HUB_LEDGER_H
#define HUB_LEDGER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_ledger.h"

/* A JSON array of types (assets/demo/ledger_types.json): each code,
 * name, name_en, kinds ["request","wish"], order, deadline_days (>= 1),
 * points (a fulfilled wish's, 0-HUB_POINTS_MAX) and presets (up to 8
 * strings). Every type is checked before any is kept; *n gets how many
 * changed. ERR_INVAL with the reason on err. */
err_code hub_ledger_types_load(struct hub_db *db, const char *path,
                               FILE *err, int *n);

/* Not answered or closed, and past its deadline (the type's days from
 * filing, or the one set when it was assigned). */
bool hub_ledger_overdue(const struct hub_ticket *t, int64_t now);

/* CSV of tickets (station NULL: all; kind and state NULL: any;
 * overdue_only). ERR_INVAL: an unknown kind or state. */
err_code hub_ledger_list(struct hub_db *db, const char *station,
                         const char *kind, const char *state,
                         bool overdue_only, int64_t now, int utc_offset,
                         FILE *out);
/* One ticket for staff (the callback phone included) and its trail. */
err_code hub_ledger_show(struct hub_db *db, const char *ticket, int64_t now,
                         int utc_offset, FILE *out);
/* Per type, for tickets of station filed on local days [from, to]
 * (YYYY-MM-DD): counts by state, overdue, average hours to accept and to
 * answer, sign-offs, satisfied and the satisfaction rate (percent), and
 * a last row "*" over all types. ERR_INVAL: a bad day. */
err_code hub_ledger_export(struct hub_db *db, const char *station,
                           const char *from, const char *to, int utc_offset,
                           int64_t now, FILE *out);

#endif
