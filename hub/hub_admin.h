/* hub/hub_admin.h - what hubctl does to the hub's store: import the
 * roster, publish boards, confirm or reject service logs, reports and
 * fleet status. Each operation is one transaction: a refused input
 * changes nothing. Publishing compares with what was published before
 * and sends the kiosks only the differences (put / del). */
#ifndef HUB_ADMIN_H
#define HUB_ADMIN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_CSV_LINE_MAX 1024
#define HUB_FILE_MAX     (16 * 1024 * 1024)

/* Roster CSV (header member_no,name,phone,community,station). Every line
 * is checked; each bad one is reported to err as "file:line: reason".
 * ERR_INVAL when any line is bad and nothing was imported, unless force
 * (then the good lines are). *imported gets how many members. */
err_code hub_admin_import_roster(struct hub_db *db, const char *path,
                                 bool force, FILE *err, int *imported);

/* Publish one board file of the demo format: kind is posts, duty,
 * contacts, notices or stars; station NULL publishes to every station.
 * utc_offset_minutes places duty days and notice times. *changes gets
 * how many changes the kiosks will receive. */
err_code hub_admin_publish(struct hub_db *db, const char *kind,
                           const char *path, const char *station,
                           int utc_offset_minutes, FILE *err, int *changes);

/* The star board (星光榜) of `station` computed from the points of its
 * members' confirmed service logs: the top 10 of the month, quarter and
 * year holding now_ms (station time), published like `publish stars`
 * (only what changed; ranks no longer held are deleted). */
err_code hub_admin_publish_stars(struct hub_db *db, const char *station,
                                 int64_t now_ms, int utc_offset_minutes,
                                 FILE *err, int *changes);

/* Pending service logs as CSV. */
err_code hub_admin_pending(struct hub_db *db, FILE *out);
/* Confirm (points < 0: by the rule) or reject one log; the originating
 * kiosk receives a log_status change. ERR_NOTFOUND: no such log. */
err_code hub_admin_decide(struct hub_db *db, const char *device, uint64_t seq,
                          bool confirm, int points);

/* CSV reports: per member and month (check-ins, visit minutes, confirmed
 * service minutes, points), per station and month (check-in rate). */
err_code hub_admin_report_members(struct hub_db *db, int utc_offset_minutes,
                                  FILE *out);
err_code hub_admin_report_stations(struct hub_db *db, int utc_offset_minutes,
                                   FILE *out);
/* Each kiosk: station, last contact, version, queue, clock offset. */
err_code hub_admin_fleet(struct hub_db *db, FILE *out);
/* Events held for a device, as CSV (seq, kind, member, time). */
err_code hub_admin_events(struct hub_db *db, const char *device, FILE *out);

#endif
