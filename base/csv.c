/* base/csv.c - spreadsheet-safe CSV output and the line splitter. */
#include "base/csv.h"

#include <inttypes.h>
#include <string.h>

bool csv_formula_like(const char *s)
{
    return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

void csv_text(FILE *out, const char *s, bool first)
{
    if (!first)
        fputc(',', out);
    fputc('"', out);
    if (csv_formula_like(s))
        fputc('\'', out);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

void csv_int(FILE *out, int64_t v, bool first)
{
    fprintf(out, "%s%" PRId64, first ? "" : ",", v);
}

void csv_end(FILE *out)
{
    fputc('\n', out);
}

void csv_header(FILE *out, const char *names)
{
    fputs(names, out);
    csv_end(out);
}

/* A quoted field starting at p (on the opening quote): unquote in place
 * into out; *end gets the character after the closing quote. */
static bool unquote(char *p, char **end)
{
    char *out = p, *r = p + 1;

    for (;;) {
        if (*r == '\0')
            return false;
        if (*r == '"' && r[1] == '"') {
            *out++ = '"';
            r += 2;
        } else if (*r == '"') {
            *out = '\0';
            *end = r + 1;
            return true;
        } else {
            *out++ = *r++;
        }
    }
}

int csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line, *end;

    for (;;) {
        if (n == max)
            return max + 1;
        f[n++] = p;
        if (*p == '"') {
            if (!unquote(p, &end) || (*end != ',' && *end != '\0'))
                return -1;
            if (*end == '\0')
                return n;
            p = end + 1;
            continue;
        }
        char *c = strchr(p, ',');
        if (!c)
            return n;
        *c = '\0';
        p = c + 1;
    }
}
