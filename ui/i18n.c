/* ui/i18n.c - loads one string table into a sorted array; lookups are a
 * binary search. Read once at start-up; never written. */
#include "ui/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct entry {
    const char *key, *val;
};

struct i18n {
    char         lang[8];
    char        *buf;
    struct entry e[I18N_MAX_ENTRIES];
    size_t       n;
};

static char *trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        *--end = '\0';
    return s;
}

/* Turn the two characters "\n" into a newline, in place. */
static void unescape(char *s)
{
    char *w = s;

    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == 'n') {
            *w++ = '\n';
            s++;
        } else {
            *w++ = *s;
        }
    }
    *w = '\0';
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->key,
                  ((const struct entry *)b)->key);
}

static err_code parse(struct i18n *t, const char *path)
{
    int lineno = 0;
    char *save = NULL;

    for (char *line = strtok_r(t->buf, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *eq, *k;
        lineno++;
        line = trim(line);
        if (line[0] == '#' || line[0] == '\0')
            continue;
        eq = strchr(line, '=');
        if (eq == NULL || t->n == I18N_MAX_ENTRIES) {
            log_error("%s: line %d: not key = value (or table full)", path,
                      lineno);
            return ERR_INVAL;
        }
        *eq = '\0';
        k = trim(line);
        t->e[t->n].key = k;
        t->e[t->n].val = trim(eq + 1);
        unescape((char *)t->e[t->n].val);
        t->n++;
    }
    qsort(t->e, t->n, sizeof t->e[0], cmp_entry);
    return ERR_OK;
}

err_code i18n_load(const char *dir, const char *lang, struct i18n **out)
{
    char path[512];
    struct i18n *t;
    FILE *f;
    size_t n;
    err_code e;

    *out = NULL;
    snprintf(path, sizeof path, "%s/%s.txt", dir, lang);
    f = fopen(path, "rb");
    if (f == NULL) {
        log_error("i18n: cannot open %s", path);
        return ERR_IO;
    }
    t = xcalloc(1, sizeof *t);
    str_copy(t->lang, sizeof t->lang, lang);
    t->buf = xmalloc(I18N_MAX_FILE + 1);
    n = fread(t->buf, 1, I18N_MAX_FILE, f);
    fclose(f);
    t->buf[n] = '\0';
    e = parse(t, path);
    if (e != ERR_OK) {
        i18n_destroy(t);
        return e;
    }
    *out = t;
    return ERR_OK;
}

void i18n_destroy(struct i18n *t)
{
    if (t == NULL)
        return;
    free(t->buf);
    free(t);
}

static const struct entry *find(const struct i18n *t, const char *key)
{
    struct entry k = { key, NULL };

    return bsearch(&k, t->e, t->n, sizeof t->e[0], cmp_entry);
}

const char *i18n_get(const struct i18n *t, const char *key)
{
    const struct entry *e = find(t, key);

    return e ? e->val : key;
}

int i18n_has(const struct i18n *t, const char *key)
{
    return find(t, key) != NULL;
}

const char *i18n_lang(const struct i18n *t) { return t->lang; }
