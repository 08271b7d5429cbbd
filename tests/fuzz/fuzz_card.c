/* tests/fuzz/fuzz_card.c - libFuzzer target for the card payload parser
 * and verifier: scanner input is untrusted, so no input may crash, read
 * out of bounds or be accepted in two spellings. Every input that parses
 * must re-encode to exactly the same bytes, and verifying it against a
 * key that did not sign it must never say "ok". */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/card.h"
#include "base/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct card_keyset *keys;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct sig_key *k;
    uint8_t point[SIG_KEY_PUB_LEN];

    (void)argc;
    (void)argv;
    log_set_level(LOG_LVL_ERROR);
    if (sig_key_generate(&k) != ERR_OK)
        abort();
    sig_key_public_export(k, point);
    sig_key_free(k);
    card_keyset_create(&keys);
    /* The seed corpus uses these key ids. */
    card_keyset_add(keys, "c0047feb", point, INT64_MAX);
    card_keyset_add(keys, "k1", point, INT64_MAX);
    return 0;
}

static void round_trips(const uint8_t *data, size_t size, const struct card *c)
{
    char text[CARD_TEXT_MAX + 1];
    size_t len;

    if (card_encode_body(c, text, sizeof text, &len) != ERR_OK)
        abort();
    len += card_b64url_encode(c->sig, sizeof c->sig, text + len,
                              sizeof text - len);
    if (len != size || memcmp(text, data, size) != 0 ||
        c->signed_len >= size)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct card_policy p = { .station_id = "sq-hongqi-01",
                             .utc_offset_minutes = 480,
                             .now_ms = 1795000000000LL,
                             .clock_trusted = size & 1 };
    enum card_verdict v;
    struct card c;

    if (card_parse((const char *)data, size, &c) == ERR_OK)
        round_trips(data, size, &c);
    /* A fresh key signed nothing in the corpus: never "ok". */
    if (card_verify((const char *)data, size, keys, NULL, NULL, &p, &c, &v)
        == ERR_OK || v == CARD_OK)
        abort();
    return 0;
}
