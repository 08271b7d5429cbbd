/* ui/feed.h - the public boards as the screens show them: loads from the
 * store into a screen's own copy of a board, and turns what was loaded
 * into list rows in the current language. Shared by the board screens and
 * the attract loop; each keeps its own copy in its state. */
#ifndef FEED_H
#define FEED_H

#include "ui/app.h"

#define FEED_NOTICES 32
#define FEED_STARS   20

/* One board as loaded; n counts the items. failed: the store could not
 * read it (a damaged database): the screen says "data unavailable"
 * rather than "nothing here". */
struct feed_duty {
    struct duty_shift items[APP_MAX_ROWS];
    size_t            n;
    bool              failed;
    bool              week;         /* this week, or today only */
    int64_t           day0;         /* the first day loaded (today) */
};
struct feed_notices {
    struct notice items[FEED_NOTICES];
    size_t        n;
    bool          failed;
};
struct feed_stars {
    struct star items[FEED_STARS];
    size_t      n;
    bool        failed;
    int         period;             /* 0 month, 1 quarter, 2 year */
    char        board[24];          /* a star's own board; "": overall */
};
struct feed_posts {
    struct post items[APP_MAX_ROWS];
    size_t      n;
    bool        failed;
};

/* Loads: each replaces what f holds. */
void feed_load_duty(struct app *a, struct feed_duty *f, bool week);
void feed_load_notices(struct app *a, struct feed_notices *f);
void feed_load_stars(struct app *a, struct feed_stars *f, int period);
/* The same for a star's own board (打擂争星: "environment", ...; "" or
 * NULL: the overall board). */
void feed_load_board_stars(struct app *a, struct feed_stars *f,
                           const char *board, int period);
void feed_load_posts(struct app *a, struct feed_posts *f,
                     const char *category);

/* Rows for widget_list; strings live in the frame's scratch space.
 * Each returns how many rows it filled (at most cap). */
int feed_duty_rows(struct app *a, const struct feed_duty *f,
                   struct widget_row *rows, int cap);
int feed_notice_rows(struct app *a, const struct feed_notices *f,
                     struct widget_row *rows, int cap);
int feed_star_rows(struct app *a, const struct feed_stars *f,
                   struct widget_row *rows, int cap);
int feed_post_rows(struct app *a, const struct feed_posts *f,
                   struct widget_row *rows, int cap);

/* What an empty board says: "nothing here yet", or, when it could not be
 * read, "data unavailable, please contact the staff". */
const char *feed_empty_text(struct app *a, bool failed);

/* "周一" / "Mon" and "11/23" for a local day number. */
const char *feed_weekday(struct app *a, int64_t day);
const char *feed_month_day(struct app *a, int64_t day);
/* "11月23日 周一" / "Mon 23 Nov" for a local day number. */
const char *feed_day(struct app *a, int64_t day);
/* "1小时30分钟" / "1 h 30 min". */
const char *feed_duration(struct app *a, int minutes);
/* How long ago, for "boards updated": "3分钟前" / "3 min ago". */
const char *feed_age(struct app *a, int64_t ms_ago);
/* A role key ("head", "grid_leader") in the current language. */
const char *feed_role(struct app *a, const char *role);

#endif
