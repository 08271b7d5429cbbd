/* ui/screen_desklog.c - today's visitors at this kiosk's duty desk, for
 * staff in technician mode: the time, the matter, where from, the duty
 * member, and the outcome (with the ticket passed on to, or the reason it
 * could not be handled). Read only: what the hub holds for the station is
 * `hubctl desk-log`. */
#include <stdlib.h>
#include <string.h>

#include "firmware/desk.h"
#include "ui/screen_desk.h"
#include "ui/screen_ticket.h"

#define VISITORS_MAX 64

struct desklog_state {
    int page;
};

static struct desklog_state *st(struct app *a)
{
    return app_state(a, &screen_desklog_ops);
}

void screen_desklog_open(struct app *a)
{
    st(a)->page = 0;
    app_go(a, &screen_desklog_ops);
}

static const char *outcome_key(enum desk_outcome o)
{
    return o == DESK_PASSED_ON ? "desk.out.passed_on"
         : o == DESK_CANNOT ? "desk.out.cannot" : "desk.out.done";
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    struct visitor_row *v = malloc(VISITORS_MAX * sizeof *v);
    struct widget_row rows[VISITORS_MAX];
    struct stamp now;
    size_t n = 0;
    app_stamp(a, &now);
    int64_t today = clock_local_day(now.wall_ms, a->cfg.utc_offset_minutes);
    if (!v || store_visitors_day(a->store, today, v, VISITORS_MAX, &n)
        != ERR_OK)
        n = 0;
    SDL_Rect c = widget_header(ui, app_s(a, "desklog.title"),
                               app_s(a, "btn.back"),
                               app_sfmt(a, "desklog.count", (int)n));
    for (size_t i = 0; i < n; i++) {
        struct member m;
        const char *who = store_member_get(a->store, v[i].member_no, &m)
                          == ERR_OK ? app_fmt(a, "%s", m.name)
                                    : v[i].member_no;
        const char *when = ticket_when(a, v[i].at_ms);
        size_t wl = strlen(when);
        const char *place = v[i].building[0]
            ? ticket_place(a, v[i].building, v[i].unit) : "";
        rows[i] = (struct widget_row){
            .title = app_fmt(a, "%s  %s  %s", wl > 5 ? when + wl - 5 : when,
                             ticket_type_name(a, v[i].type), place),
            .detail = v[i].outcome == DESK_PASSED_ON
                ? app_sfmt(a, "desklog.passed", v[i].text, v[i].ticket, who)
                : v[i].outcome == DESK_CANNOT
                ? app_sfmt(a, "desklog.cannot", v[i].text, v[i].reason, who)
                : app_sfmt(a, "desklog.done", v[i].text, who),
            .right = app_s(a, outcome_key(v[i].outcome)),
            .right_color = v[i].outcome == DESK_CANNOT ? UI_ERR
                         : v[i].outcome == DESK_PASSED_ON ? UI_INFO : UI_OK,
        };
    }
    free(v);
    if (n == 0)
        ui_label(ui, app_s(a, "desklog.none"), UI_BIG, UI_MUTED, &c,
                 TEXT_CENTER, 2, true);
    else
        widget_list(ui, NULL, rows, (int)n, st(a)->page, c,
                    app_s(a, "btn.prev"), app_s(a, "btn.next"));
}

static void event(struct app *a, const char *id)
{
    struct desklog_state *s = st(a);
    /* Out of technician mode: leaving it locks it (screen_tech.c). */
    if (strcmp(id, "back") == 0)
        app_go(a, &screen_home_ops);
    else if (strcmp(id, "page.next") == 0)
        s->page++;
    else if (strcmp(id, "page.prev") == 0 && s->page > 0)
        s->page--;
}

const struct screen_ops screen_desklog_ops = {
    .name = "desklog",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct desklog_state),
    .event = event,
    .draw = draw,
};
