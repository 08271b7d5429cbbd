/* base/service_confirm.h - how a service log is confirmed (服务确认), as
 * both sides know it: the method the confirmation was made by, the served
 * person's rating, the longest rejection reason, and whom a log may name
 * as served (a building/unit, or a ledger ticket / 微心愿 number). The
 * kiosk checks before it stores a log or a resident's answer, the hub
 * again before it accepts the upload (docs/rules.md, "Service
 * confirmation"). */
#ifndef SERVICE_CONFIRM_H
#define SERVICE_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>

enum confirm_method {
    CONFIRM_METHOD_NONE = 0,     /* pending, or a verdict from an old hub */
    CONFIRM_KIOSK_PIN,           /* 居民在终端确认: the ticket's PIN */
    CONFIRM_PHONE,               /* 电话回访 */
    CONFIRM_VISIT,               /* 上门核实 */
    CONFIRM_STAFF,               /* 工作人员确认: the bare confirm */
};

enum confirm_rating {
    CONFIRM_RATING_NONE = 0,
    CONFIRM_SATISFIED,           /* 满意 */
    CONFIRM_BASIC,               /* 基本满意 */
    CONFIRM_UNSATISFIED,         /* 不满意 */
};

/* A rejection's reason, in characters (a Chinese character is one) and
 * bytes as stored. */
#define CONFIRM_REASON_CHARS 60
#define CONFIRM_REASON_BYTES (CONFIRM_REASON_CHARS * 4 + 1)
/* Who confirmed: a staff name or "resident". */
#define CONFIRM_BY_BYTES     64
/* "building/unit" as a log names it (each part as the ledger's pickers
 * give it, under 16 bytes). */
#define SERVED_PLACE_BYTES   32
#define SERVED_TICKET_BYTES  24          /* base/ledger.h LEDGER_TICKET */

/* The wire names "kiosk_pin", "phone", "visit", "staff" ("" for none);
 * parse gives CONFIRM_METHOD_NONE for "" and -1 for an unknown name. */
const char *confirm_method_name(enum confirm_method m);
int         confirm_method_parse(const char *name);
/* "satisfied", "basic", "unsatisfied" ("" for none); as above. */
const char *confirm_rating_name(enum confirm_rating r);
int         confirm_rating_parse(const char *name);

/* Whom a service log names as served: place "" or "BUILDING/UNIT" (each
 * part under 16 bytes, no '/', no control characters; the building not
 * empty, the unit "" for the whole building), ticket "" or a
 * ticket number (ledger_ticket_ok). NULL when it passes, else a short
 * reason ("malformed served place", "malformed served ticket"). */
const char *served_check(const char *place, const char *ticket);

/* A rejection's reason: not empty, at most CONFIRM_REASON_CHARS, one
 * line. NULL when it passes, else "reason missing" / "reason too long" /
 * the ledger's text refusal. */
const char *confirm_reason_check(const char *reason);

/* The reasons a resident picks for 不属实 at the kiosk, in display order:
 * the Chinese words are stored (staff and the hub read them), the English
 * ones only shown. i past the end: NULL. */
#define CONFIRM_REASON_PRESETS 4
const char *confirm_reason_preset(int i, int zh);

#endif
