/* tests/test_config.c - the INI file: defaults, good files, and a message
 * naming file, line and key for every bad one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "firmware/config.h"
#include "tests/support/fixture.h"

static char path[300];

static err_code load_text(const char *text, struct config *cfg, char *msg,
                          size_t cap)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return config_load(path, cfg, msg, cap);
}

static void defaults_are_documented_values(void **state)
{
    struct config c;

    (void)state;
    config_defaults(&c);
    assert_string_equal(c.board, "sim");
    assert_string_equal(c.language, "zh_CN");
    assert_int_equal(c.utc_offset_minutes, 480);
    assert_true(c.allow_member_number);
    assert_int_equal(c.width, 1024);
    assert_int_equal(c.service_backfill_days, 7);
}

static void demo_station_file_loads(void **state)
{
    struct config c;
    char msg[300] = "";

    (void)state;
    assert_int_equal(config_load("assets/demo/station.ini", &c, msg,
                                 sizeof msg), ERR_OK);
    assert_string_equal(c.station_id, "sq-hongqi-01");
    assert_true(strlen(c.station_name) > 0);
}

struct bad_case {
    const char *text;
    const char *expect;            /* substring of the message */
};

static void bad_files_name_file_line_and_key(void **state)
{
    const struct bad_case cases[] = {
        { "[station]\nid = a\n[kiosk]\nwidht = 800\n",
          ":4: kiosk.widht: unknown key" },
        { "[kiosk]\nwidth = wide\n", ":2: kiosk.width: not a whole number" },
        { "[kiosk]\nwidth = 99999\n", ":2: kiosk.width: out of range" },
        { "[kiosk]\nboard = raspberry\n", ":2: kiosk.board: not one of" },
        { "[station]\nallow_member_number = maybe\n",
          ":2: station.allow_member_number: not true or false" },
        { "[nowhere]\nx = 1\n", ":2: nowhere.x: unknown key" },
        { "[kiosk\nwidth = 800\n", ":1: syntax error" },
        { "[kiosk]\njust some words\n", ":2: syntax error" },
        /* Found by tests/fuzz/fuzz_config.c: kept as ";x", dumped as
         * a comment. */
        { "[board]\nled =; none fitted\n", ":2: board.led: starts with ';'" },
        /* Also found by it: a continuation line keeps " ;x" in its
         * value, which any other line reads as a comment. */
        { "[hub]\nhost = hub\n  = x ;y\n", ":3: hub.host: holds ' ;'" },
        { "[hub]\nhost = hub\n n\r;x\n", ":3: hub.host: holds a control" },
        { "[hub]\nhost = h\x0e\n", ":2: hub.host: holds a control" },
    };
    struct config c;
    char msg[300];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        msg[0] = '\0';
        assert_int_equal(load_text(cases[i].text, &c, msg, sizeof msg),
                         ERR_INVAL);
        if (strstr(msg, cases[i].expect) == NULL ||
            strncmp(msg, path, strlen(path)) != 0)
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, msg,
                     cases[i].expect);
    }
}

static void missing_file_is_an_io_error_naming_it(void **state)
{
    struct config c;
    char msg[300];

    (void)state;
    assert_int_equal(config_load("/nonexistent/kiosk.ini", &c, msg,
                                 sizeof msg), ERR_IO);
    assert_non_null(strstr(msg, "/nonexistent/kiosk.ini"));
}

static void set_overrides_and_dump_round_trips(void **state)
{
    struct config c, d;
    char msg[300], dump[4096];

    (void)state;
    config_defaults(&c);
    assert_int_equal(config_set(&c, "kiosk", "width", "800", msg, sizeof msg),
                     ERR_OK);
    assert_int_equal(c.width, 800);
    assert_int_equal(config_set(&c, "kiosk", "language", "fr", msg,
                                sizeof msg), ERR_INVAL);
    config_dump(&c, dump, sizeof dump);
    assert_int_equal(load_text(dump, &d, msg, sizeof msg), ERR_OK);
    assert_memory_equal(&c, &d, sizeof c);
}

/* Privacy, voice and GPIO settings: defaults and bounds. */
static void privacy_voice_and_gpio_keys(void **state)
{
    struct config c;
    char msg[300];

    (void)state;
    config_defaults(&c);
    assert_string_equal(c.member_check, "pin");
    assert_int_equal(c.pin_tries, 5);
    assert_int_equal(c.pin_lock_minutes, 15);
    assert_int_equal(c.member_digits, 0);
    assert_false(c.voice);
    assert_int_equal(c.voice_volume, 80);
    assert_string_equal(c.gpio_chip, "");
    assert_int_equal(c.led_line, -1);
    assert_int_equal(c.buzzer_line, -1);
    assert_int_equal(config_set(&c, "station", "member_check", "phone4",
                                msg, sizeof msg), ERR_OK);
    assert_int_equal(config_set(&c, "station", "member_check", "sms", msg,
                                sizeof msg), ERR_INVAL);
    assert_int_equal(config_set(&c, "station", "pin_tries", "0", msg,
                                sizeof msg), ERR_INVAL);
    assert_int_equal(config_set(&c, "kiosk", "voice_volume", "101", msg,
                                sizeof msg), ERR_INVAL);
    assert_int_equal(config_set(&c, "board", "gpio_chip", "gpiochip0", msg,
                                sizeof msg), ERR_OK);
    assert_int_equal(config_set(&c, "board", "led_line", "17", msg,
                                sizeof msg), ERR_OK);
    assert_int_equal(c.led_line, 17);
    assert_int_equal(config_set(&c, "board", "buzzer_line", "-2", msg,
                                sizeof msg), ERR_INVAL);
}

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/kiosk-config-test-%d.ini", (int)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove(path);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_documented_values),
        cmocka_unit_test(privacy_voice_and_gpio_keys),
        cmocka_unit_test(demo_station_file_loads),
        cmocka_unit_test(bad_files_name_file_line_and_key),
        cmocka_unit_test(missing_file_is_an_io_error_naming_it),
        cmocka_unit_test(set_overrides_and_dump_round_trips),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
