/* web/page_cards.c - /cards: the cards the hub signed for the user's
 * stations (kind, holder, serial, validity, voided or not); issuing one
 * card or a whole station's roster; a card's page with its voiding (a
 * reason, then a confirm step); the print sheet (A4, cut lines, name,
 * number, station and QR) and the QR images under a scoped route.
 *
 * Every change goes through hub/hub_card_office.h (the signer `hubctl
 * card` uses, under its lock, recorded and audited in one transaction).
 * Scope: a member's card belongs to the member's station; a technician
 * card (any scope) to administrators only. Seeing the list needs HUB_SEE;
 * the QR and the print sheet, which ARE the credential, need HUB_CHANGE
 * (a viewer sees that a card exists, never a printable copy). */
#include <stdlib.h>
#include <string.h>

#include "base/card.h"
#include "base/xmalloc.h"
#include "hub/hub_card.h"
#include "hub/hub_card_office.h"
#include "hub/hub_db_cards.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_db_users.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define LIST_MAX   500          /* rows on the list page */
#define SHEET_MAX  400          /* cards on one print sheet */
#define ZONE_MS    (8 * 3600 * 1000LL)   /* the stations' days: UTC+8 */
#define QR_SCALE   6

static void cards_dir(const struct web_req *req, char *out, size_t cap)
{
    snprintf(out, cap, "%s/cards", req->hub_dir ? req->hub_dir : ".");
}

static int64_t today(const struct web_req *req)
{
    return (req->now_ms + ZONE_MS) / HUB_CARD_DAY_MS;
}

static enum web_str kind_label(char k)
{
    return k == 'R' ? S_KIND_R : k == 'T' ? S_KIND_T : S_KIND_M;
}

/* Whether the user may see (or change) a card: its station's scope; a
 * technician card, or one scoped to a pattern, administrators only. */
static bool card_may(struct web_req *req, const struct hub_card_rec *r,
                     enum hub_access want)
{
    if (hub_user_is_admin(&req->user))
        return true;
    if (r->kind == 'T' || strchr(r->station, '*'))
        return false;
    return web_may(req, r->station, want);
}

/* The card named by the path after prefix, when the user may `want` it;
 * false (answer 404) otherwise, exactly as for an unknown id. */
static bool card_from_path(struct web_req *req, const char *prefix,
                           const char *suffix, enum hub_access want,
                           struct hub_card_rec *r)
{
    char id[CARD_CARD_ID + 8];
    if (!web_path_arg(req, prefix, id, sizeof id))
        return false;
    size_t n = strlen(id), s = strlen(suffix);
    if (n <= s || strcmp(id + n - s, suffix) != 0)
        return false;
    id[n - s] = '\0';
    return hub_db_card_get(req->db, id, r) == ERR_OK &&
           card_may(req, r, want);
}

static void station_label(struct web_req *req, FILE *o, const char *id)
{
    char name[128] = "";
    if (!strchr(id, '*'))
        hub_db_station_name(req->db, id, name, sizeof name);
    html_text(o, name[0] ? name : id);
}

static void state_tag(struct web_req *req, FILE *o,
                      const struct hub_card_rec *r)
{
    if (r->revoked_ms) {
        html_raw(o, "<span class=\"tag warn\">");
        html_text(o, web_t(req, S_CARD_REVOKED));
    } else if (r->expires_day < today(req)) {
        html_raw(o, "<span class=\"tag\">");
        html_text(o, web_t(req, S_CARD_EXPIRED));
    } else {
        html_raw(o, "<span class=\"tag ok\">");
        html_text(o, web_t(req, S_CARD_VALID));
    }
    html_raw(o, "</span>");
}

/* ---- the list ------------------------------------------------------------- */

struct list {
    struct web_req *req;
    FILE           *o;
    int             n, printable;
};

static void list_row(void *ctx, const struct hub_card_rec *r)
{
    struct list *l = ctx;
    struct web_req *req = l->req;
    FILE *o = l->o;
    if (!card_may(req, r, HUB_SEE))
        return;
    bool change = card_may(req, r, HUB_CHANGE);
    l->n++;
    html_raw(o, "<tr><td class=\"pick\">");
    if (change && !r->revoked_ms) {
        l->printable++;
        html_raw(o, "<input type=\"checkbox\" name=\"id\" id=\"pick-%d\""
                 " value=\"", l->n);
        html_attr(o, r->card_id);
        html_raw(o, "\" aria-label=\"");
        html_attr(o, web_t(req, S_SELECT));
        html_raw(o, " ");
        html_attr(o, r->card_id);
        html_raw(o, "\">");
    }
    html_raw(o, "</td><td>");
    html_text(o, web_t(req, kind_label(r->kind)));
    html_raw(o, "</td><th scope=\"row\">");
    struct hub_member m;
    if (r->kind != 'T' && hub_db_member_get(req->db, r->holder, &m) ==
        ERR_OK && m.name[0]) {
        html_text(o, m.name);
        html_raw(o, " ");
    }
    html_raw(o, "<span class=\"id\">");
    html_text(o, r->holder);
    html_raw(o, "</span></th><td>");
    station_label(req, o, r->station);
    html_raw(o, "</td><td><a href=\"/cards/c/");
    html_attr(o, r->card_id);
    html_raw(o, "\">");
    html_text(o, r->card_id);
    html_raw(o, "</a></td>");
    /* On a phone the rows stack without column heads: the end date says
     * what it is, the start date is left to the card's page. */
    char ymd[11];
    card_ymd(r->issued_day, ymd);
    html_raw(o, "<td class=\"nowrap from\">");
    html_text(o, ymd);
    html_raw(o, "</td><td class=\"nowrap to\"><span class=\"lbl\">");
    html_text(o, web_t(req, S_VALID_TO));
    html_raw(o, " </span>");
    card_ymd(r->expires_day, ymd);
    html_text(o, ymd);
    html_raw(o, "</td><td>");
    state_tag(req, o, r);
    html_raw(o, "</td></tr>");
}

static void kind_select(struct web_req *req, FILE *o, const char *id,
                        bool tech)
{
    html_raw(o, "<div class=\"field\"><label for=\"%s\">", id);
    html_text(o, web_t(req, S_CARD_KIND));
    html_raw(o, "</label><select id=\"%s\" name=\"kind\">", id);
    static const char kinds[] = "MRT";
    for (int i = 0; i < (tech ? 3 : 2); i++) {
        html_raw(o, "<option value=\"%c\">", kinds[i]);
        html_text(o, web_t(req, kind_label(kinds[i])));
        html_raw(o, "</option>");
    }
    html_raw(o, "</select></div>");
}

static void date_fields(struct web_req *req, FILE *o, const char *pfx)
{
    char from[11], to[11], id[32];
    card_ymd(today(req), from);
    card_ymd(today(req) + 364, to);
    snprintf(id, sizeof id, "%s-from", pfx);
    /* Text, not type=date: a browser shows a date input in its own
     * locale (12/01/2026 on an English system); the office reads ISO. */
    html_field(o, id, web_t(req, S_VALID_FROM), "text", "from", from, true,
               "off");
    snprintf(id, sizeof id, "%s-to", pfx);
    html_field(o, id, web_t(req, S_VALID_TO), "text", "to", to, true, "off");
}

/* The list page; notice (when given) above it, error or not. */
static void list_page(struct web_req *req, struct web_resp *resp,
                      const char *notice, bool error)
{
    FILE *o = resp->out;
    char station[64] = "", q[64] = "";
    web_query(req, "station", station, sizeof station);
    web_query(req, "q", q, sizeof q);
    size_t n_see = 0, n_change = 0;
    struct scope_station *see = scope_stations(req, HUB_SEE, &n_see);
    struct scope_station *chg = scope_stations(req, HUB_CHANGE, &n_change);
    bool admin = hub_user_is_admin(&req->user);
    /* A station filter outside the scope reads as none. */
    if (station[0] && !web_may(req, station, HUB_SEE))
        station[0] = '\0';

    html_page_begin(req, resp, web_t(req, S_CARDS));
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_CARDS_HINT));
    html_raw(o, "</p>");
    if (notice)
        scope_notice(o, error ? "notice error" : "notice",
                     error ? "alert" : "status", notice);

    if (n_change > 0 || admin) {
        html_raw(o, "<div class=\"grid two\"><section class=\"card\"><h2>");
        html_text(o, web_t(req, S_ISSUE_CARD));
        html_raw(o, "</h2>");
        html_form_begin(req, o, "/cards/issue", "issue");
        kind_select(req, o, "issue-kind", admin);
        html_field(o, "issue-holder",
                   web_t(req, S_MEMBER_NO), "text", "holder", "", true,
                   "off");
        if (admin)
            html_field(o, "issue-scope", web_t(req, S_CARD_SCOPE), "text",
                       "scope", "", false, "off");
        date_fields(req, o, "issue");
        html_raw(o, "<div class=\"actions\">");
        html_submit(o, web_t(req, S_ISSUE), "primary");
        html_raw(o, "</div>");
        html_form_end(o);
        html_raw(o, "</section>");
        if (n_change > 0) {
            html_raw(o, "<section class=\"card\"><h2>");
            html_text(o, web_t(req, S_ISSUE_ROSTER));
            html_raw(o, "</h2>");
            html_form_begin(req, o, "/cards/roster", "roster");
            scope_select(req, o, web_t(req, S_STATION), chg, n_change,
                         station);
            kind_select(req, o, "roster-kind", false);
            date_fields(req, o, "roster");
            html_raw(o, "<div class=\"actions\">");
            html_submit(o, web_t(req, S_ISSUE_ROSTER_BTN), NULL);
            html_raw(o, "</div>");
            html_form_end(o);
            html_raw(o, "</section>");
        }
        html_raw(o, "</div>");
    }

    /* The filter: a station of the scope and a holder. */
    html_raw(o, "<form method=\"get\" action=\"/cards\" class=\"filters\">");
    html_raw(o, "<div class=\"field\"><label for=\"station\">");
    html_text(o, web_t(req, S_STATION));
    html_raw(o, "</label><select id=\"station\" name=\"station\">"
             "<option value=\"\">");
    html_text(o, web_t(req, S_ALL_STATIONS));
    html_raw(o, "</option>");
    for (size_t i = 0; i < n_see; i++) {
        html_raw(o, "<option value=\"");
        html_attr(o, see[i].id);
        html_raw(o, "\"%s>", strcmp(station, see[i].id) == 0 ? " selected"
                                                               : "");
        html_text(o, see[i].name);
        html_raw(o, "</option>");
    }
    html_raw(o, "</select></div>");
    html_field(o, "q", web_t(req, S_HOLDER), "search", "q", q, false, "off");
    html_raw(o, "<div class=\"field\">");
    html_submit(o, web_t(req, S_FILTER), NULL);
    html_raw(o, "</div></form>");

    /* The list; ticked cards go to the print sheet (a POST: many ids do
     * not fit the URL limit; it changes nothing). */
    struct list l = { .req = req, .o = o };
    bool may_print = n_change > 0 || admin;    /* a viewer gets no form */
    if (may_print)
        html_form_begin(req, o, "/cards/sheet", "print-pick");
    html_raw(o, "<div class=\"table-wrap\"><table class=\"cards\"><thead><tr>"
             "<th scope=\"col\"><span class=\"sr\">");
    html_text(o, web_t(req, S_SELECT));
    html_raw(o, "</span></th>");
    static const enum web_str heads[] = { S_CARD_KIND, S_HOLDER, S_STATION,
                                          S_SERIAL, S_VALID_FROM, S_VALID_TO,
                                          S_STATE };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    err_code e = hub_db_cards_each(req->db, station[0] ? station : NULL, q,
                                   LIST_MAX, list_row, &l);
    html_raw(o, "</tbody></table></div>");
    if (e != ERR_OK)
        scope_notice(o, "notice error", "alert", web_t(req, S_ERROR));
    else if (l.n == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_CARDS));
    if (l.printable > 0) {
        html_raw(o, "<div class=\"actions below\">");
        html_submit(o, web_t(req, S_PRINT_SHEET), "primary");
        html_raw(o, "</div>");
    }
    if (may_print)
        html_form_end(o);
    html_page_end(req, resp);
    free(see);
    free(chg);
}

void page_cards(struct web_req *req, struct web_resp *resp)
{
    list_page(req, resp, NULL, false);
}

/* ---- issuing -------------------------------------------------------------- */

static bool read_dates(const struct web_req *req, struct hub_card_order *ord)
{
    char from[16], to[16];
    return web_form(req, "from", from, sizeof from) &&
           web_form(req, "to", to, sizeof to) &&
           card_parse_ymd(from, &ord->from_day) == ERR_OK &&
           card_parse_ymd(to, &ord->to_day) == ERR_OK &&
           ord->to_day >= ord->from_day &&
           ord->to_day - ord->from_day < 3660;
}

/* The refusal's words from the office's error and message. */
static void refused(struct web_req *req, struct web_resp *resp, err_code e,
                    const char *msg)
{
    char text[400];
    const char *why = msg;
    if (e == ERR_NOTFOUND && strstr(msg, "key"))
        why = web_t(req, S_NO_KEY);
    else if (strstr(msg, "member"))
        why = web_t(req, S_MEMBER_NOT_ACTIVE);
    else if (e == ERR_INVAL && (strstr(msg, "card") || strstr(msg, "year")))
        why = web_t(req, S_DATES_BAD);
    else if (req->lang == WEB_ZH)
        why = web_t(req, S_ERROR);       /* no English words on zh_CN */
    snprintf(text, sizeof text, "%s%s", web_t(req, S_CARD_BAD), why);
    resp->status = 400;
    list_page(req, resp, text, true);
}

void page_cards_issue(struct web_req *req, struct web_resp *resp)
{
    char kind[4] = "", holder[CARD_ID_MAX + 2] = "", scope[CARD_SCOPE_MAX + 2];
    struct hub_card_order ord = { .actor = req->user.name,
                                  .now_ms = req->now_ms };
    web_form(req, "kind", kind, sizeof kind);
    web_form(req, "holder", holder, sizeof holder);
    web_form(req, "scope", scope, sizeof scope);
    ord.kind = kind[0];
    ord.holder = holder;
    if (strlen(kind) != 1 || !strchr("MRT", kind[0]) || !holder[0]) {
        resp->status = 400;
        list_page(req, resp, web_t(req, S_INPUT_BAD), true);
        return;
    }
    /* Scope first, as for a page: a member outside it, or a technician
     * card from a non-administrator, is a 404 like an unknown number. */
    if (kind[0] == 'T') {
        if (!hub_user_is_admin(&req->user)) {
            web_not_found(req, resp);
            return;
        }
        ord.scope = scope;
    } else {
        struct hub_member m;
        if (hub_db_member_get(req->db, holder, &m) != ERR_OK ||
            !web_may(req, m.station, HUB_CHANGE)) {
            web_not_found(req, resp);
            return;
        }
    }
    if (!read_dates(req, &ord)) {
        resp->status = 400;
        list_page(req, resp, web_t(req, S_DATES_BAD), true);
        return;
    }
    char dir[600], msg[200];
    struct hub_card_rec r;
    cards_dir(req, dir, sizeof dir);
    err_code e = hub_card_office_issue(req->db, dir, &ord, &r, msg,
                                       sizeof msg);
    if (e != ERR_OK) {
        refused(req, resp, e, msg);
        return;
    }
    char to[CARD_CARD_ID + 32];
    snprintf(to, sizeof to, "/cards/c/%s?issued=1", r.card_id);
    web_redirect(resp, to);
}

void page_cards_roster(struct web_req *req, struct web_resp *resp)
{
    char kind[4] = "", station[64] = "";
    struct hub_card_order ord = { .actor = req->user.name,
                                  .now_ms = req->now_ms };
    web_form(req, "kind", kind, sizeof kind);
    web_form(req, "station", station, sizeof station);
    if (!station[0] || !web_may(req, station, HUB_CHANGE)) {
        web_not_found(req, resp);
        return;
    }
    ord.kind = kind[0];
    if (strlen(kind) != 1 || !strchr("MR", kind[0]) ||
        !read_dates(req, &ord)) {
        resp->status = 400;
        list_page(req, resp, web_t(req, S_DATES_BAD), true);
        return;
    }
    char dir[600], msg[200];
    int n = 0;
    cards_dir(req, dir, sizeof dir);
    err_code e = hub_card_office_roster(req->db, dir, station, &ord, NULL,
                                        NULL, &n, msg, sizeof msg);
    if (e != ERR_OK) {
        refused(req, resp, e, msg);
        return;
    }
    /* The batch's cards share their issue time: the sheet finds them. */
    char to[200];
    snprintf(to, sizeof to, "/cards/sheet?station=%s&batch=%lld&n=%d",
             station, (long long)req->now_ms, n);
    web_redirect(resp, to);
}

/* ---- one card, voiding ---------------------------------------------------- */

static void fact(FILE *o, const char *dt)
{
    html_raw(o, "<dt>");
    html_text(o, dt);
    html_raw(o, "</dt><dd>");
}

static void card_facts(struct web_req *req, FILE *o,
                       const struct hub_card_rec *r)
{
    char ymd[11];
    struct hub_member m;
    html_raw(o, "<dl class=\"facts\">");
    fact(o, web_t(req, S_HOLDER));
    if (r->kind != 'T' &&
        hub_db_member_get(req->db, r->holder, &m) == ERR_OK && m.name[0]) {
        html_text(o, m.name);
        html_raw(o, " ");
    }
    html_raw(o, "<span class=\"id\">");
    html_text(o, r->holder);
    html_raw(o, "</span></dd>");
    fact(o, web_t(req, S_CARD_KIND));
    html_text(o, web_t(req, kind_label(r->kind)));
    html_raw(o, "</dd>");
    fact(o, web_t(req, S_STATION));
    station_label(req, o, r->station);
    html_raw(o, "</dd>");
    fact(o, web_t(req, S_SERIAL));
    html_text(o, r->card_id);
    html_raw(o, "</dd>");
    fact(o, web_t(req, S_VALID_FROM));
    card_ymd(r->issued_day, ymd);
    html_text(o, ymd);
    html_raw(o, "</dd>");
    fact(o, web_t(req, S_VALID_TO));
    card_ymd(r->expires_day, ymd);
    html_text(o, ymd);
    html_raw(o, "</dd>");
    fact(o, web_t(req, S_ISSUED_AT));
    html_time(o, req, r->issued_ms);
    html_raw(o, " · ");
    html_text(o, r->issued_by);
    html_raw(o, "</dd>");
    fact(o, web_t(req, S_STATE));
    state_tag(req, o, r);
    html_raw(o, "</dd>");
    if (r->revoked_ms) {
        fact(o, web_t(req, S_VOIDED_AT));
        html_time(o, req, r->revoked_ms);
        html_raw(o, " · ");
        html_text(o, r->revoked_by);
        html_raw(o, "</dd>");
        fact(o, web_t(req, S_VOID_REASON));
        html_text(o, r->reason);
        html_raw(o, "</dd>");
    }
    html_raw(o, "</dl>");
}

static void card_page(struct web_req *req, struct web_resp *resp,
                      const struct hub_card_rec *r, const char *notice,
                      bool error, const char *reason)
{
    FILE *o = resp->out;
    char title[160];
    snprintf(title, sizeof title, "%s %s", web_t(req, kind_label(r->kind)),
             r->card_id);
    html_page_begin(req, resp, title);
    if (notice)
        scope_notice(o, error ? "notice error" : "notice",
                     error ? "alert" : "status", notice);
    card_facts(req, o, r);
    if (card_may(req, r, HUB_CHANGE) && !r->revoked_ms) {
        html_raw(o, "<p class=\"actions\"><a class=\"button primary\""
                 " href=\"/cards/sheet?id=");
        html_attr(o, r->card_id);
        html_raw(o, "\">");
        html_text(o, web_t(req, S_PRINT));
        html_raw(o, "</a></p><section class=\"card narrow\"><h2>");
        html_text(o, web_t(req, S_VOID_CARD));
        html_raw(o, "</h2>");
        html_form_begin(req, o, "/cards/revoke", "void");
        html_raw(o, "<input type=\"hidden\" name=\"card\" value=\"");
        html_attr(o, r->card_id);
        html_raw(o, "\">");
        html_field(o, "reason", web_t(req, S_VOID_REASON), "text", "reason",
                   reason, true, "off");
        html_raw(o, "<div class=\"actions\">");
        html_submit(o, web_t(req, S_VOID), NULL);
        html_raw(o, "</div>");
        html_form_end(o);
        html_raw(o, "</section>");
    }
    html_raw(o, "<p><a href=\"/cards\">");
    html_text(o, web_t(req, S_BACK));
    html_raw(o, "</a></p>");
    html_page_end(req, resp);
}

void page_card(struct web_req *req, struct web_resp *resp)
{
    struct hub_card_rec r;
    if (!card_from_path(req, "/cards/c/", "", HUB_SEE, &r)) {
        web_not_found(req, resp);
        return;
    }
    char v[4];
    card_page(req, resp, &r,
              web_query(req, "issued", v, sizeof v) ? web_t(req, S_ISSUED)
              : web_query(req, "voided", v, sizeof v) ? web_t(req, S_VOIDED)
              : NULL, false, "");
}

/* Without confirm=1 the confirm step (the card and the reason, nothing
 * changed); with it the card is voided. */
void page_cards_revoke(struct web_req *req, struct web_resp *resp)
{
    char id[CARD_CARD_ID + 2] = "", reason[256] = "", v[4];
    struct hub_card_rec r;
    web_form(req, "card", id, sizeof id);
    if (hub_db_card_get(req->db, id, &r) != ERR_OK ||
        !card_may(req, &r, HUB_CHANGE)) {
        web_not_found(req, resp);
        return;
    }
    web_form(req, "reason", reason, sizeof reason);
    if (!reason[0] || strlen(reason) > 200 || strpbrk(reason, "\r\n")) {
        resp->status = 400;
        card_page(req, resp, &r, web_t(req, S_REASON_REQUIRED), true, reason);
        return;
    }
    if (r.revoked_ms) {
        web_redirect(resp, "/cards");
        return;
    }
    if (!web_form(req, "confirm", v, sizeof v) || strcmp(v, "1") != 0) {
        FILE *o = resp->out;
        html_page_begin(req, resp, web_t(req, S_VOID_CARD));
        scope_notice(o, "notice error", "alert", web_t(req, S_VOID_ASK));
        card_facts(req, o, &r);
        html_raw(o, "<p><strong>");
        html_text(o, web_t(req, S_VOID_REASON));
        html_raw(o, "：</strong>");
        html_text(o, reason);
        html_raw(o, "</p>");
        html_form_begin(req, o, "/cards/revoke", "actions");
        html_raw(o, "<input type=\"hidden\" name=\"card\" value=\"");
        html_attr(o, r.card_id);
        html_raw(o, "\"><input type=\"hidden\" name=\"reason\" value=\"");
        html_attr(o, reason);
        html_raw(o, "\"><input type=\"hidden\" name=\"confirm\" value=\"1\">");
        html_submit(o, web_t(req, S_VOID_CONFIRM), "primary danger");
        html_raw(o, " <a class=\"button\" href=\"/cards/c/");
        html_attr(o, r.card_id);
        html_raw(o, "\">");
        html_text(o, web_t(req, S_CANCEL));
        html_raw(o, "</a>");
        html_form_end(o);
        html_page_end(req, resp);
        return;
    }
    char dir[600], msg[200];
    cards_dir(req, dir, sizeof dir);
    err_code e = hub_card_office_revoke(req->db, dir, r.card_id, reason,
                                        req->user.name, req->now_ms, msg,
                                        sizeof msg);
    if (e != ERR_OK) {
        resp->status = 400;
        card_page(req, resp, &r, web_t(req, S_ERROR), true, reason);
        return;
    }
    char to[CARD_CARD_ID + 32];
    snprintf(to, sizeof to, "/cards/c/%s?voided=1", r.card_id);
    web_redirect(resp, to);
}

/* ---- the print sheet and the QR images ------------------------------------ */

struct sheet {
    struct web_req      *req;
    struct hub_card_rec *v;
    size_t               n;
    bool                 out_of_scope;
    int64_t              batch;
};

static void sheet_add(struct sheet *s, const struct hub_card_rec *r)
{
    if (s->n == SHEET_MAX)
        return;
    s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = *r;
}

static void batch_row(void *ctx, const struct hub_card_rec *r)
{
    struct sheet *s = ctx;
    if (r->issued_ms == s->batch && !r->revoked_ms)
        sheet_add(s, r);
}

/* Every id=... of src (a query or a form body), each looked up. */
static void ids_of(struct sheet *s, const char *src)
{
    const char *p = src;
    while (p && *p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > 3 && strncmp(p, "id=", 3) == 0) {
            char id[CARD_CARD_ID + 8];
            struct hub_card_rec r;
            if (!web_url_decode(p + 3, len - 3, id, sizeof id) ||
                hub_db_card_get(s->req->db, id, &r) != ERR_OK ||
                !card_may(s->req, &r, HUB_CHANGE))
                s->out_of_scope = true;
            else if (!r.revoked_ms)     /* a void card is never printed */
                sheet_add(s, &r);
        }
        p = amp ? amp + 1 : NULL;
    }
}

static void sheet_card(struct web_req *req, FILE *o,
                       const struct hub_card_rec *r)
{
    struct hub_member m;
    char ymd[11];
    bool named = r->kind != 'T' &&
                 hub_db_member_get(req->db, r->holder, &m) == ERR_OK;
    html_raw(o, "<div class=\"pcard\"><img src=\"/cards/qr/");
    html_attr(o, r->card_id);
    html_raw(o, ".png\" alt=\"");
    html_attr(o, web_t(req, kind_label(r->kind)));
    html_raw(o, " ");
    html_attr(o, r->card_id);
    html_raw(o, "\" width=\"174\" height=\"174\"><div class=\"ptext\">"
             "<p class=\"pkind\">");
    html_text(o, web_t(req, kind_label(r->kind)));
    html_raw(o, "</p><p class=\"pname\">");
    html_text(o, named && m.name[0] ? m.name : r->holder);
    html_raw(o, "</p><p class=\"pno\">");
    html_text(o, r->holder);
    html_raw(o, "</p><p>");
    station_label(req, o, r->station);
    html_raw(o, "</p><p>");
    html_text(o, web_t(req, S_VALID_TO));
    card_ymd(r->expires_day, ymd);
    html_raw(o, " ");
    html_text(o, ymd);
    html_raw(o, "</p><p class=\"id\">");
    html_text(o, r->card_id);
    html_raw(o, "</p></div></div>");
}

/* GET ?id=X (one card, or several), GET ?station=S&batch=MS (a roster
 * just issued), POST id=... (ticked on the list). Any card named that
 * is unknown or out of the scope answers 404 for the whole sheet. */
void page_cards_sheet(struct web_req *req, struct web_resp *resp)
{
    struct sheet s = { .req = req };
    char station[64] = "", batch[24] = "", n[12] = "";
    if (web_query(req, "batch", batch, sizeof batch) &&
        web_query(req, "station", station, sizeof station)) {
        if (!web_may(req, station, HUB_CHANGE)) {
            web_not_found(req, resp);
            return;
        }
        s.batch = atoll(batch);
        hub_db_cards_each(req->db, station, NULL, SHEET_MAX * 4, batch_row,
                          &s);
        web_query(req, "n", n, sizeof n);
    } else {
        ids_of(&s, req->method == HTTP_M_POST ? req->body : req->query);
    }
    if (s.out_of_scope) {
        free(s.v);
        web_not_found(req, resp);
        return;
    }
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_SHEET));
    if (n[0]) {
        char t[80];
        snprintf(t, sizeof t, "%d %s", atoi(n), web_t(req, S_ISSUED_N));
        scope_notice(o, "notice", "status", t);
    }
    html_raw(o, "<p class=\"hint noprint\">");
    html_text(o, web_t(req, S_SHEET_HINT));
    html_raw(o, "</p>");
    if (s.n == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_CARDS));
    html_raw(o, "<div class=\"psheet\">");
    for (size_t i = 0; i < s.n; i++)
        sheet_card(req, o, &s.v[i]);
    html_raw(o, "</div>");
    html_page_end(req, resp);
    free(s.v);
}

void page_cards_qr(struct web_req *req, struct web_resp *resp)
{
    struct hub_card_rec r;
    if (!card_from_path(req, "/cards/qr/", ".png", HUB_CHANGE, &r) ||
        r.revoked_ms) {
        web_not_found(req, resp);
        return;
    }
    /* The same encoder as `hubctl card issue --png`, into memory first:
     * a failure midway must not leave half a PNG in the answer. */
    char *png = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&png, &len);
    err_code e = f ? hub_card_qr_png_write(r.text, QR_SCALE, f) : ERR_IO;
    if (f && fclose(f) != 0)
        e = ERR_IO;
    if (e != ERR_OK) {
        free(png);
        web_error(req, resp, 500, web_t(req, S_ERROR));
        return;
    }
    fwrite(png, 1, len, resp->out);
    free(png);
    resp->type = "image/png";
}
