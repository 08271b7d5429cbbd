/* ui/app.h - the kiosk's UI thread: one struct app (config, board, store,
 * window, string tables, current screen), the screens' interface, and the
 * event loop. cmd/kiosk.c makes the one struct app; nothing else keeps
 * mutable state at file scope.
 *
 * Each screen keeps its own state behind app_state(), in a struct only
 * its ui/screen_<name>.c knows; struct app holds what several screens
 * share. What a scan means is firmware/controller.c's; the UI only shows
 * the outcome.
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
#include "firmware/controller.h"
#include "firmware/store.h"
#include "ui/i18n.h"
#include "ui/ui.h"
#include "ui/widget.h"

struct app;
struct tech_update;
struct voice;

/* What closes a screen when nobody touches it. */
enum screen_idle {
    IDLE_HOME,          /* back home after kiosk.idle_home_seconds */
    IDLE_PRIVATE,       /* a member's data: kiosk.idle_record_seconds */
    IDLE_RESULT,        /* a scan result: APP_RESULT_MS */
    IDLE_NONE,          /* home and attract run their own timers */
};

enum app_pen { APP_PEN_DOWN, APP_PEN_MOVE, APP_PEN_UP };

struct screen_ops {
    const char      *name;
    enum screen_idle idle;
    /* Bytes of the screen's own state (app_state); 0: none. */
    size_t           state_size;
    void (*enter)(struct app *a);
    void (*leave)(struct app *a);
    /* A tap on the widget named id (already woken, never while dimmed). */
    void (*event)(struct app *a, const char *id);
    void (*draw)(struct app *a);
    /* A member's card or number scanned on this screen; NULL: check in
     * or out. */
    void (*scan)(struct app *a, const char *member_no);
    /* Every scanned line, raw, instead of the controller: nobody is
     * checked in while this screen is up (the scanner test). */
    void (*line)(struct app *a, const char *line);
    /* Every touch, where it landed, before it is routed (touch test). */
    void (*touch)(struct app *a, int x, int y);
    /* The screen's own timer fired (app_timer). */
    void (*timer)(struct app *a);
    /* A finger (or the mouse button) put down, moved while down, or
     * lifted, where it is: for a screen that draws what is written (the
     * handwriting pad). The lift is still routed as a tap as well. */
    void (*pen)(struct app *a, enum app_pen phase, int x, int y);
};

extern const struct screen_ops screen_home_ops, screen_attract_ops,
    screen_result_ops, screen_identify_ops, screen_record_ops,
    screen_logsvc_ops, screen_boards_ops, screen_posts_ops, screen_post_ops,
    screen_duty_ops, screen_notices_ops, screen_notice_ops, screen_stars_ops,
    screen_contacts_ops, screen_tech_ops;
extern const struct screen_ops screen_help_ops;

#define APP_RESULT_MS   5000
#define APP_COUNTDOWN_MS 10000  /* a screen about to close says so */
#define APP_STALE_MS    (15 * 60 * 1000)  /* visits closed by rule this often */
#define APP_DIM_PERCENT 10
#define APP_SCRATCH     65536
#define APP_MAX_ROWS    64
#define APP_PIN_MAX     12

#define APP_SCREENS     40    /* room for every screen's state */

/* What "check in" and "My record" both start with: who is it? */
enum identify_for { IDENTIFY_CHECKIN, IDENTIFY_RECORD, IDENTIFY_LOGSVC,
                    IDENTIFY_DESK,      /* the duty desk (screen_desk.h) */
                    IDENTIFY_REGISTER   /* 报到 with a member card */ };

struct app {
    struct config            cfg;
    /* Called once, after the first frame of the main loop: main.c tells
     * the update launcher this version works. NULL: nothing to call. */
    void                   (*on_first_frame)(void);
    /* Start the text entry engines' deployment (textentry_warm_up) once
     * the first frame is up, so start-up does not wait for it (kiosk). */
    bool                     warm_up_input;
    /* Called after each event the UI stored (check-in/out, registration,
     * service log), so the sync worker can upload soon (sync_wake). */
    void                   (*on_stored)(void *ctx);
    void                    *on_stored_ctx;
    struct board            *board;         /* NULL: no board (tests) */
    struct store            *store;
    struct controller       *ctl;           /* what a scan means */
    struct ui               *ui;
    struct voice            *voice;         /* NULL: kiosk.voice off */
    struct i18n             *langs[2];      /* zh_CN, en */
    int                      lang;
    const struct screen_ops *screen;
    const struct screen_ops *from;          /* the screen before it */
    bool                     dirty, quit, dimmed, presented;
    bool                     manual_clock;
    uint64_t                 manual_ms;
    int64_t                  wall_base_ms;  /* manual clock's wall time */
    uint64_t                 last_input_ms, screen_since_ms, timer_ms;
    uint64_t                 stale_check_ms; /* visits closed by rule */
    int64_t                  shown_minute;  /* home redraws per minute */
    int                      shown_countdown; /* seconds on the banner */
    char                     typed[64];     /* keyboard as scanner */
    char                     scratch[APP_SCRATCH];
    size_t                   scratch_len;
    /* The member being served: My record and the service log it opens. */
    char                     member_no[STORE_MEMBER_NO];
    /* On a screen's scan callback: the member showed a card (not a bare
     * number), which alone opens their own record. */
    bool                     member_card;
    struct {                                /* app_state */
        const struct screen_ops *ops;
        void                    *data;
    } states[APP_SCREENS];
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
/* A finger or the mouse drawing (screen_ops.pen); counts as activity,
 * and does nothing while the screen is dimmed (the tap wakes it). */
void app_pen(struct app *a, enum app_pen phase, int x, int y);
void app_scan(struct app *a, const char *line);
/* Run timers that are due and redraw if anything changed. */
void app_tick(struct app *a);
/* Milliseconds until the next timer, idle rule or clock minute is due. */
uint64_t app_next_deadline(struct app *a);
/* The current screen and what lies over it (the countdown banner of a
 * screen about to close), into the frame begun. */
void app_draw_screen(struct app *a);
/* Draw now if dirty (or always when force), then present. */
void app_draw(struct app *a, bool force, const char *shot_path);

/* This screen's own state: state_size bytes, zeroed when first asked
 * for and kept until app_destroy, so what a screen remembers outlives a
 * visit to another (a PIN lockout, the page to come back to); its enter
 * and leave decide what to reset. Only the screen's file reads it. */
void *app_state(struct app *a, const struct screen_ops *s);

/* Check in / out a member known by number and show the result. */
void app_visit(struct app *a, const char *member_no);
/* Speak text in the current language (kiosk.voice); never waits. */
void app_say(struct app *a, const char *text);
/* An event was stored: tell whoever wants to know (on_stored). */
void app_stored(struct app *a);

/* Screens opened with what they show (each in its ui/screen_<name>.c). */
void screen_result_show(struct app *a, const struct controller_outcome *o);
void screen_identify_open(struct app *a, enum identify_for purpose);
/* Whether the identify screen is asking for a member to register (报到):
 * a scan there registers (a card of another station too, where the hub
 * allows it). */
bool screen_identify_registering(struct app *a);
/* member_no, known by a card or by a number, wants purpose: a card goes
 * straight there; a number asks for the PIN or phone digits first. */
void screen_identify_for(struct app *a, enum identify_for purpose,
                         const char *member_no, bool card);
void screen_record_open(struct app *a, const char *member_no);
void screen_post_open(struct app *a, const char *post_id);
void screen_notice_open(struct app *a, const struct notice *n);
/* 呼叫工作人员 pressed on screen `where`: store the call for the hub,
 * sound the buzzer, and show the help screen's confirmation with its
 * countdown home. */
void screen_help_call(struct app *a, const char *where);
/* Tests: the technician screen's USB update (NULL if none), and whether
 * it stops at each phase until tech_update_step. */
struct tech_update *screen_tech_update(struct app *a);
void screen_tech_hold_updates(struct app *a, bool hold);

/* Scripts (ui/script.c): run the file, writing screenshots to shot_dir.
 * Returns ERR_INVAL with msg set on a failed "expect" or a bad line. */
err_code app_script(struct app *a, const char *path, const char *shot_dir,
                    char *msg, size_t cap);
err_code app_script_text(struct app *a, const char *text,
                         const char *shot_dir, char *msg, size_t cap);

#endif
