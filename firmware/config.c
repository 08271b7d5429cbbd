/* firmware/config.c - INI parsing (Debian's inih) against one table of
 * known keys. Unknown sections or keys are errors, not ignored: a typo in
 * the field must not silently fall back to a default. */
#include "firmware/config.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "base/service_rules.h"
#include "base/xmalloc.h"

enum key_type { KEY_STR, KEY_INT, KEY_BOOL };

struct key {
    const char *section, *name;
    enum key_type type;
    size_t offset, size;
    long min, max;              /* KEY_INT bounds */
    const char *choices;        /* KEY_STR: "a|b|c", or NULL for any text */
    const char *def;            /* default, in file syntax */
};

#define F(field) offsetof(struct config, field), sizeof(((struct config *)0)->field)
#define STR(s, n, field, choices, def) { s, n, KEY_STR, F(field), 0, 0, choices, def }
#define INT(s, n, field, lo, hi, def)  { s, n, KEY_INT, F(field), lo, hi, NULL, def }
#define BOOL(s, n, field, def)         { s, n, KEY_BOOL, F(field), 0, 0, NULL, def }

static const struct key keys[] = {
    STR("station", "id", station_id, NULL, "demo-station"),
    STR("station", "name", station_name, NULL, "Demo station"),
    INT("station", "utc_offset_minutes", utc_offset_minutes, -720, 840, "480"),
    BOOL("station", "allow_member_number", allow_member_number, "true"),
    INT("station", "max_visit_minutes", max_visit_minutes, 30, 1440, "720"),
    INT("station", "stale_visit_credit_minutes", stale_visit_credit_minutes,
        0, 480, "60"),
    INT("station", "duplicate_scan_seconds", duplicate_scan_seconds, 0, 600, "60"),
    INT("station", "service_backfill_days", service_backfill_days, 0,
        SERVICE_BACKFILL_MAX_DAYS, "7"),
    STR("station", "member_prefix", member_prefix, NULL, ""),
    INT("station", "member_digits", member_digits, 0, 12, "0"),
    STR("station", "member_check", member_check, "pin|phone4", "pin"),
    INT("station", "pin_tries", pin_tries, 1, 10, "5"),
    INT("station", "pin_lock_minutes", pin_lock_minutes, 1, 1440, "15"),
    STR("station", "duty_phone", duty_phone, NULL, ""),
    STR("station", "ticket_prefix", ticket_prefix, NULL, ""),

    STR("kiosk", "device_id", device_id, NULL, "kiosk-dev"),
    INT("kiosk", "ticket_device", ticket_device, 0, 999, "0"),
    STR("kiosk", "state_dir", state_dir, NULL, "state"),
    STR("kiosk", "board", board, "sim|linux", "sim"),
    STR("kiosk", "language", language, "zh_CN|en", "zh_CN"),
    BOOL("kiosk", "large_text", large_text, "false"),
    INT("kiosk", "width", width, 320, 7680, "1024"),
    INT("kiosk", "height", height, 320, 4320, "600"),
    BOOL("kiosk", "fullscreen", fullscreen, "false"),
    INT("kiosk", "idle_home_seconds", idle_home_seconds, 5, 3600, "60"),
    INT("kiosk", "idle_record_seconds", idle_record_seconds, 5, 600, "30"),
    INT("kiosk", "dim_seconds", dim_seconds, 10, 86400, "300"),
    INT("kiosk", "attract_seconds", attract_seconds, 2, 600, "12"),
    STR("kiosk", "tech_pin_hash", tech_pin_hash, NULL, ""),
    STR("kiosk", "assets_dir", assets_dir, NULL, "assets"),
    BOOL("kiosk", "voice", voice, "false"),
    INT("kiosk", "voice_volume", voice_volume, 0, 100, "80"),
    STR("kiosk", "ime_dir", ime_dir, NULL, ""),

    STR("hub", "host", hub_host, NULL, ""),
    INT("hub", "port", hub_port, 1, 65535, "8443"),
    INT("hub", "sync_interval_seconds", sync_interval_seconds, 5, 86400, "60"),

    STR("update", "root", update_root, NULL, "/var/lib/kiosk/app"),
    STR("update", "release_key", release_key, NULL, "/etc/kiosk/release.pub"),
    STR("update", "factory", factory_dir, NULL, "/usr/lib/kiosk"),
    STR("update", "usb_dir", usb_dir, NULL, "/media/usb"),

    STR("board", "scanner", scanner, NULL, ""),
    STR("board", "backlight_dir", backlight_dir, NULL, ""),
    STR("board", "watchdog", watchdog, NULL, "none"),
    STR("board", "led", led, NULL, ""),
    STR("board", "buzzer", buzzer, NULL, ""),
    STR("board", "gpio_chip", gpio_chip, NULL, ""),
    INT("board", "led_line", led_line, -1, 1023, "-1"),
    INT("board", "buzzer_line", buzzer_line, -1, 1023, "-1"),
    STR("board", "printer", printer, NULL, ""),
    INT("board", "printer_baud", printer_baud, 0, 921600, "0"),
    STR("board", "printer_paper", printer_paper, "58|80", "58"),
};

static const struct key *key_find(const char *section, const char *name)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(keys[i].section, section) == 0 &&
            strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static int choice_ok(const char *choices, const char *v)
{
    size_t n = strlen(v);
    const char *p = choices;

    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return 1;
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* Parse one value into its field; reason is set on failure. */
static err_code key_apply(const struct key *k, struct config *cfg,
                          const char *v, const char **reason)
{
    char *field = (char *)cfg + k->offset;

    switch (k->type) {
    case KEY_STR:
        /* inih takes "key =;x" as the value ";x" but "key = ;x" as an
         * empty value and a comment: refuse the first, which is a comment
         * missing its space (and would not survive config_dump). */
        if (v[0] == ';') {
            *reason = "starts with ';' (a comment needs a space before it)";
            return ERR_INVAL;
        }
        /* A continuation line (one starting with a space) keeps " ;x" in
         * its value, which any other line reads as a comment: written
         * back by config_dump, it would load as something else. */
        if (strstr(v, " ;")) {
            *reason = "holds ' ;' (a comment inside the value)";
            return ERR_INVAL;
        }
        for (const unsigned char *p = (const unsigned char *)v; *p; p++)
            if (*p < 0x20 || *p == 0x7f) {
                *reason = "holds a control character";
                return ERR_INVAL;
            }
        if (k->choices && !choice_ok(k->choices, v)) {
            *reason = "not one of the allowed values";
            return ERR_INVAL;
        }
        if (str_copy(field, k->size, v)) {
            *reason = "value too long";
            return ERR_INVAL;
        }
        return ERR_OK;
    case KEY_INT: {
        char *end;
        long n;
        errno = 0;
        n = strtol(v, &end, 10);
        if (errno || end == v || *end != '\0') {
            *reason = "not a whole number";
            return ERR_INVAL;
        }
        if (n < k->min || n > k->max) {
            *reason = "out of range";
            return ERR_INVAL;
        }
        *(int *)field = (int)n;
        return ERR_OK;
    }
    case KEY_BOOL:
        if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
            strcmp(v, "1") == 0)
            *(bool *)field = true;
        else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
                 strcmp(v, "0") == 0)
            *(bool *)field = false;
        else {
            *reason = "not true or false";
            return ERR_INVAL;
        }
        return ERR_OK;
    }
    return ERR_INVAL;
}

void config_defaults(struct config *cfg)
{
    const char *reason;

    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        err_code e = key_apply(&keys[i], cfg, keys[i].def, &reason);
        assert(e == ERR_OK);    /* a bad default is a bug in the table */
        (void)e;
    }
}

err_code config_set(struct config *cfg, const char *section, const char *key,
                    const char *value, char *msg, size_t msg_cap)
{
    const struct key *k = key_find(section, key);
    const char *reason = NULL;
    err_code e;

    if (k == NULL) {
        snprintf(msg, msg_cap, "%s.%s: unknown key", section, key);
        return ERR_INVAL;
    }
    e = key_apply(k, cfg, value, &reason);
    if (e != ERR_OK) {
        if (k->choices)
            snprintf(msg, msg_cap, "%s.%s: %s (%s): \"%.64s\"", section, key,
                     reason, k->choices, value);
        else
            snprintf(msg, msg_cap, "%s.%s: %s: \"%.64s\"", section, key,
                     reason, value);
    }
    return e;
}

/* inih reports only the first bad line's number and keeps going, so the
 * reader counts lines itself and the handler keeps the first key error
 * with its line: the message then names the right line and key. */
struct load_ctx {
    struct config *cfg;
    FILE          *file;
    int            line;           /* lines read so far */
    int            bad_line;       /* first line a key was refused on */
    char           detail[256];
};

static char *read_line(char *buf, int size, void *stream)
{
    struct load_ctx *ctx = stream;
    char *r = fgets(buf, size, ctx->file);

    if (r)
        ctx->line++;
    return r;
}

static int on_ini_key(void *user, const char *section, const char *name,
                      const char *value)
{
    struct load_ctx *ctx = user;
    char detail[256];

    if (config_set(ctx->cfg, section, name, value, detail, sizeof detail)
        == ERR_OK)
        return 1;
    if (ctx->bad_line == 0) {
        ctx->bad_line = ctx->line;
        memcpy(ctx->detail, detail, sizeof detail);
    }
    return 0;
}

err_code config_load(const char *path, struct config *cfg,
                     char *msg, size_t msg_cap)
{
    struct load_ctx ctx = { .cfg = cfg };
    int line;

    config_defaults(cfg);
    ctx.file = fopen(path, "r");
    if (ctx.file == NULL) {
        snprintf(msg, msg_cap, "%s: cannot open: %s", path, strerror(errno));
        return ERR_IO;
    }
    line = ini_parse_stream(read_line, &ctx, on_ini_key, &ctx);
    fclose(ctx.file);
    if (line == 0)
        return ERR_OK;
    if (line < 0) {
        snprintf(msg, msg_cap, "%s: cannot read", path);
        return ERR_IO;
    }
    snprintf(msg, msg_cap, "%s:%d: %s", path, line,
             line == ctx.bad_line ? ctx.detail : "syntax error");
    return ERR_INVAL;
}

void config_dump(const struct config *cfg, char *out, size_t cap)
{
    const char *section = "";
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && used < cap; i++) {
        const struct key *k = &keys[i];
        const char *field = (const char *)cfg + k->offset;
        int n = 0;

        if (strcmp(section, k->section) != 0) {
            section = k->section;
            n = snprintf(out + used, cap - used, "%s[%s]\n",
                         used ? "\n" : "", section);
            used += n > 0 ? (size_t)n : 0;
            if (used >= cap)
                break;
        }
        if (k->type == KEY_STR)
            n = snprintf(out + used, cap - used, "%s = %s\n", k->name, field);
        else if (k->type == KEY_INT)
            n = snprintf(out + used, cap - used, "%s = %d\n", k->name,
                         *(const int *)field);
        else
            n = snprintf(out + used, cap - used, "%s = %s\n", k->name,
                         *(const bool *)field ? "true" : "false");
        used += n > 0 ? (size_t)n : 0;
    }
}
