/* firmware/credential.c - turns a scanned line or a typed number into a
 * credential. A line is untrusted input from a USB device: bounded,
 * printable ASCII only, and anything unexpected is "unreadable". Cards
 * are checked offline by firmware/card.c with the key and revocations
 * this file looks up in the store. Must not: write to the store. */
#include "firmware/credential.h"

#include <string.h>

#include "firmware/store_card.h"
#include "firmware/xmalloc.h"

static const struct {
    const char *name, *text;
} refusals[] = {
    [CRED_OK] = { "ok", "OK." },
    [CRED_UNREADABLE] = { "unreadable",
        "This code cannot be read. Please scan your card again." },
    [CRED_NUMBER_NOT_ALLOWED] = { "numbers not allowed",
        "Member numbers are not accepted here; please scan your card." },
    [CRED_FORGED] = { "forged",
        "This card is not genuine. Please ask the station staff." },
    [CRED_EXPIRED] = { "expired",
        "This card has expired. Please ask for a new one." },
    [CRED_NOT_YET_VALID] = { "not yet valid",
        "This card is not valid yet." },
    [CRED_REVOKED] = { "revoked",
        "This card was withdrawn (reported lost or replaced)." },
    [CRED_OTHER_STATION] = { "other station",
        "This card belongs to another station." },
    [CRED_UNKNOWN_KEY] = { "unknown key",
        "This card was issued by an office this kiosk does not know yet." },
    [CRED_WRONG_KIND] = { "wrong kind",
        "This kind of card cannot be used here." },
};

const char *credential_refusal_text(enum credential_refusal why)
{
    if ((size_t)why >= sizeof refusals / sizeof refusals[0])
        return "?";
    return refusals[why].text;
}

const char *credential_refusal_name(enum credential_refusal why)
{
    if ((size_t)why >= sizeof refusals / sizeof refusals[0])
        return "?";
    return refusals[why].name;
}

/* Member ids typed or scanned bare: 1-31 of [A-Za-z0-9-]. */
static int id_ok(const char *id)
{
    size_t n = strlen(id);

    if (n == 0 || n >= CREDENTIAL_ID)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
              (c >= 'a' && c <= 'z') || c == '-'))
            return 0;
    }
    return 1;
}

static enum credential_refusal refusal_of(enum card_verdict v)
{
    switch (v) {
    case CARD_OK:            return CRED_OK;
    case CARD_UNKNOWN_KEY:   return CRED_UNKNOWN_KEY;
    case CARD_FORGED:        return CRED_FORGED;
    case CARD_REVOKED:       return CRED_REVOKED;
    case CARD_OTHER_STATION: return CRED_OTHER_STATION;
    case CARD_EXPIRED:       return CRED_EXPIRED;
    case CARD_NOT_YET_VALID: return CRED_NOT_YET_VALID;
    case CARD_UNREADABLE:    break;
    }
    return CRED_UNREADABLE;
}

static enum credential_kind kind_of(enum card_kind k)
{
    if (k == CARD_REGISTRATION)
        return CRED_REGISTRATION;
    return k == CARD_TECHNICIAN ? CRED_TECHNICIAN : CRED_MEMBER_CARD;
}

static err_code is_revoked(void *ctx, const char *card_id, bool *revoked)
{
    return store_card_revoked(ctx, card_id, revoked);
}

/* The key the card names, alone in a key set: a kiosk sees one card at a
 * time, and parsing one point is cheap next to the verify. */
static err_code load_key(struct store *s, const char *kid,
                         struct card_keyset *ks)
{
    uint8_t point[SIG_KEY_PUB_LEN];
    int64_t not_after;
    err_code e = store_card_key_get(s, kid, point, &not_after);

    if (e == ERR_NOTFOUND || e == ERR_CORRUPT)
        return ERR_OK;          /* the verify says "unknown key" */
    if (e != ERR_OK)
        return e;
    /* A point that does not parse is left out: "unknown key" again. */
    (void)card_keyset_add(ks, kid, point, not_after);
    return ERR_OK;
}

static err_code check_card(const struct config *cfg, struct store *s,
                           const struct stamp *now, const char *line,
                           size_t n, struct credential *out,
                           enum credential_refusal *why)
{
    struct card_policy p = {
        .station_id = cfg->station_id,
        .utc_offset_minutes = cfg->utc_offset_minutes,
        .now_ms = now->wall_ms,
        .clock_trusted = now->clock_trusted,
        .hub_time_ms = store_card_hub_time(s),
    };
    struct card_keyset *ks;
    enum card_verdict v;
    struct card c;
    err_code e;

    if (card_parse(line, n, &c) != ERR_OK)
        return ERR_INVAL;
    card_keyset_create(&ks);
    e = load_key(s, c.kid, ks);
    if (e == ERR_OK)
        e = card_verify(line, n, ks, is_revoked, s, &p, &c, &v);
    card_keyset_destroy(ks);
    if (e != ERR_OK && e != ERR_DENIED)
        return e;
    *why = refusal_of(v);
    if (e == ERR_DENIED)
        return ERR_DENIED;
    out->kind = kind_of(c.kind);
    str_copy(out->id, sizeof out->id, c.id);
    card_credential_id(&c, out->card_id);
    out->expires_day = c.expires_day;
    return ERR_OK;
}

err_code credential_parse(const struct config *cfg, struct store *s,
                          const struct stamp *now, unsigned accept,
                          const char *line, struct credential *out,
                          enum credential_refusal *why)
{
    size_t n = strnlen(line, CREDENTIAL_LINE_MAX + 1);
    err_code e;

    memset(out, 0, sizeof *out);
    *why = CRED_UNREADABLE;
    if (n == 0 || n > CREDENTIAL_LINE_MAX)
        return ERR_INVAL;
    if (strncmp(line, CARD_PREFIX ".", strlen(CARD_PREFIX) + 1) == 0) {
        e = check_card(cfg, s, now, line, n, out, why);
    } else if (!id_ok(line)) {
        return ERR_INVAL;
    } else if (!cfg->allow_member_number) {
        *why = CRED_NUMBER_NOT_ALLOWED;
        return ERR_DENIED;
    } else {
        out->kind = CRED_MEMBER_NUMBER;
        str_copy(out->id, sizeof out->id, line);
        *why = CRED_OK;
        e = ERR_OK;
    }
    if (e == ERR_OK && !(accept & (1u << (out->kind == CRED_MEMBER_NUMBER
                                          ? CRED_MEMBER_CARD : out->kind)))) {
        *why = CRED_WRONG_KIND;
        e = ERR_DENIED;
    }
    if (e != ERR_OK)
        memset(out, 0, sizeof *out);
    return e;
}
