/* hub/hub_report.c - hubctl's reports: the store's rows as CSV (or, for
 * bundles, aligned text). */
#include "hub/hub_report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "base/xmalloc.h"
#include "hub/hub_db_bundle.h"
#include "hub/hub_db_report.h"

/* A report's rows: cell i is a number (written bare) when bit i of
 * `numeric` is set and it reads as one; everything else is text, quoted
 * and neutralised (base/csv.h), whatever a kiosk or a roster put in it. */
struct csv_out {
    FILE    *out;
    unsigned numeric;
};

#define COLS(lo, hi) ((~0u << (lo)) & ~(~0u << (hi) << 1))

static bool is_number(const char *s)
{
    const char *p = s + (*s == '-');
    size_t d = strspn(p, "0123456789");
    if (d == 0)
        return false;
    if (p[d] == '.' && strspn(p + d + 1, "0123456789") > 0)
        d += 1 + strspn(p + d + 1, "0123456789");
    return p[d] == '\0' && d < 24;
}

static void csv_row(void *ctx, int n, const char *const *cols)
{
    struct csv_out *c = ctx;
    for (int i = 0; i < n; i++) {
        if ((c->numeric >> i & 1) && is_number(cols[i]))
            fprintf(c->out, "%s%s", i ? "," : "", cols[i]);
        else
            csv_text(c->out, cols[i], i == 0);
    }
    csv_end(c->out);
}

err_code hub_report_members(struct hub_db *db, int utc_offset_minutes,
                            FILE *out)
{
    struct csv_out c = { out, COLS(4, 7) };
    csv_header(out, "month,member_no,name,station,check_ins,visit_minutes,"
               "service_minutes,points");
    return hub_db_report_members(db, utc_offset_minutes, csv_row, &c);
}

err_code hub_report_stations(struct hub_db *db, int utc_offset_minutes,
                             FILE *out)
{
    struct csv_out c = { out, COLS(2, 5) };
    csv_header(out, "month,station,roster_members,members_checked_in,"
               "check_ins,check_in_rate");
    return hub_db_report_stations(db, utc_offset_minutes, csv_row, &c);
}

err_code hub_report_calls(struct hub_db *db, int utc_offset_minutes,
                          FILE *out)
{
    struct csv_out c = { out, COLS(5, 5) };
    csv_header(out, "at,local_time,station,device,screen,seq");
    return hub_db_report_calls(db, utc_offset_minutes, csv_row, &c);
}

err_code hub_report_fleet(struct hub_db *db, FILE *out)
{
    struct csv_out c = { out, COLS(3, 3) | COLS(5, 7) };
    csv_header(out, "device,station,last_contact,age_s,version,queue,"
               "clock_offset_ms,acked_seq,state,last_rollback");
    return hub_db_report_fleet(db, csv_row, &c);
}

static void event_row(void *ctx, const struct hub_event_row *r)
{
    FILE *out = ctx;
    csv_int(out, r->seq, true);
    csv_text(out, r->kind, false);
    csv_text(out, r->member_no, false);
    csv_int(out, r->event_ms, false);
    csv_int(out, r->corrected, false);
    csv_end(out);
}

err_code hub_report_events(struct hub_db *db, const char *device, FILE *out)
{
    csv_header(out, "seq,kind,member_no,event_ms,corrected");
    return hub_db_events_each(db, device, event_row, out);
}

static void utc(int64_t ms, char *buf, size_t cap)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    buf[0] = '\0';
    if (ms > 0 && gmtime_r(&t, &tm))
        strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void cert_row(void *ctx, const struct hub_cert_row *r)
{
    FILE *out = ctx;
    char issued[32], changed[32];
    utc(r->issued_ms, issued, sizeof issued);
    utc(r->changed_ms, changed, sizeof changed);
    csv_text(out, r->device, true);
    csv_text(out, r->station, false);
    csv_text(out, r->serial, false);
    csv_text(out, r->sha256, false);
    csv_text(out, r->state, false);
    csv_text(out, issued, false);
    csv_text(out, changed, false);
    csv_end(out);
}

err_code hub_report_certs(struct hub_db *db, const char *device, FILE *out)
{
    csv_header(out, "device,station,serial,sha256,state,issued,changed");
    return hub_db_certs_each(db, device, cert_row, out);
}

/* ---- bundles ----------------------------------------------------------- */

#define BUNDLE_COLS 5

/* One bundle's columns as text. */
struct bundle_line {
    char col[BUNDLE_COLS][HUB_BUNDLE_NAME];
};

struct bundle_lines {
    struct bundle_line *v;
    size_t              n, cap;
};

static void bundle_row(void *ctx, const struct hub_bundle_row *r)
{
    struct bundle_lines *l = ctx;
    if (l->n == l->cap)
        l->v = xrealloc(l->v, (l->cap = l->cap ? l->cap * 2 : 16) *
                              sizeof *l->v);
    struct bundle_line *b = &l->v[l->n++];
    time_t t = (time_t)(r->published_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    str_copy(b->col[0], sizeof b->col[0], r->info.name);
    str_copy(b->col[1], sizeof b->col[1], r->info.version);
    str_copy(b->col[2], sizeof b->col[2], r->scope[0] ? r->scope : "all");
    snprintf(b->col[3], sizeof b->col[3], "%" PRIu64, r->info.size);
    strftime(b->col[4], sizeof b->col[4], "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void bundles_print(const struct bundle_lines *l, bool csv, FILE *out)
{
    static const char *const head[BUNDLE_COLS] = { "name", "version",
        "station", "size", "published" };
    int w[BUNDLE_COLS];
    for (int c = 0; c < BUNDLE_COLS; c++) {
        w[c] = csv ? 0 : (int)strlen(head[c]);
        for (size_t i = 0; !csv && i < l->n; i++)
            if ((int)strlen(l->v[i].col[c]) > w[c])
                w[c] = (int)strlen(l->v[i].col[c]);
    }
    for (size_t i = 0; i <= l->n; i++) {
        for (int c = 0; c < BUNDLE_COLS; c++) {
            const char *v = i == 0 ? head[c] : l->v[i - 1].col[c];
            if (csv && (i == 0 || c == 3))
                fprintf(out, "%s%s", c ? "," : "", v);
            else if (csv)
                csv_text(out, v, c == 0);
            else if (c == BUNDLE_COLS - 1)
                fprintf(out, "%s", v);
            else if (c == 3)                   /* size: numbers right */
                fprintf(out, "%*s  ", w[c], v);
            else
                fprintf(out, "%-*s  ", w[c], v);
        }
        fputc('\n', out);
    }
}

err_code hub_report_bundles(struct hub_db *db, bool csv, FILE *out)
{
    struct bundle_lines l = { 0 };
    err_code e = hub_db_bundle_each(db, bundle_row, &l);
    if (e == ERR_OK)
        bundles_print(&l, csv, out);
    free(l.v);
    return e;
}
