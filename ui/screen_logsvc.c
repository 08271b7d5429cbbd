/* ui/screen_logsvc.c - log service done elsewhere, with no typing: the
 * category, then the day (today back to the end of the station's
 * back-fill window), then how long (up to the 12-hour rule of
 * base/service_rules.h), then a note that fits the category, then the
 * post it was done on (only for a member who holds one: the hub counts
 * a log on a post by that post's points rule), then whom it served (optional: a wish the member claimed, whose resident can
 * then confirm it at the kiosk with its PIN, or a building and unit),
 * then a review before it is saved; the saved screen repeats what was
 * stored. Saved as pending until the community, or the served resident,
 * confirms it (服务确认). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xmalloc.h"
#include "firmware/service.h"
#include "firmware/store_ledger.h"
#include "firmware/ticket.h"
#include "ui/app.h"
#include "ui/feed.h"

enum { STEP_CATEGORY, STEP_DAY, STEP_DURATION, STEP_NOTE, STEP_REVIEW,
       STEP_DONE, STEP_SERVED, STEP_BUILDING, STEP_UNIT, STEP_POST };

#define N_WISHES   4               /* the member's claimed wishes offered */
#define PLACES_MAX 24
#define N_POSTS    8               /* the member's posts offered */

/* Up to SERVICE_MAX_MINUTES: a whole long day's duty can be logged. */
static const int durations[] = { 30, 60, 90, 120, 180, 240, 360, 480,
                                 SERVICE_MAX_MINUTES };
#define N_DUR ((int)(sizeof durations / sizeof durations[0]))
#define N_DAYS (SERVICE_BACKFILL_MAX_DAYS + 1)
#define N_NOTES 8

/* The steps' choices, for the member being served (a->member_no). */
struct logsvc_state {
    int                step, cat, minutes, days_ago;
    /* the chosen note: NULL for none */
    const struct service_note *note;
    bool               saved;
    int                refusal; /* enum service_refusal, or -1: store failed */
    /* whom it served: a ticket, or a building and unit ("" none) */
    char               served_ticket[LEDGER_TICKET];
    char               served_text[LEDGER_TEXT_BYTES];   /* the wish's */
    char               building[16], unit[16];
    bool               place;
    /* the post it was done on ("" none) and its name for the review */
    char               post[32];
    char               post_name[STORE_NAME];
    struct service_log stored;  /* what was saved, as the store has it */
};

static struct logsvc_state *st(struct app *a)
{
    return app_state(a, &screen_logsvc_ops);
}

static void enter(struct app *a)
{
    memset(st(a), 0, sizeof(struct logsvc_state));
}

/* The categories a member logs by hand: the list without those a rule
 * credits (the duty desk's shift), which come last. */
static const struct service_category *offered(size_t *n)
{
    const struct service_category *cats = service_categories(n);

    while (*n > 0 && cats[*n - 1].by_rule)
        (*n)--;
    return cats;
}

static const struct service_category *category(struct app *a)
{
    size_t n;
    const struct service_category *cats = offered(&n);

    return &cats[(size_t)st(a)->cat < n ? (size_t)st(a)->cat : 0];
}

static void save(struct app *a)
{
    struct logsvc_state *s = st(a);
    enum service_refusal why = SERVICE_OK;
    struct stamp now;
    char place[40];
    struct service_request req = {
        .member_no = a->member_no,
        .category = category(a)->key,
        .minutes = s->minutes,
        .days_ago = s->days_ago,
        .note = s->note ? s->note->key : NULL,
        .served_ticket = s->served_ticket,
    };
    if (s->place) {
        snprintf(place, sizeof place, "%s/%s", s->building, s->unit);
        req.served_place = place;
    }

    app_stamp(a, &now);
    err_code e = service_log_on_post(a->store, &a->cfg, &req, s->post, &now,
                                     &why, &s->stored);
    s->saved = e == ERR_OK;
    if (e == ERR_OK)
        app_stored(a);
    s->refusal = e == ERR_INVAL ? (int)why : -1;
    s->step = STEP_DONE;
    if (a->board)
        board_signal(a->board, e == ERR_OK ? BOARD_SIGNAL_OK
                                           : BOARD_SIGNAL_ERROR);
    app_say(a, s->saved ? app_s(a, "svc.saved")
                        : app_s(a, "svc.not_saved"));
}

static int tile_index(const char *id, const char *prefix)
{
    size_t n = strlen(prefix);

    if (strncmp(id, prefix, n) != 0 || id[n] != '.')
        return -1;
    return atoi(id + n + 1);
}

static int notes_of(struct app *a, const struct service_note **out)
{
    return (int)service_notes_for(category(a)->key, out, N_NOTES);
}

/* The member's wishes still theirs to serve: claimed here, not lost to
 * another kiosk's claim, not closed. */
static int wishes_of(struct app *a, struct wish_claim *out)
{
    struct wish_claim c[16];
    size_t n = 0;
    int k = 0;

    if (store_wish_claims_for(a->store, a->member_no, c, 16, &n) != ERR_OK)
        return 0;
    for (size_t i = 0; i < n && k < N_WISHES; i++)
        if (wish_claim_state(&c[i]) != WISH_CLAIM_LOST &&
            c[i].t.state != LEDGER_CLOSED)
            out[k++] = c[i];
    return k;
}

/* The posts the member holds (the kiosk's post_holders). */
static int posts_of(struct app *a, struct post *out)
{
    size_t n = 0;

    if (store_member_posts(a->store, a->member_no, out, N_POSTS, &n) !=
        ERR_OK)
        return 0;
    return (int)n;
}

/* After the note: the post step for a member who holds a post, else
 * straight to whom it served (a member with no post never sees it). */
static int after_note(struct app *a)
{
    struct post p[N_POSTS];

    return posts_of(a, p) > 0 ? STEP_POST : STEP_SERVED;
}

/* Tile 0: not on a post; 1..: the member's posts. */
static void pick_post(struct app *a, int i)
{
    struct logsvc_state *s = st(a);
    struct post p[N_POSTS];
    int n = posts_of(a, p);

    if (i > n)
        return;
    s->post[0] = s->post_name[0] = '\0';
    if (i > 0) {
        str_copy(s->post, sizeof s->post, p[i - 1].id);
        str_copy(s->post_name, sizeof s->post_name, p[i - 1].name);
    }
    s->step = STEP_SERVED;
}

static void served_none(struct logsvc_state *s)
{
    s->served_ticket[0] = s->served_text[0] = '\0';
    s->building[0] = s->unit[0] = '\0';
    s->place = false;
}

/* Tile 0: nobody named; 1: a building and unit; 2..: a claimed wish. */
static void pick_served(struct app *a, int i)
{
    struct logsvc_state *s = st(a);
    struct wish_claim w[N_WISHES];
    int n = wishes_of(a, w);

    served_none(s);
    if (i == 1) {
        s->step = STEP_BUILDING;
        return;
    }
    if (i >= 2 && i - 2 < n) {
        str_copy(s->served_ticket, sizeof s->served_ticket, w[i - 2].t.ticket);
        str_copy(s->served_text, sizeof s->served_text, w[i - 2].t.text);
    }
    s->step = STEP_REVIEW;
}

static void pick_place(struct app *a, bool unit, int i)
{
    struct logsvc_state *s = st(a);
    char p[PLACES_MAX][16];
    size_t n = 0;
    err_code e = unit ? store_units(a->store, s->building, p, PLACES_MAX, &n)
                      : store_buildings(a->store, p, PLACES_MAX, &n);

    if (e != ERR_OK)
        return;
    if (!unit && i >= 0 && (size_t)i < n) {
        str_copy(s->building, sizeof s->building, p[i]);
        s->step = STEP_UNIT;
    } else if (unit && i >= 0 && (size_t)i <= n) {
        /* 0: the whole building */
        str_copy(s->unit, sizeof s->unit, i > 0 ? p[i - 1] : "");
        s->place = true;
        s->step = STEP_REVIEW;
    }
}

static void event(struct app *a, const char *id)
{
    struct logsvc_state *s = st(a);
    const struct service_note *notes[N_NOTES];
    int i;

    if (strcmp(id, "back") == 0) {
        if (s->step == STEP_CATEGORY || s->step == STEP_DONE)
            screen_record_open(a, a->member_no);
        else if (s->step == STEP_SERVED)
            s->step = after_note(a) == STEP_POST ? STEP_POST : STEP_NOTE;
        else if (s->step == STEP_POST)
            s->step = STEP_NOTE;
        else if (s->step == STEP_REVIEW || s->step == STEP_BUILDING)
            s->step = STEP_SERVED;
        else if (s->step == STEP_UNIT)
            s->step = STEP_BUILDING;
        else
            s->step--;
    } else if (strcmp(id, "done") == 0) {
        screen_record_open(a, a->member_no);
    } else if (strcmp(id, "submit") == 0 && s->step == STEP_REVIEW) {
        save(a);
    } else if (strcmp(id, "change") == 0 && s->step == STEP_REVIEW) {
        s->step = STEP_CATEGORY;
    } else if ((i = tile_index(id, "cat")) >= 0) {
        s->cat = i;
        s->step = STEP_DAY;
    } else if ((i = tile_index(id, "day")) >= 0 &&
               i <= a->cfg.service_backfill_days) {
        s->days_ago = i;
        s->step = STEP_DURATION;
    } else if ((i = tile_index(id, "dur")) >= 0 && i < N_DUR) {
        s->minutes = durations[i];
        s->step = STEP_NOTE;
    } else if ((i = tile_index(id, "note")) >= 0 && i <= notes_of(a, notes)) {
        s->note = i > 0 ? notes[i - 1] : NULL;     /* 0: no note */
        s->step = after_note(a);
    } else if (s->step == STEP_POST && (i = tile_index(id, "onpost")) >= 0) {
        pick_post(a, i);
    } else if (s->step == STEP_SERVED && (i = tile_index(id, "served")) >= 0) {
        pick_served(a, i);
    } else if (s->step == STEP_BUILDING && (i = tile_index(id, "bldg")) >= 0) {
        pick_place(a, false, i);
    } else if (s->step == STEP_UNIT && (i = tile_index(id, "unit")) >= 0) {
        pick_place(a, true, i);
    }
}

static void draw_categories(struct app *a, SDL_Rect c)
{
    size_t n;
    const struct service_category *cats = offered(&n);
    const char *labels[16];

    for (size_t i = 0; i < n && i < 16; i++)
        labels[i] = app_s(a, app_fmt(a, "cat.%s", cats[i].key));
    widget_tiles(a->ui, "cat", labels, (int)n, -1, c,
                 ui_portrait(a->ui) ? 2 : 3);
}

static int64_t today(struct app *a)
{
    struct stamp now;

    app_stamp(a, &now);
    return clock_local_day(now.wall_ms, a->cfg.utc_offset_minutes);
}

/* 今天 / 昨天 / 前天, then the date with its weekday. */
static const char *day_label(struct app *a, int days_ago)
{
    if (days_ago <= 2)
        return app_s(a, app_fmt(a, "svc.day%d", days_ago));
    return feed_day(a, today(a) - days_ago);
}

/* A tile's words: the date over the weekday, so neither is broken. */
static const char *day_tile(struct app *a, int days_ago)
{
    time_t t = (time_t)((today(a) - days_ago) * 86400);
    struct tm tm;

    if (days_ago <= 2)
        return day_label(a, days_ago);
    gmtime_r(&t, &tm);
    return app_sfmt(a, "svc.day_tile", tm.tm_mon + 1, tm.tm_mday,
                    app_s(a, app_fmt(a, ui_large(a->ui) ? "wds.%d" : "wd.%d",
                                     tm.tm_wday)));
}

/* The whole back-fill window: 8 tiles for a week's window, 4 across. */
static void draw_days(struct app *a, SDL_Rect c)
{
    const char *labels[N_DAYS];
    int n = a->cfg.service_backfill_days + 1;

    for (int i = 0; i < n; i++)
        labels[i] = day_tile(a, i);
    widget_tiles(a->ui, "day", labels, n, st(a)->days_ago, c,
                 ui_portrait(a->ui) || n <= 3 ? 2 : 4);
}

static void draw_duration(struct app *a, SDL_Rect c)
{
    const char *labels[N_DUR];

    for (int i = 0; i < N_DUR; i++)
        labels[i] = feed_duration(a, durations[i]);
    widget_tiles(a->ui, "dur", labels, N_DUR, -1, c, 3);
}

static void draw_notes(struct app *a, SDL_Rect c)
{
    const struct service_note *notes[N_NOTES];
    const char *labels[N_NOTES + 1];
    int n = notes_of(a, notes);

    labels[0] = app_s(a, "svc.no_note");
    for (int i = 0; i < n; i++)
        labels[i + 1] = app_s(a, notes[i]->key);
    widget_tiles(a->ui, "note", labels, n + 1, -1, c,
                 ui_portrait(a->ui) || n + 1 <= 4 ? 2 : 3);
}

/* Four lines: 类别 / 日期 / 时长 / 备注, from what is chosen or stored. */
static const char *summary(struct app *a, const char *cat, int64_t day,
                           int minutes, const char *note)
{
    int ago = (int)(today(a) - day);
    const char *when = ago >= 0 && ago <= 2
        ? app_sfmt(a, "svc.when", feed_day(a, day), day_label(a, ago))
        : feed_day(a, day);

    return app_sfmt(a, "svc.summary", app_s(a, app_fmt(a, "cat.%s", cat)),
                    when, feed_duration(a, minutes),
                    note && note[0] ? app_s(a, note)
                                    : app_s(a, "svc.no_note"));
}

/* "服务对象：微心愿 帮忙代买药品" / "服务对象：3号楼 2单元"; NULL: none. */
static const char *served_text(struct app *a, const struct logsvc_state *s)
{
    if (s->served_ticket[0])
        return app_sfmt(a, "svc.served_place",
                        app_sfmt(a, "svc.served_wish", s->served_text));
    if (s->place)
        return app_sfmt(a, "svc.served_place",
                        s->unit[0] ? app_sfmt(a, "svc.place", s->building,
                                              s->unit)
                                   : app_sfmt(a, "contacts.bldg",
                                              s->building));
    return NULL;
}

static void draw_served(struct app *a, SDL_Rect c)
{
    struct wish_claim w[N_WISHES];
    const char *labels[2 + N_WISHES];
    int n = wishes_of(a, w);

    labels[0] = app_s(a, "svc.served_none");
    labels[1] = app_s(a, "svc.served_pick_place");
    for (int i = 0; i < n; i++)
        labels[2 + i] = app_sfmt(a, "svc.served_wish", w[i].t.text);
    widget_tiles(a->ui, "served", labels, 2 + n, -1, c,
                 ui_portrait(a->ui) || 2 + n <= 4 ? 2 : 3);
}

/* 不在岗位上, then each post: its name over its category and the
 * member's role on it (岗长 / 副岗长 / 岗员). */
static void draw_posts(struct app *a, SDL_Rect c)
{
    struct post p[N_POSTS];
    const char *labels[1 + N_POSTS];
    int n = posts_of(a, p);

    labels[0] = app_s(a, "svc.post_none");
    for (int i = 0; i < n; i++) {
        struct post_holder h[16];
        size_t nh = 0;
        const char *role = NULL;

        if (store_post_holders(a->store, p[i].id, h, 16, &nh) == ERR_OK)
            for (size_t k = 0; k < nh; k++)
                if (strcmp(h[k].member_no, a->member_no) == 0)
                    role = app_s(a, app_fmt(a, "role.%s",
                                 h[k].role == ROLE_HEAD ? "head"
                                 : h[k].role == ROLE_DEPUTY ? "deputy"
                                                            : "member"));
        labels[1 + i] = role
            ? app_sfmt(a, "svc.post_tile_role", p[i].name, p[i].category,
                       role)
            : app_sfmt(a, "svc.post_tile", p[i].name, p[i].category);
    }
    widget_tiles(a->ui, "onpost", labels, 1 + n, -1, c,
                 ui_portrait(a->ui) || 1 + n <= 4 ? 2 : 3);
}

static void draw_places(struct app *a, SDL_Rect c, bool units)
{
    const struct logsvc_state *s = st(a);
    char p[PLACES_MAX][16];
    const char *labels[PLACES_MAX + 1];
    size_t n = 0;
    int k = 0;
    err_code e = units ? store_units(a->store, s->building, p, PLACES_MAX, &n)
                       : store_buildings(a->store, p, PLACES_MAX, &n);

    if (e != ERR_OK)
        n = 0;
    if (units)
        labels[k++] = app_s(a, "ledger.whole_building");
    for (size_t i = 0; i < n; i++)
        labels[k++] = app_sfmt(a, units ? "contacts.unit_n" : "contacts.bldg",
                               p[i]);
    widget_tiles(a->ui, units ? "unit" : "bldg", labels, k, -1, c,
                 ui_portrait(a->ui) || k <= 4 ? 2 : 4);
}

static void draw_review(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    const struct logsvc_state *s = st(a);
    int bh = ui_touch_h(ui, UI_BIG, 1), gap = ui_u(ui, 16);
    SDL_Rect text = { c.x, c.y, c.w, c.h - bh - gap };
    SDL_Rect bar = { c.x, c.y + c.h - bh, c.w, bh };

    ui_fill(ui, &text, UI_SURFACE);
    SDL_Rect in = widget_inset(text, ui_u(ui, 16));
    const char *sum = summary(a, category(a)->key, today(a) - s->days_ago,
                              s->minutes, s->note ? s->note->key : NULL);
    const char *who = served_text(a, s);
    int lines = 4;

    if (s->post[0]) {
        sum = app_fmt(a, "%s\n%s", sum,
                      app_sfmt(a, "svc.on_post", s->post_name));
        lines++;
    }
    if (who) {
        sum = app_fmt(a, "%s\n%s", sum, who);
        lines++;
    }
    /* Up to six lines with the post and whom it served: in the title font
     * where they fit, else in the big one (large text on a short screen),
     * else the body one. */
    enum ui_font f = lines * text_line_height(ui_text(ui),
                                              ui_px(ui, UI_TITLE)) <= in.h
                     || lines == 4 ? UI_TITLE
                     : lines * text_line_height(ui_text(ui),
                                                ui_px(ui, UI_BIG)) <= in.h
                     ? UI_BIG : UI_BODY;
    ui_label(ui, sum, f, UI_TEXT, &in, TEXT_LEFT, lines, true);
    widget_button(ui, "change", app_s(a, "svc.change"),
                  widget_cell(bar, 2, 1, 0, gap), WIDGET_PLAIN);
    widget_button(ui, "submit", app_s(a, "svc.submit"),
                  widget_cell(bar, 2, 1, 1, gap), WIDGET_PRIMARY);
}

static void draw_done(struct app *a, SDL_Rect c)
{
    struct ui *ui = a->ui;
    const struct logsvc_state *s = st(a);
    int bh = ui_touch_h(ui, UI_BIG, 1), r = c.h / 10, gap = ui_u(ui, 10);
    int th = text_line_height(ui_text(ui), ui_px(ui, UI_TITLE));
    SDL_Rect head = { c.x, c.y + 2 * r + gap, c.w, th };
    SDL_Rect body = { c.x + c.w / 6, head.y + th + gap, c.w * 2 / 3,
                      c.y + c.h - bh - 2 * gap - head.y - th };
    SDL_Rect b = { c.x + c.w / 3, c.y + c.h - bh, c.w / 3, bh };
    const char *why = s->saved ? NULL
        : s->refusal >= 0 ? app_s(a, app_fmt(a, "svc.refused%d", s->refusal))
                          : app_s(a, "res.failed");

    widget_icon(ui, s->saved ? ICON_OK : ICON_ERR, c.x + c.w / 2, c.y + r,
                r);
    ui_label(ui, app_s(a, s->saved ? "svc.saved" : "svc.not_saved"),
             UI_TITLE, s->saved ? UI_TEXT : UI_ERR, &head, TEXT_CENTER, 1,
             true);
    /* Four lines in the big font where they fit, else in the body font
     * (large text on a short screen). */
    enum ui_font f = 4 * text_line_height(ui_text(ui), ui_px(ui, UI_BIG))
                     <= body.h ? UI_BIG : UI_BODY;
    if (s->saved)
        ui_label(ui, summary(a, s->stored.category, s->stored.day,
                             s->stored.minutes, s->stored.note),
                 f, UI_TEXT, &body, TEXT_LEFT, 4, true);
    else
        ui_label(ui, why, UI_BIG, UI_TEXT, &body, TEXT_CENTER, 3, true);
    widget_button(ui, "done", app_s(a, "btn.done"), b, WIDGET_PRIMARY);
}

static void draw(struct app *a)
{
    static const char *const titles[] = { "svc.pick_category",
        "svc.pick_day", "svc.pick_duration", "svc.pick_note", "svc.review",
        "svc.title", "svc.pick_served", "ledger.pick_building",
        "ledger.pick_unit", "svc.pick_post" };
    int step = st(a)->step;
    SDL_Rect c = widget_header(a->ui, app_s(a, titles[step]),
                               app_s(a, "btn.back"), NULL);

    switch (step) {
    case STEP_CATEGORY: draw_categories(a, c); break;
    case STEP_DAY:      draw_days(a, c);       break;
    case STEP_DURATION: draw_duration(a, c);   break;
    case STEP_NOTE:     draw_notes(a, c);      break;
    case STEP_REVIEW:   draw_review(a, c);     break;
    case STEP_SERVED:   draw_served(a, c);     break;
    case STEP_BUILDING: draw_places(a, c, false); break;
    case STEP_UNIT:     draw_places(a, c, true);  break;
    case STEP_POST:     draw_posts(a, c);      break;
    default:            draw_done(a, c);       break;
    }
}

const struct screen_ops screen_logsvc_ops = {
    .name = "logsvc",
    .idle = IDLE_PRIVATE,
    .state_size = sizeof(struct logsvc_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
