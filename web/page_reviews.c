/* web/page_reviews.c - the service review queue (服务确认): the pending
 * service logs of the stations in the user's scope, and one form to
 * confirm or reject those ticked, with the method, an optional rating and
 * (to reject) a reason the member will see. Each verdict goes through
 * hub_review_verdict, as `hubctl confirm|reject` does, with its audit line
 * in the verdict's own transaction; the star boards are refreshed after,
 * as hubctl does, so My record and the boards agree. */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "base/service_confirm.h"
#include "base/service_rules.h"
#include "hub/hub_db_users.h"
#include "hub/hub_db_review.h"
#include "hub/hub_review.h"
#include "hub/hub_stars.h"
#include "web/html.h"
#include "web/pages.h"

#define REVIEW_MAX 200              /* logs decided in one submit */
#define STATION_ZONE_MIN 480        /* the stations' days: UTC+8 */

struct list {
    struct web_req *req;
    FILE           *o;
    int             n;              /* rows shown */
    int             changeable;     /* rows the user may decide */
    char            station[64];    /* the last row's station, and */
    char            station_name[128];  /* its name (rows come by station) */
    bool            see, change;    /* and the user's access to it */
};

/* A log's key as one form value: DEVICE|EPOCH|SEQ ('|' is in none of
 * them: ids and epochs are checked on upload). */
static void key_attr(FILE *o, const struct hub_pending *p)
{
    html_attr(o, p->device);
    html_raw(o, "|");
    html_attr(o, p->epoch);
    html_raw(o, "|%lld", (long long)p->seq);
}

static void pending_row(void *ctx, const struct hub_pending *p)
{
    struct list *l = ctx;
    struct web_req *req = l->req;
    FILE *o = l->o;
    /* Rows come by station: ask the scope and the name once a station
     * (2,500 pending logs asked each: 180 ms, bench/bench_console.c). */
    if (strcmp(l->station, p->station) != 0) {
        snprintf(l->station, sizeof l->station, "%s", p->station);
        l->see = web_may(req, p->station, HUB_SEE);
        l->change = l->see && web_may(req, p->station, HUB_CHANGE);
        if (!l->see)
            l->station_name[0] = '\0';
        else if (hub_db_station_name(req->db, p->station, l->station_name,
                                     sizeof l->station_name) != ERR_OK ||
                 !l->station_name[0])
            snprintf(l->station_name, sizeof l->station_name, "%s",
                     p->station);
    }
    if (!l->see)
        return;
    bool may = l->change;
    l->n++;
    l->changeable += may;
    html_raw(o, "<tr><td class=\"pick\">");
    if (may) {
        html_raw(o, "<input type=\"checkbox\" name=\"log\" id=\"log-%d\" "
                 "value=\"", l->n);
        key_attr(o, p);
        html_raw(o, "\" aria-label=\"");
        html_attr(o, web_t(req, S_SELECT));
        html_raw(o, " ");
        html_attr(o, p->name[0] ? p->name : p->member_no);
        html_raw(o, " ");
        html_attr(o, p->day);
        html_raw(o, "\">");
    }
    html_raw(o, "</td><td>");
    html_text(o, l->station_name);
    html_raw(o, "</td><th scope=\"row\">");
    html_text(o, p->name[0] ? p->name : "—");
    html_raw(o, " <span class=\"id\">");
    html_text(o, p->member_no);
    html_raw(o, "</span></th><td>");
    /* The category's and a preset note's words, as the kiosk shows them. */
    const struct service_category *c = service_category_find(p->category);
    html_text(o, !c ? p->category : req->lang == WEB_EN ? c->en : c->zh);
    /* The unit shows only on a phone, where there is no column head. */
    html_raw(o, "</td><td class=\"n\">%d<span class=\"unit\"> ", p->minutes);
    html_text(o, web_t(req, S_MIN_UNIT));
    html_raw(o, "</span></td><td class=\"nowrap\">");
    html_text(o, p->day);
    html_raw(o, "</td><td>");
    html_text(o, p->served_place ? p->served_place : "");
    if (p->served_ticket && p->served_ticket[0]) {
        html_raw(o, p->served_place && p->served_place[0] ? " " : "");
        html_raw(o, "<span class=\"id\">");
        html_text(o, p->served_ticket);
        html_raw(o, "</span>");
    }
    html_raw(o, "</td><td class=\"note\">");
    html_text(o, service_note_text(p->note, req->lang != WEB_EN));
    html_raw(o, "</td></tr>");
}

static void option(FILE *o, const struct web_req *req, const char *value,
                   enum web_str label, const char *chosen)
{
    html_raw(o, "<option value=\"");
    html_attr(o, value);
    html_raw(o, "\"%s>", strcmp(value, chosen) == 0 ? " selected" : "");
    html_text(o, web_t(req, label));
    html_raw(o, "</option>");
}

/* The page, with a notice when given (error: role=alert, status 400 set
 * by the caller); method, rating and reason kept as the user gave them. */
static void reviews_page(struct web_req *req, struct web_resp *resp,
                         const char *notice, bool error, const char *method,
                         const char *rating, const char *reason)
{
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_REVIEWS));
    if (notice) {
        html_raw(o, "<p class=\"notice%s\" role=\"%s\">",
                 error ? " error" : "", error ? "alert" : "status");
        html_text(o, notice);
        html_raw(o, "</p>");
    }
    html_raw(o, "<p class=\"hint\">");
    html_text(o, web_t(req, S_REVIEWS_HINT));
    html_raw(o, "</p>");
    /* One form: the ticked rows and the verdict below them. */
    html_form_begin(req, o, "/reviews", "review");
    html_raw(o, "<div class=\"table-wrap\"><table class=\"reviews\"><thead>"
             "<tr>");
    static const enum web_str heads[] = { S_SELECT, S_STATION, S_MEMBER,
                                          S_CATEGORY, S_MINUTES, S_DAY,
                                          S_SERVED, S_NOTE };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        html_raw(o, heads[i] == S_MINUTES ? "<th scope=\"col\" class=\"n\">"
                                          : "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    struct list l = { .req = req, .o = o };
    err_code e = hub_db_pending_each(req->db, pending_row, &l);
    if (e != ERR_OK || l.n == 0) {
        html_raw(o, "<tr><td colspan=\"8\">");
        html_text(o, web_t(req, e != ERR_OK ? S_ERROR : S_NO_PENDING));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (l.changeable > 0) {
        html_raw(o, "<fieldset class=\"card grid verdict\"><legend>");
        html_text(o, web_t(req, S_VERDICT));
        html_raw(o, "</legend><div class=\"field\"><label for=\"method\">");
        html_text(o, web_t(req, S_METHOD));
        html_raw(o, "</label><select id=\"method\" name=\"method\">");
        option(o, req, "phone", S_M_PHONE, method);
        option(o, req, "visit", S_M_VISIT, method);
        option(o, req, "staff", S_M_STAFF, method);
        html_raw(o, "</select></div><div class=\"field\">"
                 "<label for=\"rating\">");
        html_text(o, web_t(req, S_RATING));
        html_raw(o, "</label><select id=\"rating\" name=\"rating\">");
        option(o, req, "", S_R_NONE, rating);
        option(o, req, "satisfied", S_R_SATISFIED, rating);
        option(o, req, "basic", S_R_BASIC, rating);
        option(o, req, "unsatisfied", S_R_UNSATISFIED, rating);
        html_raw(o, "</select></div>");
        html_field(o, "reason", web_t(req, S_REJECT_REASON), "text", "reason",
                   reason, false, "off");
        html_raw(o, "<div class=\"actions\"><button type=\"submit\" "
                 "name=\"verdict\" value=\"confirm\" class=\"primary\">");
        html_text(o, web_t(req, S_CONFIRM_SEL));
        html_raw(o, "</button> <button type=\"submit\" name=\"verdict\" "
                 "value=\"reject\">");
        html_text(o, web_t(req, S_REJECT_SEL));
        html_raw(o, "</button></div></fieldset>");
    }
    html_form_end(o);
    html_page_end(req, resp);
}

void page_reviews(struct web_req *req, struct web_resp *resp)
{
    char done[16];
    const char *notice = NULL;
    if (web_query(req, "done", done, sizeof done))
        notice = web_t(req, strcmp(done, "reject") == 0 ? S_DONE_REJECTED
                                                        : S_DONE_CONFIRMED);
    reviews_page(req, resp, notice, false, "phone", "", "");
}

/* One ticked log: DEVICE|EPOCH|SEQ into its parts. */
struct pick {
    char     device[64], epoch[64];
    uint64_t seq;
};

static bool pick_parse(const char *v, struct pick *p)
{
    const char *a = strchr(v, '|');
    const char *b = a ? strchr(a + 1, '|') : NULL;
    if (!a || !b || (size_t)(a - v) >= sizeof p->device ||
        (size_t)(b - a - 1) >= sizeof p->epoch || a == v ||
        b[1] < '0' || b[1] > '9')
        return false;
    memcpy(p->device, v, (size_t)(a - v));
    p->device[a - v] = '\0';
    memcpy(p->epoch, a + 1, (size_t)(b - a - 1));
    p->epoch[b - a - 1] = '\0';
    char *end;
    p->seq = strtoull(b + 1, &end, 10);
    return *end == '\0' && p->seq > 0;
}

/* Every "log" field of the body, decoded (web_form gives the first). */
static int picks_read(const struct web_req *req, struct pick *out, int cap,
                      bool *bad)
{
    int n = 0;
    const char *s = req->body;
    while (s && *s) {
        const char *end = strchr(s, '&');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len > 4 && strncmp(s, "log=", 4) == 0) {
            char v[160];
            if (n == cap || !web_url_decode(s + 4, len - 4, v, sizeof v) ||
                !pick_parse(v, &out[n]))
                *bad = true;
            else
                n++;
        }
        s = end ? end + 1 : NULL;
    }
    return n;
}

void page_reviews_post(struct web_req *req, struct web_resp *resp)
{
    char verdict[16], method[16], rating[16];
    char reason[CONFIRM_REASON_BYTES + 8];
    web_form(req, "verdict", verdict, sizeof verdict);
    web_form(req, "method", method, sizeof method);
    web_form(req, "rating", rating, sizeof rating);
    bool reason_fits = web_form(req, "reason", reason, sizeof reason) ||
                       !strstr(req->body, "reason=");
    bool confirm = strcmp(verdict, "confirm") == 0;
    /* Heap, not static: the console's workers are threads. */
    struct pick *picks = xmalloc(REVIEW_MAX * sizeof *picks);
    bool bad = false;
    int n = picks_read(req, picks, REVIEW_MAX, &bad);
    enum web_str refusal = S_COUNT;
    if (!confirm && strcmp(verdict, "reject") != 0)
        refusal = S_INPUT_BAD;
    else if (bad)
        refusal = S_INPUT_BAD;
    else if (n == 0)
        refusal = S_NONE_SELECTED;
    else if (!confirm && !reason[0] && reason_fits)
        refusal = S_REASON_NEEDED;
    else if (!confirm && (!reason_fits || confirm_reason_check(reason)))
        refusal = S_REASON_BAD;
    struct hub_review_verdict v = {
        .confirm = confirm, .points = -1,
        .method = confirm ? confirm_method_parse(method) : 0,
        .rating = confirm ? confirm_rating_parse(rating) : 0,
        .by = req->user.name, .reason = confirm ? NULL : reason,
        .actor = req->user.name,
    };
    if (refusal == S_COUNT && (v.method <= 0 || v.method == CONFIRM_KIOSK_PIN ||
                               v.rating < 0) && confirm)
        refusal = S_INPUT_BAD;
    if (refusal != S_COUNT) {
        resp->status = 400;
        reviews_page(req, resp, web_t(req, refusal), true, method, rating,
                     reason_fits ? reason : "");
        free(picks);
        return;
    }
    /* The scope of every log first: one out of scope (or unknown) and
     * nothing is decided, and the answer is the page of no such thing. */
    for (int i = 0; i < n; i++) {
        struct hub_log_key k = { picks[i].device, picks[i].epoch,
                                 picks[i].seq };
        char station[64], epoch[64];
        int minutes;
        if (hub_db_log_get(req->db, &k, station, epoch, sizeof station,
                           &minutes) != ERR_OK ||
            !web_may(req, station, HUB_CHANGE)) {
            web_not_found(req, resp);
            free(picks);
            return;
        }
    }
    /* One transaction a log, as hubctl: a log decided meanwhile by
     * someone else is decided again (the newest verdict stands). */
    for (int i = 0; i < n; i++) {
        const char *why = NULL;
        err_code e = hub_review_verdict(req->db, picks[i].device,
                                        picks[i].epoch, picks[i].seq, &v,
                                        &why);
        if (e != ERR_OK) {
            resp->status = e == ERR_DENIED ? 400 : 503;
            reviews_page(req, resp, e == ERR_DENIED && req->lang == WEB_EN &&
                         why ? why : web_t(req, e == ERR_DENIED
                                                ? S_INPUT_BAD : S_ERROR),
                         true, method, rating, reason);
            free(picks);
            return;
        }
    }
    free(picks);
    /* Not fatal: the verdicts stand; the next refresh catches up. */
    hub_stars_refresh(req->db, req->now_ms, STATION_ZONE_MIN, stderr, NULL);
    web_redirect(resp, confirm ? "/reviews?done=confirm"
                               : "/reviews?done=reject");
}
