/* base/service_rules.c - the service-log rules both sides apply. */
#include "base/service_rules.h"

#include <string.h>

static const struct service_category categories[] = {
    { "patrol",          "治安巡逻", "Patrol", 0 },
    { "environment",     "环境保护", "Environment", 0 },
    { "mediation",       "邻里调解", "Mediation", 0 },
    { "elderly_care",    "关爱老人", "Elderly care", 0 },
    { "policy_outreach", "政策宣传", "Policy outreach", 0 },
    { "other",           "其他服务", "Other service", 0 },
    { "duty_desk",       "值班接待", "Duty desk", 1 },
};

/* Keys into the string tables; the note stored is the key, so a log reads
 * right in either language. */
static const char *const note_presets[] = {
    "note.helped_neighbour", "note.cleaned_area", "note.visited_elderly",
    "note.explained_policy", "note.night_patrol", "note.event_volunteer",
};

const struct service_category *service_categories(size_t *n)
{
    *n = sizeof categories / sizeof categories[0];
    return categories;
}

const struct service_category *service_category_find(const char *key)
{
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp(categories[i].key, key) == 0)
            return &categories[i];
    return NULL;
}

const char *const *service_note_presets(size_t *n)
{
    *n = sizeof note_presets / sizeof note_presets[0];
    return note_presets;
}

/* The same presets (same keys, same order) with names: the hub has no
 * string tables, and `hubctl pending` must not show a key. */
static const struct service_note notes[] = {
    { "note.helped_neighbour", "帮助邻里", "Helped a neighbour",
      "patrol mediation elderly_care" },
    { "note.cleaned_area", "清理环境卫生", "Cleaned up the area",
      "environment" },
    { "note.visited_elderly", "走访慰问老人", "Visited elderly residents",
      "elderly_care" },
    { "note.explained_policy", "宣讲政策", "Explained a policy",
      "policy_outreach" },
    { "note.night_patrol", "夜间巡逻", "Night patrol", "patrol" },
    { "note.event_volunteer", "活动志愿服务", "Volunteered at an event",
      "environment policy_outreach elderly_care" },
};

static int fits(const char *list, const char *key)
{
    size_t n = strlen(key);

    for (const char *p = list; (p = strstr(p, key)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

size_t service_notes_for(const char *category,
                         const struct service_note **out, size_t cap)
{
    size_t k = 0;
    int all = strcmp(category, "other") == 0;

    for (size_t i = 0; i < sizeof notes / sizeof notes[0] && k < cap; i++)
        if (all || fits(notes[i].fits, category))
            out[k++] = &notes[i];
    return k;
}

const char *service_note_text(const char *note, int zh)
{
    for (size_t i = 0; note && i < sizeof notes / sizeof notes[0]; i++)
        if (strcmp(notes[i].key, note) == 0)
            return zh ? notes[i].zh : notes[i].en;
    return note ? note : "";
}

enum service_refusal service_rules_check(const char *category, int minutes,
                                         int64_t day, int64_t today,
                                         int backfill_days, const char *note)
{
    if (service_category_find(category) == NULL)
        return SERVICE_UNKNOWN_CATEGORY;
    if (minutes < SERVICE_MIN_MINUTES || minutes > SERVICE_MAX_MINUTES)
        return SERVICE_MINUTES_OUT_OF_RANGE;
    if (day > today)
        return SERVICE_DAY_IN_FUTURE;
    if (day < today - backfill_days)
        return SERVICE_DAY_TOO_OLD;
    if (note && strlen(note) > SERVICE_NOTE_MAX)
        return SERVICE_NOTE_TOO_LONG;
    return SERVICE_OK;
}
