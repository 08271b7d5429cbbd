/* ui/keyboard.c - the QWERTY and symbols pages of the on-screen
 * keyboard (keyboard.h). Keys are as large as the area allows: ten to a
 * row, the bottom row holding the wide keys. It only draws and names
 * keys; what a key does is text entry's. */
#include "ui/keyboard.h"

#include <stdio.h>
#include <string.h>

#include "ui/widget.h"

static const char *const letter_rows[3] = { "qwertyuiop", "asdfghjkl",
                                            "zxcvbnm" };

/* Full-width Chinese punctuation first (what a resident writes), then
 * what addresses and phone notes need. */
static const char *const symbols[] = {
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "0",
    "，", "。", "？", "！", "、", "：", "；", "（", "）",
    "-", "/", "#", "@", ".", "“", "”", "…", "号",
};
#define N_SYMBOLS (int)(sizeof symbols / sizeof symbols[0])

const char *keyboard_text(const char *id)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
    static const char *const one[26] = {
        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
        "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
    };
    int n;
    char end;

    if (strncmp(id, "kb.", 3) != 0)
        return NULL;
    if (id[3] >= 'a' && id[3] <= 'z' && id[4] == '\0')
        return one[strchr(letters, id[3]) - letters];
    if (id[3] == 's' && sscanf(id + 4, "%d%c", &n, &end) == 1 && n >= 0 &&
        n < N_SYMBOLS)
        return symbols[n];
    return NULL;
}

/* Keys sit on a grid eleven and a half keys wide: row 0 holds ten keys
 * and a key and a half for backspace (its word must fit), the rows below
 * are indented half a key, the bottom row holds the wide keys. */
static void key(struct ui *ui, const char *id, const char *label,
                SDL_Rect r, enum widget_kind k)
{
    widget_button(ui, id, label, widget_inset(r, ui_u(ui, 3)), k);
}

static void letters(struct ui *ui, SDL_Rect area, int kw, int kh)
{
    for (int row = 0; row < 3; row++) {
        const char *keys = letter_rows[row];
        int n = (int)strlen(keys), x = area.x + row * kw / 2;
        int y = area.y + row * kh;

        for (int i = 0; i < n; i++) {
            char id[UI_ID_MAX], label[2] = { keys[i], '\0' };
            snprintf(id, sizeof id, "kb.%c", keys[i]);
            key(ui, id, label, (SDL_Rect){ x + i * kw, y, kw, kh },
                WIDGET_PLAIN);
        }
        if (row == 1)
            key(ui, "kb.quote", "'", (SDL_Rect){ x + n * kw, y, kw, kh },
                WIDGET_PLAIN);
    }
}

static void symbol_keys(struct ui *ui, SDL_Rect area, int kw, int kh)
{
    for (int i = 0; i < N_SYMBOLS; i++) {
        int row = i < 10 ? 0 : i < 19 ? 1 : 2;
        int col = row == 0 ? i : row == 1 ? i - 10 : i - 19;
        char id[UI_ID_MAX];

        snprintf(id, sizeof id, "kb.s%d", i);
        key(ui, id, symbols[i],
            (SDL_Rect){ area.x + col * kw + (row ? kw / 2 : 0),
                        area.y + row * kh, kw, kh }, WIDGET_PLAIN);
    }
}

void keyboard_draw(struct ui *ui, SDL_Rect area, enum keyboard_page page,
                   const struct keyboard_labels *l)
{
    int kw = area.w * 2 / 23, kh = area.h / 4;
    SDL_Rect grid = { area.x + (area.w - 23 * kw / 2) / 2, area.y,
                      23 * kw / 2, area.h };
    int y = grid.y + 3 * kh, x = grid.x;

    if (page == KEYBOARD_LETTERS)
        letters(ui, grid, kw, kh);
    else
        symbol_keys(ui, grid, kw, kh);
    key(ui, "kb.del", l->del,
        (SDL_Rect){ x + 10 * kw, grid.y, grid.w - 10 * kw, kh },
        WIDGET_PLAIN);
    key(ui, "kb.page", l->page, (SDL_Rect){ x, y, kw * 2, kh },
        WIDGET_PLAIN);
    key(ui, "kb.lang", l->lang, (SDL_Rect){ x + 2 * kw, y, kw * 2, kh },
        WIDGET_SELECTED);
    key(ui, "kb.space", l->space,
        (SDL_Rect){ x + 4 * kw, y, grid.w - 4 * kw, kh }, WIDGET_PLAIN);
}
