/* base/card.h - signed member, registration and technician cards:
 * the text payload a QR code carries, and its offline check against the
 * hub's credential keys, the revocation list, the clock and the station.
 *
 *   KC1.<kind>.<id>.<scope>.<issued>.<expires>.<serial>.<kid>.<sig>
 *   KC1.M.HQ0001.sq-hongqi-01.20261101.20271231.1.3f9a0c1d.<86 chars>
 *
 * The signature is ECDSA P-256 over SHA-256 of everything before the last
 * '.', as base64url (no padding) of r||s. docs/cards.md has the rules. */
#ifndef CARD_H
#define CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/sig_key.h"

#define CARD_PREFIX    "KC1"
#define CARD_ID_MAX    31       /* member or technician id, [A-Za-z0-9-] */
#define CARD_SCOPE_MAX 40       /* station id, "prefix*" or "*" */
#define CARD_KID_MAX   16       /* key id, [a-z0-9-] */
#define CARD_SERIAL_MAX 999999
/* Bytes a QR code of version 10 at level M holds in byte mode; every
 * card fits (tests/test_card.c checks the longest one with libqrencode). */
#define CARD_TEXT_MAX  213
/* "M.<id>.<serial>": what a revocation names. */
#define CARD_CARD_ID   (2 + CARD_ID_MAX + 1 + 6 + 1)

enum card_kind {
    CARD_MEMBER = 'M',          /* check in and out */
    CARD_REGISTRATION = 'R',    /* a 报到 slip */
    CARD_TECHNICIAN = 'T',      /* opens technician mode */
};

struct card {
    enum card_kind kind;
    char           id[CARD_ID_MAX + 1];
    char           scope[CARD_SCOPE_MAX + 1];
    int64_t        issued_day;      /* days since 1970-01-01, a calendar */
    int64_t        expires_day;     /* date read in the station's time */
    uint32_t       serial;          /* 1..CARD_SERIAL_MAX */
    char           kid[CARD_KID_MAX + 1];
    uint8_t        sig[SIG_KEY_SIG_LEN];
    size_t         signed_len;      /* bytes of the text the sig covers */
};

/* Why a card was refused; CARD_OK when it was not. */
enum card_verdict {
    CARD_OK = 0,
    CARD_UNREADABLE,        /* not a well-formed card */
    CARD_UNKNOWN_KEY,       /* key id not among the hub's keys */
    CARD_FORGED,            /* the signature does not match */
    CARD_REVOKED,           /* on the synced revocation list */
    CARD_OTHER_STATION,     /* scope does not cover this station */
    CARD_EXPIRED,           /* past its expiry, or its key retired */
    CARD_NOT_YET_VALID,     /* issued for a later day (trusted clock) */
};

const char *card_verdict_name(enum card_verdict v);   /* "forged", ... */

/* Syntax only, no signature check: ERR_INVAL unless text is exactly one
 * canonical card (re-encoding it gives the same bytes). */
err_code card_parse(const char *text, size_t len, struct card *out);

/* The signed part of c (everything but the signature, with the final
 * '.'); ERR_INVAL if a field is out of range or cap is too small. */
err_code card_encode_body(const struct card *c, char *out, size_t cap,
                          size_t *len);
/* Sign c with key and write the whole card text; c->sig and
 * c->signed_len are set. */
err_code card_sign(struct card *c, const struct sig_key *key, char *out,
                   size_t cap, size_t *len);

/* "M.HQ0001.3", the id revocations use. */
void card_credential_id(const struct card *c, char out[CARD_CARD_ID]);
/* A card's dates as "YYYY-MM-DD" (out has 11 bytes); ERR_INVAL on a bad
 * string. */
void     card_ymd(int64_t day, char out[11]);
err_code card_parse_ymd(const char *s, int64_t *day);

/* base64url without padding; encode needs cap >= 4 * n / 3 + 2. */
size_t   card_b64url_encode(const uint8_t *in, size_t n, char *out,
                            size_t cap);
/* ERR_INVAL unless in is canonical base64url of exactly want bytes. */
err_code card_b64url_decode(const char *in, size_t len, uint8_t *out,
                            size_t want);

/* ---- verification ------------------------------------------------------ */

/* The hub's credential public keys, each usable until not_after_ms. */
struct card_keyset;
void     card_keyset_create(struct card_keyset **out);
void     card_keyset_destroy(struct card_keyset *ks);  /* NULL is a no-op */
/* ERR_INVAL: a bad kid or not a P-256 point (or the set is full). A kid
 * already present is replaced, unless point and time are the same: then
 * the parsed key, with the tables its first verify built, is kept. */
err_code card_keyset_add(struct card_keyset *ks, const char *kid,
                         const uint8_t point[SIG_KEY_PUB_LEN],
                         int64_t not_after_ms);
/* Forget kid (no-op if absent). */
void     card_keyset_remove(struct card_keyset *ks, const char *kid);

/* How the station judges time (docs/cards.md, "Clock"). */
struct card_policy {
    const char *station_id;
    int         utc_offset_minutes;
    int64_t     now_ms;             /* the local wall clock */
    bool        clock_trusted;
    int64_t     hub_time_ms;        /* last hub time learned; 0 unknown */
    /* Skip the station check: a member of another station of the same
     * hub registering (报到) here, where the hub allows it. Whether the
     * card's scope covers station_id is card_scope_covers's to say. */
    bool        any_station;
};

/* Whether a card's scope (a station id, "prefix*" or "*") covers the
 * station. */
bool card_scope_covers(const char *scope, const char *station);

/* Whether the card with this credential id is revoked. */
typedef err_code (*card_revoked_fn)(void *ctx, const char *card_id,
                                    bool *revoked);

/* Parse and check a scanned card. ERR_OK with *verdict CARD_OK when it is
 * good; ERR_DENIED with the first check that failed in *verdict (and out
 * filled as far as parsed); an error from `revoked` passes through. */
err_code card_verify(const char *text, size_t len,
                     const struct card_keyset *ks, card_revoked_fn revoked,
                     void *ctx, const struct card_policy *p,
                     struct card *out, enum card_verdict *verdict);

#endif
