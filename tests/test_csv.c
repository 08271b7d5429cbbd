/* tests/test_csv.c - spreadsheet-safe CSV: quoting, formula cells
 * neutralised, and the splitter reading back what the writer wrote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/csv.h"

/* What csv_text writes for s, as a string. */
static const char *written(const char *s)
{
    static char buf[512];
    FILE *f = fmemopen(buf, sizeof buf, "w");

    csv_text(f, s, true);
    fclose(f);
    return buf;
}

static void formula_cells_are_neutralised(void **state)
{
    static const struct { const char *in, *out; } cases[] = {
        { "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
        { "=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\"" },
        { "@SUM(A1:A9)", "\"'@SUM(A1:A9)\"" },
        { "+1+1", "\"'+1+1\"" },
        { "-2+3", "\"'-2+3\"" },
        { "\tx", "\"'\tx\"" },
        { "\rx", "\"'\rx\"" },
        { "张伟", "\"张伟\"" },
        { "a=b", "\"a=b\"" },
        { "", "\"\"" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(written(cases[i].in), cases[i].out);
    assert_string_equal(written(NULL), "\"\"");
}

static void comma_and_newline_keep_their_column(void **state)
{
    char buf[256], *f[4];
    FILE *fp = fmemopen(buf, sizeof buf, "w");

    (void)state;
    csv_text(fp, "王,五", true);
    csv_text(fp, "say \"hi\"", false);
    csv_int(fp, -42, false);
    fclose(fp);
    assert_string_equal(buf, "\"王,五\",\"say \"\"hi\"\"\",-42");
    assert_int_equal(csv_split(buf, f, 3), 3);
    assert_string_equal(f[0], "王,五");
    assert_string_equal(f[1], "say \"hi\"");
    assert_string_equal(f[2], "-42");
}

static void split_counts_and_refuses_broken_quotes(void **state)
{
    char a[] = "a,b,c", b[] = "a,b,c,d", c[] = "\"open,b", d[] = "\"x\"y,z",
         e[] = "", *f[4];

    (void)state;
    assert_int_equal(csv_split(a, f, 3), 3);
    assert_int_equal(csv_split(b, f, 3), 4);
    assert_int_equal(csv_split(c, f, 3), -1);
    assert_int_equal(csv_split(d, f, 3), -1);
    assert_int_equal(csv_split(e, f, 3), 1);
    assert_string_equal(f[0], "");
}

static void formula_like_is_first_character_only(void **state)
{
    (void)state;
    assert_true(csv_formula_like("=1"));
    assert_true(csv_formula_like("@x"));
    assert_false(csv_formula_like("x=1"));
    assert_false(csv_formula_like(""));
    assert_false(csv_formula_like(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formula_cells_are_neutralised),
        cmocka_unit_test(comma_and_newline_keep_their_column),
        cmocka_unit_test(split_counts_and_refuses_broken_quotes),
        cmocka_unit_test(formula_like_is_first_character_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
