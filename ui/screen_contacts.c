/* ui/screen_contacts.c - grid, building and unit leaders: pick a
 * building: its building-wide contacts (网格长, 楼栋长) come first, with the
 * units below to pick from; a unit's list shows the building's leaders
 * and that unit's, with role, duties and the phone they published. */
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

struct contacts_state {
    char           buildings[32][16];
    size_t         n_buildings;
    char           units[16][16];
    size_t         n_units;
    int            building, unit;  /* -1: not chosen yet */
    struct contact items[APP_MAX_ROWS];
    size_t         n;
    struct contact wide[8];         /* the building's own (unit "") */
    size_t         n_wide;
    int            page;
};

static struct contacts_state *st(struct app *a)
{
    return app_state(a, &screen_contacts_ops);
}

static void load_buildings(struct app *a)
{
    struct contacts_state *s = st(a);

    s->building = s->unit = -1;
    if (store_buildings(a->store, s->buildings, 32, &s->n_buildings)
        != ERR_OK)
        s->n_buildings = 0;
}

static int by_role(const void *x, const void *y);

/* Units of the chosen building, without "" (the whole building), and
 * the building-wide contacts shown above them. */
static void load_units(struct app *a)
{
    struct contacts_state *s = st(a);
    char all[16][16];
    size_t n = 0;

    s->n_units = s->n_wide = 0;
    if (store_contacts(a->store, s->buildings[s->building], "", s->items,
                       APP_MAX_ROWS, &n) == ERR_OK)
        for (size_t i = 0; i < n && s->n_wide < 8; i++)
            if (s->items[i].unit[0] == '\0')
                s->wide[s->n_wide++] = s->items[i];
    qsort(s->wide, s->n_wide, sizeof s->wide[0], by_role);
    n = 0;
    if (store_units(a->store, s->buildings[s->building], all, 16, &n)
        != ERR_OK)
        return;
    for (size_t i = 0; i < n; i++)
        if (all[i][0])
            memcpy(s->units[s->n_units++], all[i], 16);
}

static int role_rank(const char *role)
{
    static const char *const order[] = { "grid_leader", "building_leader",
                                         "unit_leader" };

    for (int i = 0; i < 3; i++)
        if (strcmp(role, order[i]) == 0)
            return i;
    return 3;
}

static int by_role(const void *x, const void *y)
{
    const struct contact *p = x, *q = y;
    int d = role_rank(p->role) - role_rank(q->role);

    return d ? d : strcmp(p->id, q->id);
}

/* Grid leader first, then building, then unit leaders. */
static void load_list(struct app *a)
{
    struct contacts_state *s = st(a);
    const char *unit = s->unit >= 0 ? s->units[s->unit] : "";
    struct contact *c = s->items;
    size_t n = 0, keep = 0;

    s->page = 0;
    if (store_contacts(a->store, s->buildings[s->building], "", c,
                       APP_MAX_ROWS, &n) != ERR_OK)
        n = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].unit[0] == '\0' || strcmp(c[i].unit, unit) == 0)
            c[keep++] = c[i];
    s->n = keep;
    qsort(c, keep, sizeof *c, by_role);
}

static void enter(struct app *a)
{
    load_buildings(a);
}

static void contact_rows(struct app *a, const struct contact *items,
                         size_t n, struct widget_row *rows)
{
    for (size_t i = 0; i < n; i++) {
        const struct contact *k = &items[i];
        rows[i] = (struct widget_row){
            .title = app_fmt(a, "%s  %s", k->name, feed_role(a, k->role)),
            .avatar = k->name,
            .photo = app_fmt(a, "contact/%s", k->id),
            .detail = k->duties,
            .right = k->phone,
            .right_color = UI_TEXT,
        };
    }
}

static void draw_list(struct app *a, SDL_Rect c)
{
    const struct contacts_state *s = st(a);
    struct widget_row rows[APP_MAX_ROWS];

    contact_rows(a, s->items, s->n, rows);
    if (s->n == 0)
        ui_label(a->ui, app_s(a, "list.empty"), UI_BIG, UI_MUTED, &c,
                 TEXT_CENTER, 1, true);
    widget_list(a->ui, NULL, rows, (int)s->n, s->page, c,
                app_s(a, "btn.prev"), app_s(a, "btn.next"));
}

/* A building with units: its own contacts, then the units as a band
 * of tiles no taller than a button. */
static void draw_building(struct app *a, SDL_Rect c)
{
    const struct contacts_state *s = st(a);
    struct ui *ui = a->ui;
    struct widget_row rows[8];
    const char *labels[16];
    int gap = ui_u(ui, 10), cols = s->n_units < 4 ? (int)s->n_units : 4;
    int rows_n = ((int)s->n_units + cols - 1) / cols;
    int th = ui_touch_h(ui, UI_BIG, 1) + ui_u(ui, 8);
    int lh = text_line_height(ui_text(ui), ui_px(ui, UI_BODY));
    SDL_Rect tiles = { c.x, c.y + c.h - rows_n * (th + gap) + gap, c.w,
                       rows_n * (th + gap) - gap };
    SDL_Rect say = { c.x, tiles.y - lh - gap, c.w, lh };
    SDL_Rect wide = { c.x, c.y, c.w, say.y - gap - c.y };

    for (size_t i = 0; i < s->n_units; i++)
        labels[i] = app_sfmt(a, "contacts.unit_n", s->units[i]);
    contact_rows(a, s->wide, s->n_wide, rows);
    if (s->n_wide > 0)
        widget_list(ui, NULL, rows, (int)s->n_wide, 0, wide, NULL, NULL);
    ui_label(ui, app_s(a, "contacts.by_unit"), UI_BODY, UI_TEXT, &say,
             TEXT_LEFT, 1, true);
    widget_tiles(ui, "unit", labels, (int)s->n_units, -1, tiles, cols);
}

static void draw(struct app *a)
{
    const struct contacts_state *s = st(a);
    struct ui *ui = a->ui;
    const char *labels[32];
    const char *title = app_s(a, "contacts.pick_building");

    if (s->building >= 0)
        title = app_sfmt(a, s->unit >= 0 ? "contacts.unit"
                                         : "contacts.building",
                         s->buildings[s->building],
                         s->unit >= 0 ? s->units[s->unit] : "");
    SDL_Rect c = widget_header(ui, title, app_s(a, "btn.back"), NULL);
    if (s->building < 0) {
        for (size_t i = 0; i < s->n_buildings; i++)
            labels[i] = app_sfmt(a, "contacts.bldg", s->buildings[i]);
        widget_tiles(ui, "bldg", labels, (int)s->n_buildings, -1, c,
                     ui_portrait(ui) ? 4 : 5);
    } else if (s->unit < 0 && s->n_units > 0 && s->n == 0) {
        draw_building(a, c);
    } else {
        draw_list(a, c);
    }
}

static void event(struct app *a, const char *id)
{
    struct contacts_state *s = st(a);
    int i;

    if (strcmp(id, "back") == 0) {
        if (s->building < 0)
            app_go(a, &screen_home_ops);
        else if (s->unit >= 0 || (s->n > 0 && s->n_units > 0)) {
            s->unit = -1;
            s->n = 0;
        } else {
            load_buildings(a);
            s->n = 0;
        }
    } else if (strncmp(id, "bldg.", 5) == 0) {
        i = atoi(id + 5);
        if (i < 0 || i >= (int)s->n_buildings)
            return;
        s->building = i;
        s->n = 0;
        load_units(a);
        if (s->n_units == 0)
            load_list(a);
    } else if (strncmp(id, "unit.", 5) == 0) {
        i = atoi(id + 5);
        if (i < 0 || i >= (int)s->n_units)
            return;
        s->unit = i;
        load_list(a);
    } else if (strcmp(id, "page.next") == 0) {
        s->page++;
    } else if (strcmp(id, "page.prev") == 0 && s->page > 0) {
        s->page--;
    }
}

const struct screen_ops screen_contacts_ops = {
    .name = "contacts",
    .idle = IDLE_HOME,
    .state_size = sizeof(struct contacts_state),
    .enter = enter,
    .event = event,
    .draw = draw,
};
