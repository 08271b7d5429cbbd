/* firmware/config.h - the kiosk's INI configuration, with documented
 * defaults (see config.c's table and docs/config.md). A bad file, key or
 * value stops start-up with a message naming the file, line and key. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define CONFIG_STR 256

struct config {
    /* [station] */
    char station_id[64];
    char station_name[128];
    int  utc_offset_minutes;         /* local time = UTC + this; 480 = China */
    bool allow_member_number;        /* plain numbers accepted, not just cards */
    int  max_visit_minutes;          /* a visit open longer is closed by rule */
    int  stale_visit_credit_minutes; /* what such a visit is credited */
    int  duplicate_scan_seconds;     /* a repeat scan inside this is ignored */
    int  service_backfill_days;      /* service may be logged this far back */
    char member_prefix[16];          /* keypad digits follow this: "HQ" */
    int  member_digits;              /* typed digits zero-padded to this */
    /* A typed number opens a member's own data (My record, service log)
     * only with a second factor: "pin" (set at the hub) or "phone4" (the
     * last four digits of the phone on the roster). */
    char member_check[8];
    int  pin_tries;                  /* wrong answers before a lockout */
    int  pin_lock_minutes;           /* how long the number is locked */
    char duty_phone[32];             /* the duty desk's phone, on the roster */
    char ticket_prefix[16];          /* tickets "HQ01-1-0042"; "" derived */

    /* [kiosk] */
    char device_id[64];
    int  ticket_device;              /* the "1" of HQ01-1-0042; 0 derived */
    char state_dir[CONFIG_STR];
    char board[16];                  /* sim | linux */
    char language[8];                /* zh_CN | en */
    bool large_text;
    int  width, height;
    bool fullscreen;
    int  idle_home_seconds;          /* any screen returns home */
    int  idle_record_seconds;        /* My record closes (privacy) */
    int  dim_seconds;                /* backlight dims */
    int  attract_seconds;            /* each board shown while idle */
    char tech_pin_hash[CONFIG_STR];  /* pbkdf2-sha256$iter$salt$hash */
    char assets_dir[CONFIG_STR];
    bool voice;                      /* spoken prompts (espeak-ng) */
    int  voice_volume;               /* 0..100 */
    char ime_dir[CONFIG_STR];        /* pinyin engine's data; "": state_dir/rime */

    /* [hub] */
    char hub_host[128];
    int  hub_port;
    int  sync_interval_seconds;

    /* [update] */
    char update_root[CONFIG_STR];    /* slots, current link, trial state */
    char release_key[CONFIG_STR];    /* release public key (PEM) */
    char factory_dir[CONFIG_STR];    /* the package's own version */
    char usb_dir[CONFIG_STR];        /* where a USB stick is mounted */

    /* [board] */
    char scanner[CONFIG_STR];        /* serial tty, evdev node, or sim FIFO */
    char backlight_dir[CONFIG_STR];  /* sysfs backlight directory */
    char watchdog[CONFIG_STR];       /* none | systemd | a device path */
    char led[CONFIG_STR];            /* GPIO/LED-class file for scan feedback */
    char buzzer[CONFIG_STR];         /* the same, for an active buzzer */
    /* GPIO lines through libgpiod (v1): chip name or path, line offsets;
     * a line >= 0 takes precedence over the led / buzzer file. */
    char gpio_chip[64];
    int  led_line, buzzer_line;
    char printer[CONFIG_STR];        /* receipt printer device; "": none */
    int  printer_baud;               /* serial printer's rate; 0: not serial */
    char printer_paper[4];           /* "58" | "80" (mm) */
};

/* Fill cfg with the defaults. */
void config_defaults(struct config *cfg);

/* Defaults, then the file at path. On ERR_INVAL or ERR_IO, msg holds
 * "path:line: key: reason" for the person reading the journal. */
err_code config_load(const char *path, struct config *cfg,
                     char *msg, size_t msg_cap);

/* Set one "section.key" to value as the file would; for tests and for
 * command-line overrides (--set kiosk.width=800). Same errors. */
err_code config_set(struct config *cfg, const char *section, const char *key,
                    const char *value, char *msg, size_t msg_cap);

/* Write the effective configuration, one key per line, in INI form. */
void config_dump(const struct config *cfg, char *out, size_t cap);

#endif
