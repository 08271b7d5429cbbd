/* ui/script.c - drives the kiosk from a script, for tests and for the
 * README's screenshots. One command a line:
 *   scan TEXT          a scanner line
 *   tap ID | tap X Y   a touch on a widget of the last frame, or a point
 *   key NAME           a key by SDL name (Escape, Return, 5)
 *   type LETTERS       tap the on-screen keyboard's keys kb.a .. kb.z
 *   stroke ID X,Y ...  draw one stroke on widget ID (the handwriting pad):
 *                      pen down, moves, up; X and Y in thousandths of it
 *   strokes ID FILE    each line of FILE is one such stroke's X,Y list
 *   wait MS            advance the manual clock, running every timer due
 *   screenshot NAME    save SHOT_DIR/NAME.png
 *   lang zh_CN|en      large on|off
 *   expect screen NAME | expect text TEXT | expect dimmed yes|no
 *   expect nolatin [WORD...]  no Latin word drawn but numbers, ids and
 *                      the words given (a zh_CN screen)
 * The clock is manual and starts at 2026-11-23 09:30 in UTC+8, so the
 * same script draws the same pixels. Lines are capped at 512 bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "ui/app.h"

#define SCRIPT_MAX   (256 * 1024)
#define LINE_MAX_LEN 512
#define START_WALL   1795397400000LL   /* 2026-11-23 01:30 UTC */

static void advance(struct app *a, uint64_t ms)
{
    uint64_t target = a->manual_ms + ms;

    while (a->manual_ms < target) {
        uint64_t d = app_next_deadline(a), left = target - a->manual_ms;
        a->manual_ms += d == 0 ? 1 : d < left ? d : left;
        app_tick(a);
        app_draw(a, false, NULL);
    }
}

static err_code fail(char *msg, size_t cap, int lineno, const char *what,
                     const char *arg)
{
    snprintf(msg, cap, "script line %d: %s%s%s", lineno, what,
             arg ? ": " : "", arg ? arg : "");
    return ERR_INVAL;
}

static err_code expect(struct app *a, const char *arg, int lineno, char *msg,
                       size_t cap)
{
    if (strncmp(arg, "screen ", 7) == 0) {
        if (strcmp(a->screen->name, arg + 7) != 0)
            return fail(msg, cap, lineno, "screen is", a->screen->name);
    } else if (strncmp(arg, "text ", 5) == 0) {
        app_draw(a, true, NULL);
        if (!text_frame_has(ui_text(a->ui), arg + 5))
            return fail(msg, cap, lineno, "text not shown", arg + 5);
    } else if (strncmp(arg, "notext ", 7) == 0) {
        app_draw(a, true, NULL);
        if (text_frame_has(ui_text(a->ui), arg + 7))
            return fail(msg, cap, lineno, "text shown", arg + 7);
    } else if (strncmp(arg, "nolatin", 7) == 0) {
        char word[64];
        app_draw(a, true, NULL);
        if (text_latin_word(text_frame_strings(ui_text(a->ui)),
                            arg[7] ? arg + 8 : "", word, sizeof word))
            return fail(msg, cap, lineno, "Latin word shown", word);
    } else if (strncmp(arg, "dimmed ", 7) == 0) {
        if (a->dimmed != (strcmp(arg + 7, "yes") == 0))
            return fail(msg, cap, lineno, "dimmed is not", arg + 7);
    } else {
        return fail(msg, cap, lineno, "unknown expect", arg);
    }
    return ERR_OK;
}

static err_code tap(struct app *a, const char *arg, int lineno, char *msg,
                    size_t cap)
{
    int x, y;
    SDL_Rect r;

    if (sscanf(arg, "%d %d", &x, &y) == 2) {
        app_tap_xy(a, x, y);
        return ERR_OK;
    }
    if (!ui_hit_find(a->ui, arg, &r))
        return fail(msg, cap, lineno, "no such widget on screen", arg);
    app_tap_xy(a, r.x + r.w / 2, r.y + r.h / 2);
    return ERR_OK;
}

static err_code type(struct app *a, const char *arg, int lineno, char *msg,
                     size_t cap)
{
    for (const char *p = arg; *p; p++) {
        char id[UI_ID_MAX];
        err_code e;

        snprintf(id, sizeof id, "kb.%c", *p);
        e = tap(a, id, lineno, msg, cap);
        if (e != ERR_OK)
            return e;
        app_draw(a, false, NULL);
    }
    return ERR_OK;
}

/* One stroke over r: "X,Y X,Y ..." in thousandths of r. */
static err_code stroke_in(struct app *a, SDL_Rect r, const char *pts,
                          int lineno, char *msg, size_t cap)
{
    int n = 0, x, y, used;

    while (sscanf(pts, " %d,%d%n", &x, &y, &used) == 2) {
        app_pen(a, n++ == 0 ? APP_PEN_DOWN : APP_PEN_MOVE,
                r.x + x * r.w / 1000, r.y + y * r.h / 1000);
        pts += used;
    }
    while (*pts == ' ')
        pts++;
    if (n == 0 || *pts)
        return fail(msg, cap, lineno, "bad stroke points", pts);
    app_pen(a, APP_PEN_UP, r.x + x * r.w / 1000, r.y + y * r.h / 1000);
    app_draw(a, false, NULL);
    return ERR_OK;
}

static err_code stroke(struct app *a, char *arg, bool file, int lineno,
                       char *msg, size_t cap)
{
    char *rest = strchr(arg, ' '), line[LINE_MAX_LEN];
    SDL_Rect r;
    FILE *f;
    err_code e = ERR_OK;

    if (rest == NULL)
        return fail(msg, cap, lineno, "stroke needs a widget and points",
                    NULL);
    *rest++ = '\0';
    if (!ui_hit_find(a->ui, arg, &r))
        return fail(msg, cap, lineno, "no such widget on screen", arg);
    if (!file)
        return stroke_in(a, r, rest, lineno, msg, cap);
    f = fopen(rest, "r");
    if (f == NULL)
        return fail(msg, cap, lineno, "cannot open", rest);
    while (e == ERR_OK && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] && line[0] != '#')
            e = stroke_in(a, r, line, lineno, msg, cap);
    }
    fclose(f);
    return e;
}

static err_code shot(struct app *a, const char *name, const char *dir,
                     int lineno, char *msg, size_t cap)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s.png", dir ? dir : ".", name);
    a->scratch_len = 0;
    ui_frame_begin(a->ui);
    app_draw_screen(a);
    if (ui_screenshot(a->ui, path) != ERR_OK)
        return fail(msg, cap, lineno, "cannot write", path);
    ui_present(a->ui);
    a->dirty = false;
    return ERR_OK;
}

static err_code command(struct app *a, char *line, const char *dir,
                        int lineno, char *msg, size_t cap)
{
    char *arg = strchr(line, ' ');

    if (arg)
        *arg++ = '\0';
    else
        arg = line + strlen(line);
    app_draw(a, false, NULL);           /* taps hit what is on screen */
    if (strcmp(line, "scan") == 0)
        app_scan(a, arg);
    else if (strcmp(line, "tap") == 0)
        return tap(a, arg, lineno, msg, cap);
    else if (strcmp(line, "key") == 0)
        app_key(a, SDL_GetKeyFromName(arg));
    else if (strcmp(line, "type") == 0)
        return type(a, arg, lineno, msg, cap);
    else if (strcmp(line, "stroke") == 0 || strcmp(line, "strokes") == 0)
        return stroke(a, arg, line[6] == 's', lineno, msg, cap);
    else if (strcmp(line, "wait") == 0)
        advance(a, strtoull(arg, NULL, 10));
    else if (strcmp(line, "screenshot") == 0)
        return shot(a, arg, dir, lineno, msg, cap);
    else if (strcmp(line, "lang") == 0)
        app_set_lang(a, strcmp(arg, "en") == 0);
    else if (strcmp(line, "large") == 0)
        app_set_large(a, strcmp(arg, "on") == 0);
    else if (strcmp(line, "expect") == 0)
        return expect(a, arg, lineno, msg, cap);
    else
        return fail(msg, cap, lineno, "unknown command", line);
    return ERR_OK;
}

err_code app_script_text(struct app *a, const char *text,
                         const char *shot_dir, char *msg, size_t cap)
{
    char line[LINE_MAX_LEN];
    const char *p = text;
    int lineno = 0;

    if (!a->manual_clock) {
        a->manual_clock = true;
        a->manual_ms = 1;
        a->wall_base_ms = START_WALL;
        a->last_input_ms = a->screen_since_ms = a->manual_ms;
        text_record(ui_text(a->ui), true);
    }
    msg[0] = '\0';
    while (*p) {
        size_t n = strcspn(p, "\n");
        lineno++;
        if (n >= sizeof line)
            return fail(msg, cap, lineno, "line too long", NULL);
        memcpy(line, p, n);
        line[n] = '\0';
        p += n + (p[n] == '\n');
        while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        err_code e = command(a, line, shot_dir, lineno, msg, cap);
        if (e != ERR_OK)
            return e;
        app_draw(a, false, NULL);
    }
    return ERR_OK;
}

err_code app_script(struct app *a, const char *path, const char *shot_dir,
                    char *msg, size_t cap)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;
    err_code e;

    if (f == NULL) {
        snprintf(msg, cap, "cannot open %s", path);
        return ERR_IO;
    }
    buf = xmalloc(SCRIPT_MAX + 1);
    n = fread(buf, 1, SCRIPT_MAX, f);
    fclose(f);
    buf[n] = '\0';
    e = app_script_text(a, buf, shot_dir, msg, cap);
    free(buf);
    return e;
}
