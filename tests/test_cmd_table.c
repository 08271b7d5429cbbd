/* tests/test_cmd_table.c - a CLI's command table: lookup by name, the
 * argument counts it enforces (exit status 2 and the command's usage
 * line), and the usage text printed from it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/cmd_table.h"

/* What the last handler saw. */
struct seen {
    const char *name;
    int         argc;
    const char *first;
};

static int run_one(void *ctx, int argc, char **argv)
{
    struct seen *s = ctx;
    s->name = argv[0];
    s->argc = argc;
    s->first = argc > 1 ? argv[1] : NULL;
    return 7;
}

static const struct cmd_entry table[] = {
    { "sync", "", 0, 0, run_one, "one round with the hub" },
    { "add-station", "ID NAME", 2, 2, run_one, "add a station" },
    { "init", "[HOST...]", 0, -1, run_one, "make the keys" },
    { "publish", "KIND FILE [--station S] [--utc-offset MIN]", 2, 2,
      run_one, "publish a board" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

/* Run cmd_run with stderr going to a buffer; *err gets what it printed
 * (malloc'd). */
static int run_capturing(int argc, char **argv, struct seen *s, char **err)
{
    FILE *tmp = tmpfile();
    int saved = dup(2);
    long len;

    assert_non_null(tmp);
    fflush(stderr);
    dup2(fileno(tmp), 2);
    int rc = cmd_run("prog", table, s, argc, argv);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fseek(tmp, 0, SEEK_END);
    len = ftell(tmp);
    *err = calloc(1, (size_t)len + 1);
    rewind(tmp);
    assert_int_equal(fread(*err, 1, (size_t)len, tmp), (size_t)len);
    fclose(tmp);
    return rc;
}

static void commands_are_found_by_name(void **state)
{
    (void)state;
    assert_ptr_equal(cmd_find(table, "sync"), &table[0]);
    assert_ptr_equal(cmd_find(table, "publish"), &table[3]);
    assert_null(cmd_find(table, "syn"));
    assert_null(cmd_find(table, "Sync"));
    assert_null(cmd_find(table, ""));
}

static void a_command_runs_with_its_arguments(void **state)
{
    char a0[] = "add-station", a1[] = "s1", a2[] = "Station One";
    char *argv[] = { a0, a1, a2 };
    struct seen s = { 0 };
    char *err = NULL;

    (void)state;
    assert_int_equal(run_capturing(3, argv, &s, &err), 7);
    assert_string_equal(s.name, "add-station");
    assert_int_equal(s.argc, 3);
    assert_string_equal(s.first, "s1");
    assert_string_equal(err, "");
    free(err);
}

static void any_number_when_the_maximum_is_negative(void **state)
{
    char a0[] = "init", h[] = "h";
    char *argv[] = { a0, h, h, h, h, h, h };
    struct seen s = { 0 };
    char *err = NULL;

    (void)state;
    assert_int_equal(run_capturing(1, argv, &s, &err), 7);
    free(err);
    assert_int_equal(run_capturing(7, argv, &s, &err), 7);
    assert_int_equal(s.argc, 7);
    free(err);
}

static void wrong_counts_give_2_and_the_usage_line(void **state)
{
    char a0[] = "add-station", a1[] = "s1", b0[] = "sync", b1[] = "now";
    char *few[] = { a0, a1 }, *many[] = { b0, b1 };
    struct seen s = { 0 };
    char *err = NULL;

    (void)state;
    assert_int_equal(run_capturing(2, few, &s, &err), 2);
    assert_null(s.name);                           /* never ran */
    assert_non_null(strstr(err, "prog: wrong arguments"));
    assert_non_null(strstr(err, "\n  add-station ID NAME "));
    assert_non_null(strstr(err, "add a station\n"));
    free(err);
    assert_int_equal(run_capturing(2, many, &s, &err), 2);
    assert_null(s.name);
    assert_non_null(strstr(err, "\n  sync "));
    free(err);
}

static void an_unknown_command_gives_2(void **state)
{
    char a0[] = "frobnicate";
    char *argv[] = { a0 };
    struct seen s = { 0 };
    char *err = NULL;

    (void)state;
    assert_int_equal(run_capturing(1, argv, &s, &err), 2);
    assert_null(s.name);
    assert_non_null(strstr(err, "prog: unknown command: frobnicate"));
    free(err);
    assert_int_equal(run_capturing(0, argv, &s, &err), 2);
    free(err);
}

static void usage_is_aligned_with_long_heads_on_their_own_line(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    cmd_print_usage(f, table);
    fclose(f);
    /* Every help starts in column 33; a head of 30 or more characters
     * takes a line of its own. */
    assert_string_equal(text,
        "  sync                           one round with the hub\n"
        "  add-station ID NAME            add a station\n"
        "  init [HOST...]                 make the keys\n"
        "  publish KIND FILE [--station S] [--utc-offset MIN]\n"
        "                                 publish a board\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commands_are_found_by_name),
        cmocka_unit_test(a_command_runs_with_its_arguments),
        cmocka_unit_test(any_number_when_the_maximum_is_negative),
        cmocka_unit_test(wrong_counts_give_2_and_the_usage_line),
        cmocka_unit_test(an_unknown_command_gives_2),
        cmocka_unit_test(usage_is_aligned_with_long_heads_on_their_own_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
