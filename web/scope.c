/* web/scope.c - the stations of the user's scope. */
#include "web/scope.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_db_stats.h"
#include "hub/hub_db_users.h"
#include "web/html.h"

struct acc {
    struct web_req       *req;
    enum hub_access       want;
    struct scope_station *v;
    size_t                n, cap;
};

static void add(void *ctx, const struct hub_stat_station *s)
{
    struct acc *a = ctx;
    if (!web_may(a->req, s->id, a->want))
        return;
    if (a->n == a->cap)
        a->v = xrealloc(a->v, (a->cap = a->cap ? a->cap * 2 : 8) *
                              sizeof *a->v);
    snprintf(a->v[a->n].id, sizeof a->v[a->n].id, "%s", s->id);
    snprintf(a->v[a->n].name, sizeof a->v[a->n].name, "%s",
             s->name && s->name[0] ? s->name : s->id);
    a->n++;
}

struct scope_station *scope_stations(struct web_req *req,
                                     enum hub_access want, size_t *n)
{
    struct acc a = { .req = req, .want = want };
    /* Every station with its name (an empty filter: all of them); the
     * dashboard's counting query would cost a count per station. */
    struct hub_filter all = { .n_stations = 0 };
    if (hub_db_stats_stations(req->db, &all, add, &a) != ERR_OK) {
        free(a.v);
        *n = 0;
        return NULL;
    }
    *n = a.n;
    return a.v;
}

void scope_select(struct web_req *req, FILE *o, const char *label,
                  const struct scope_station *v, size_t n, const char *cur)
{
    (void)req;
    html_raw(o, "<div class=\"field\"><label for=\"station\">");
    html_text(o, label);
    html_raw(o, "</label><select id=\"station\" name=\"station\">");
    for (size_t i = 0; i < n; i++) {
        html_raw(o, "<option value=\"");
        html_attr(o, v[i].id);
        html_raw(o, "\"%s>", cur && strcmp(cur, v[i].id) == 0
                             ? " selected" : "");
        html_text(o, v[i].name);
        html_raw(o, "</option>");
    }
    html_raw(o, "</select></div>");
}

void scope_notice(FILE *o, const char *cls, const char *role,
                  const char *text)
{
    html_raw(o, "<p class=\"%s\" role=\"%s\">", cls, role);
    html_text(o, text);
    html_raw(o, "</p>");
}
