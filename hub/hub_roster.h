/* hub/hub_roster.h - `hubctl import`: the roster from CSV. */
#ifndef HUB_ROSTER_H
#define HUB_ROSTER_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "hub/hub_db.h"

#define HUB_CSV_LINE_MAX 1024

/* Roster CSV. The header names the columns, in any order, in English or
 * Chinese: member_no (党员编号), name (姓名), phone (手机号), community
 * (社区), station (服务站), and optionally work_unit (单位: a code of the
 * hub's unit list, `hubctl unit add`) and reg_kind (报到类型: residence
 * 居住地 / paired 结对共建社区); the old five-column file is read as it
 * always was. A file without the unit columns keeps the units the hub
 * holds. An unknown or doubled column refuses the whole file. Every line
 * is checked; each bad one is reported to err as "file:line: reason", or
 * "file:line: column N (value): reason" (a
 * field a spreadsheet would run as a formula, starting with = + - @, tab
 * or CR, is bad: the roster's names reach CSV reports). ERR_INVAL when
 * any line is bad and nothing was imported, unless force (then the good
 * lines are). One transaction; a station's active members missing from
 * the roster are made inactive (reported to err). ERR_DENIED, nothing
 * imported: that would make more than HUB_ROSTER_DROP_PCT percent and
 * more than HUB_ROSTER_DROP_MIN of a station's active members inactive
 * (a truncated file, a roster of one station's new members only) and
 * replace_all is not given. *imported gets how many members. */
#define HUB_ROSTER_DROP_PCT 10
#define HUB_ROSTER_DROP_MIN 5
err_code hub_roster_import(struct hub_db *db, const char *path, bool force,
                           bool replace_all, FILE *err, int *imported);

/* The same import from text in memory (the console's form): label names
 * it in messages; text is changed. dry_run: nothing changes; each bad
 * line goes to o->bad, and what would change to o->row ('+' new, '~'
 * changed or active again, '-' made inactive); the answer is what the
 * import would answer. station_ok (may be NULL) limits the stations a
 * line may name (others read as unknown). actor (NULL: none) gets one
 * audit line "roster.import" per station in the import's transaction. */
struct hub_member;
struct hub_roster_opts {
    bool        force, replace_all, dry_run;
    const char *actor;
    void       *ctx;
    bool      (*station_ok)(void *ctx, const char *station);
    void      (*bad)(void *ctx, int line, const char *why);
    void      (*row)(void *ctx, char what, const struct hub_member *m);
};
err_code hub_roster_import_text(struct hub_db *db, const char *label,
                                char *text, const struct hub_roster_opts *o,
                                FILE *err, int *imported);

/* Edit a member's name and phone and set it active or not (the console),
 * told to the station's kiosks and audited ("member.edit", the actor)
 * in one transaction. ERR_NOTFOUND, ERR_INVAL (reported to err). */
err_code hub_member_edit(struct hub_db *db, const char *actor,
                         const struct hub_member *m, bool active, FILE *err);

/* `hubctl member-pin MEMBER PIN`: the member's PIN for opening their own
 * record with a typed number (station.member_check = pin). Only its
 * salted PBKDF2 hash is kept and sent to the station's kiosks in the
 * member change. ERR_INVAL: not 4-6 digits; ERR_NOTFOUND: no member. */
#define HUB_PIN_MIN  4
#define HUB_PIN_MAX  6
/* Iterations: a 4-6 digit PIN is guessed by trying them all whatever the
 * cost, so what counts is the kiosk's lockout; the hash only keeps the
 * PIN out of sight, and the kiosk checks it within a tap's time. */
#define HUB_PIN_ITER 20000
err_code hub_member_pin_set(struct hub_db *db, const char *member_no,
                            const char *pin, FILE *err);

#endif
