/* hub/hub_card.c - the hub's credential keys and the cards it signs.
 * The private keys never leave this directory; kiosks get the public
 * halves and the revocations through the change feed. Must not: talk to
 * the network or to kiosks directly (hubd's feed and hubctl call this). */
#include "hub/hub_card.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "base/file.h"
#include "base/log.h"
#include "base/sig_key.h"
#include "base/xmalloc.h"

#define KEYS_MAX 16
#define STATE_MAX (64u << 20)           /* cards.json larger is refused */
/* An active key is published as good until 2100-01-01. */
#define FOREVER_MS 4102444800000LL

struct hub_key {
    char            kid[CARD_KID_MAX + 1];
    struct sig_key *key;
    int64_t         not_after_ms;
    int             active;
    int64_t         last_expiry_day;    /* latest card it signed */
};

struct hub_card {
    char           dir[512];
    struct hub_key keys[KEYS_MAX];
    size_t         n_keys;
    cJSON         *serials;             /* "M.HQ0001" -> last serial */
    cJSON         *revoked;             /* credential id -> revoked_ms */
};

static void key_path(const struct hub_card *h, const char *kid, char *out,
                     size_t cap)
{
    snprintf(out, cap, "%s/%s.key", h->dir, kid);
}

/* kid = first 8 hex digits of SHA-256 of the public point: stable, and
 * two keys colliding is a 1 in 4 billion chance checked at creation. */
static void kid_of(const struct sig_key *k, char kid[CARD_KID_MAX + 1])
{
    uint8_t point[SIG_KEY_PUB_LEN], hash[SIG_KEY_HASH_LEN];

    sig_key_public_export(k, point);
    sig_key_sha256(point, sizeof point, hash);
    snprintf(kid, CARD_KID_MAX + 1, "%02x%02x%02x%02x", hash[0], hash[1],
             hash[2], hash[3]);
}

/* NULL with *e = ERR_OK only when there is no state yet: a file that is
 * there but cannot be read (too large, I/O) must not be taken for none,
 * or the next save would write a fresh, empty state over the office's
 * serials and revocations. */
static char *read_file(const char *path, size_t *len, err_code *e)
{
    char *buf;

    *e = file_read_capped(path, STATE_MAX, &buf, len);
    if (*e == ERR_NOTFOUND)
        *e = ERR_OK;
    else if (*e != ERR_OK)
        log_error("hub_card: cannot read %s: %s", path, err_str(*e));
    return buf;
}

static err_code write_atomic(const char *path, const char *text)
{
    err_code e = file_write_atomic(path, text, strlen(text), 0644);

    if (e != ERR_OK)
        log_error("hub_card: cannot write %s", path);
    return e;
}

static err_code save(const struct hub_card *h)
{
    cJSON *root = cJSON_CreateObject(), *keys = cJSON_CreateArray();
    char path[600], *text;
    err_code e;

    for (size_t i = 0; i < h->n_keys; i++) {
        const struct hub_key *k = &h->keys[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "kid", k->kid);
        cJSON_AddNumberToObject(o, "not_after_ms", (double)k->not_after_ms);
        cJSON_AddBoolToObject(o, "active", k->active);
        cJSON_AddNumberToObject(o, "last_expiry_day",
                                (double)k->last_expiry_day);
        cJSON_AddItemToArray(keys, o);
    }
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddItemToObject(root, "keys", keys);
    cJSON_AddItemToObject(root, "serials", cJSON_Duplicate(h->serials, 1));
    cJSON_AddItemToObject(root, "revoked", cJSON_Duplicate(h->revoked, 1));
    text = cJSON_Print(root);
    cJSON_Delete(root);
    snprintf(path, sizeof path, "%s/cards.json", h->dir);
    e = write_atomic(path, text);
    free(text);
    return e;
}

static err_code load_key(struct hub_card *h, const cJSON *o)
{
    const cJSON *kid = cJSON_GetObjectItemCaseSensitive(o, "kid");
    struct hub_key *k;
    char path[600];

    if (!cJSON_IsString(kid) || strlen(kid->valuestring) > CARD_KID_MAX ||
        h->n_keys == KEYS_MAX)
        return ERR_CORRUPT;
    k = &h->keys[h->n_keys];
    str_copy(k->kid, sizeof k->kid, kid->valuestring);
    key_path(h, k->kid, path, sizeof path);
    if (sig_key_private_load(path, &k->key) != ERR_OK)
        return ERR_CORRUPT;
    k->not_after_ms = (int64_t)cJSON_GetNumberValue(
        cJSON_GetObjectItemCaseSensitive(o, "not_after_ms"));
    k->active = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "active"));
    k->last_expiry_day = (int64_t)cJSON_GetNumberValue(
        cJSON_GetObjectItemCaseSensitive(o, "last_expiry_day"));
    h->n_keys++;
    return ERR_OK;
}

static err_code load(struct hub_card *h, const char *text, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(text, len), *o;
    err_code e = ERR_CORRUPT;

    if (!cJSON_IsObject(root))
        goto fail;
    o = cJSON_GetObjectItemCaseSensitive(root, "serials");
    if (cJSON_IsObject(o))
        h->serials = cJSON_DetachItemViaPointer(root, o);
    o = cJSON_GetObjectItemCaseSensitive(root, "revoked");
    if (cJSON_IsObject(o))
        h->revoked = cJSON_DetachItemViaPointer(root, o);
    if (h->serials == NULL || h->revoked == NULL)
        goto fail;
    cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(root, "keys"))
        if (load_key(h, o) != ERR_OK)
            goto fail;
    e = ERR_OK;
fail:
    cJSON_Delete(root);
    return e;
}

err_code hub_card_open(const char *dir, struct hub_card **out)
{
    struct hub_card *h = xcalloc(1, sizeof *h);
    char path[600], *text;
    size_t len = 0;
    err_code e = ERR_OK;

    *out = NULL;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        log_error("hub_card: cannot create %s: %s", dir, strerror(errno));
        free(h);
        return ERR_IO;
    }
    str_copy(h->dir, sizeof h->dir, dir);
    snprintf(path, sizeof path, "%s/cards.json", dir);
    text = read_file(path, &len, &e);
    if (e != ERR_OK) {
        free(h);
        return e;
    }
    if (text != NULL) {
        e = load(h, text, len);
        free(text);
    } else {
        h->serials = cJSON_CreateObject();
        h->revoked = cJSON_CreateObject();
    }
    if (e != ERR_OK) {
        log_error("hub_card: %s is damaged or not ours", path);
        hub_card_close(h);
        return e;
    }
    *out = h;
    return ERR_OK;
}

void hub_card_close(struct hub_card *h)
{
    if (h == NULL)
        return;
    for (size_t i = 0; i < h->n_keys; i++)
        sig_key_free(h->keys[i].key);
    cJSON_Delete(h->revoked);
    cJSON_Delete(h->serials);
    free(h);
}

/* ---- keys -------------------------------------------------------------- */

static struct hub_key *active_key(struct hub_card *h)
{
    for (size_t i = 0; i < h->n_keys; i++)
        if (h->keys[i].active)
            return &h->keys[i];
    return NULL;
}

/* Generate, save (the private half first) and append an active key. */
static err_code add_key(struct hub_card *h, struct hub_key **out)
{
    struct hub_key *k;
    char path[600];
    err_code e;

    if (h->n_keys == KEYS_MAX)
        return ERR_INVAL;
    k = &h->keys[h->n_keys];
    memset(k, 0, sizeof *k);
    e = sig_key_generate(&k->key);
    if (e != ERR_OK)
        return e;
    kid_of(k->key, k->kid);
    for (size_t i = 0; i < h->n_keys; i++)
        if (strcmp(h->keys[i].kid, k->kid) == 0)
            e = ERR_BUSY;           /* astronomically rare: try again */
    key_path(h, k->kid, path, sizeof path);
    if (e == ERR_OK)
        e = sig_key_private_save(k->key, path);
    if (e != ERR_OK) {
        sig_key_free(k->key);
        k->key = NULL;
        return e;
    }
    k->active = 1;
    k->not_after_ms = FOREVER_MS;
    h->n_keys++;
    *out = k;
    return ERR_OK;
}

err_code hub_card_init_key(struct hub_card *h, char kid[CARD_KID_MAX + 1])
{
    struct hub_key *k = active_key(h);
    err_code e;

    if (k == NULL) {
        e = add_key(h, &k);
        if (e == ERR_OK)
            e = save(h);
        if (e != ERR_OK)
            return e;
        log_info("hub_card: new credential key %s", k->kid);
    }
    str_copy(kid, CARD_KID_MAX + 1, k->kid);
    return ERR_OK;
}

err_code hub_card_rotate(struct hub_card *h, int64_t now_ms,
                         int overlap_days, char kid[CARD_KID_MAX + 1])
{
    struct hub_key *old = active_key(h), *k;
    err_code e = add_key(h, &k);

    if (e != ERR_OK)
        return e;
    if (old != NULL) {
        old->active = 0;
        /* Two days past the last expiry date covers every time zone. */
        old->not_after_ms = overlap_days >= 0
            ? now_ms + overlap_days * HUB_CARD_DAY_MS
            : (old->last_expiry_day + 2) * HUB_CARD_DAY_MS;
        if (old->not_after_ms < now_ms)
            old->not_after_ms = now_ms;
    }
    str_copy(kid, CARD_KID_MAX + 1, k->kid);
    return save(h);
}

/* ---- cards ------------------------------------------------------------- */

err_code hub_card_issue(struct hub_card *h, const struct hub_card_request *rq,
                        char *text, size_t cap, struct card *out)
{
    struct hub_key *k = active_key(h);
    char who[CARD_ID_MAX + 4];
    cJSON *last;
    size_t len;
    err_code e;

    if (k == NULL)
        return ERR_NOTFOUND;
    memset(out, 0, sizeof *out);
    out->kind = rq->kind;
    out->issued_day = rq->issued_day;
    out->expires_day = rq->expires_day;
    if (str_copy(out->id, sizeof out->id, rq->id) ||
        str_copy(out->scope, sizeof out->scope, rq->scope))
        return ERR_INVAL;
    str_copy(out->kid, sizeof out->kid, k->kid);
    snprintf(who, sizeof who, "%c.%s", (char)rq->kind, out->id);
    last = cJSON_GetObjectItemCaseSensitive(h->serials, who);
    out->serial = (uint32_t)cJSON_GetNumberValue(last) + 1;
    if (!cJSON_IsNumber(last))
        out->serial = 1;
    e = card_sign(out, k->key, text, cap, &len);
    if (e != ERR_OK)
        return e;
    if (last != NULL)
        cJSON_SetNumberValue(last, out->serial);
    else
        cJSON_AddNumberToObject(h->serials, who, out->serial);
    if (out->expires_day > k->last_expiry_day)
        k->last_expiry_day = out->expires_day;
    return save(h);
}

err_code hub_card_revoke(struct hub_card *h, const char *card_id,
                         int64_t now_ms)
{
    if (card_id[0] == '\0' || strlen(card_id) >= CARD_CARD_ID)
        return ERR_INVAL;
    if (cJSON_GetObjectItemCaseSensitive(h->revoked, card_id) == NULL)
        cJSON_AddNumberToObject(h->revoked, card_id, (double)now_ms);
    return save(h);
}

/* ---- the change feed --------------------------------------------------- */

static cJSON *change(const char *type, const char *key, cJSON *data)
{
    cJSON *c = cJSON_CreateObject();

    cJSON_AddStringToObject(c, "type", type);
    cJSON_AddStringToObject(c, "op", "put");
    cJSON_AddStringToObject(c, "key", key);
    cJSON_AddItemToObject(c, "data", data);
    return c;
}

static cJSON *changes(const struct hub_card *h)
{
    cJSON *arr = cJSON_CreateArray(), *r;

    for (size_t i = 0; i < h->n_keys; i++) {
        const struct hub_key *k = &h->keys[i];
        uint8_t point[SIG_KEY_PUB_LEN];
        char b64[128];
        cJSON *d = cJSON_CreateObject();

        sig_key_public_export(k->key, point);
        card_b64url_encode(point, sizeof point, b64, sizeof b64);
        cJSON_AddStringToObject(d, "public_key", b64);
        cJSON_AddNumberToObject(d, "not_after_ms", (double)k->not_after_ms);
        cJSON_AddItemToArray(arr, change("credential_key", k->kid, d));
    }
    cJSON_ArrayForEach(r, h->revoked) {
        cJSON *d = cJSON_CreateObject();

        cJSON_AddNumberToObject(d, "revoked_ms", r->valuedouble);
        cJSON_AddItemToArray(arr, change("revocation", r->string, d));
    }
    return arr;
}

char *hub_card_changes_json(const struct hub_card *h)
{
    cJSON *arr = changes(h);
    char *s = cJSON_PrintUnformatted(arr);

    cJSON_Delete(arr);
    return s;
}

char *hub_card_page_json(const struct hub_card *h, const char *cursor,
                         int64_t hub_time_ms)
{
    cJSON *page = cJSON_CreateObject();
    char *s;

    cJSON_AddItemToObject(page, "changes", changes(h));
    cJSON_AddStringToObject(page, "cursor", cursor);
    cJSON_AddBoolToObject(page, "more", 0);
    cJSON_AddNumberToObject(page, "hub_time_ms", (double)hub_time_ms);
    s = cJSON_PrintUnformatted(page);
    cJSON_Delete(page);
    return s;
}

err_code hub_card_publish(const struct hub_card *h, hub_card_publish_fn fn,
                          void *ctx)
{
    cJSON *arr = changes(h), *c;
    err_code e = ERR_OK;

    cJSON_ArrayForEach(c, arr) {
        char *data = cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "data"));

        e = fn(ctx, cJSON_GetObjectItem(c, "type")->valuestring,
               cJSON_GetObjectItem(c, "key")->valuestring, data);
        free(data);
        if (e != ERR_OK)
            break;
    }
    cJSON_Delete(arr);
    return e;
}
