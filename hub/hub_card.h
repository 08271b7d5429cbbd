/* hub/hub_card.h - the hub's side of signed cards: its credential
 * keys (create, rotate with an overlap), issuing cards with the next
 * serial, revoking them, the change-feed entries that carry keys and
 * revocations to kiosks, and printing (QR PNG, an HTML sheet).
 *
 * State lives in one directory: cards.json (keys, serials, revocations,
 * rewritten atomically) and <kid>.key (PEM private keys, mode 0600). */
#ifndef HUB_CARD_H
#define HUB_CARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/card.h"
#include "base/err.h"

#define HUB_CARD_DAY_MS 86400000LL

struct hub_card;

/* Open (creating the directory) the card state in dir. ERR_CORRUPT:
 * cards.json is not ours. */
err_code hub_card_open(const char *dir, struct hub_card **out);
void     hub_card_close(struct hub_card *h);        /* NULL is a no-op */

/* Make the first signing key if there is none; kid gets the active key's
 * id either way. */
err_code hub_card_init_key(struct hub_card *h, char kid[CARD_KID_MAX + 1]);

/* A new signing key; the old one signs no more and stays published
 * until overlap_days from now, or (overlap_days < 0) until the last card
 * it signed expires, so old cards keep working till then. */
err_code hub_card_rotate(struct hub_card *h, int64_t now_ms,
                         int overlap_days, char kid[CARD_KID_MAX + 1]);

struct hub_card_request {
    enum card_kind kind;
    const char    *id;              /* member or technician id */
    const char    *scope;           /* station id, "prefix*" or "*" */
    int64_t        issued_day;      /* days since 1970 (card_parse_ymd) */
    int64_t        expires_day;
};

/* Sign a card with the active key and the member's next serial (so a
 * replacement is a new credential id). text gets the card (cap >=
 * CARD_TEXT_MAX + 1). ERR_INVAL: a field out of range; ERR_NOTFOUND: no
 * key yet (hub_card_init_key). */
err_code hub_card_issue(struct hub_card *h, const struct hub_card_request *rq,
                        char *text, size_t cap, struct card *out);

/* Put credential id ("M.HQ0001.3") on the revocation list. */
err_code hub_card_revoke(struct hub_card *h, const char *card_id,
                         int64_t now_ms);

/* The change-feed entries for every published key ("credential_key")
 * and revocation ("revocation"), as a JSON array; caller frees. */
char *hub_card_changes_json(const struct hub_card *h);
/* A whole change page as a hub sends it (sync/PROTOCOL.md), for the
 * hub's feed and for tests without one; caller frees. */
char *hub_card_page_json(const struct hub_card *h, const char *cursor,
                         int64_t hub_time_ms);

/* Appends one change to the hub's feed (for every station); data is JSON
 * text of the "data" object. */
typedef err_code (*hub_card_publish_fn)(void *ctx, const char *type,
                                        const char *key, const char *data);
/* Hand every key and revocation entry to fn, stopping at its first
 * error. */
err_code hub_card_publish(const struct hub_card *h, hub_card_publish_fn fn,
                          void *ctx);

/* A hub_card_publish_fn for hubd's feed; ctx is the struct hub_db *
 * (hub_card_db.c). */
err_code hub_card_db_publish(void *db, const char *type, const char *key,
                             const char *data);

/* The card commands (cmd/hubctl_card.c) for `hubctl card ...`: argv[0]
 * is the command (init, rotate, issue, roster, revoke, page, help),
 * options anywhere; dir is the card state (NULL: from --dir). After init,
 * rotate and revoke every entry goes to fn (NULL: none; `page` prints
 * them instead). Returns the exit status (2: bad usage). */
int hub_card_cli(const char *dir, int argc, char **argv,
                 hub_card_publish_fn fn, void *ctx);
/* The same, and every card `issue` and `roster` sign goes to rec (with
 * the card state still locked), e.g. into the hub's store so the web
 * console lists it (hub_card_db_record, hub/hub_card_office.h); a
 * failing rec fails the command. */
typedef err_code (*hub_card_record_fn)(void *ctx, const struct card *c,
                                       const char *text);
int hub_card_cli_ex(const char *dir, int argc, char **argv,
                    hub_card_publish_fn fn, void *ctx,
                    hub_card_record_fn rec, void *rec_ctx);

/* The card as a QR code (level M, version <= 10, byte mode) in a PNG:
 * `scale` pixels a module, with the 4-module quiet zone. */
err_code hub_card_qr_png(const char *text, int scale, const char *path);
/* The same PNG written to f (the console serves it from memory). */
err_code hub_card_qr_png_write(const char *text, int scale, FILE *f);

/* One card on a printable sheet. */
struct hub_card_print {
    const char *member_no;
    const char *name;               /* UTF-8, escaped when written */
    const char *png;                /* QR image, relative to the sheet */
    const struct card *card;
};

/* A printable A4 HTML sheet: name, member number, card id, expiry and
 * the QR image of each card. */
err_code hub_card_sheet_html(const char *path, const char *title,
                             const struct hub_card_print *items, size_t n);

#endif
