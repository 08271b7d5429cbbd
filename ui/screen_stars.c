/* ui/screen_stars.c - the star board: top members by points this month,
 * quarter or year, on the overall board or a star's own board of the
 * 打擂争星 competition (chosen at the left), and the year-end awards
 * (年度表彰) the hub published. */
#include <stdio.h>
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

/* The boards in the selector, in the glossary's order; the awards last.
 * Index 0 is the overall board. */
static const char *const boards[] = { "", "learning", "environment",
    "culture", "mediation", "security", "community" };
#define N_BOARDS  ((int)(sizeof boards / sizeof boards[0]))
#define AWARDS    N_BOARDS              /* the selector's last tile */
#define AWARDS_MAX 32

struct stars_state {
    struct feed_stars feed;
    int               board;            /* 0 .. N_BOARDS (the awards) */
    struct award      awards[AWARDS_MAX];
    size_t            n_awards;
    bool              awards_failed;
    bool              picking;          /* the board chooser is open */
    int               award_tab;        /* 0 posts, 1 members */
};

static struct stars_state *st(struct app *a)
{
    return app_state(a, &screen_stars_ops);
}

static void load(struct app *a, int board, int period)
{
    struct stars_state *s = st(a);
    s->board = board;
    if (board == AWARDS) {
        s->awards_failed = store_awards(a->store, s->awards, AWARDS_MAX,
                                        &s->n_awards) != ERR_OK;
        if (s->awards_failed)
            s->n_awards = 0;
        return;
    }
    feed_load_board_stars(a, &s->feed, boards[board], period);
}

/* The board opens on this month's overall ranking. */
static void enter(struct app *a)
{
    load(a, 0, 0);
}

static const char *title_of(struct app *a, const struct stars_state *s)
{
    if (s->picking)
        return app_s(a, "stars.pick_title");
    if (s->board == AWARDS)
        return s->n_awards ? app_sfmt(a, "stars.awards_title",
                                      s->awards[0].year)
                           : app_s(a, "stars.board.awards");
    if (s->board == 0)
        return app_s(a, "boards.stars");
    return app_s(a, app_fmt(a, "stars.title.%s", boards[s->board]));
}

/* Rows of one kind of award (the latest year's only, as published). */
static int award_rows(struct app *a, const struct stars_state *s,
                      const char *kind, struct widget_row *rows, int cap)
{
    int n = 0;
    for (size_t i = 0; i < s->n_awards && n < cap; i++) {
        const struct award *w = &s->awards[i];
        if (strcmp(w->kind, kind) != 0 || w->year != s->awards[0].year)
            continue;
        bool member = strcmp(kind, "member") == 0;
        rows[n++] = (struct widget_row){
            .title = app_fmt(a, "%d.  %s", w->rank, w->name),
            .avatar = member ? w->name : NULL,
            .photo = member ? app_fmt(a, "member/%s", w->subject) : NULL,
            .right = member ? app_sfmt(a, "fmt.points", w->points)
                            : app_sfmt(a, "stars.per_holder", w->points),
            .right_color = w->rank <= 3 ? UI_PRIMARY : UI_TEXT,
        };
    }
    return n;
}

/* rows[0..n) in two columns of `per_col` over r. */
static void two_columns(struct ui *ui, const struct widget_row *rows, int n,
                        int per_col, SDL_Rect r, int gap)
{
    SDL_Rect l = widget_cell(r, 2, 1, 0, gap);
    SDL_Rect rr = widget_cell(r, 2, 1, 1, gap);
    widget_list(ui, NULL, rows, n < per_col ? n : per_col, 0, l, NULL, NULL);
    if (n > per_col)
        widget_list(ui, NULL, rows + per_col,
                    n - per_col < per_col ? n - per_col : per_col, 0, rr,
                    NULL, NULL);
}

/* 年度表彰: the excellent posts or the excellent members (the tabs). */
static void draw_awards(struct app *a, SDL_Rect list)
{
    const struct stars_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[10];
    int n = award_rows(a, s, s->award_tab ? "member" : "post", rows, 10);
    if (n == 0)
        ui_label(ui, feed_empty_text(a, s->awards_failed), UI_BIG, UI_MUTED,
                 &list, TEXT_CENTER, 1, true);
    two_columns(ui, rows, n, 5, list, ui_u(ui, 10));
}

static const char *board_label(struct app *a, int board)
{
    if (board == 0)
        return app_s(a, "stars.board.all");
    if (board == AWARDS)
        return app_s(a, "stars.board.awards");
    return app_s(a, app_fmt(a, "stars.board.%s", boards[board]));
}

/* The chooser: every board as a big tile, the current one filled. Seven
 * stars' boards and the awards do not fit one row of tabs on a small
 * screen; a chooser keeps each tile a comfortable target. */
static void draw_picker(struct app *a, SDL_Rect c)
{
    const char *labels[N_BOARDS + 1];
    /* Here there is room for the stars' full names. */
    for (int i = 0; i <= AWARDS; i++)
        labels[i] = i == 0 || i == AWARDS ? board_label(a, i)
                  : app_s(a, app_fmt(a, "stars.pick.%s", boards[i]));
    widget_tiles(a->ui, "board", labels, N_BOARDS + 1, st(a)->board, c, 4);
}

static void draw(struct app *a)
{
    const struct stars_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[FEED_STARS];
    const char *tabs[3] = { app_s(a, "stars.month"), app_s(a, "stars.quarter"),
                            app_s(a, "stars.year") };
    int th = ui_touch_h(ui, UI_BIG, 1), gap = ui_u(ui, 10);
    SDL_Rect c = widget_header(ui, title_of(a, s), app_s(a, "btn.back"),
                               NULL);

    if (s->picking) {
        draw_picker(a, c);
        return;
    }
    /* The top row: which board (tap to choose another), then the
     * periods, as wide as the screen allows. */
    int pick_w = c.w * 34 / 100;
    SDL_Rect pick = { c.x, c.y, pick_w, th };
    SDL_Rect tabr = { c.x + pick_w + gap, c.y, c.w - pick_w - gap, th };
    SDL_Rect list = { c.x, c.y + th + gap, c.w, c.h - th - gap };
    widget_button(ui, "pick", app_sfmt(a, "stars.pick",
                                       board_label(a, s->board)),
                  pick, WIDGET_PRIMARY);
    if (s->board == AWARDS) {
        const char *kinds[2] = { app_s(a, "stars.award_posts"),
                                 app_s(a, "stars.award_members") };
        widget_tiles(ui, "award", kinds, 2, s->award_tab, tabr, 2);
        draw_awards(a, list);
        return;
    }
    widget_tiles(ui, "tab", tabs, 3, s->feed.period, tabr, 3);
    int n = feed_star_rows(a, &s->feed, rows, FEED_STARS);
    if (n == 0)
        ui_label(ui, feed_empty_text(a, s->feed.failed), UI_BIG, UI_MUTED,
                 &list, TEXT_CENTER, 1, true);
    /* Two columns of ranks: ten names fit without paging. */
    two_columns(ui, rows, n, 5, list, gap);
}

static void event(struct app *a, const char *id)
{
    struct stars_state *s = st(a);
    if (strcmp(id, "back") == 0 && s->picking)
        s->picking = false;
    else if (strcmp(id, "back") == 0)
        app_go(a, &screen_boards_ops);
    else if (strcmp(id, "pick") == 0)
        s->picking = true;
    else if (strncmp(id, "tab.", 4) == 0 && id[4] >= '0' && id[4] <= '2' &&
             s->board != AWARDS)
        load(a, s->board, id[4] - '0');
    else if (strcmp(id, "award.0") == 0 || strcmp(id, "award.1") == 0)
        s->award_tab = id[6] - '0';
    else if (s->picking && strncmp(id, "board.", 6) == 0 && id[6] >= '0' &&
             id[6] <= '0' + AWARDS && id[7] == '\0') {
        s->picking = false;
        load(a, id[6] - '0', s->feed.period);
    }
}

const struct screen_ops screen_stars_ops = {
    .name = "stars",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct stars_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
