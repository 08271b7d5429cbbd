/* hub/hub_report.h - what hubctl reports on stdout: CSV per member and
 * month, per station and month, the fleet, a device's events, and the
 * published update bundles. */
#ifndef HUB_REPORT_H
#define HUB_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

/* Per member and month: check-ins, visit minutes, confirmed service
 * minutes, points. */
err_code hub_report_members(struct hub_db *db, int utc_offset_minutes,
                            FILE *out);
/* Per station and month: roster size, members who checked in, check-ins,
 * check-in rate. */
err_code hub_report_stations(struct hub_db *db, int utc_offset_minutes,
                             FILE *out);
/* Each kiosk: station, last contact, version, queue, clock offset,
 * acknowledged seq, state, last rollback. */
err_code hub_report_fleet(struct hub_db *db, FILE *out);
/* Calls for staff (呼叫工作人员) from kiosks, newest first: at (UTC),
 * local time, station, device, screen, seq. */
err_code hub_report_calls(struct hub_db *db, int utc_offset_minutes,
                          FILE *out);
/* Events held for a device (seq, kind, member, time, corrected). */
err_code hub_report_events(struct hub_db *db, const char *device, FILE *out);
/* Certificates issued to kiosks (of device; NULL: all): device,
 * station, serial, sha256, state (current, superseded, revoked), issued
 * and changed (UTC, "" for never). */
err_code hub_report_certs(struct hub_db *db, const char *device, FILE *out);
/* Every report is CSV that a spreadsheet opens safely (base/csv.h): text
 * quoted, formula-like text neutralised, numbers bare; the header row is
 * plain names. */
/* Published bundles: name, version, station ("all" for every station),
 * size in bytes, published (UTC); CSV, or aligned columns for reading. */
err_code hub_report_bundles(struct hub_db *db, bool csv, FILE *out);

#endif
