/* web/page_ledger.c - /ledger: the tickets (民情台账 and 微心愿) of the
 * user's stations, newest first, filtered by station, kind, state (or
 * open, overdue) and filing period, a page at a time, with the counts by
 * state on top; and /desk-log: the visitors the duty desk logged
 * (来访登记) on one day at the user's stations. The filters are SQL's
 * (hub_db_ledger_search, hub/hub_db_ledger_list.c), never a load of
 * every ticket; overdue is hub_ledger_overdue's rule. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/ledger.h"
#include "base/xmalloc.h"
#include "hub/hub_db_desk.h"
#include "hub/hub_db_ledger_list.h"
#include "hub/hub_db_users.h"
#include "hub/hub_ledger.h"
#include "web/html.h"
#include "web/ledger_words.h"
#include "web/pages.h"
#include "web/scope.h"

#define PAGE_ROWS 50
#define ZONE_MIN  480                 /* the stations' days: UTC+8 */
#define DAY_MS    (24LL * 3600 * 1000)

/* ---- words shared with page_ticket.c (web/ledger_words.h) -------------- */

enum web_str ledger_state_str(enum ledger_kind k, enum ledger_state s)
{
    switch (s) {
    case LEDGER_REGISTERED: return S_ST_REGISTERED;
    case LEDGER_ACCEPTED:   return k == LEDGER_WISH ? S_ST_WISH_OPEN
                                                    : S_ST_ACCEPTED;
    case LEDGER_ASSIGNED:   return k == LEDGER_WISH ? S_ST_CLAIMED
                                                    : S_ST_ASSIGNED;
    case LEDGER_ANSWERED:   return k == LEDGER_WISH ? S_ST_WISH_DONE
                                                    : S_ST_ANSWERED;
    case LEDGER_CLOSED:     return S_ST_CLOSED;
    case LEDGER_REOPENED:   return S_ST_REOPENED;
    }
    return S_ST_REGISTERED;
}

const char *ledger_type_label(struct web_req *req, struct ledger_types *c,
                              const char *code)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->v[i].code, code) == 0)
            return req->lang == WEB_EN && c->v[i].name_en[0]
                   ? c->v[i].name_en : c->v[i].name;
    if (c->n == LEDGER_TYPES_CACHED)
        return code;
    struct hub_ledger_type *t = &c->v[c->n];
    if (hub_db_ledger_type_get(req->db, code, t) != ERR_OK)
        return code;
    c->n++;
    return req->lang == WEB_EN && t->name_en[0] ? t->name_en : t->name;
}

static bool digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static void place_part(const struct web_req *req, FILE *o, const char *v,
                       enum web_str fmt)
{
    char b[64];
    if (digits(v) && strlen(v) < 16) {
        /* The format holds one %s, the number: no value reaches it. */
        snprintf(b, sizeof b, web_t(req, fmt), v);
        html_text(o, b);
    } else {
        html_text(o, v);
    }
}

void ledger_place(const struct web_req *req, FILE *o, const char *building,
                  const char *unit)
{
    place_part(req, o, building, S_BLDG_FMT);
    if (building[0] && unit[0])
        html_raw(o, " ");
    place_part(req, o, unit, S_UNIT_FMT);
}

void ledger_day(const struct web_req *req, FILE *o, int64_t ms)
{
    char d[11];
    clock_ymd(ms, req->lang == WEB_EN ? 0 : ZONE_MIN, d);
    html_text(o, d);
}

/* ---- /ledger ---------------------------------------------------------- */

struct list {
    struct web_req       *req;
    FILE                 *o;
    struct ledger_types   types;
    struct scope_station *st;
    size_t                n_st;
    bool                  station_col;   /* more than one station */
};

static const char *station_label(const struct list *l, const char *id)
{
    for (size_t i = 0; i < l->n_st; i++)
        if (strcmp(l->st[i].id, id) == 0)
            return l->st[i].name;
    return id;
}

static void ticket_row(void *ctx, const struct hub_ticket *t)
{
    struct list *l = ctx;
    struct web_req *req = l->req;
    FILE *o = l->o;
    bool late = hub_ledger_overdue(t, req->now_ms);
    html_raw(o, "<tr%s><th scope=\"row\" class=\"nowrap\"><a href=\"/tickets/",
             late ? " class=\"warn\"" : "");
    html_attr(o, t->ticket);
    html_raw(o, "\">");
    html_text(o, t->ticket);
    html_raw(o, "</a></th>");
    if (l->station_col) {
        html_raw(o, "<td>");
        html_text(o, station_label(l, t->station));
        html_raw(o, "</td>");
    }
    html_raw(o, "<td class=\"nowrap\">");
    html_text(o, web_t(req, t->kind == LEDGER_WISH ? S_K_WISH : S_K_REQUEST));
    html_raw(o, " · ");
    html_text(o, ledger_type_label(req, &l->types, t->type));
    html_raw(o, "</td><td class=\"nowrap\">");
    ledger_place(req, o, t->building, t->unit);
    html_raw(o, "</td><td class=\"words\">");
    html_text(o, t->text);
    html_raw(o, "</td><td class=\"nowrap\">");
    html_text(o, web_t(req, ledger_state_str(t->kind, t->state)));
    if (late) {
        html_raw(o, " <span class=\"tag warn\">");
        html_text(o, web_t(req, S_OVERDUE_MARK_W));
        html_raw(o, "</span>");
    }
    html_raw(o, "</td><td class=\"nowrap\">");
    ledger_day(req, o, t->filed_ms);
    html_raw(o, "</td><td class=\"nowrap\">");
    if (t->deadline_ms > 0)
        ledger_day(req, o, t->deadline_ms);
    html_raw(o, "</td><td>");
    html_text(o, t->assignee);
    html_raw(o, "</td></tr>");
}

static void option(FILE *o, const char *value, const char *label,
                   const char *cur)
{
    html_raw(o, "<option value=\"");
    html_attr(o, value);
    html_raw(o, "\"%s>", strcmp(value, cur) == 0 ? " selected" : "");
    html_text(o, label);
    html_raw(o, "</option>");
}

static void select_begin(FILE *o, const char *id, const char *label)
{
    html_raw(o, "<div class=\"field\"><label for=\"%s\">", id);
    html_text(o, label);
    html_raw(o, "</label><select id=\"%s\" name=\"%s\">", id, id);
}

/* The stations' selector with "all" first. */
static void station_select(struct web_req *req, FILE *o,
                           const struct scope_station *v, size_t n,
                           const char *cur)
{
    select_begin(o, "station", web_t(req, S_STATION));
    option(o, "", web_t(req, S_ALL_STATIONS), cur);
    for (size_t i = 0; i < n; i++)
        option(o, v[i].id, v[i].name, cur);
    html_raw(o, "</select></div>");
}

/* A local day "YYYY-MM-DD" to the UTC ms its day starts (UTC+8). */
static bool day_start(const char *s, int64_t *ms)
{
    int64_t d;
    if (clock_parse_ymd(s, &d) != ERR_OK)
        return false;
    *ms = d * DAY_MS - (int64_t)ZONE_MIN * 60000;
    return true;
}

static bool in_scope(const struct scope_station *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return true;
    return false;
}

/* A link to /ledger with the same filters and another page. */
static void page_link(FILE *o, const char *station, const char *kind,
                      const char *state, const char *from, const char *to,
                      int page, const char *label, const char *rel)
{
    html_raw(o, "<a class=\"button\" rel=\"%s\" href=\"/ledger?station=",
             rel);
    const char *v[] = { station, kind, state, from, to };
    const char *k[] = { "", "&amp;kind=", "&amp;state=", "&amp;from=",
                        "&amp;to=" };
    for (int i = 0; i < 5; i++) {
        html_raw(o, "%s", k[i]);
        /* Values are ids, words and dates; escape any '&' or quote. */
        for (const char *p = v[i]; *p; p++) {
            if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '_')
                fputc(*p, o);
            else
                html_raw(o, "%%%02X", (unsigned char)*p);
        }
    }
    html_raw(o, "&amp;page=%d\">", page);
    html_text(o, label);
    html_raw(o, "</a>");
}

static void count_card(FILE *o, struct web_req *req, enum web_str label,
                       int64_t v, const char *state, bool warn)
{
    html_raw(o, "<a class=\"stat%s\" href=\"/ledger?state=%s\">"
             "<span class=\"num\">%lld</span><span class=\"lbl\">",
             warn && v > 0 ? " warn" : "", state, (long long)v);
    html_text(o, web_t(req, label));
    html_raw(o, "</span></a>");
}

void page_ledger(struct web_req *req, struct web_resp *resp)
{
    char station[64], kind[16], state[16], from[16], to[16], pg[16];
    web_query(req, "station", station, sizeof station);
    web_query(req, "kind", kind, sizeof kind);
    web_query(req, "state", state, sizeof state);
    web_query(req, "from", from, sizeof from);
    web_query(req, "to", to, sizeof to);
    web_query(req, "page", pg, sizeof pg);
    /* Pages past the millionth are no page a person asks for. */
    int page = atoi(pg) > 0 && strlen(pg) < 7 ? atoi(pg) : 1;
    size_t n_st = 0;
    struct scope_station *st = scope_stations(req, HUB_SEE, &n_st);
    /* A station out of scope reads as one that does not exist. */
    if (station[0] && !in_scope(st, n_st, station)) {
        free(st);
        web_not_found(req, resp);
        return;
    }
    bool e_kind = false;            /* an unknown kind: said, not ignored */
    const char **ids = xcalloc(n_st + 1, sizeof *ids);
    for (size_t i = 0; i < n_st; i++)
        ids[i] = st[i].id;
    struct hub_ledger_filter f = {
        /* An administrator sees every station's tickets, placed or not. */
        .stations = hub_user_is_admin(&req->user) ? NULL : ids,
        .n_stations = n_st, .station = station,
        .kind = kind[0] ? (int)ledger_kind_parse(kind) : 0,
        .state = state, .now_ms = req->now_ms,
        .limit = PAGE_ROWS, .offset = (page - 1) * PAGE_ROWS,
    };
    bool bad_period = (from[0] && !day_start(from, &f.from_ms)) ||
                      (to[0] && !day_start(to, &f.to_ms));
    if (kind[0] && f.kind == 0)
        e_kind = true;
    if (f.to_ms)
        f.to_ms += DAY_MS;          /* to: the whole day */
    if (bad_period)
        f.from_ms = f.to_ms = 0;
    FILE *o = resp->out;
    int64_t by_state[LEDGER_REOPENED + 1], overdue = 0, total = 0;
    struct list l = { .req = req, .o = o, .st = st, .n_st = n_st,
                      .station_col = n_st > 1 && !station[0] };
    char *rows = NULL;
    size_t rows_len = 0;
    FILE *ro = open_memstream(&rows, &rows_len);
    l.o = ro;
    err_code e = hub_db_ledger_counts(req->db, &f, by_state, &overdue);
    if (e == ERR_OK)
        e = hub_db_ledger_search(req->db, &f, ticket_row, &l, &total);
    fclose(ro);
    html_page_begin(req, resp, web_t(req, S_LEDGER));
    if (bad_period || e == ERR_INVAL || e_kind) {
        resp->status = 400;
        scope_notice(o, "notice error", "alert",
                     web_t(req, bad_period ? S_PERIOD_BAD : S_INPUT_BAD));
    } else if (e != ERR_OK) {
        resp->status = 503;
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    }
    /* Counts for the same stations, kind and period. */
    int64_t open = 0;
    for (int s = LEDGER_REGISTERED; s <= LEDGER_REOPENED; s++)
        open += s == LEDGER_CLOSED ? 0 : by_state[s];
    html_raw(o, "<section class=\"stats ledger\" aria-label=\"");
    html_attr(o, web_t(req, S_OVERVIEW));
    html_raw(o, "\">");
    count_card(o, req, S_ST_OPEN, open, "open", false);
    count_card(o, req, S_OVERDUE, overdue, "overdue", true);
    count_card(o, req, S_ST_REGISTERED, by_state[LEDGER_REGISTERED],
               "registered", false);
    count_card(o, req, S_ST_ACCEPTED, by_state[LEDGER_ACCEPTED], "accepted",
               false);
    count_card(o, req, S_ST_ASSIGNED, by_state[LEDGER_ASSIGNED], "assigned",
               false);
    count_card(o, req, S_ST_ANSWERED, by_state[LEDGER_ANSWERED], "answered",
               false);
    count_card(o, req, S_ST_REOPENED, by_state[LEDGER_REOPENED], "reopened",
               false);
    count_card(o, req, S_ST_CLOSED, by_state[LEDGER_CLOSED], "closed", false);
    html_raw(o, "</section>");
    /* A GET form: filters change nothing, so no CSRF field. */
    html_raw(o, "<form method=\"get\" action=\"/ledger\" "
             "class=\"card grid filters ledger-filters\">");
    station_select(req, o, st, n_st, station);
    select_begin(o, "kind", web_t(req, S_KIND));
    option(o, "", web_t(req, S_ANY), kind);
    option(o, "request", web_t(req, S_K_REQUEST), kind);
    option(o, "wish", web_t(req, S_K_WISH), kind);
    html_raw(o, "</select></div>");
    select_begin(o, "state", web_t(req, S_STATE));
    option(o, "", web_t(req, S_ANY), state);
    option(o, "open", web_t(req, S_ST_OPEN), state);
    option(o, "overdue", web_t(req, S_OVERDUE), state);
    static const enum web_str sw[] = { 0, S_ST_REGISTERED, S_ST_ACCEPTED,
                                       S_ST_ASSIGNED, S_ST_ANSWERED,
                                       S_ST_CLOSED, S_ST_REOPENED };
    for (int s = LEDGER_REGISTERED; s <= LEDGER_REOPENED; s++)
        option(o, ledger_state_name(s), web_t(req, sw[s]), state);
    html_raw(o, "</select></div>");
    html_field(o, "from", web_t(req, S_FROM), "date", "from", from, false,
               "off");
    html_field(o, "to", web_t(req, S_TO), "date", "to", to, false, "off");
    html_raw(o, "<div class=\"field submit\">");
    html_submit(o, web_t(req, S_FILTER), "primary");
    html_raw(o, "</div></form>");
    int64_t first = total ? f.offset + 1 : 0;
    int64_t last = f.offset + PAGE_ROWS < total ? f.offset + PAGE_ROWS
                                                : total;
    char showing[160];
    snprintf(showing, sizeof showing, web_t(req, S_SHOWING),
             (long long)total, (long long)first, (long long)last);
    html_raw(o, "<p class=\"showing\" role=\"status\">");
    html_text(o, showing);
    html_raw(o, "</p>");
    static const enum web_str heads[] = { S_TICKET, S_STATION, S_TICKET_TYPE,
                                          S_PLACE, S_WORDS, S_STATE,
                                          S_FILED, S_DEADLINE, S_ASSIGNEE };
    html_raw(o, "<div class=\"table-wrap\"><table class=\"ledger\"><thead>"
             "<tr>");
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        if (heads[i] == S_STATION && !l.station_col)
            continue;
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    if (rows)
        fwrite(rows, 1, rows_len, o);
    if (total == 0) {
        html_raw(o, "<tr><td colspan=\"9\">");
        html_text(o, web_t(req, S_NO_TICKETS));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (total > PAGE_ROWS) {
        html_raw(o, "<nav class=\"pages\" aria-label=\"%s\">",
                 req->lang == WEB_EN ? "Pages" : "翻页");
        if (page > 1)
            page_link(o, station, kind, state, from, to, page - 1,
                      web_t(req, S_PREV), "prev");
        if (last < total)
            page_link(o, station, kind, state, from, to, page + 1,
                      web_t(req, S_NEXT), "next");
        html_raw(o, "</nav>");
    }
    html_page_end(req, resp);
    free(rows);
    free(ids);
    free(st);
}

/* ---- /desk-log -------------------------------------------------------- */

struct desk {
    struct web_req       *req;
    FILE                 *o;
    struct ledger_types   types;
    struct scope_station *st;
    size_t                n_st;
    int                   n;
    bool                  station_col;
};

static void visitor_row(void *ctx, const struct hub_visitor *v)
{
    struct desk *d = ctx;
    struct web_req *req = d->req;
    FILE *o = d->o;
    const char *name = NULL;
    for (size_t i = 0; i < d->n_st && !name; i++)
        if (strcmp(d->st[i].id, v->station) == 0)
            name = d->st[i].name;
    if (!name)
        return;                   /* out of scope */
    d->n++;
    html_raw(o, "<tr><td class=\"nowrap\">");
    html_time(o, req, v->at_ms);
    html_raw(o, "</td><td>");
    if (d->station_col) {
        html_text(o, name);
        html_raw(o, "</td><td>");
    }
    html_text(o, v->name && v->name[0] ? v->name : v->member_no);
    html_raw(o, "</td><td>");
    html_text(o, v->type && v->type[0]
                 ? ledger_type_label(req, &d->types, v->type) : "");
    html_raw(o, "</td><td class=\"nowrap\">");
    ledger_place(req, o, v->building, v->unit);
    html_raw(o, "</td><td class=\"words\">");
    html_text(o, v->text);
    html_raw(o, "</td><td class=\"nowrap\">");
    enum web_str out = strcmp(v->outcome, "done") == 0 ? S_OUT_DONE
                       : strcmp(v->outcome, "passed_on") == 0 ? S_OUT_PASSED
                       : S_OUT_CANNOT;
    html_text(o, web_t(req, out));
    html_raw(o, "</td><td class=\"words\">");
    html_text(o, v->reason);
    html_raw(o, "</td><td class=\"nowrap\">");
    if (v->ticket && v->ticket[0]) {
        html_raw(o, "<a href=\"/tickets/");
        html_attr(o, v->ticket);
        html_raw(o, "\">");
        html_text(o, v->ticket);
        html_raw(o, "</a>");
    }
    html_raw(o, "</td></tr>");
}

void page_desk_log(struct web_req *req, struct web_resp *resp)
{
    char station[64], day[16];
    web_query(req, "station", station, sizeof station);
    int64_t d;
    bool bad = web_query(req, "day", day, sizeof day) && day[0] &&
               clock_parse_ymd(day, &d) != ERR_OK;
    if (!day[0] || bad)
        clock_ymd(req->now_ms, ZONE_MIN, day);
    size_t n_st = 0;
    struct scope_station *st = scope_stations(req, HUB_SEE, &n_st);
    if (station[0] && !in_scope(st, n_st, station)) {
        free(st);
        web_not_found(req, resp);
        return;
    }
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_DESK_LOG));
    if (bad) {
        resp->status = 400;
        scope_notice(o, "notice error", "alert", web_t(req, S_PERIOD_BAD));
    }
    html_raw(o, "<form method=\"get\" action=\"/desk-log\" "
             "class=\"card grid filters ledger-filters\">");
    station_select(req, o, st, n_st, station);
    html_field(o, "day", web_t(req, S_DAY_W), "date", "day", day, false,
               "off");
    html_raw(o, "<div class=\"field submit\">");
    html_submit(o, web_t(req, S_FILTER), "primary");
    html_raw(o, "</div></form>");
    static const enum web_str heads[] = { S_TIME, S_STATION, S_DUTY_MEMBER,
                                          S_TICKET_TYPE, S_PLACE, S_MATTER,
                                          S_OUTCOME, S_CANNOT_REASON,
                                          S_PASSED_TICKET };
    bool station_col = n_st > 1 && !station[0];
    html_raw(o, "<div class=\"table-wrap\"><table class=\"desk\"><thead>"
             "<tr>");
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        if (heads[i] == S_STATION && !station_col)
            continue;
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    struct desk dk = { .req = req, .o = o, .st = st, .n_st = n_st,
                       .station_col = station_col };
    err_code e = hub_db_desk_each(req->db, station[0] ? station : NULL, day,
                                  visitor_row, &dk);
    if (e != ERR_OK || dk.n == 0) {
        html_raw(o, "<tr><td colspan=\"9\">");
        html_text(o, web_t(req, e != ERR_OK ? S_ERROR : S_NO_VISITORS));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    html_page_end(req, resp);
    free(st);
}
