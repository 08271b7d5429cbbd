/* hub/hub_rules.c - the rules an uploaded event must pass (hub_rules.h),
 * with the service-log rules from base/service_rules.h. */
#include "hub/hub_rules.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "base/ledger.h"
#include "base/service_confirm.h"
#include "base/service_rules.h"

/* One UTF-8 sequence at s into *cp; its length, 0 when malformed
 * (overlong, surrogate, past U+10FFFF, cut short). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
    static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2
             : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0)
        return 0;
    uint32_t c = n == 1 ? s[0] : s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

static bool is_bidi(uint32_t c)
{
    return c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

bool hub_rules_text_ok(const char *s, const char **why)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c;
        size_t n = utf8_next(p, &c);
        if (n == 0) {
            *why = "invalid UTF-8";
            return false;
        }
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
            *why = "control character";
            return false;
        }
        if (is_bidi(c)) {
            *why = "bidi control character";
            return false;
        }
        p += n;
    }
    return true;
}

/* Every string (keys included) anywhere in the data object. */
static bool json_text_ok(const cJSON *o, const char **why)
{
    if (o->string && !hub_rules_text_ok(o->string, why))
        return false;
    if (cJSON_IsString(o))
        return hub_rules_text_ok(o->valuestring, why);
    for (const cJSON *c = o->child; c; c = c->next)
        if (!json_text_ok(c, why))
            return false;
    return true;
}

/* A whole number in [lo, hi] named `name`; false when missing. */
static bool whole_in(const cJSON *d, const char *name, double lo, double hi,
                     int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, name);
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
        v->valuedouble < lo || v->valuedouble > hi)
        return false;
    *out = (int)v->valuedouble;
    return true;
}

static const char *service_refusal_text(enum service_refusal r)
{
    switch (r) {
    case SERVICE_UNKNOWN_CATEGORY:     return "unknown category";
    case SERVICE_MINUTES_OUT_OF_RANGE: return "minutes out of range";
    case SERVICE_DAY_IN_FUTURE:        return "day after the event";
    case SERVICE_DAY_TOO_OLD:          return "day before the back-fill window";
    case SERVICE_NOTE_TOO_LONG:        return "note too long";
    default:                           return "refused by the service rules";
    }
}

/* The kiosk's rules with the day judged from the event's time: its day
 * is local to the kiosk, whose offset the hub does not know, so one day
 * either way is allowed for the time zone, and the longest back-fill
 * window a kiosk may be configured with. */
static const char *service_log_check(const cJSON *d, int64_t event_ms)
{
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(d, "category");
    const cJSON *day = cJSON_GetObjectItemCaseSensitive(d, "day");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(d, "note");
    int minutes;
    int64_t dn;
    if (!cJSON_IsString(cat))
        return "unknown category";
    if (!cJSON_GetObjectItemCaseSensitive(d, "minutes") ||
        !whole_in(d, "minutes", -1e6, 1e6, &minutes))
        return "minutes out of range";
    if (!cJSON_IsString(day) || clock_parse_ymd(day->valuestring, &dn)
        != ERR_OK)
        return "malformed day";
    if (note && !cJSON_IsString(note))
        return "malformed note";
    const cJSON *place = cJSON_GetObjectItemCaseSensitive(d, "served_place");
    const cJSON *ticket = cJSON_GetObjectItemCaseSensitive(d, "served_ticket");
    if ((place && !cJSON_IsString(place)) || (ticket && !cJSON_IsString(ticket)))
        return "malformed served";
    const char *bad = served_check(place ? place->valuestring : "",
                                   ticket ? ticket->valuestring : "");
    if (bad)
        return bad;
    int64_t event_day = event_ms / 86400000;
    enum service_refusal r = service_rules_check(
        cat->valuestring, minutes, dn, event_day + 1,
        SERVICE_BACKFILL_MAX_DAYS + 2, note ? note->valuestring : NULL);
    return r == SERVICE_OK ? NULL : service_refusal_text(r);
}

static const char *check_out_check(const cJSON *d)
{
    int v;
    if (!whole_in(d, "minutes", 0, HUB_VISIT_MAX_MINUTES, &v))
        return "visit minutes out of range";
    if (!whole_in(d, "in_seq", 1, 9007199254740992.0, &v))
        return "malformed in_seq";
    return NULL;
}

static const char *jstr(const cJSON *d, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The duty desk's visitor (firmware/desk.h): the kiosk's bounds again;
 * the ticket a visitor was passed on to is the store's to find. */
static const char *visitor_check(const cJSON *d, int64_t event_ms)
{
    const char *type = jstr(d, "type"), *b = jstr(d, "building");
    const char *u = jstr(d, "unit"), *text = jstr(d, "text");
    const char *out = jstr(d, "outcome"), *reason = jstr(d, "reason");
    const char *ticket = jstr(d, "ticket"), *day = jstr(d, "day"), *bad;
    int64_t dn;
    if (!type || !type[0] || strlen(type) >= 32)
        return "unknown type";
    if (!b || !u || strlen(b) >= 16 || strlen(u) >= 16)
        return "malformed place";
    if ((bad = ledger_text_check(text ? text : "", LEDGER_TEXT_CHARS, true)))
        return bad;
    if (!out || (strcmp(out, "done") != 0 && strcmp(out, "passed_on") != 0 &&
                 strcmp(out, "cannot") != 0))
        return "unknown outcome";
    if (strcmp(out, "cannot") == 0 &&
        ledger_text_check(reason ? reason : "", LEDGER_REASON_CHARS, true))
        return "reason missing or too long";
    if (strcmp(out, "cannot") != 0 && reason && reason[0])
        return "a reason without 不能办理";
    if (strcmp(out, "passed_on") == 0 ? !ticket || !ledger_ticket_ok(ticket)
                                      : ticket && ticket[0])
        return "malformed ticket";
    if (!day || clock_parse_ymd(day, &dn) != ERR_OK)
        return "malformed day";
    /* The kiosk's local day, within a day of the event's UTC day. */
    if (dn < event_ms / 86400000 - 1 || dn > event_ms / 86400000 + 1)
        return "day not the event's";
    return NULL;
}

static const char *kind_check(const struct proto_event *ev, const cJSON *d,
                              int64_t event_ms, const char *station)
{
    if (strcmp(ev->kind, "visitor") == 0)
        return visitor_check(d, event_ms);
    if (strcmp(ev->kind, "service_log") == 0)
        return service_log_check(d, event_ms);
    if (strcmp(ev->kind, "check_out") == 0)
        return check_out_check(d);
    if (strcmp(ev->kind, "registration") == 0) {
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(d, "station");
        if (st && (!cJSON_IsString(st) ||
                   strcmp(st->valuestring, station) != 0))
            return "registration for another station";
    }
    return NULL;
}

bool hub_rules_check(const struct proto_event *ev, int64_t event_ms,
                     const char *station, char *why, size_t cap)
{
    const char *bad = NULL;
    if (!hub_rules_text_ok(ev->member_no, &bad) ||
        !hub_rules_text_ok(ev->boot_id, &bad)) {
        snprintf(why, cap, "%s", bad);
        return false;
    }
    cJSON *d = cJSON_Parse(ev->data);
    if (!cJSON_IsObject(d))
        bad = "malformed data";
    else if (!json_text_ok(d, &bad))
        ;
    else
        bad = kind_check(ev, d, event_ms, station);
    cJSON_Delete(d);
    if (bad)
        snprintf(why, cap, "%s", bad);
    return bad == NULL;
}
