/* firmware/credential.c - turns a scanned line or a typed number into a
 * credential. A line is untrusted input from a USB device: bounded,
 * printable ASCII only, and anything unexpected is "unreadable". Cards
 * are checked offline by base/card.c with the key and revocations
 * this file looks up in the store. Must not: write to the store. */
#include "firmware/credential.h"

#include "base/pinhash.h"

#include <stdlib.h>
#include <string.h>

#include "firmware/store_card.h"
#include "base/xmalloc.h"

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

struct credential_checker {
    const struct config *cfg;
    struct store        *store;
    struct card_keyset  *keys;
};

void credential_checker_create(const struct config *cfg, struct store *s,
                               struct credential_checker **out)
{
    struct credential_checker *c = xcalloc(1, sizeof *c);

    c->cfg = cfg;
    c->store = s;
    card_keyset_create(&c->keys);
    *out = c;
}

void credential_checker_destroy(struct credential_checker *c)
{
    if (c == NULL)
        return;
    card_keyset_destroy(c->keys);
    free(c);
}

/* Bring the cached key named kid in line with the store: unchanged keys
 * keep their parsed form, changed ones are parsed again, and deleted or
 * damaged ones are dropped (the card is then "unknown key"). */
static err_code sync_key(struct credential_checker *c, const char *kid)
{
    uint8_t point[SIG_KEY_PUB_LEN];
    int64_t not_after;
    err_code e = store_card_key_get(c->store, kid, point, &not_after);

    if (e == ERR_OK && card_keyset_add(c->keys, kid, point, not_after)
        == ERR_OK)
        return ERR_OK;
    card_keyset_remove(c->keys, kid);
    return e == ERR_NOTFOUND || e == ERR_CORRUPT || e == ERR_OK ? ERR_OK : e;
}

static err_code check_card(struct credential_checker *ck,
                           const struct stamp *now, unsigned accept,
                           const char *line, size_t n,
                           struct credential *out,
                           enum credential_refusal *why)
{
    struct card_policy p = {
        .station_id = ck->cfg->station_id,
        .utc_offset_minutes = ck->cfg->utc_offset_minutes,
        .now_ms = now->wall_ms,
        .clock_trusted = now->clock_trusted,
        .hub_time_ms = store_card_hub_time(ck->store),
        .any_station = (accept & CRED_ACCEPT_OTHER_STATION) != 0,
    };
    enum card_verdict v;
    struct card c;
    err_code e;

    if (card_parse(line, n, &c) != ERR_OK)
        return ERR_INVAL;
    e = sync_key(ck, c.kid);
    if (e == ERR_OK)
        e = card_verify(line, n, ck->keys, is_revoked, ck->store, &p, &c, &v);
    if (e != ERR_OK && e != ERR_DENIED)
        return e;
    *why = refusal_of(v);
    if (e == ERR_DENIED)
        return ERR_DENIED;
    out->kind = kind_of(c.kind);
    str_copy(out->id, sizeof out->id, c.id);
    card_credential_id(&c, out->card_id);
    out->expires_day = c.expires_day;
    out->other_station = !card_scope_covers(c.scope, ck->cfg->station_id);
    str_copy(out->home_station, sizeof out->home_station, c.scope);
    if (out->other_station && c.kind == CARD_TECHNICIAN) {
        *why = CRED_OTHER_STATION;        /* never a technician elsewhere */
        return ERR_DENIED;
    }
    return ERR_OK;
}

err_code credential_check(struct credential_checker *c,
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
        e = check_card(c, now, accept, line, n, out, why);
    } else if (!id_ok(line)) {
        return ERR_INVAL;
    } else if (!c->cfg->allow_member_number) {
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

err_code credential_parse(const struct config *cfg, struct store *s,
                          const struct stamp *now, unsigned accept,
                          const char *line, struct credential *out,
                          enum credential_refusal *why)
{
    struct credential_checker *c;
    err_code e;

    credential_checker_create(cfg, s, &c);
    e = credential_check(c, now, accept, line, out, why);
    credential_checker_destroy(c);
    return e;
}

/* The phone as the roster masks it ("138****0001") keeps the last four
 * digits: that is all phone4 needs, and the kiosk never holds more. */
static err_code phone4_check(const struct member *m, const char *secret)
{
    size_t n = strlen(m->phone_masked);
    const char *last = m->phone_masked + (n >= 4 ? n - 4 : 0);

    if (n < 4 || strspn(last, "0123456789") != 4)
        return ERR_UNSUPPORTED;
    return strcmp(last, secret) == 0 ? ERR_OK : ERR_DENIED;
}

err_code credential_member_secret(const struct config *cfg, struct store *s,
                                  const char *member_no, const char *secret)
{
    struct member m;
    err_code e = store_member_get(s, member_no, &m);

    if (e != ERR_OK)
        return e;
    if (strcmp(cfg->member_check, "phone4") == 0)
        return phone4_check(&m, secret);
    if (m.pin_hash[0] == '\0')
        return ERR_UNSUPPORTED;
    e = pinhash_verify(m.pin_hash, secret);
    return e == ERR_INVAL ? ERR_UNSUPPORTED : e;
}

err_code credential_member_has_secret(const struct config *cfg,
                                      struct store *s, const char *member_no)
{
    /* An empty answer never matches and costs no hashing: what comes back
     * says only whether there is something to match. */
    err_code e = credential_member_secret(cfg, s, member_no, "");
    return e == ERR_DENIED ? ERR_OK : e;
}
