/* web/page_fleet.c - /fleet: each kiosk of the user's stations with its
 * last contact, version, queue, clock offset and last rollback (the rows
 * of hub_db_report_fleet, what `hubctl report fleet` prints), offline
 * and behind marked. Publishing update bundles: web/page_updates.c,
 * linked from here. */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_report.h"
#include "hub/hub_db_users.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define OFFLINE_S 3600

enum { F_DEV, F_STATION, F_SEEN, F_AGE, F_VER, F_QUEUE, F_OFFSET, F_ACKED,
       F_STATE, F_ROLLBACK, F_N };

struct kiosk {
    char *col[F_N];
};

struct fleet {
    struct web_req *req;
    struct kiosk   *v;
    size_t          n;
};

static void add(void *ctx, int n, const char *const *cols)
{
    struct fleet *f = ctx;
    if (n < F_N || !web_may(f->req, cols[F_STATION], HUB_SEE))
        return;
    f->v = xrealloc(f->v, (f->n + 1) * sizeof *f->v);
    for (int i = 0; i < F_N; i++)
        f->v[f->n].col[i] = xstrdup(cols[i]);
    f->n++;
}

static void cell(FILE *o, const char *cls, const char *v)
{
    html_raw(o, "<td class=\"%s\">", cls);
    html_text(o, v);
    html_raw(o, "</td>");
}

void page_fleet(struct web_req *req, struct web_resp *resp)
{
    struct fleet f = { .req = req };
    if (hub_db_report_fleet(req->db, add, &f) != ERR_OK) {
        web_error(req, resp, 503, web_t(req, S_ERROR));
        return;
    }
    const char *newest = "";
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].col[F_VER][0] && web_version_cmp(f.v[i].col[F_VER], newest) > 0)
            newest = f.v[i].col[F_VER];
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_FLEET));
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_FLEET_HINT));
    html_raw(o, "</p><p><a class=\"button\" href=\"/fleet/updates\">");
    html_text(o, web_t(req, S_UPDATES_LINK));
    html_raw(o, "</a></p>");
    if (f.n == 0) {
        scope_notice(o, "notice", "status", web_t(req, S_NO_ROWS));
    } else {
        static const enum web_str heads[] = {
            S_DEVICE, S_STATION, S_STATE, S_LAST_CONTACT, S_VERSION,
            S_QUEUE, S_CLOCK_OFFSET, S_LAST_ROLLBACK };
        html_raw(o, "<div class=\"table-wrap\"><table class=\"fleet\">"
                 "<thead><tr>");
        for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
            html_raw(o, "<th scope=\"col\"%s>",
                     heads[i] == S_QUEUE || heads[i] == S_CLOCK_OFFSET
                     ? " class=\"n\"" : "");
            html_text(o, web_t(req, heads[i]));
            html_raw(o, "</th>");
        }
        html_raw(o, "</tr></thead><tbody>");
        for (size_t i = 0; i < f.n; i++) {
            char **c = f.v[i].col;
            bool revoked = strcmp(c[F_STATE], "enrolled") != 0;
            bool offline = !c[F_AGE][0] || atoll(c[F_AGE]) > OFFLINE_S;
            bool behind = c[F_VER][0] && web_version_cmp(c[F_VER], newest) < 0;
            html_raw(o, "<tr%s><th scope=\"row\">",
                     !revoked && (offline || behind) ? " class=\"warn\""
                                                      : "");
            html_text(o, c[F_DEV]);
            html_raw(o, "</th>");
            char sname[128] = "";
            hub_db_station_name(req->db, c[F_STATION], sname, sizeof sname);
            html_raw(o, "<td>");
            html_text(o, sname[0] ? sname : c[F_STATION]);
            html_raw(o, " <span class=\"id\">");
            html_text(o, c[F_STATION]);
            html_raw(o, "</span></td>");
            html_raw(o, "<td>");
            if (revoked) {
                html_text(o, web_t(req, S_REVOKED));
            } else {
                bool any = false;
                if (offline) {
                    html_raw(o, "<span class=\"tag warn\">");
                    html_text(o, web_t(req, S_OFFLINE_MARK));
                    html_raw(o, "</span> ");
                    any = true;
                }
                if (behind) {
                    html_raw(o, "<span class=\"tag warn\">");
                    html_text(o, web_t(req, S_BEHIND_MARK));
                    html_raw(o, "</span>");
                    any = true;
                }
                if (!any) {
                    html_raw(o, "<span class=\"tag ok\">");
                    html_text(o, web_t(req, S_ONLINE_MARK));
                    html_raw(o, "</span>");
                }
            }
            html_raw(o, "</td><td class=\"nowrap\">");
            if (!c[F_AGE][0]) {
                html_text(o, web_t(req, S_NEVER));
            } else {
                int64_t ago = atoll(c[F_AGE]);
                html_time(o, req, req->now_ms - ago * 1000);
            }
            html_raw(o, "</td>");
            cell(o, "nowrap", c[F_VER]);
            cell(o, "n", c[F_QUEUE]);
            char off[32] = "";
            if (c[F_OFFSET][0]) {
                double sec = atof(c[F_OFFSET]) / 1000;
                /* No "-0.0" for a clock a few milliseconds behind. */
                snprintf(off, sizeof off, "%.1f", sec > -0.05 && sec < 0.05
                         ? 0.0 : sec);
            }
            cell(o, "n", off);
            cell(o, "", c[F_ROLLBACK]);
            html_raw(o, "</tr>");
        }
        html_raw(o, "</tbody></table></div>");
    }
    html_page_end(req, resp);
    for (size_t i = 0; i < f.n; i++)
        for (int j = 0; j < F_N; j++)
            free(f.v[i].col[j]);
    free(f.v);
}
