/* base/service_rules.h - the rules of a service log (服务记实) that the kiosk
 * applies when a member logs one and the hub applies again when it stores
 * the upload: the fixed category list, the minute bounds, the note length
 * and the back-fill window. Written once, here, so both sides agree. */
#ifndef SERVICE_RULES_H
#define SERVICE_RULES_H

#include <stddef.h>
#include <stdint.h>

#define SERVICE_MIN_MINUTES 15
#define SERVICE_MAX_MINUTES 720          /* one long day's duty */
#define SERVICE_NOTE_MAX    120          /* bytes of UTF-8 */
/* The longest back-fill window a kiosk may be configured with; the hub
 * allows it to every kiosk (it does not know their settings). */
#define SERVICE_BACKFILL_MAX_DAYS 31

struct service_category {
    const char *key;        /* stored and synced: "patrol" */
    const char *zh;         /* 治安巡逻 */
    const char *en;         /* Patrol */
    /* Credited by a rule, never logged by hand (the duty desk's shift,
     * firmware/desk.h): not offered on the service-log screen and
     * refused by service_log(). Such categories come last in the list. */
    int         by_rule;
};

/* The fixed list, in display order; *n gets its length. */
const struct service_category *service_categories(size_t *n);
const struct service_category *service_category_find(const char *key);

/* Preset notes offered by the screen (keys into the string tables). */
const char *const *service_note_presets(size_t *n);

/* A preset note with its names, and which categories it fits. */
struct service_note {
    const char *key;        /* stored as the note: "note.visited_elderly" */
    const char *zh;         /* 走访慰问老人 */
    const char *en;
    const char *fits;       /* category keys, space-separated */
};
/* The presets that fit category (all of them for "other"), in display
 * order, up to cap into out; returns how many. */
size_t service_notes_for(const char *category,
                         const struct service_note **out, size_t cap);
/* A stored note as people read it: a preset's name in Chinese (zh) or
 * English, anything else as it was stored. */
const char *service_note_text(const char *note, int zh);

enum service_refusal {
    SERVICE_OK = 0,
    SERVICE_UNKNOWN_MEMBER,
    SERVICE_INACTIVE_MEMBER,
    SERVICE_UNKNOWN_CATEGORY,
    SERVICE_MINUTES_OUT_OF_RANGE,
    SERVICE_DAY_IN_FUTURE,
    SERVICE_DAY_TOO_OLD,
    SERVICE_NOTE_TOO_LONG,
    SERVICE_SERVED_MALFORMED,    /* base/service_confirm.h served_check */
};

/* The checks that need no database: category, minutes, note length, and
 * the day (a local day number) against `today` and the back-fill window.
 * A NULL note is none. */
enum service_refusal service_rules_check(const char *category, int minutes,
                                         int64_t day, int64_t today,
                                         int backfill_days, const char *note);

#endif
