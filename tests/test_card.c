/* tests/test_card.c - the card payload: canonical encoding, the parser's
 * table of good and bad texts, base64url, the longest card fitting a QR
 * code of version 10 at level M, and the P-256 keys it rests on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <qrencode.h>

#include "base/card.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define SIG86 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
              "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static int64_t day_of(const char *ymd)
{
    int64_t d = 0;

    assert_int_equal(card_parse_ymd(ymd, &d), ERR_OK);
    return d;
}

struct parse_case {
    const char *text;
    err_code    want;
};

static void parser_takes_only_canonical_cards(void **state)
{
    const struct parse_case cases[] = {
        { "KC1.M.HQ0001.sq-hongqi-01.20261101.20271231.1.ab12." SIG86, ERR_OK },
        { "KC1.R.HQ0001.sq-hongqi-*.20261101.20261101.7.k." SIG86, ERR_OK },
        { "KC1.T.tech-7.*.20000101.20991231.999999.a-b." SIG86, ERR_OK },
        { "KC2.M.HQ0001.s.20261101.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.X.HQ0001.s.20261101.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.MM.HQ0001.s.20261101.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M..s.20261101.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ_01.s.20261101.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001..20261101.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.a*b.20261101.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.**.20261101.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.20260230.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.19991231.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.2026111.20271231.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.20271231.20261101.1.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.20261101.20271231.0.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.20261101.20271231.01.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.20261101.20271231.1000000.ab." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.20261101.20271231.1.AB." SIG86, ERR_INVAL },
        { "KC1.M.HQ0001.s.20261101.20271231.1.ab." SIG86 "A", ERR_INVAL },
        { "KC1.M.HQ0001.s.20261101.20271231.1.ab." SIG86 ".x", ERR_INVAL },
        /* 86 characters carry 516 bits; the 4 spare ones must be 0. */
        { "KC1.M.HQ0001.s.20261101.20271231.1.ab."
          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
          "AAAAAAAAAAAAAAAAAAAB", ERR_INVAL },
        { "KC1.M.HQ0001.s.20261101.20271231.1.ab." SIG86 "\n", ERR_INVAL },
        { "KC1.M.HQ0001.s.20261101.20271231.1.ab", ERR_INVAL },
        { "", ERR_INVAL },
    };
    struct card c;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (card_parse(cases[i].text, strlen(cases[i].text), &c) !=
            cases[i].want)
            fail_msg("case %zu: %s", i, cases[i].text);
    assert_int_equal(card_parse(cases[0].text, strlen(cases[0].text), &c),
                     ERR_OK);
    assert_int_equal(c.kind, CARD_MEMBER);
    assert_string_equal(c.id, "HQ0001");
    assert_string_equal(c.scope, "sq-hongqi-01");
    assert_true(c.issued_day == day_of("2026-11-01"));
    assert_true(c.expires_day == day_of("2027-12-31"));
    assert_int_equal(c.serial, 1);
    assert_string_equal(c.kid, "ab12");
    assert_int_equal(c.signed_len, strlen(cases[0].text) - 86);
    /* An embedded NUL is never part of a card. */
    assert_int_equal(card_parse("KC1.M\0x", 7, &c), ERR_INVAL);
}

static void base64url_round_trips(void **state)
{
    uint8_t in[66], out[66];
    char text[100];

    (void)state;
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 37 + 250);
    for (size_t n = 1; n <= sizeof in; n++) {
        size_t len = card_b64url_encode(in, n, text, sizeof text);

        assert_int_equal(len, (n * 8 + 5) / 6);
        assert_null(strchr(text, '='));
        assert_int_equal(card_b64url_decode(text, len, out, n), ERR_OK);
        assert_memory_equal(in, out, n);
        assert_int_equal(card_b64url_decode(text, len, out, n + 1),
                         ERR_INVAL);
    }
    assert_int_equal(card_b64url_decode("+/", 2, out, 1), ERR_INVAL);
}

static struct sig_key *new_key(void)
{
    struct sig_key *k = NULL;

    assert_int_equal(sig_key_generate(&k), ERR_OK);
    return k;
}

/* The longest card there can be still fits a QR code of version 10 at
 * level M in byte mode, which a phone camera and a cheap scanner read. */
static void longest_card_fits_qr_version_10(void **state)
{
    struct sig_key *k = new_key();
    struct card c = { .kind = CARD_REGISTRATION, .serial = CARD_SERIAL_MAX };
    char text[CARD_TEXT_MAX + 1];
    size_t len;
    QRcode *qr;

    (void)state;
    memset(c.id, 'W', CARD_ID_MAX);
    memset(c.scope, 'w', CARD_SCOPE_MAX - 1);
    c.scope[CARD_SCOPE_MAX - 1] = '*';
    memset(c.kid, 'z', CARD_KID_MAX);
    c.issued_day = day_of("2026-11-01");
    c.expires_day = day_of("2099-12-31");
    assert_int_equal(card_sign(&c, k, text, sizeof text, &len), ERR_OK);
    assert_int_equal(strlen(text), len);
    assert_true(len <= CARD_TEXT_MAX);
    qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    assert_non_null(qr);
    assert_true(qr->version <= 10);
    QRcode_free(qr);
    /* One character more in any field is refused, not encoded. */
    c.id[CARD_ID_MAX] = 'W';
    assert_int_equal(card_encode_body(&c, text, sizeof text, &len),
                     ERR_INVAL);
    sig_key_free(k);
}

static void keys_sign_verify_and_persist(void **state)
{
    struct sig_key *k = new_key(), *other = new_key(), *loaded, *pub, *bad;
    uint8_t point[SIG_KEY_PUB_LEN], sig[SIG_KEY_SIG_LEN];
    char dir[] = "/tmp/test_card.XXXXXX", path[64];

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/k.pem", dir);
    assert_int_equal(sig_key_private_save(k, path), ERR_OK);
    assert_int_equal(sig_key_private_save(k, path), ERR_IO);  /* no clobber */
    assert_int_equal(sig_key_private_load(path, &loaded), ERR_OK);
    assert_int_equal(sig_key_sign(loaded, "hello", 5, sig), ERR_OK);
    sig_key_public_export(k, point);
    assert_int_equal(sig_key_public_parse(point, sizeof point, &pub), ERR_OK);
    assert_int_equal(sig_key_verify(pub, "hello", 5, sig), ERR_OK);
    assert_int_equal(sig_key_verify(pub, "hellp", 5, sig), ERR_DENIED);
    assert_int_equal(sig_key_verify(other, "hello", 5, sig), ERR_DENIED);
    assert_int_equal(sig_key_sign(pub, "hello", 5, sig), ERR_INVAL);
    point[64] ^= 1;                     /* off the curve */
    assert_int_equal(sig_key_public_parse(point, sizeof point, &bad),
                     ERR_INVAL);
    assert_null(bad);
    assert_int_equal(sig_key_public_parse(point, 33, &bad), ERR_INVAL);
    unlink(path);
    assert_int_equal(sig_key_private_load(path, &bad), ERR_IO);
    rmdir(dir);
    sig_key_free(pub);
    sig_key_free(loaded);
    sig_key_free(other);
    sig_key_free(k);
}

static err_code none_revoked(void *ctx, const char *id, bool *revoked)
{
    (void)ctx;
    (void)id;
    *revoked = false;
    return ERR_OK;
}

/* Local midnight in UTC+8 ends the expiry day; the not-yet-valid check
 * needs a trusted clock; the key's own end counts too. */
static void verify_judges_days_in_station_time(void **state)
{
    struct sig_key *k = new_key();
    struct card c = { .kind = CARD_MEMBER, .serial = 3 }, out;
    struct card_keyset *ks;
    struct card_policy p = { .station_id = "st-1", .utc_offset_minutes = 480,
                             .clock_trusted = true };
    uint8_t point[SIG_KEY_PUB_LEN];
    char text[CARD_TEXT_MAX + 1];
    enum card_verdict v;
    size_t len;
    int64_t first = day_of("2026-11-01"), last = day_of("2026-11-30");
    const int64_t day = 86400000, h8 = 8 * 3600000;
    const struct {
        int64_t at;
        bool    trusted;
        enum card_verdict want;
    } cases[] = {
        { first * day - h8, true, CARD_OK },            /* 00:00 local */
        { first * day - h8 - 1, true, CARD_NOT_YET_VALID },
        { first * day - h8 - 1, false, CARD_OK },
        { (last + 1) * day - h8 - 1, true, CARD_OK },   /* 23:59:59.999 */
        { (last + 1) * day - h8, true, CARD_EXPIRED },
        { (last + 1) * day - h8, false, CARD_EXPIRED },
    };

    (void)state;
    strcpy(c.id, "HQ9");
    strcpy(c.scope, "st-1");
    strcpy(c.kid, "k1");
    c.issued_day = first;
    c.expires_day = last;
    assert_int_equal(card_sign(&c, k, text, sizeof text, &len), ERR_OK);
    sig_key_public_export(k, point);
    card_keyset_create(&ks);
    assert_int_equal(card_keyset_add(ks, "k1", point, INT64_MAX), ERR_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        p.now_ms = cases[i].at;
        p.clock_trusted = cases[i].trusted;
        card_verify(text, len, ks, none_revoked, NULL, &p, &out, &v);
        if (v != cases[i].want)
            fail_msg("case %zu: %s", i, card_verdict_name(v));
    }
    p.now_ms = first * day;
    assert_int_equal(card_keyset_add(ks, "k1", point, p.now_ms - 1), ERR_OK);
    assert_int_equal(card_verify(text, len, ks, none_revoked, NULL, &p, &out,
                                 &v), ERR_DENIED);
    assert_int_equal(v, CARD_EXPIRED);
    card_keyset_destroy(ks);
    sig_key_free(k);
}

/* The example in docs/cards.md is a real card. */
static void documented_example_verifies(void **state)
{
    static const char key[] = "BAFqq8__w_siSwW-ge_IjLVbVN682b4qE7jg5VhNUdII"
        "SgpXc_aipeLqeUkWALBiUyV_c18iywaZbBBrl5Gpz14";
    static const char text[] = "KC1.M.HQ0001.sq-hongqi-01.20261101.20271031"
        ".1.e7a5231d.IPmw1pGe640EytNt9cMC4BlK0JUT11Mz5Qand7YooNGkhHw3pL5Ub7"
        "IZlhXPG4HSbQijtN-VYEYYTzWsxk6RBg";
    struct card_policy p = { .station_id = "sq-hongqi-01",
                             .utc_offset_minutes = 480,
                             .clock_trusted = true };
    uint8_t point[SIG_KEY_PUB_LEN];
    struct card_keyset *ks;
    enum card_verdict v;
    struct card c;

    (void)state;
    p.now_ms = day_of("2027-01-01") * 86400000;
    assert_int_equal(card_b64url_decode(key, strlen(key), point,
                                        sizeof point), ERR_OK);
    card_keyset_create(&ks);
    assert_int_equal(card_keyset_add(ks, "e7a5231d", point, 4102444800000),
                     ERR_OK);
    assert_int_equal(card_verify(text, strlen(text), ks, none_revoked, NULL,
                                 &p, &c, &v), ERR_OK);
    assert_int_equal(c.signed_len, 55);
    card_keyset_destroy(ks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_takes_only_canonical_cards),
        cmocka_unit_test(base64url_round_trips),
        cmocka_unit_test(longest_card_fits_qr_version_10),
        cmocka_unit_test(keys_sign_verify_and_persist),
        cmocka_unit_test(verify_judges_days_in_station_time),
        cmocka_unit_test(documented_example_verifies),
    };

    log_set_level(LOG_LVL_WARN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
