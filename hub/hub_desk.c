/* hub/hub_desk.c - the duty desk's log as CSV (hub/hub_desk.h). */
#include "hub/hub_desk.h"

#include <stdio.h>

#include "base/clock.h"
#include "base/csv.h"
#include "hub/hub_db_desk.h"

struct csv_ctx {
    FILE *out;
    int   utc_offset;
};

static void row(void *ctx, const struct hub_visitor *v)
{
    struct csv_ctx *c = ctx;
    int64_t local = v->at_ms + (int64_t)c->utc_offset * 60000;
    int64_t mins = ((local % 86400000) + 86400000) % 86400000 / 60000;
    char hhmm[8];
    snprintf(hhmm, sizeof hhmm, "%02d:%02d", (int)(mins / 60),
             (int)(mins % 60));
    csv_text(c->out, v->station, true);
    csv_text(c->out, v->day, false);
    csv_text(c->out, hhmm, false);
    csv_text(c->out, v->member_no, false);
    csv_text(c->out, v->name, false);
    csv_text(c->out, v->type, false);
    csv_text(c->out, v->building, false);
    csv_text(c->out, v->unit, false);
    csv_text(c->out, v->text, false);
    csv_text(c->out, v->outcome, false);
    csv_text(c->out, v->reason, false);
    csv_text(c->out, v->ticket, false);
    csv_end(c->out);
}

err_code hub_desk_log_csv(struct hub_db *db, const char *station,
                          const char *day, int utc_offset, FILE *out,
                          FILE *err)
{
    char today[11];
    int64_t dn;
    if (!day) {
        clock_ymd(clock_wall_ms(), utc_offset, today);
        day = today;
    } else if (clock_parse_ymd(day, &dn) != ERR_OK) {
        fprintf(err, "not a day: %s (YYYY-MM-DD)\n", day);
        return ERR_INVAL;
    }
    struct csv_ctx c = { out, utc_offset };
    csv_header(out, "station,day,time,member_no,name,type,building,unit,"
               "text,outcome,reason,ticket");
    return hub_db_desk_each(db, station, day, row, &c);
}
