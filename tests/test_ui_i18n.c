/* tests/test_ui_i18n.c - the string tables: both languages hold the same
 * keys, format strings take the same conversions in the same order (a
 * mismatch would be undefined behaviour in printf), and every key the
 * domain hands the screens (categories, notes) is present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/log.h"
#include "firmware/service.h"
#include "ui/i18n.h"

/* The keys a file defines, in file order. */
static size_t file_keys(const char *path, char keys[][64], size_t cap)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t n = 0;

    assert_non_null(f);
    while (fgets(line, sizeof line, f) && n < cap) {
        char *eq = strchr(line, '=');
        if (line[0] == '#' || eq == NULL)
            continue;
        while (eq > line && eq[-1] == ' ')
            eq--;
        *eq = '\0';
        if (strlen(line) >= 64)
            fail_msg("key too long: %s", line);
        memcpy(keys[n++], line, strlen(line) + 1);
    }
    fclose(f);
    return n;
}

/* The printf conversions of s, e.g. "%d%s" for "%d月%d日 %s" -> "dds". */
static void conversions(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    for (; *s && n + 1 < cap; s++) {
        if (*s != '%')
            continue;
        s++;
        while (*s && strchr("0123456789.-", *s))
            s++;
        while (*s == 'l')
            out[n++] = *s++;
        if (*s && *s != '%')
            out[n++] = *s;
    }
    out[n] = '\0';
}

static void both_languages_have_the_same_keys_and_formats(void **st)
{
    static char zk[I18N_MAX_ENTRIES][64], ek[I18N_MAX_ENTRIES][64];
    struct i18n *zh, *en;
    size_t nz, ne;

    (void)st;
    assert_int_equal(i18n_load("assets/i18n", "zh_CN", &zh), ERR_OK);
    assert_int_equal(i18n_load("assets/i18n", "en", &en), ERR_OK);
    nz = file_keys("assets/i18n/zh_CN.txt", zk, I18N_MAX_ENTRIES);
    ne = file_keys("assets/i18n/en.txt", ek, I18N_MAX_ENTRIES);
    assert_int_equal(nz, ne);
    for (size_t i = 0; i < nz; i++) {
        char a[16], b[16];
        if (!i18n_has(en, zk[i]))
            fail_msg("en lacks %s", zk[i]);
        if (!i18n_has(zh, ek[i]))
            fail_msg("zh_CN lacks %s", ek[i]);
        conversions(i18n_get(zh, zk[i]), a, sizeof a);
        conversions(i18n_get(en, zk[i]), b, sizeof b);
        if (strcmp(a, b) != 0)
            fail_msg("%s: zh_CN takes %%%s, en takes %%%s", zk[i], a, b);
    }
    i18n_destroy(zh);
    i18n_destroy(en);
}

static void domain_keys_are_translated(void **st)
{
    struct i18n *t[2];
    const char *langs[2] = { "zh_CN", "en" };
    size_t n;
    char key[64];

    (void)st;
    for (int l = 0; l < 2; l++) {
        assert_int_equal(i18n_load("assets/i18n", langs[l], &t[l]), ERR_OK);
        const struct service_category *c = service_categories(&n);
        for (size_t i = 0; i < n; i++) {
            snprintf(key, sizeof key, "cat.%s", c[i].key);
            if (!i18n_has(t[l], key))
                fail_msg("%s lacks %s", langs[l], key);
        }
        const char *const *notes = service_note_presets(&n);
        for (size_t i = 0; i < n; i++)
            if (!i18n_has(t[l], notes[i]))
                fail_msg("%s lacks %s", langs[l], notes[i]);
        i18n_destroy(t[l]);
    }
}

static void missing_key_shows_itself_and_bad_file_is_refused(void **st)
{
    struct i18n *t;
    FILE *f;

    (void)st;
    log_set_level(LOG_LVL_ERROR + 0);
    assert_int_equal(i18n_load("assets/i18n", "en", &t), ERR_OK);
    assert_string_equal(i18n_get(t, "no.such.key"), "no.such.key");
    assert_string_equal(i18n_get(t, "id.scan_or_type"),
                        "Please scan your member card\n"
                        "or type your member number");
    i18n_destroy(t);
    f = fopen("/tmp/ui-i18n-bad.txt", "w");
    assert_non_null(f);
    fputs("good = yes\nthis line has no equals sign\n", f);
    fclose(f);
    assert_int_equal(i18n_load("/tmp", "ui-i18n-bad", &t), ERR_INVAL);
    assert_null(t);
    assert_int_equal(i18n_load("/tmp", "ui-i18n-none", &t), ERR_IO);
    remove("/tmp/ui-i18n-bad.txt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(both_languages_have_the_same_keys_and_formats),
        cmocka_unit_test(domain_keys_are_translated),
        cmocka_unit_test(missing_key_shows_itself_and_bad_file_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
