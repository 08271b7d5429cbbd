/* base/card.c - the card payload: canonical text encoding, parsing of
 * untrusted scanner input, signing (hub) and the offline check (kiosk).
 * Parsing is strict: one spelling per card, every field capped, so the
 * bytes that were signed are the bytes that were read. Must not: touch
 * the store or the network (the caller hands in keys and revocations). */
#include "base/card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

#define FIELDS 9
#define SIG_B64_LEN 86                  /* 64 bytes, unpadded */
#define KEYSET_MAX 16

static const char *const verdict_names[] = {
    [CARD_OK] = "ok",
    [CARD_UNREADABLE] = "unreadable",
    [CARD_UNKNOWN_KEY] = "unknown key",
    [CARD_FORGED] = "forged",
    [CARD_REVOKED] = "revoked",
    [CARD_OTHER_STATION] = "other station",
    [CARD_EXPIRED] = "expired",
    [CARD_NOT_YET_VALID] = "not yet valid",
};

const char *card_verdict_name(enum card_verdict v)
{
    if ((size_t)v >= sizeof verdict_names / sizeof verdict_names[0])
        return "?";
    return verdict_names[v];
}

/* ---- fields ------------------------------------------------------------ */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

static int id_ok(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]) && !is_lower(s[i]) && !is_upper(s[i]) &&
            s[i] != '-')
            return 0;
    return 1;
}

/* A station id, "prefix*" (every station whose id starts so: a
 * community) or "*" (every station of this hub). */
static int scope_ok(const char *s)
{
    size_t n = strlen(s);
    char body[CARD_SCOPE_MAX + 1];

    if (n == 0 || n > CARD_SCOPE_MAX)
        return 0;
    if (s[n - 1] != '*')
        return id_ok(s, CARD_SCOPE_MAX);
    if (n == 1)
        return 1;
    memcpy(body, s, n - 1);
    body[n - 1] = '\0';
    return id_ok(body, CARD_SCOPE_MAX);
}

static int kid_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > CARD_KID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]) && !is_lower(s[i]) && s[i] != '-')
            return 0;
    return 1;
}

static int kind_ok(int k)
{
    return k == CARD_MEMBER || k == CARD_REGISTRATION || k == CARD_TECHNICIAN;
}

/* Calendar arithmetic without libc (Howard Hinnant's days_from_civil),
 * so parsing never depends on the time zone. */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Cards live between these days (2000-01-01 .. 2099-12-31). */
#define DAY_MIN 10957
#define DAY_MAX 47481

static int day_ok(int64_t day)
{
    return day >= DAY_MIN && day <= DAY_MAX;
}

/* "YYYYMMDD" -> day; 0 unless a real date in range. */
static int parse_date8(const char *s, int64_t *day)
{
    int v[3] = { 0, 0, 0 }, y, m, d;
    static const int w[3] = { 4, 2, 2 };
    const char *p = s;

    if (strlen(s) != 8)
        return 0;
    for (int f = 0; f < 3; f++)
        for (int i = 0; i < w[f]; i++, p++) {
            if (!is_digit(*p))
                return 0;
            v[f] = v[f] * 10 + (*p - '0');
        }
    if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
        return 0;
    *day = days_from_civil(v[0], v[1], v[2]);
    civil_from_days(*day, &y, &m, &d);
    return y == v[0] && m == v[1] && d == v[2] && day_ok(*day);
}

/* Write v as exactly w digits (v is never negative here). */
static char *digits(char *p, int v, int w)
{
    for (int i = w - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + w;
}

/* "YYYY" sep "MM" sep "DD", terminated; sep 0 for none. */
static void put_date(int64_t day, char sep, char *out)
{
    int y, m, d;
    char *p = out;

    civil_from_days(day, &y, &m, &d);
    p = digits(p, y % 10000, 4);
    if (sep)
        *p++ = sep;
    p = digits(p, m, 2);
    if (sep)
        *p++ = sep;
    p = digits(p, d, 2);
    *p = '\0';
}

void card_ymd(int64_t day, char out[11])
{
    put_date(day, '-', out);
}

err_code card_parse_ymd(const char *s, int64_t *day)
{
    char d8[9];

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return ERR_INVAL;
    memcpy(d8, s, 4);
    memcpy(d8 + 4, s + 5, 2);
    memcpy(d8 + 6, s + 8, 2);
    d8[8] = '\0';
    return parse_date8(d8, day) ? ERR_OK : ERR_INVAL;
}

/* 1..CARD_SERIAL_MAX, no leading zero. */
static int parse_serial(const char *s, uint32_t *out)
{
    size_t n = strlen(s);
    uint32_t v = 0;

    if (n == 0 || n > 6 || s[0] == '0')
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return 0;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    *out = v;
    return 1;
}

/* ---- base64url --------------------------------------------------------- */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t card_b64url_encode(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        size_t take = n - i < 3 ? n - i : 3;

        if (take > 1)
            v |= (uint32_t)in[i + 1] << 8;
        if (take > 2)
            v |= in[i + 2];
        for (size_t k = 0; k < take + 1; k++) {
            if (o + 1 >= cap)
                break;
            out[o++] = b64[(v >> (18 - 6 * k)) & 63];
        }
    }
    if (cap > 0)
        out[o] = '\0';
    return o;
}

static int b64_val(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

err_code card_b64url_decode(const char *in, size_t len, uint8_t *out,
                            size_t want)
{
    uint32_t acc = 0;
    size_t bits = 0, o = 0;

    if (len != (want * 8 + 5) / 6)
        return ERR_INVAL;
    for (size_t i = 0; i < len; i++) {
        int v = b64_val(in[i]);

        if (v < 0)
            return ERR_INVAL;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    /* Leftover bits must be zero: one spelling per byte string. */
    return o == want && acc == 0 ? ERR_OK : ERR_INVAL;
}

/* ---- text -------------------------------------------------------------- */

/* Split buf in place at '.' into exactly FIELDS fields. */
static int split(char *buf, char *f[FIELDS])
{
    int n = 0;
    char *p = buf;

    for (;;) {
        char *dot = strchr(p, '.');

        if (n == FIELDS)
            return 0;
        f[n++] = p;
        if (dot == NULL)
            break;
        *dot = '\0';
        p = dot + 1;
    }
    return n == FIELDS;
}

static err_code parse_fields(char *f[FIELDS], struct card *c)
{
    if (strcmp(f[0], CARD_PREFIX) != 0 || strlen(f[1]) != 1 ||
        !kind_ok(f[1][0]) || !id_ok(f[2], CARD_ID_MAX) || !scope_ok(f[3]) ||
        !parse_date8(f[4], &c->issued_day) ||
        !parse_date8(f[5], &c->expires_day) ||
        c->expires_day < c->issued_day ||
        !parse_serial(f[6], &c->serial) || !kid_ok(f[7]) ||
        card_b64url_decode(f[8], strlen(f[8]), c->sig, sizeof c->sig))
        return ERR_INVAL;
    c->kind = (enum card_kind)f[1][0];
    str_copy(c->id, sizeof c->id, f[2]);
    str_copy(c->scope, sizeof c->scope, f[3]);
    str_copy(c->kid, sizeof c->kid, f[7]);
    c->signed_len = (size_t)(f[8] - f[0]);
    return ERR_OK;
}

err_code card_parse(const char *text, size_t len, struct card *out)
{
    char buf[CARD_TEXT_MAX + 1], *f[FIELDS];

    memset(out, 0, sizeof *out);
    if (len == 0 || len > CARD_TEXT_MAX || memchr(text, '\0', len))
        return ERR_INVAL;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (!split(buf, f) || parse_fields(f, out) != ERR_OK) {
        memset(out, 0, sizeof *out);
        return ERR_INVAL;
    }
    return ERR_OK;
}

static void date8(int64_t day, char out[9])
{
    put_date(day, 0, out);
}

err_code card_encode_body(const struct card *c, char *out, size_t cap,
                          size_t *len)
{
    char from[9], to[9];
    int n;

    if (!kind_ok(c->kind) || !id_ok(c->id, CARD_ID_MAX) ||
        !scope_ok(c->scope) || !kid_ok(c->kid) || !day_ok(c->issued_day) ||
        !day_ok(c->expires_day) || c->expires_day < c->issued_day ||
        c->serial < 1 || c->serial > CARD_SERIAL_MAX)
        return ERR_INVAL;
    date8(c->issued_day, from);
    date8(c->expires_day, to);
    n = snprintf(out, cap, "%s.%c.%s.%s.%s.%s.%u.%s.", CARD_PREFIX,
                 (char)c->kind, c->id, c->scope, from, to,
                 (unsigned)c->serial, c->kid);
    if (n < 0 || (size_t)n >= cap)
        return ERR_INVAL;
    *len = (size_t)n;
    return ERR_OK;
}

err_code card_sign(struct card *c, const struct sig_key *key, char *out,
                   size_t cap, size_t *len)
{
    size_t body;
    err_code e = card_encode_body(c, out, cap, &body);

    if (e != ERR_OK)
        return e;
    if (body + SIG_B64_LEN + 1 > cap)
        return ERR_INVAL;
    e = sig_key_sign(key, out, body, c->sig);
    if (e != ERR_OK)
        return e;
    c->signed_len = body;
    *len = body + card_b64url_encode(c->sig, sizeof c->sig, out + body,
                                     cap - body);
    return ERR_OK;
}

void card_credential_id(const struct card *c, char out[CARD_CARD_ID])
{
    snprintf(out, CARD_CARD_ID, "%c.%s.%u", (char)c->kind, c->id,
             (unsigned)c->serial);
}

/* ---- verification ------------------------------------------------------ */

struct keyset_entry {
    char            kid[CARD_KID_MAX + 1];
    uint8_t         point[SIG_KEY_PUB_LEN];
    struct sig_key *key;
    int64_t         not_after_ms;
};

/* A hub holds the current key and the few retired ones still in their
 * overlap, so a small array is enough. */
struct card_keyset {
    struct keyset_entry e[KEYSET_MAX];
    size_t              n;
};

void card_keyset_create(struct card_keyset **out)
{
    *out = xcalloc(1, sizeof **out);
}

void card_keyset_destroy(struct card_keyset *ks)
{
    if (ks == NULL)
        return;
    for (size_t i = 0; i < ks->n; i++)
        sig_key_free(ks->e[i].key);
    free(ks);
}

static struct keyset_entry *keyset_find(const struct card_keyset *ks,
                                        const char *kid)
{
    for (size_t i = 0; i < ks->n; i++)
        if (strcmp(ks->e[i].kid, kid) == 0)
            return (struct keyset_entry *)&ks->e[i];
    return NULL;
}

err_code card_keyset_add(struct card_keyset *ks, const char *kid,
                         const uint8_t point[SIG_KEY_PUB_LEN],
                         int64_t not_after_ms)
{
    struct keyset_entry *e = kid_ok(kid) ? keyset_find(ks, kid) : NULL;
    struct sig_key *k;

    if (e != NULL && e->not_after_ms == not_after_ms &&
        memcmp(e->point, point, SIG_KEY_PUB_LEN) == 0)
        return ERR_OK;
    if (!kid_ok(kid) || sig_key_public_parse(point, SIG_KEY_PUB_LEN, &k))
        return ERR_INVAL;
    if (e == NULL) {
        if (ks->n == KEYSET_MAX) {
            sig_key_free(k);
            return ERR_INVAL;
        }
        e = &ks->e[ks->n++];
        str_copy(e->kid, sizeof e->kid, kid);
    } else {
        sig_key_free(e->key);
    }
    e->key = k;
    memcpy(e->point, point, SIG_KEY_PUB_LEN);
    e->not_after_ms = not_after_ms;
    return ERR_OK;
}

void card_keyset_remove(struct card_keyset *ks, const char *kid)
{
    struct keyset_entry *e = keyset_find(ks, kid);

    if (e == NULL)
        return;
    sig_key_free(e->key);
    *e = ks->e[--ks->n];
}

bool card_scope_covers(const char *scope, const char *station)
{
    size_t n = strlen(scope);

    if (n > 0 && scope[n - 1] == '*')
        return strncmp(scope, station, n - 1) == 0;
    return strcmp(scope, station) == 0;
}

/* With an untrusted clock the kiosk may be running in the past, which
 * would let an expired card through: judge expiry by the later of the
 * wall clock and the last hub time, and skip the not-yet-valid check
 * (docs/cards.md, "Clock"). */
static enum card_verdict check_time(const struct card *c,
                                    const struct keyset_entry *k,
                                    const struct card_policy *p)
{
    int64_t judged = p->now_ms;
    int64_t off_ms = (int64_t)p->utc_offset_minutes * 60000;
    int64_t day;

    if (!p->clock_trusted && p->hub_time_ms > judged)
        judged = p->hub_time_ms;
    day = (judged + off_ms) / 86400000 - ((judged + off_ms) % 86400000 < 0);
    if (day > c->expires_day || judged > k->not_after_ms)
        return CARD_EXPIRED;
    if (p->clock_trusted && day < c->issued_day)
        return CARD_NOT_YET_VALID;
    return CARD_OK;
}

static err_code checks(const char *text, const struct card *c,
                       const struct card_keyset *ks, card_revoked_fn revoked,
                       void *ctx, const struct card_policy *p,
                       enum card_verdict *v)
{
    const struct keyset_entry *k = keyset_find(ks, c->kid);
    char id[CARD_CARD_ID];
    bool is_revoked = false;
    err_code e;

    if (k == NULL) {
        *v = CARD_UNKNOWN_KEY;
        return ERR_DENIED;
    }
    if (sig_key_verify(k->key, text, c->signed_len, c->sig) != ERR_OK) {
        *v = CARD_FORGED;
        return ERR_DENIED;
    }
    card_credential_id(c, id);
    e = revoked ? revoked(ctx, id, &is_revoked) : ERR_OK;
    if (e != ERR_OK)
        return e;
    if (is_revoked)
        *v = CARD_REVOKED;
    else if (!p->any_station && !card_scope_covers(c->scope, p->station_id))
        *v = CARD_OTHER_STATION;
    else
        *v = check_time(c, k, p);
    return *v == CARD_OK ? ERR_OK : ERR_DENIED;
}

err_code card_verify(const char *text, size_t len,
                     const struct card_keyset *ks, card_revoked_fn revoked,
                     void *ctx, const struct card_policy *p,
                     struct card *out, enum card_verdict *verdict)
{
    *verdict = CARD_UNREADABLE;
    if (card_parse(text, len, out) != ERR_OK)
        return ERR_DENIED;
    return checks(text, out, ks, revoked, ctx, p, verdict);
}
