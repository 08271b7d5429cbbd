/* ui/feed.h - the public boards as the screens show them: loads from the
 * store into the app's screen state, and turns what was loaded into list
 * rows in the current language. Shared by the board screens and the
 * attract loop. */
#ifndef FEED_H
#define FEED_H

#include "ui/app.h"

/* Loads: each replaces what the app holds for that board. */
void feed_load_duty(struct app *a, bool week);
void feed_load_notices(struct app *a);
void feed_load_stars(struct app *a, int period);
void feed_load_posts(struct app *a, const char *category);

/* Rows for widget_list; strings live in the frame's scratch space.
 * Each returns how many rows it filled (at most cap). */
int feed_duty_rows(struct app *a, struct widget_row *rows, int cap);
int feed_notice_rows(struct app *a, struct widget_row *rows, int cap);
int feed_star_rows(struct app *a, struct widget_row *rows, int cap);
int feed_post_rows(struct app *a, struct widget_row *rows, int cap);

/* "11月23日 周一" / "Mon 23 Nov" for a local day number. */
const char *feed_day(struct app *a, int64_t day);
/* "1小时30分钟" / "1 h 30 min". */
const char *feed_duration(struct app *a, int minutes);
/* How long ago, for "boards updated": "3分钟前" / "3 min ago". */
const char *feed_age(struct app *a, int64_t ms_ago);
/* A role key ("head", "grid_leader") in the current language. */
const char *feed_role(struct app *a, const char *role);

#endif
