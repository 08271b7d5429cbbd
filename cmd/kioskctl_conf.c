/* cmd/kioskctl_conf.c - the ids the hub assigned at enrolment, written
 * into the kiosk's INI file. Only the two values change: every other
 * line, comment and blank line stays as it was. Lines are classified as
 * the INI reader (inih, with multi-line values and inline `;` comments)
 * would see them, so the key replaced is the one the kiosk reads. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/xmalloc.h"
#include "cmd/kioskctl.h"

#define CONF_MAX (256 * 1024)   /* a kiosk.ini is a few KB */

struct want {
    const char *section, *key, *value;
    bool        found;          /* a line of the file sets it */
    bool        done;           /* written in this pass */
};

struct buf {
    char  *p;
    size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_buf(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

enum kind { L_BLANK, L_SECTION, L_KEY, L_CONT };

/* One line [s, e) without its terminator, as inih reads it. */
struct line {
    enum kind   kind;
    const char *name;           /* section or key name */
    size_t      name_len;
    const char *comment;        /* a key's inline comment (with the space
                                   before it), or NULL */
    const char *end;
};

/* prev_key: the line before (blank and comment lines aside) set a key,
 * so an indented line continues its value. */
static void classify(const char *s, const char *e, bool prev_key,
                     struct line *l)
{
    const char *p = s, *d;

    memset(l, 0, sizeof *l);
    l->end = e;
    while (p < e && isspace((unsigned char)*p))
        p++;
    if (p == e || *p == ';' || *p == '#') {
        l->kind = L_BLANK;
    } else if (prev_key && p > s) {
        l->kind = L_CONT;
    } else if (*p == '[') {
        l->kind = L_SECTION;
        l->name = p + 1;
        d = memchr(p + 1, ']', (size_t)(e - p - 1));
        l->name_len = d ? (size_t)(d - p - 1) : 0;
    } else {
        const char *v, *n;

        for (d = p; d < e && *d != '=' && *d != ':'; d++)
            ;
        l->kind = d < e ? L_KEY : L_BLANK;      /* no '=': inih's error */
        for (n = d; n > p && isspace((unsigned char)n[-1]); n--)
            ;
        l->name = p;
        l->name_len = (size_t)(n - p);
        for (v = d + 1; l->kind == L_KEY && v < e; v++)
            if (*v == ';' && isspace((unsigned char)v[-1])) {
                while (v > d + 1 && isspace((unsigned char)v[-1]))
                    v--;
                l->comment = v;
                break;
            }
    }
}

static bool name_is(const char *name, size_t len, const char *want)
{
    return len == strlen(want) && memcmp(name, want, len) == 0;
}

static struct want *find_want(struct want *w, size_t n, const char *section,
                              size_t section_len, const struct line *l)
{
    for (size_t i = 0; i < n; i++)
        if (name_is(section, section_len, w[i].section) &&
            name_is(l->name, l->name_len, w[i].key))
            return &w[i];
    return NULL;
}

static void put_key(struct buf *b, const struct want *w, const char *comment,
                    const char *comment_end)
{
    puts_buf(b, w->key);
    puts_buf(b, " = ");
    puts_buf(b, w->value);
    if (comment)
        put(b, comment, (size_t)(comment_end - comment));
}

/* One pass over the text. With out == NULL it only marks the keys found;
 * with out it writes the new text: a found key's line replaced (its
 * continuation lines dropped), a missing key added under the first
 * header of its section, a missing section appended. */
static void pass(const char *text, size_t len, struct want *w, size_t n,
                 struct buf *out)
{
    const char *section = "", *s = text, *end = text + len;
    size_t section_len = 0;
    bool prev_key = false, dropping = false;

    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        if (out)
            put(out, text, 3);
        s += 3;
    }
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *next = nl ? nl + 1 : end;
        const char *e = nl ? nl : end;
        struct want *hit = NULL;
        struct line l;

        if (e > s && e[-1] == '\r')
            e--;
        classify(s, e, prev_key, &l);
        if (l.kind == L_SECTION) {
            section = l.name;
            section_len = l.name_len;
            prev_key = dropping = false;
        } else if (l.kind == L_KEY) {
            hit = find_want(w, n, section, section_len, &l);
            if (hit && !out)
                hit->found = true;
            prev_key = true;
            dropping = hit != NULL;
        }
        if (out && !(l.kind == L_CONT && dropping)) {
            if (hit) {
                put_key(out, hit, l.comment, l.end);
                put(out, e, (size_t)(next - e));    /* its line ending */
            } else {
                put(out, s, (size_t)(next - s));
            }
            if (l.kind == L_SECTION) {
                if (next == end && !nl)
                    puts_buf(out, "\n");
                for (size_t i = 0; i < n; i++)
                    if (!w[i].found && !w[i].done &&
                        name_is(section, section_len, w[i].section)) {
                        put_key(out, &w[i], NULL, NULL);
                        puts_buf(out, "\n");
                        w[i].done = true;
                    }
            }
        }
        s = next;
    }
}

static void append_missing(struct buf *out, struct want *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (w[i].found || w[i].done)
            continue;
        if (out->len > 0 && out->p[out->len - 1] != '\n')
            puts_buf(out, "\n");
        puts_buf(out, "\n[");
        puts_buf(out, w[i].section);
        puts_buf(out, "]\n");
        put_key(out, &w[i], NULL, NULL);
        puts_buf(out, "\n");
        w[i].done = true;
    }
}

static int read_text(const char *path, struct buf *b, char *msg, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        snprintf(msg, cap, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    b->cap = CONF_MAX + 2;
    b->p = xmalloc(b->cap);
    n = fread(b->p, 1, CONF_MAX + 1, f);
    fclose(f);
    if (n > CONF_MAX) {
        snprintf(msg, cap, "%s is larger than %d bytes", path, CONF_MAX);
        return -1;
    }
    b->len = n;
    b->p[n] = '\0';
    return 0;
}

/* Replace the file at path with data so that a reader, or a power cut,
 * finds the old file or the new one and never a mix: a temporary file
 * in the same directory, written and synced, renamed over it, then the
 * directory synced so the rename itself is on disk. The old file's mode
 * (and, as root, its owner) carry over. Kept in this one function so the
 * tree's shared helper can take its place. */
static int write_atomic(const char *path, const char *data, size_t len,
                        char *msg, size_t cap)
{
    if (file_replace_same(path, data, len) != ERR_OK) {
        snprintf(msg, cap, "cannot rewrite %s (see the log)", path);
        return -1;
    }
    return 0;
}

/* A value the INI reader gives back unchanged: no control characters,
 * no `;` (an inline comment), no space at either end; and one the key
 * accepts. */
static bool value_ok(const char *section, const char *key, const char *v)
{
    struct config tmp;
    char why[300];
    size_t n = strlen(v);

    if (n == 0 || isspace((unsigned char)v[0]) ||
        isspace((unsigned char)v[n - 1]) || strchr(v, ';'))
        return false;
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    config_defaults(&tmp);
    return config_set(&tmp, section, key, v, why, sizeof why) == ERR_OK;
}

/* The file as the kiosk will read it holds what we meant to write. */
static int check_written(const char *path, const char *station,
                         const char *device, char *msg, size_t cap)
{
    struct config *cfg = xmalloc(sizeof *cfg);
    int rc = 0;

    if (config_load(path, cfg, msg, cap) != ERR_OK)
        rc = -1;
    else if (strcmp(cfg->station_id, station) != 0 ||
             strcmp(cfg->device_id, device) != 0) {
        snprintf(msg, cap, "%s now reads station %s, device %s", path,
                 cfg->station_id, cfg->device_id);
        rc = -1;
    }
    free(cfg);
    return rc;
}

int kctl_conf_write_ids(const char *path, const char *station,
                        const char *device, char *msg, size_t cap)
{
    struct want w[] = { { "station", "id", station, false, false },
                        { "kiosk", "device_id", device, false, false } };
    struct buf in = { 0 }, out = { 0 };
    char real[PATH_MAX];
    int rc = -1;

    if (!value_ok("station", "id", station) ||
        !value_ok("kiosk", "device_id", device)) {
        snprintf(msg, cap, "the hub's ids do not fit an INI file");
        return -1;
    }
    if (realpath(path, real) == NULL) {       /* a symlink: its target */
        snprintf(msg, cap, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (read_text(real, &in, msg, cap) == 0) {
        pass(in.p, in.len, w, 2, NULL);
        put(&out, "", 0);
        pass(in.p, in.len, w, 2, &out);
        append_missing(&out, w, 2);
        if (out.len == in.len && memcmp(out.p, in.p, in.len) == 0)
            rc = 1;
        else if (write_atomic(real, out.p, out.len, msg, cap) == 0)
            rc = check_written(real, station, device, msg, cap);
    }
    free(in.p);
    free(out.p);
    return rc;
}
