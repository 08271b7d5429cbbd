/* tests/test_ui_techpin.c - the technician PIN's stored form: made with a
 * random salt, verified in constant time, malformed forms refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/techpin.h"

static void made_hash_verifies_only_its_pin(void **st)
{
    char h[TECHPIN_HASH_MAX];

    (void)st;
    assert_int_equal(techpin_make("2468", 1000, h, sizeof h), ERR_OK);
    assert_int_equal(strncmp(h, "pbkdf2-sha256$1000$", 19), 0);
    assert_int_equal(techpin_verify(h, "2468"), ERR_OK);
    assert_int_equal(techpin_verify(h, "2469"), ERR_DENIED);
    assert_int_equal(techpin_verify(h, ""), ERR_DENIED);
    assert_int_equal(techpin_verify(h, "24680"), ERR_DENIED);
}

static void same_pin_gets_a_different_salt(void **st)
{
    char a[TECHPIN_HASH_MAX], b[TECHPIN_HASH_MAX];

    (void)st;
    assert_int_equal(techpin_make("1234", 10, a, sizeof a), ERR_OK);
    assert_int_equal(techpin_make("1234", 10, b, sizeof b), ERR_OK);
    assert_string_not_equal(a, b);
}

/* A vector computed independently (Python's hashlib.pbkdf2_hmac with
 * SHA-256, PIN "2468", salt 00..0f, 1000 iterations): the stored form is
 * the standard PBKDF2, so tools other than the kiosk can make it. */
static void known_vector_verifies(void **st)
{
    const char *h = "pbkdf2-sha256$1000$000102030405060708090a0b0c0d0e0f$"
                    "da0af9c4241f45ec5701b0f2e490f9c7"
                    "94db8f2aacca766c6081a721d04be295";

    (void)st;
    assert_int_equal(techpin_verify(h, "2468"), ERR_OK);
    assert_int_equal(techpin_verify(h, "2467"), ERR_DENIED);
}

static void malformed_forms_are_refused(void **st)
{
    static const char *const bad[] = {
        "", "1234", "pbkdf2-sha256$", "pbkdf2-sha256$0$00$00",
        "pbkdf2-sha256$abc$000102030405060708090a0b0c0d0e0f$00",
        "pbkdf2-sha256$10$0001$"
        "0000000000000000000000000000000000000000000000000000000000000000",
        "pbkdf2-sha256$10$000102030405060708090a0b0c0d0e0f$zz",
        "pbkdf2-sha1$10$000102030405060708090a0b0c0d0e0f$"
        "0000000000000000000000000000000000000000000000000000000000000000",
        "pbkdf2-sha256$99999999999$000102030405060708090a0b0c0d0e0f$"
        "0000000000000000000000000000000000000000000000000000000000000000",
    };

    (void)st;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(techpin_verify(bad[i], "1234"), ERR_INVAL);
    assert_int_equal(techpin_verify(NULL, "1234"), ERR_INVAL);
}

static void bad_make_arguments_are_refused(void **st)
{
    char h[TECHPIN_HASH_MAX], small[16];

    (void)st;
    assert_int_equal(techpin_make("", 10, h, sizeof h), ERR_INVAL);
    assert_int_equal(techpin_make("1234", 0, h, sizeof h), ERR_INVAL);
    assert_int_equal(techpin_make("1234", 10, small, sizeof small),
                     ERR_INVAL);
    assert_int_equal(techpin_make("123456789012345678901234567890123", 10,
                                  h, sizeof h), ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(made_hash_verifies_only_its_pin),
        cmocka_unit_test(same_pin_gets_a_different_salt),
        cmocka_unit_test(known_vector_verifies),
        cmocka_unit_test(malformed_forms_are_refused),
        cmocka_unit_test(bad_make_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
