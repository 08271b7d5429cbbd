/* ui/app.h - the kiosk's UI thread: one struct app (config, board, store,
 * window, string tables, current screen and each screen's state), the
 * screens' interface, and the event loop. cmd/kiosk.c makes the one
 * struct app; nothing else keeps mutable state at file scope.
 *
 * Time: every timer reads app_now_ms(), which is the board's clock, or
 * SDL's, or a manual clock that a script advances ("wait 5000"), so
 * scripted runs and their screenshots are deterministic. */
#ifndef APP_H
#define APP_H

#include <stdbool.h>
#include <stdint.h>

#include "board/board.h"
#include "firmware/config.h"
#include "firmware/credential.h"
#include "firmware/store.h"
#include "firmware/summary.h"
#include "firmware/visit.h"
#include "ui/i18n.h"
#include "ui/ui.h"
#include "ui/widget.h"

struct app;
struct tech_update;

/* What closes a screen when nobody touches it. */
enum screen_idle {
    IDLE_HOME,          /* back home after kiosk.idle_home_seconds */
    IDLE_PRIVATE,       /* a member's data: kiosk.idle_record_seconds */
    IDLE_RESULT,        /* a scan result: APP_RESULT_MS */
    IDLE_NONE,          /* home and attract run their own timers */
};

struct screen_ops {
    const char      *name;
    enum screen_idle idle;
    void (*enter)(struct app *a);
    void (*leave)(struct app *a);
    /* A tap on the widget named id (already woken, never while dimmed). */
    void (*event)(struct app *a, const char *id);
    void (*draw)(struct app *a);
    /* A member credential scanned on this screen; NULL: check in/out. */
    void (*scan)(struct app *a, const struct credential *c);
    /* The screen's own timer fired (app_timer). */
    void (*timer)(struct app *a);
};

extern const struct screen_ops screen_home_ops, screen_attract_ops,
    screen_result_ops, screen_identify_ops, screen_record_ops,
    screen_logsvc_ops, screen_boards_ops, screen_posts_ops, screen_post_ops,
    screen_duty_ops, screen_notices_ops, screen_notice_ops, screen_stars_ops,
    screen_contacts_ops, screen_tech_ops;

#define APP_RESULT_MS   5000
#define APP_STALE_MS    (15 * 60 * 1000)  /* visits closed by rule this often */
#define APP_DIM_PERCENT 10
#define APP_SCRATCH     65536
#define APP_MAX_ROWS    64
#define APP_PIN_MAX     12

enum result_kind {
    RES_IN, RES_OUT, RES_ALREADY_IN, RES_NOT_IN, RES_ALREADY_OUT,
    RES_REGISTERED, RES_ALREADY_REGISTERED, RES_UNKNOWN, RES_INACTIVE,
    RES_UNREADABLE, RES_NUMBER_OFF, RES_FAILED,
    /* a card refused offline, one per check (firmware/credential.h) */
    RES_FORGED, RES_EXPIRED, RES_NOT_YET_VALID, RES_REVOKED,
    RES_OTHER_STATION, RES_UNKNOWN_KEY, RES_WRONG_KIND,
};

enum identify_for { IDENTIFY_CHECKIN, IDENTIFY_RECORD };

struct app {
    struct config            cfg;
    /* Called once, after the first frame of the main loop: main.c tells
     * the update launcher this version works. NULL: nothing to call. */
    void                   (*on_first_frame)(void);
    /* Called after each event the UI stored (check-in/out, registration,
     * service log), so the sync worker can upload soon (sync_wake). */
    void                   (*on_stored)(void *ctx);
    void                    *on_stored_ctx;
    struct board            *board;         /* NULL: no board (tests) */
    struct store            *store;
    struct credential_checker *cards;       /* hub keys, parsed once */
    struct ui               *ui;
    struct i18n             *langs[2];      /* zh_CN, en */
    int                      lang;
    const struct screen_ops *screen;
    bool                     dirty, quit, dimmed, presented;
    bool                     manual_clock;
    uint64_t                 manual_ms;
    int64_t                  wall_base_ms;  /* manual clock's wall time */
    uint64_t                 last_input_ms, screen_since_ms, timer_ms;
    uint64_t                 stale_check_ms; /* visits closed by rule */
    int64_t                  shown_minute;  /* home redraws per minute */
    int                      hidden_taps;   /* the technician gesture */
    int                      pin_fails;     /* wrong PINs in a row */
    uint64_t                 pin_locked_until;
    uint64_t                 hidden_first_ms;
    char                     typed[64];     /* keyboard as scanner */
    char                     scratch[APP_SCRATCH];
    size_t                   scratch_len;

    struct {
        enum result_kind kind;
        char             name[STORE_NAME];
        int              minutes;
    } result;
    struct {
        enum identify_for purpose;
        char              digits[STORE_MEMBER_NO];
        bool              bad;
    } identify;
    char                   member_no[STORE_MEMBER_NO];
    struct member_summary *summary;
    struct {
        int  step, cat, minutes, days_ago, note;
        bool saved;
        int  refusal;
    } logsvc;
    struct {
        char         cats[16][32];
        size_t       n_cats;
        int          cat;            /* -1: choosing a category */
        struct post *posts;
        size_t       n_posts;
        int          page;
        char         post_id[32];
    } posts;
    struct {
        bool               week;
        struct duty_shift *shifts;
        size_t             n;
        int                page;
    } duty;
    struct {
        struct notice *items;
        size_t         n;
        int            page, open, body_page;
    } notices;
    struct {
        int         period;          /* 0 month, 1 quarter, 2 year */
        struct star items[20];
        size_t      n;
    } stars;
    struct {
        char            buildings[32][16];
        size_t          n_buildings;
        char            units[16][16];
        size_t          n_units;
        int             building, unit;  /* -1: not chosen yet */
        struct contact *items;
        size_t          n;
        int             page;
    } contacts;
    struct {
        char digits[APP_PIN_MAX + 1];
        bool unlocked, bad, testing;     /* testing: touch + scanner test */
        int  touch_x, touch_y, touches;
        char scan[64];                   /* last line, shown as read */
        int  view;                       /* ui/screen_tech.c: TECH_* */
        int64_t sync_from_ms;            /* last sync when "sync" tapped */
        uint64_t sync_asked_ms;          /* app time of the tap */
        bool hold_updates;               /* tests: step through phases */
        struct tech_update *upd;         /* USB update, running or done */
    } tech;
    struct {
        int      board;              /* which board is showing */
    } attract;
};

/* Make the app over an open store and board (board may be NULL), open
 * the window and the string tables, and show home. */
err_code app_create(const struct config *cfg, struct board *board,
                    struct store *store, const struct ui_opts *uo,
                    struct app **out);
void     app_destroy(struct app *a);                /* NULL is a no-op */

/* Run until the window closes. */
err_code app_run(struct app *a);

/* Switch screens (leave, enter, redraw). */
void app_go(struct app *a, const struct screen_ops *s);
/* The current language's text for key. */
const char *app_s(const struct app *a, const char *key);
/* printf into the frame's scratch space; valid until the next frame. */
const char *app_fmt(struct app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Same, with a format from the string tables. */
const char *app_sfmt(struct app *a, const char *key, ...);
void app_set_lang(struct app *a, int lang);
void app_set_large(struct app *a, bool large);

uint64_t app_now_ms(struct app *a);
void     app_stamp(struct app *a, struct stamp *out);
/* Fire the screen's timer callback at now + ms (0 cancels). */
void     app_timer(struct app *a, uint64_t ms);
/* Local date and time of the app's wall clock. */
void app_local_time(struct app *a, int *y, int *mo, int *d, int *h, int *mi,
                    int *wday);

/* Inputs, as the loop and scripts deliver them. Each counts as activity:
 * the first one while dimmed only wakes the screen. */
void app_tap_id(struct app *a, const char *id);
void app_tap_xy(struct app *a, int x, int y);
void app_key(struct app *a, SDL_Keycode k);
void app_scan(struct app *a, const char *line);
/* Run timers that are due and redraw if anything changed. */
void app_tick(struct app *a);
/* Milliseconds until the next timer, idle rule or clock minute is due. */
uint64_t app_next_deadline(struct app *a);
/* Draw now if dirty (or always when force), then present. */
void app_draw(struct app *a, bool force, const char *shot_path);

/* Check in / out a member (scan or keypad) and show the result. */
void app_visit(struct app *a, const char *member_no, bool registration);
/* An event was stored: tell whoever wants to know (on_stored). */
void app_stored(struct app *a);
/* Open My record for a member. */
void app_open_record(struct app *a, const char *member_no);

/* Scripts (ui/script.c): run the file, writing screenshots to shot_dir.
 * Returns ERR_INVAL with msg set on a failed "expect" or a bad line. */
err_code app_script(struct app *a, const char *path, const char *shot_dir,
                    char *msg, size_t cap);
err_code app_script_text(struct app *a, const char *text,
                         const char *shot_dir, char *msg, size_t cap);

#endif
