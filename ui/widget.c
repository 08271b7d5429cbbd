/* ui/widget.c - buttons, tiles, keypad, paged lists and icons. Stateless:
 * paging and selection live in the screen's state. */
#include "ui/widget.h"

#include <stdio.h>

SDL_Rect widget_inset(SDL_Rect r, int d)
{
    SDL_Rect o = { r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d };

    return o;
}

SDL_Rect widget_cell(SDL_Rect area, int cols, int rows, int i, int gap)
{
    int cw = (area.w - (cols - 1) * gap) / cols;
    int ch = (area.h - (rows - 1) * gap) / rows;
    SDL_Rect r = { area.x + (i % cols) * (cw + gap),
                   area.y + (i / cols) * (ch + gap), cw, ch };

    return r;
}

void widget_button(struct ui *ui, const char *id, const char *label,
                   SDL_Rect r, enum widget_kind k)
{
    enum ui_color bg = k == WIDGET_PRIMARY ? UI_PRIMARY
                     : k == WIDGET_SELECTED ? UI_INFO : UI_SURFACE;
    enum ui_color fg = k == WIDGET_PLAIN ? UI_TEXT : UI_ON_PRIMARY;
    int pad = ui_u(ui, 8);

    if (ui_is_pressed(ui, id))
        bg = k == WIDGET_PLAIN ? UI_PRESSED : bg;
    ui_fill(ui, &r, bg);
    if (k == WIDGET_PLAIN)
        ui_frame_rect(ui, &r, UI_BORDER, ui_u(ui, 2) > 0 ? ui_u(ui, 2) : 1);
    SDL_Rect in = widget_inset(r, pad);
    ui_label(ui, label, UI_BIG, fg, &in, TEXT_CENTER, 2, true);
    ui_hit_add(ui, id, &r);
}

SDL_Rect widget_header(struct ui *ui, const char *title,
                       const char *back_label, const char *right)
{
    int h = ui_touch_h(ui, UI_TITLE, 1), pad = ui_u(ui, 12);
    SDL_Rect bar = { 0, 0, ui_w(ui), h };
    SDL_Rect t = { pad, 0, ui_w(ui) - 2 * pad, h };
    SDL_Rect content;

    ui_fill(ui, &bar, UI_PRIMARY);
    if (back_label) {
        int bw = ui_u(ui, 130) + (ui_large(ui) ? ui_u(ui, 40) : 0);
        SDL_Rect b = { 0, 0, bw, h };
        SDL_Rect in = widget_inset(b, ui_u(ui, 6));
        ui_label(ui, back_label, UI_BIG, UI_ON_PRIMARY, &in, TEXT_CENTER, 1,
                 true);
        ui_frame_rect(ui, &in, UI_ON_PRIMARY, 2);
        ui_hit_add(ui, "back", &b);
        t.x = bw + pad;
        t.w = ui_w(ui) - bw - 2 * pad;
    }
    if (right) {
        SDL_Rect rr = { t.x, 0, t.w, h };
        int rw = text_width(ui_text(ui), right, ui_px(ui, UI_BODY));
        ui_label(ui, right, UI_BODY, UI_ON_PRIMARY, &rr, TEXT_RIGHT, 1, true);
        t.w -= rw + pad;
    }
    ui_label(ui, title, UI_TITLE, UI_ON_PRIMARY, &t, TEXT_LEFT, 1, true);
    content.x = pad;
    content.y = h + pad;
    content.w = ui_w(ui) - 2 * pad;
    content.h = ui_h(ui) - h - 2 * pad;
    return content;
}

void widget_tiles(struct ui *ui, const char *prefix,
                  const char *const *labels, int n, int selected,
                  SDL_Rect area, int cols)
{
    int rows = (n + cols - 1) / cols, gap = ui_u(ui, 10);
    char id[UI_ID_MAX];

    if (rows < 1)
        rows = 1;
    for (int i = 0; i < n; i++) {
        SDL_Rect r = widget_cell(area, cols, rows, i, gap);
        snprintf(id, sizeof id, "%s.%d", prefix, i);
        widget_button(ui, id, labels[i], r,
                      i == selected ? WIDGET_SELECTED : WIDGET_PLAIN);
    }
}

void widget_keypad(struct ui *ui, SDL_Rect area, const char *del_label,
                   const char *ok_label)
{
    static const char *const keys[12] = {
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "del", "0", "ok",
    };
    int gap = ui_u(ui, 8);
    char id[UI_ID_MAX];

    for (int i = 0; i < 12; i++) {
        SDL_Rect r = widget_cell(area, 3, 4, i, gap);
        const char *label = i == 9 ? del_label : i == 11 ? ok_label : keys[i];
        snprintf(id, sizeof id, "key.%s", keys[i]);
        widget_button(ui, id, label, r, i == 11 ? WIDGET_PRIMARY
                                                : WIDGET_PLAIN);
    }
}

static void list_row(struct ui *ui, const char *prefix, int index,
                     const struct widget_row *row, SDL_Rect r)
{
    int pad = ui_u(ui, 10);
    SDL_Rect in = widget_inset(r, pad);
    char id[UI_ID_MAX];

    ui_fill(ui, &r, UI_SURFACE);
    ui_frame_rect(ui, &r, UI_BORDER, 1);
    if (row->right) {
        int rw = text_width(ui_text(ui), row->right, ui_px(ui, UI_BODY));
        if (rw > in.w / 2)
            rw = in.w / 2;
        SDL_Rect rr = { in.x + in.w - rw, in.y, rw, in.h };
        ui_label(ui, row->right, UI_BODY, row->right_color, &rr, TEXT_RIGHT,
                 1, true);
        in.w -= rw + pad;
    }
    if (row->detail) {
        SDL_Rect top = { in.x, in.y, in.w, in.h / 2 };
        SDL_Rect bot = { in.x, in.y + in.h / 2, in.w, in.h - in.h / 2 };
        ui_label(ui, row->title, UI_BODY, UI_TEXT, &top, TEXT_LEFT, 1, true);
        ui_label(ui, row->detail, UI_SMALL, UI_MUTED, &bot, TEXT_LEFT, 1,
                 true);
    } else {
        ui_label(ui, row->title, UI_BODY, UI_TEXT, &in, TEXT_LEFT, 1, true);
    }
    if (prefix) {
        snprintf(id, sizeof id, "%s.%d", prefix, index);
        ui_hit_add(ui, id, &r);
    }
}

int widget_list(struct ui *ui, const char *prefix,
                const struct widget_row *rows, int n, int page,
                SDL_Rect area, const char *prev_label, const char *next_label)
{
    int two = 0, gap = ui_u(ui, 6), row_h, per, first, pager_h;

    for (int i = 0; i < n; i++)
        two |= rows[i].detail != NULL;
    row_h = two ? ui_touch_h(ui, UI_BODY, 1) +
                  text_line_height(ui_text(ui), ui_px(ui, UI_SMALL))
                : ui_touch_h(ui, UI_BODY, 1);
    per = (area.h + gap) / (row_h + gap);
    if (per < n && next_label) {        /* room for the pager row */
        pager_h = ui_touch_h(ui, UI_BIG, 1);
        per = (area.h - pager_h + gap) / (row_h + gap);
    }
    if (per < 1)
        per = 1;
    first = page * per;
    for (int i = first; i < n && i < first + per; i++) {
        SDL_Rect r = { area.x, area.y + (i - first) * (row_h + gap), area.w,
                       row_h };
        list_row(ui, prefix, i, &rows[i], r);
    }
    if (n > per && next_label) {
        pager_h = ui_touch_h(ui, UI_BIG, 1);
        SDL_Rect bar = { area.x, area.y + area.h - pager_h, area.w, pager_h };
        SDL_Rect a = widget_cell(bar, 3, 1, 0, gap);
        SDL_Rect b = widget_cell(bar, 3, 1, 2, gap);
        SDL_Rect mid = widget_cell(bar, 3, 1, 1, gap);
        char pos[32];
        snprintf(pos, sizeof pos, "%d / %d", page + 1, (n + per - 1) / per);
        ui_label(ui, pos, UI_BODY, UI_MUTED, &mid, TEXT_CENTER, 1, true);
        if (page > 0)
            widget_button(ui, "page.prev", prev_label, a, WIDGET_PLAIN);
        if (first + per < n)
            widget_button(ui, "page.next", next_label, b, WIDGET_PLAIN);
    }
    return per;
}

void widget_icon(struct ui *ui, enum widget_icon icon, int cx, int cy,
                 int radius)
{
    static const enum ui_color bg[] = { UI_OK, UI_INFO, UI_WARN, UI_ERR };
    enum ui_color fg = icon == ICON_WARN ? UI_ON_WARN : UI_ON_PRIMARY;
    int t = radius / 5, q = radius / 2;

    ui_fill_circle(ui, cx, cy, radius, bg[icon]);
    switch (icon) {
    case ICON_OK:
        ui_line(ui, cx - q, cy, cx - q / 4, cy + q * 2 / 3, t, fg);
        ui_line(ui, cx - q / 4, cy + q * 2 / 3, cx + q, cy - q / 2, t, fg);
        break;
    case ICON_INFO:                      /* an arrow out: checked out */
        ui_line(ui, cx - q, cy, cx + q, cy, t, fg);
        ui_line(ui, cx + q / 4, cy - q * 2 / 3, cx + q, cy, t, fg);
        ui_line(ui, cx + q / 4, cy + q * 2 / 3, cx + q, cy, t, fg);
        break;
    case ICON_WARN:
        ui_line(ui, cx, cy - q, cx, cy + q / 5, t, fg);
        ui_line(ui, cx, cy + q / 2, cx, cy + q * 3 / 4, t, fg);
        break;
    case ICON_ERR:
        ui_line(ui, cx - q, cy - q, cx + q, cy + q, t, fg);
        ui_line(ui, cx - q, cy + q, cx + q, cy - q, t, fg);
        break;
    }
}

void widget_progress(struct ui *ui, SDL_Rect r, int permille)
{
    int t = ui_u(ui, 2) > 0 ? ui_u(ui, 2) : 1;
    SDL_Rect in = widget_inset(r, t);

    permille = permille < 0 ? 0 : permille > 1000 ? 1000 : permille;
    ui_fill(ui, &r, UI_SURFACE);
    ui_frame_rect(ui, &r, UI_BORDER, t);
    in.w = (int)((long)in.w * permille / 1000);
    if (in.w > 0)
        ui_fill(ui, &in, UI_PRIMARY);
}
