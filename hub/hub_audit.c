/* hub/hub_audit.c - the audit log (hub_audit.h). */
#include "hub/hub_audit.h"

#include <string.h>
#include <time.h>

#include "hub/hub_db_users.h"

err_code hub_audit_record(struct hub_db *db, const char *actor,
                          const char *action, const char *object,
                          const char *before_json, const char *after_json)
{
    return hub_db_audit_put(db, hub_now_ms(), actor, action, object,
                            before_json, after_json);
}

void hub_audit_csv_field(FILE *out, const char *s)
{
    fputc('"', out);
    /* A spreadsheet runs a cell that starts with one of these as a
     * formula (CSV injection); a leading ' makes it text. */
    if (s[0] && strchr("=+-@\t\r", s[0]))
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void csv_row(void *ctx, const struct hub_audit_row *r)
{
    FILE *out = ctx;
    char at[32];
    time_t t = (time_t)(r->at_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *f[] = { at, r->actor, r->action, r->object, r->before,
                        r->after };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (i)
            fputc(',', out);
        hub_audit_csv_field(out, f[i]);
    }
    fputs("\r\n", out);
}

err_code hub_audit_csv(struct hub_db *db, const struct hub_audit_filter *f,
                       FILE *out)
{
    fputs("at_utc,actor,action,object,before,after\r\n", out);
    return hub_db_audit_each(db, f, csv_row, out);
}
