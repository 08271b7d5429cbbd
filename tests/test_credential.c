/* tests/test_credential.c - what a scanned line means. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "firmware/credential.h"

struct cred_case {
    const char              *line;
    bool                     allow_numbers;
    err_code                 err;
    enum credential_refusal  why;
    enum credential_kind     kind;
    const char              *id;
};

static void lines_parse_as_expected(void **state)
{
    static char huge[CREDENTIAL_LINE_MAX + 10];
    const struct cred_case cases[] = {
        { "KSK1:M:HQ0001", true, ERR_OK, CRED_OK, CRED_MEMBER_CARD, "HQ0001" },
        { "KSK1:M:HQ0001", false, ERR_OK, CRED_OK, CRED_MEMBER_CARD, "HQ0001" },
        { "KSK1:R:HQ0002", true, ERR_OK, CRED_OK, CRED_REGISTRATION, "HQ0002" },
        { "KSK1:T:tech-7", true, ERR_OK, CRED_OK, CRED_TECHNICIAN, "tech-7" },
        { "HQ0003", true, ERR_OK, CRED_OK, CRED_MEMBER_NUMBER, "HQ0003" },
        { "HQ0003", false, ERR_DENIED, CRED_NUMBER_NOT_ALLOWED, 0, "" },
        { "", true, ERR_INVAL, CRED_UNREADABLE, 0, "" },
        { "KSK1:X:HQ0001", true, ERR_INVAL, CRED_UNREADABLE, 0, "" },
        { "KSK1:M:", true, ERR_INVAL, CRED_UNREADABLE, 0, "" },
        { "KSK1:M:HQ 01", true, ERR_INVAL, CRED_UNREADABLE, 0, "" },
        { "KSK1:MHQ0001", true, ERR_INVAL, CRED_UNREADABLE, 0, "" },
        { "https://example.invalid/?q=1", true, ERR_INVAL, CRED_UNREADABLE,
          0, "" },
        { "党员", true, ERR_INVAL, CRED_UNREADABLE, 0, "" },
        { "12345678901234567890123456789012", true, ERR_INVAL,
          CRED_UNREADABLE, 0, "" },
        { huge, true, ERR_INVAL, CRED_UNREADABLE, 0, "" },
    };
    struct config cfg;

    (void)state;
    memset(huge, '7', sizeof huge - 1);
    config_defaults(&cfg);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct cred_case *c = &cases[i];
        struct credential cred;
        enum credential_refusal why;
        err_code e;

        cfg.allow_member_number = c->allow_numbers;
        e = credential_parse(&cfg, c->line, &cred, &why);
        if (e != c->err || why != c->why)
            fail_msg("case %zu: got %d/%d", i, e, why);
        if (e == ERR_OK && (cred.kind != c->kind || strcmp(cred.id, c->id)))
            fail_msg("case %zu: kind %d id %s", i, cred.kind, cred.id);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_parse_as_expected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
