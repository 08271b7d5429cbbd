/* ui/widget.c - buttons, tiles, keypad, paged lists and icons. Stateless:
 * paging and selection live in the screen's state. */
#include "ui/widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SDL_Rect widget_inset(SDL_Rect r, int d)
{
    SDL_Rect o = { r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d };

    return o;
}

enum ui_font widget_fit(struct ui *ui, const char *s, int w, int max_lines,
                        enum ui_font larger, enum ui_font smaller)
{
    struct text_layout *lay = malloc(sizeof *lay);
    bool fits;

    if (lay == NULL)
        return smaller;
    text_layout(ui_text(ui), s, ui_px(ui, larger), w, max_lines, lay);
    fits = !lay->cut;
    free(lay);
    return fits ? larger : smaller;
}

int widget_lines(struct ui *ui, const char *s, enum ui_font f, int w)
{
    struct text_layout *lay = malloc(sizeof *lay);
    int n;

    if (lay == NULL)
        return 1;
    text_layout(ui_text(ui), s, ui_px(ui, f), w, 0, lay);
    n = lay->n;
    free(lay);
    return n;
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

    ui_fill(ui, &bar, UI_BRAND);
    if (back_label) {
        /* The same place and look on every screen: top left, an arrow
         * and the word, as wide as the word needs. */
        int bpx = ui_px(ui, UI_BIG), ipx = bpx * 6 / 5, g = ui_u(ui, 6);
        int tw = text_width(ui_text(ui), back_label, bpx);
        int bw = 2 * g + 2 * pad + ipx + g + tw;
        if (bw < ui_u(ui, 130))
            bw = ui_u(ui, 130);
        SDL_Rect b = { 0, 0, bw, h };
        SDL_Rect in = widget_inset(b, g);
        int x = in.x + (in.w - ipx - g - tw) / 2;
        SDL_Rect ir = { x, in.y, ipx, in.h };
        SDL_Rect lr = { x + ipx + g, in.y, tw, in.h };
        ui_frame_rect(ui, &in, UI_ON_PRIMARY, 2);
        widget_glyph(ui, GLYPH_ARROW_BACK, UI_ON_PRIMARY, ir, ipx);
        ui_label(ui, back_label, UI_BIG, UI_ON_PRIMARY, &lr, TEXT_LEFT, 1,
                 true);
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

void widget_split(struct ui *ui, SDL_Rect row, const char *const *labels,
                  int n, int gap, SDL_Rect *out)
{
    int big = ui_px(ui, UI_BIG), pad = ui_u(ui, 8);
    int icon = text_line_height(ui_text(ui), big) * 5 / 4 + pad;
    int need[8], sum = 0, x = row.x, left;

    if (n > 8)
        n = 8;
    for (int i = 0; i < n; i++) {
        need[i] = text_width(ui_text(ui), labels[i], big) + 4 * pad + icon;
        sum += need[i];
    }
    if (sum + (n - 1) * gap > row.w) {          /* no room for icons */
        sum -= n * icon;
        for (int i = 0; i < n; i++)
            need[i] -= icon;
    }
    left = row.w - (n - 1) * gap - sum;
    for (int i = 0; i < n; i++) {
        int w = need[i] + left / n + (i < left % n ? 1 : 0);
        if (left < 0)                           /* even that is too much */
            w = (row.w - (n - 1) * gap) / n;
        out[i] = (SDL_Rect){ x, row.y, w, row.h };
        x += w + gap;
    }
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

/* Width left for a row's title and detail beside its right column. */
static int row_text_w(struct ui *ui, const struct widget_row *row, int w)
{
    int pad = ui_u(ui, 10), in = w - 2 * pad;

    if (row->avatar)
        in -= ui_u(ui, 64) + pad;

    if (row->right) {
        int rw = text_width(ui_text(ui), row->right, ui_px(ui, UI_BODY));
        in -= (rw > in / 2 ? in / 2 : rw) + pad;
    }
    return in;
}

static void list_row(struct ui *ui, const char *prefix, int index,
                     const struct widget_row *row, SDL_Rect r,
                     int detail_lines)
{
    int pad = ui_u(ui, 10);
    SDL_Rect in = widget_inset(r, pad);
    char id[UI_ID_MAX];

    ui_fill(ui, &r, UI_SURFACE);
    ui_frame_rect(ui, &r, UI_BORDER, 1);
    if (row->avatar) {
        int rad = (in.h < ui_u(ui, 64) ? in.h : ui_u(ui, 64)) / 2;
        widget_face(ui, row->avatar, row->photo, in.x + rad, in.y + in.h / 2,
                    rad);
        in.x += 2 * rad + pad;
        in.w -= 2 * rad + pad;
    }
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
        int th = in.h * 1 / (1 + detail_lines);
        SDL_Rect top = { in.x, in.y, in.w, th };
        SDL_Rect bot = { in.x, in.y + th, in.w, in.h - th };
        ui_label(ui, row->title, UI_BODY, UI_TEXT, &top, TEXT_LEFT, 1, true);
        /* Not grey: who does what, and when, is what the row is for. */
        text_excerpt(ui_text(ui), row->excerpt);
        ui_label(ui, row->detail, UI_SMALL, UI_TEXT, &bot, TEXT_LEFT,
                 detail_lines, true);
        text_excerpt(ui_text(ui), false);
    } else {
        ui_label(ui, row->title, UI_BODY, UI_TEXT, &in, TEXT_LEFT, 1, true);
    }
    if (prefix) {
        snprintf(id, sizeof id, "%s.%d", prefix, index);
        ui_hit_add(ui, id, &r);
    }
}

int widget_list_row_h(struct ui *ui, const struct widget_row *rows, int n,
                      int w)
{
    int two = 0, detail_lines = 1, small = ui_px(ui, UI_SMALL);

    /* A detail too long for one line gets two, on every row alike. */
    for (int i = 0; i < n; i++) {
        two |= rows[i].detail != NULL;
        if (rows[i].detail && !rows[i].excerpt &&
            text_width(ui_text(ui), rows[i].detail, small) >
            row_text_w(ui, &rows[i], w))
            detail_lines = 2;
    }
    return two ? ui_touch_h(ui, UI_BODY, 1) + detail_lines *
                 text_line_height(ui_text(ui), small)
               : ui_touch_h(ui, UI_BODY, 1);
}

int widget_list(struct ui *ui, const char *prefix,
                const struct widget_row *rows, int n, int page,
                SDL_Rect area, const char *prev_label, const char *next_label)
{
    int gap = ui_u(ui, 6), row_h, per, first, pager_h;
    int detail_lines = 1, small = ui_px(ui, UI_SMALL);

    row_h = widget_list_row_h(ui, rows, n, area.w);
    if (row_h > ui_touch_h(ui, UI_BODY, 1) + text_line_height(ui_text(ui),
                                                              small))
        detail_lines = 2;
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
        list_row(ui, prefix, i, &rows[i], r, detail_lines);
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
    static const enum icon_glyph glyph[] = { GLYPH_CHECK, GLYPH_LOGOUT,
                                             GLYPH_PRIORITY, GLYPH_CLOSE };
    enum ui_color fg = icon == ICON_WARN ? UI_ON_WARN : UI_ON_PRIMARY;

    ui_fill_circle(ui, cx, cy, radius, bg[icon]);
    ui_icon(ui, glyph[icon], radius * 3 / 2, fg, cx, cy);
}

void widget_glyph(struct ui *ui, enum icon_glyph g, enum ui_color c,
                  SDL_Rect r, int px)
{
    ui_icon(ui, g, px, c, r.x + r.w / 2, r.y + r.h / 2);
}

void widget_icon_button(struct ui *ui, const char *id, enum icon_glyph g,
                        const char *label, SDL_Rect r, enum widget_kind k)
{
    enum ui_color bg = k == WIDGET_PRIMARY ? UI_PRIMARY
                     : k == WIDGET_SELECTED ? UI_INFO : UI_SURFACE;
    enum ui_color fg = k == WIDGET_PLAIN ? UI_TEXT : UI_ON_PRIMARY;
    enum ui_color ic = k == WIDGET_PLAIN ? UI_PRIMARY : UI_ON_PRIMARY;
    int pad = ui_u(ui, 8);
    SDL_Rect in = widget_inset(r, pad);
    enum ui_font f = widget_fit(ui, label, in.w, 2, UI_BIG, UI_BODY);
    int big = ui_px(ui, f), lh = text_line_height(ui_text(ui), big);
    int px = ui_px(ui, UI_HUGE), ipx = lh * 5 / 4;
    int tw = text_width(ui_text(ui), label, big);

    if (ui_is_pressed(ui, id))
        bg = k == WIDGET_PLAIN ? UI_PRESSED : bg;
    ui_fill(ui, &r, bg);
    if (k == WIDGET_PLAIN)
        ui_frame_rect(ui, &r, UI_BORDER, ui_u(ui, 2) > 0 ? ui_u(ui, 2) : 1);
    int lines = tw <= in.w ? 1 : 2;
    if (in.h >= px + lines * lh + pad / 2) {      /* icon over the label */
        int top = in.y + (in.h - px - lines * lh - pad / 2) / 2;
        SDL_Rect ir = { in.x, top, in.w, px };
        SDL_Rect lr = { in.x, top + px + pad / 2, in.w, lines * lh };
        widget_glyph(ui, g, ic, ir, px);
        ui_label(ui, label, f, fg, &lr, TEXT_CENTER, lines, true);
    } else if (ipx + pad + tw <= in.w) {          /* icon left of it */
        int x = in.x + (in.w - ipx - pad - tw) / 2;
        SDL_Rect ir = { x, in.y, ipx, in.h };
        SDL_Rect lr = { x + ipx + pad, in.y, tw, in.h };
        widget_glyph(ui, g, ic, ir, ipx);
        ui_label(ui, label, f, fg, &lr, TEXT_LEFT, 1, true);
    } else {                     /* no room for both: the words count */
        int n = widget_lines(ui, label, f, in.w), fit = in.h / lh;
        ui_label(ui, label, f, fg, &in, TEXT_CENTER,
                 n < fit ? n : fit > 0 ? fit : 1, true);
    }
    ui_hit_add(ui, id, &r);
}

void widget_avatar(struct ui *ui, const char *name, int cx, int cy, int r)
{
    const char *p = name;
    char initial[8] = "";
    SDL_Rect box = { cx - r, cy - r, 2 * r, 2 * r };

    if (name && *name) {
        text_utf8_next(&p, name + strlen(name));
        snprintf(initial, sizeof initial, "%.*s", (int)(p - name), name);
    }
    ui_fill_circle(ui, cx, cy, r, UI_INFO);
    if (initial[0])
        ui_label(ui, initial, 10 * r >= 16 * ui_px(ui, UI_BIG) ? UI_BIG
                            : 10 * r >= 7 * ui_px(ui, UI_BODY) ? UI_BODY
                                                               : UI_SMALL,
                 UI_ON_PRIMARY, &box, TEXT_CENTER, 1, true);
}

void widget_face(struct ui *ui, const char *name, const char *photo_key,
                 int cx, int cy, int r)
{
    SDL_Texture *t = ui_photo(ui, photo_key);
    SDL_Rect box = { cx - r, cy - r, 2 * r, 2 * r };

    if (t == NULL) {
        widget_avatar(ui, name, cx, cy, r);
        return;
    }
    SDL_RenderCopy(ui_renderer(ui), t, NULL, &box);
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
