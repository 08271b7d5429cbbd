/* tests/test_phone.c - the one rule that hides members' phone numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/phone.h"

static void phones_are_masked_or_hidden(void **state)
{
    static const struct { const char *in, *out; } cases[] = {
        { "13800000001", "138****0001" },
        { "02088886666", "020****6666" },
        { "1234567", "123****4567" },
        { "123456", "" },
        { "", "" },
        { NULL, "" },
        { "123456789012345678901", "" },
    };
    char out[PHONE_MASKED];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        phone_mask(cases[i].in, out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, out,
                     cases[i].out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phones_are_masked_or_hidden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
