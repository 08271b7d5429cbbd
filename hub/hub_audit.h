/* hub/hub_audit.h - the audit log of every change made through the
 * console or hubctl's account and hierarchy commands: who, when, what,
 * before and after (JSON text). Record inside the SAME transaction as
 * the change (hub_db_begin ... hub_audit_record ... hub_db_commit), so
 * a change is never stored without its line, nor a line without it. */
#ifndef HUB_AUDIT_H
#define HUB_AUDIT_H

#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_users.h"

/* actor: the console user, or "hubctl:<login>" for the CLI. before and
 * after: JSON objects ("" or NULL when there is none: a creation has no
 * before, a deletion no after). */
err_code hub_audit_record(struct hub_db *db, const char *actor,
                          const char *action, const char *object,
                          const char *before_json, const char *after_json);

/* The rows matching f as CSV (at_utc, actor, action, object, before,
 * after), safe to open in a spreadsheet: a field starting with = + - @
 * TAB or CR is prefixed with a quote so it is never run as a formula. */
err_code hub_audit_csv(struct hub_db *db, const struct hub_audit_filter *f,
                       FILE *out);
/* One CSV field, quoted, formula-safe (as above). */
void     hub_audit_csv_field(FILE *out, const char *s);

#endif
