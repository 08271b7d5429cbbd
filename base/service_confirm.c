/* base/service_confirm.c - the confirmation vocabulary and the served
 * checks (base/service_confirm.h). */
#include "base/service_confirm.h"

#include <string.h>

#include "base/ledger.h"

static const char *const methods[] = {
    [CONFIRM_METHOD_NONE] = "",
    [CONFIRM_KIOSK_PIN] = "kiosk_pin",
    [CONFIRM_PHONE] = "phone",
    [CONFIRM_VISIT] = "visit",
    [CONFIRM_STAFF] = "staff",
};

static const char *const ratings[] = {
    [CONFIRM_RATING_NONE] = "",
    [CONFIRM_SATISFIED] = "satisfied",
    [CONFIRM_BASIC] = "basic",
    [CONFIRM_UNSATISFIED] = "unsatisfied",
};

#define N_OF(a) (sizeof a / sizeof a[0])

static int parse(const char *const *names, size_t n, const char *s)
{
    if (s == NULL)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

const char *confirm_method_name(enum confirm_method m)
{
    return (unsigned)m < N_OF(methods) ? methods[m] : "";
}

int confirm_method_parse(const char *name)
{
    return parse(methods, N_OF(methods), name);
}

const char *confirm_rating_name(enum confirm_rating r)
{
    return (unsigned)r < N_OF(ratings) ? ratings[r] : "";
}

int confirm_rating_parse(const char *name)
{
    return parse(ratings, N_OF(ratings), name);
}

/* One part of a place: up to 15 bytes of one-line text, no '/'; the
 * building's part not empty (an empty unit is the whole building). */
static bool part_ok(const char *s, size_t n)
{
    if (n > 15)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '/')
            return false;
    return true;
}

const char *served_check(const char *place, const char *ticket)
{
    if (place && place[0]) {
        const char *slash = strchr(place, '/');
        if (slash == NULL || slash == place ||
            !part_ok(place, (size_t)(slash - place)) ||
            !part_ok(slash + 1, strlen(slash + 1)) ||
            ledger_text_check(place, SERVED_PLACE_BYTES, true) != NULL)
            return "malformed served place";
    }
    if (ticket && ticket[0] && !ledger_ticket_ok(ticket))
        return "malformed served ticket";
    return NULL;
}

const char *confirm_reason_check(const char *reason)
{
    const char *bad = ledger_text_check(reason ? reason : "",
                                        CONFIRM_REASON_CHARS, true);
    if (bad == NULL)
        return NULL;
    if (strcmp(bad, "description missing") == 0)
        return "reason missing";
    if (strcmp(bad, "description too long") == 0)
        return "reason too long";
    return bad;
}

static const char *const reason_presets[CONFIRM_REASON_PRESETS][2] = {
    { "没有提供这项服务", "This service was not given" },
    { "服务时长不符", "The time is wrong" },
    { "不是为我提供的服务", "It was not for me" },
    { "服务内容不符", "It was a different service" },
};

const char *confirm_reason_preset(int i, int zh)
{
    if (i < 0 || i >= CONFIRM_REASON_PRESETS)
        return NULL;
    return reason_presets[i][zh ? 0 : 1];
}
