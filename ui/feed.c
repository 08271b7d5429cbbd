/* ui/feed.c - reads the boards from the store for the screens; read
 * only, bounded by the feed's arrays. */
#include "ui/feed.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t today(struct app *a)
{
    struct stamp now;

    app_stamp(a, &now);
    return clock_local_day(now.wall_ms, a->cfg.utc_offset_minutes);
}

void feed_load_duty(struct app *a, struct feed_duty *f, bool week)
{
    int64_t d = today(a);

    f->week = week;
    f->day0 = d;
    f->failed = store_shifts(a->store, d, d + (week ? 7 : 1), NULL,
                             f->items, APP_MAX_ROWS, &f->n) != ERR_OK;
    if (f->failed)
        f->n = 0;
}

void feed_load_notices(struct app *a, struct feed_notices *f)
{
    f->failed = store_notices(a->store, f->items, FEED_NOTICES, &f->n)
                != ERR_OK;
    if (f->failed)
        f->n = 0;
}

void feed_load_stars(struct app *a, struct feed_stars *f, int period)
{
    feed_load_board_stars(a, f, NULL, period);
}

void feed_load_board_stars(struct app *a, struct feed_stars *f,
                           const char *board, int period)
{
    static const char *const names[3] = { "month", "quarter", "year" };
    char key[48];

    f->period = period;
    snprintf(f->board, sizeof f->board, "%s", board ? board : "");
    /* The store keeps a star's own board under "BOARD/PERIOD". */
    if (f->board[0])
        snprintf(key, sizeof key, "%s/%s", f->board, names[period]);
    else
        snprintf(key, sizeof key, "%s", names[period]);
    f->failed = store_stars(a->store, key, f->items, FEED_STARS,
                            &f->n) != ERR_OK;
    if (f->failed)
        f->n = 0;
}

void feed_load_posts(struct app *a, struct feed_posts *f,
                     const char *category)
{
    f->failed = store_posts(a->store, category, f->items, APP_MAX_ROWS,
                            &f->n) != ERR_OK;
    if (f->failed)
        f->n = 0;
}

const char *feed_empty_text(struct app *a, bool failed)
{
    return app_s(a, failed ? "list.unavailable" : "list.empty");
}

const char *feed_weekday(struct app *a, int64_t day)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    char key[16];

    gmtime_r(&t, &tm);
    snprintf(key, sizeof key, "wds.%d", tm.tm_wday);
    return app_s(a, key);
}

const char *feed_month_day(struct app *a, int64_t day)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;

    gmtime_r(&t, &tm);
    return app_fmt(a, "%d/%d", tm.tm_mon + 1, tm.tm_mday);
}

const char *feed_day(struct app *a, int64_t day)
{
    time_t t = (time_t)(day * 86400);
    struct tm tm;
    char key[16];

    gmtime_r(&t, &tm);
    snprintf(key, sizeof key, "wd.%d", tm.tm_wday);
    return app_sfmt(a, "fmt.day", tm.tm_mon + 1, tm.tm_mday,
                    app_s(a, key));
}

const char *feed_duration(struct app *a, int minutes)
{
    if (minutes < 60)
        return app_sfmt(a, "fmt.min", minutes);
    if (minutes % 60 == 0)
        return app_sfmt(a, "fmt.h", minutes / 60);
    return app_sfmt(a, "fmt.hmin", minutes / 60, minutes % 60);
}

/* Minutes and hours within the same local day; then 昨天 for the day
 * before, then days (by the calendar, not by 24-hour blocks). */
const char *feed_age(struct app *a, int64_t ms)
{
    struct stamp now;
    int64_t min = ms / 60000, off = (int64_t)a->cfg.utc_offset_minutes * 60000;
    int64_t today, then_day;

    app_stamp(a, &now);
    today = (now.wall_ms + off) / 86400000;
    then_day = (now.wall_ms - ms + off) / 86400000;
    if (min < 1)
        return app_s(a, "age.now");
    if (min < 60)
        return app_sfmt(a, "age.min", (int)min);
    if (then_day >= today)
        return app_sfmt(a, "age.hour", (int)(min / 60));
    if (then_day == today - 1)
        return app_s(a, "age.yesterday");
    return app_sfmt(a, "age.day", (int)(today - then_day));
}

/* A role the string tables do not name (published before the hub
 * checked roles) reads as a plain "contact", never as its key. */
const char *feed_role(struct app *a, const char *role)
{
    const char *key = app_fmt(a, "role.%s", role);

    return i18n_has(a->langs[a->lang], key) ? app_s(a, key)
                                            : app_s(a, "role.other");
}

int feed_duty_rows(struct app *a, const struct feed_duty *f,
                   struct widget_row *rows, int cap)
{
    int n = 0;

    for (size_t i = 0; i < f->n && n < cap; i++, n++) {
        const struct duty_shift *s = &f->items[i];
        rows[n] = (struct widget_row){
            .title = app_fmt(a, "%s  %s", s->name, s->shift),
            .avatar = s->name,
            .photo = app_fmt(a, "member/%s", s->member_no),
            .detail = app_fmt(a, "%s  %s", feed_day(a, s->day),
                              s->phone_masked),
            .right = NULL,
        };
    }
    return n;
}

int feed_notice_rows(struct app *a, const struct feed_notices *f,
                     struct widget_row *rows, int cap)
{
    struct stamp now;
    int n = 0;

    app_stamp(a, &now);
    for (size_t i = 0; i < f->n && n < cap; i++, n++) {
        const struct notice *s = &f->items[i];
        rows[n] = (struct widget_row){
            .title = s->title,
            .detail = s->body,
            .excerpt = true,            /* the notice opens in full */
            .right = feed_age(a, now.wall_ms - s->published_ms),
            .right_color = UI_MUTED,
        };
    }
    return n;
}

int feed_star_rows(struct app *a, const struct feed_stars *f,
                   struct widget_row *rows, int cap)
{
    int n = 0;

    for (size_t i = 0; i < f->n && n < cap; i++, n++) {
        const struct star *s = &f->items[i];
        rows[n] = (struct widget_row){
            .title = app_fmt(a, "%d.  %s", s->rank, s->name),
            .avatar = s->name,
            .photo = app_fmt(a, "member/%s", s->member_no),
            .right = app_sfmt(a, "fmt.points", s->points),
            .right_color = s->rank <= 3 ? UI_PRIMARY : UI_TEXT,
        };
    }
    return n;
}

int feed_post_rows(struct app *a, const struct feed_posts *f,
                   struct widget_row *rows, int cap)
{
    int n = 0;

    (void)a;                        /* posts are shown as published */
    for (size_t i = 0; i < f->n && n < cap; i++, n++) {
        const struct post *p = &f->items[i];
        rows[n] = (struct widget_row){
            .title = p->name,
            .detail = p->duties,
            .excerpt = true,            /* the post opens in full */
            .right = p->category,
            .right_color = UI_MUTED,
        };
    }
    return n;
}
