/* base/ledger.c - the ledger's rules both sides apply (base/ledger.h). */
#include "base/ledger.h"

#include <string.h>


static const char *const kind_names[] = {
    [LEDGER_REQUEST] = "request",
    [LEDGER_WISH] = "wish",
};

static const char *const state_names[] = {
    [LEDGER_REGISTERED] = "registered",
    [LEDGER_ACCEPTED] = "accepted",
    [LEDGER_ASSIGNED] = "assigned",
    [LEDGER_ANSWERED] = "answered",
    [LEDGER_CLOSED] = "closed",
    [LEDGER_REOPENED] = "reopened",
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

const char *ledger_kind_name(enum ledger_kind k)
{
    return (unsigned)k < COUNT(kind_names) && kind_names[k] ? kind_names[k]
                                                            : "unknown";
}

enum ledger_kind ledger_kind_parse(const char *name)
{
    for (size_t i = 1; i < COUNT(kind_names); i++)
        if (strcmp(kind_names[i], name) == 0)
            return (enum ledger_kind)i;
    return 0;
}

const char *ledger_state_name(enum ledger_state s)
{
    return (unsigned)s < COUNT(state_names) && state_names[s]
           ? state_names[s] : "unknown";
}

enum ledger_state ledger_state_parse(const char *name)
{
    for (size_t i = 1; i < COUNT(state_names); i++)
        if (strcmp(state_names[i], name) == 0)
            return (enum ledger_state)i;
    return 0;
}

bool ledger_step_ok(enum ledger_kind k, enum ledger_state from,
                    enum ledger_step step)
{
    switch (step) {
    case LEDGER_STEP_ACCEPT:
        return from == LEDGER_REGISTERED;
    case LEDGER_STEP_ASSIGN:
        /* A wish is claimed once: a reopened wish stays its member's. */
        if (k == LEDGER_WISH)
            return from == LEDGER_ACCEPTED;
        return from == LEDGER_ACCEPTED || from == LEDGER_REOPENED;
    case LEDGER_STEP_ANSWER:
        if (k == LEDGER_WISH)
            return from == LEDGER_ASSIGNED || from == LEDGER_REOPENED;
        return from == LEDGER_ACCEPTED || from == LEDGER_ASSIGNED ||
               from == LEDGER_REOPENED;
    case LEDGER_STEP_SIGNOFF:
        return from == LEDGER_ANSWERED;
    }
    return false;
}

/* The length of the UTF-8 sequence at p and its code point; 0 when it
 * is malformed (overlong, surrogate, past U+10FFFF, cut short). */
static size_t utf8_at(const unsigned char *p, unsigned *cp)
{
    size_t n;
    unsigned c = p[0], min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) { n = 2; c &= 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 3; c &= 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 4; c &= 0x07; min = 0x10000; }
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

size_t ledger_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
        unsigned cp;
        size_t k = utf8_at(p, &cp);
        p += k ? k : 1;
    }
    return n;
}

const char *ledger_text_check(const char *s, size_t max_chars,
                              bool required)
{
    size_t n = 0;
    bool visible = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
        unsigned cp;
        size_t k = utf8_at(p, &cp);
        if (k == 0)
            return "invalid UTF-8";
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            return "control character";
        if (cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069))
            return "bidi control character";
        if (cp != ' ' && cp != 0x3000)
            visible = true;
        p += k;
    }
    if (required && !visible)
        return "description missing";
    if (n > max_chars)
        return "description too long";
    return NULL;
}

bool ledger_phone_ok(const char *phone)
{
    size_t n = strlen(phone);
    if (n == 0)
        return true;
    if (n < 5 || n > 15)
        return false;
    for (size_t i = 0; i < n; i++)
        if (phone[i] < '0' || phone[i] > '9')
            return false;
    return true;
}

static size_t span(const char *s, bool (*ok)(char))
{
    size_t n = 0;
    while (s[n] && ok(s[n]))
        n++;
    return n;
}

static bool upper_or_digit(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

bool ledger_ticket_ok(const char *t)
{
    if (strlen(t) >= LEDGER_TICKET)
        return false;
    size_t a = span(t, upper_or_digit);
    if (a < 1 || a > 8 || t[a] != '-')
        return false;
    t += a + 1;
    size_t d = span(t, digit);
    if (d < 1 || d > 3 || t[d] != '-')
        return false;
    t += d + 1;
    size_t n = span(t, digit);
    return n >= 4 && t[n] == '\0';
}

bool ledger_pin_ok(const char *pin)
{
    return strlen(pin) == 4 && span(pin, digit) == 4;
}
