/* ui/screen_contacts.c - grid, building and unit leaders: pick a
 * building, then a unit; the list shows the building's leaders and that
 * unit's, with role, duties and the phone they published. */
#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/feed.h"

static void load_buildings(struct app *a)
{
    a->contacts.building = a->contacts.unit = -1;
    if (store_buildings(a->store, a->contacts.buildings, 32,
                        &a->contacts.n_buildings) != ERR_OK)
        a->contacts.n_buildings = 0;
}

/* Units of the chosen building, without "" (the whole building). */
static void load_units(struct app *a)
{
    char all[16][16];
    size_t n = 0;

    a->contacts.n_units = 0;
    if (store_units(a->store, a->contacts.buildings[a->contacts.building],
                    all, 16, &n) != ERR_OK)
        return;
    for (size_t i = 0; i < n; i++)
        if (all[i][0])
            memcpy(a->contacts.units[a->contacts.n_units++], all[i], 16);
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
    const char *unit = a->contacts.unit >= 0
                     ? a->contacts.units[a->contacts.unit] : "";
    struct contact *c = a->contacts.items;
    size_t n = 0, keep = 0;

    a->contacts.page = 0;
    if (store_contacts(a->store, a->contacts.buildings[a->contacts.building],
                       "", c, APP_MAX_ROWS, &n) != ERR_OK)
        n = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].unit[0] == '\0' || strcmp(c[i].unit, unit) == 0)
            c[keep++] = c[i];
    a->contacts.n = keep;
    qsort(c, keep, sizeof *c, by_role);
}

static void enter(struct app *a)
{
    load_buildings(a);
}

static void draw_list(struct app *a, SDL_Rect c)
{
    struct widget_row rows[APP_MAX_ROWS];

    for (size_t i = 0; i < a->contacts.n; i++) {
        const struct contact *k = &a->contacts.items[i];
        rows[i] = (struct widget_row){
            .title = app_fmt(a, "%s  %s", k->name, feed_role(a, k->role)),
            .detail = k->duties,
            .right = k->phone,
            .right_color = UI_TEXT,
        };
    }
    if (a->contacts.n == 0)
        ui_label(a->ui, app_s(a, "list.empty"), UI_BIG, UI_MUTED, &c,
                 TEXT_CENTER, 1, true);
    widget_list(a->ui, NULL, rows, (int)a->contacts.n, a->contacts.page, c,
                app_s(a, "btn.prev"), app_s(a, "btn.next"));
}

static void draw(struct app *a)
{
    struct ui *ui = a->ui;
    const char *labels[32];
    const char *title = app_s(a, "contacts.pick_building");

    if (a->contacts.building >= 0)
        title = app_sfmt(a, a->contacts.unit >= 0 ? "contacts.unit"
                                                  : "contacts.building",
                         a->contacts.buildings[a->contacts.building],
                         a->contacts.unit >= 0
                             ? a->contacts.units[a->contacts.unit] : "");
    SDL_Rect c = widget_header(ui, title, app_s(a, "btn.back"), NULL);
    if (a->contacts.building < 0) {
        for (size_t i = 0; i < a->contacts.n_buildings; i++)
            labels[i] = app_sfmt(a, "contacts.bldg",
                                 a->contacts.buildings[i]);
        widget_tiles(ui, "bldg", labels, (int)a->contacts.n_buildings, -1, c,
                     ui_portrait(ui) ? 4 : 5);
    } else if (a->contacts.unit < 0 && a->contacts.n_units > 0 &&
               a->contacts.n == 0) {
        for (size_t i = 0; i < a->contacts.n_units; i++)
            labels[i] = app_sfmt(a, "contacts.unit_n", a->contacts.units[i]);
        widget_tiles(ui, "unit", labels, (int)a->contacts.n_units, -1, c, 3);
    } else {
        draw_list(a, c);
    }
}

static void event(struct app *a, const char *id)
{
    int i;

    if (strcmp(id, "back") == 0) {
        if (a->contacts.building < 0)
            app_go(a, &screen_home_ops);
        else if (a->contacts.unit >= 0 || (a->contacts.n > 0 &&
                                           a->contacts.n_units > 0)) {
            a->contacts.unit = -1;
            a->contacts.n = 0;
        } else {
            load_buildings(a);
            a->contacts.n = 0;
        }
    } else if (strncmp(id, "bldg.", 5) == 0) {
        i = atoi(id + 5);
        if (i < 0 || i >= (int)a->contacts.n_buildings)
            return;
        a->contacts.building = i;
        a->contacts.n = 0;
        load_units(a);
        if (a->contacts.n_units == 0)
            load_list(a);
    } else if (strncmp(id, "unit.", 5) == 0) {
        i = atoi(id + 5);
        if (i < 0 || i >= (int)a->contacts.n_units)
            return;
        a->contacts.unit = i;
        load_list(a);
    } else if (strcmp(id, "page.next") == 0) {
        a->contacts.page++;
    } else if (strcmp(id, "page.prev") == 0 && a->contacts.page > 0) {
        a->contacts.page--;
    }
}

const struct screen_ops screen_contacts_ops = {
    .name = "contacts",
    .idle = IDLE_HOME,
    .enter = enter,
    .event = event,
    .draw = draw,
};
