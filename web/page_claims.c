/* web/page_claims.c - /claims: the pending 认岗 claims and 互换岗位 swaps of
 * the user's stations, each with approve, and decline with a reason the
 * member reads at the kiosk. A decision is hub_claim_decide_audited's,
 * what `hubctl claim|swap approve|decline` calls: approval re-checks the
 * post's rules and publishes the post(s) again; the decision, the
 * member's notice and the audit line are one transaction. A claim is
 * looked up and its station scope-checked before anything: one outside
 * the user's scope answers 404 like an unknown id. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_claims.h"
#include "hub/hub_db_board_read.h"
#include "hub/hub_db_claims.h"
#include "hub/hub_db_roster.h"
#include "web/boards_common.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

#define REASON_MAX 60             /* characters, as the review queue's */

/* ---- the lists ----------------------------------------------------------- */

struct rows {
    struct web_req   *req;
    struct hub_claim *v;
    size_t            n;
    char              last[64];   /* the station asked last, and: */
    bool              last_ok;
};

static void collect(void *ctx, const struct hub_claim *c)
{
    struct rows *r = ctx;
    /* Claims come grouped by nothing: ask the scope once per run of a
     * station (a few stations, a few claims each). */
    if (strcmp(r->last, c->station) != 0) {
        snprintf(r->last, sizeof r->last, "%s", c->station);
        r->last_ok = web_may(r->req, c->station, HUB_SEE);
    }
    if (!r->last_ok)
        return;
    r->v = xrealloc(r->v, (r->n + 1) * sizeof *r->v);
    r->v[r->n++] = *c;
}

static void member_cell(struct web_req *req, FILE *o, const char *no,
                        enum web_str label)
{
    struct hub_member m;
    html_raw(o, "<td>");
    boards_cell_label(req, o, label);
    html_raw(o, "<span class=\"mname\">");
    html_text(o, hub_db_member_get(req->db, no, &m) == ERR_OK ? m.name : "");
    html_raw(o, "</span> <span class=\"muted\">");
    html_text(o, no);
    html_raw(o, "</span></td>");
}

static void post_cell(struct web_req *req, FILE *o, const char *station,
                      const char *post, enum web_str label)
{
    char *data = NULL;
    cJSON *d = NULL;
    if (hub_db_published_get(req->db, station, "post", post, &data) ==
        ERR_OK ||
        hub_db_published_get(req->db, "*", "post", post, &data) == ERR_OK)
        d = cJSON_Parse(data);
    free(data);
    html_raw(o, "<td>");
    boards_cell_label(req, o, label);
    html_raw(o, "<span class=\"pname\">");
    html_text(o, boards_jstr(d, "name"));
    html_raw(o, "</span> <span class=\"muted\">");
    html_text(o, post);
    html_raw(o, "</span></td>");
    cJSON_Delete(d);
}

static const char *station_name(const struct scope_station *sv, size_t n,
                                const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(sv[i].id, id) == 0)
            return sv[i].name;
    return id;
}

static void decide_form(struct web_req *req, FILE *o,
                        const struct hub_claim *c)
{
    char id[32];
    snprintf(id, sizeof id, "r-%s-%" PRId64, c->kind, c->id);
    html_form_begin(req, o, "/claims", "decide");
    boards_hidden(o, "kind", c->kind);
    html_raw(o, "<input type=\"hidden\" name=\"id\" value=\"%" PRId64 "\">",
             c->id);
    html_raw(o, "<label for=\"%s\">", id);
    html_text(o, web_t(req, S_DECLINE_REASON));
    html_raw(o, "</label><input id=\"%s\" name=\"reason\" type=\"text\""
             " maxlength=\"%d\" autocomplete=\"off\"><span class=\"actions\">"
             "<button type=\"submit\" name=\"decision\" value=\"approve\""
             " class=\"primary\">", id, REASON_MAX);
    html_text(o, web_t(req, S_APPROVE));
    html_raw(o, "</button><button type=\"submit\" name=\"decision\""
             " value=\"decline\">");
    html_text(o, web_t(req, S_DECLINE));
    html_raw(o, "</button></span>");
    html_form_end(o);
}

static void claims_table(struct web_req *req, FILE *o, const char *kind,
                         const struct scope_station *sv, size_t nsv)
{
    struct rows r = { .req = req };
    hub_db_claims_each(req->db, kind, NULL, "pending", collect, &r);
    bool swap = strcmp(kind, "swap") == 0;
    html_raw(o, "<h2>");
    html_text(o, web_t(req, swap ? S_SWAPS_PENDING : S_CLAIMS_PENDING));
    html_raw(o, " <span class=\"count\">%zu</span></h2>", r.n);
    if (r.n == 0) {
        scope_notice(o, "notice", "status", web_t(req, S_NO_CLAIMS));
        return;
    }
    html_raw(o, "<div class=\"table-wrap\"><table class=\"claims %s\">"
             "<thead><tr><th scope=\"col\" class=\"n\">", kind);
    html_text(o, web_t(req, S_CONTACT_ID));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_STATION));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_MEMBER_NAME));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, swap ? S_OWN_POST : S_POST));
    html_raw(o, "</th><th scope=\"col\">");
    if (swap) {
        html_text(o, web_t(req, S_OTHER_MEMBER));
        html_raw(o, "</th><th scope=\"col\">");
        html_text(o, web_t(req, S_OTHER_POST));
    } else {
        html_text(o, web_t(req, S_CLAIM_ROLE));
    }
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_SUBMITTED));
    html_raw(o, "</th><th scope=\"col\">");
    html_text(o, web_t(req, S_ACTION));
    html_raw(o, "</th></tr></thead><tbody>");
    for (size_t i = 0; i < r.n; i++) {
        const struct hub_claim *c = &r.v[i];
        html_raw(o, "<tr id=\"%s-%" PRId64 "\"><td class=\"n\">", kind,
                 c->id);
        boards_cell_label(req, o, S_CONTACT_ID);
        html_raw(o, "%" PRId64 "</td><td>", c->id);
        boards_cell_label(req, o, S_STATION);
        html_text(o, station_name(sv, nsv, c->station));
        html_raw(o, "</td>");
        member_cell(req, o, c->member_no, S_MEMBER_NAME);
        post_cell(req, o, c->station, c->post_id, swap ? S_OWN_POST : S_POST);
        if (swap) {
            member_cell(req, o, c->other_no, S_OTHER_MEMBER);
            post_cell(req, o, c->station, c->other_post, S_OTHER_POST);
        } else {
            html_raw(o, "<td>");
            boards_cell_label(req, o, S_CLAIM_ROLE);
            html_text(o, web_t(req, strcmp(c->role, "deputy") == 0
                                    ? S_DEPUTY : S_MEMBERS));
            html_raw(o, "</td>");
        }
        html_raw(o, "<td class=\"nowrap\">");
        boards_cell_label(req, o, S_SUBMITTED);
        html_time(o, req, c->filed_ms);
        html_raw(o, "</td><td class=\"decide\">");
        if (web_may(req, c->station, HUB_CHANGE))
            decide_form(req, o, c);
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    free(r.v);
}

static void claims_page(struct web_req *req, struct web_resp *resp,
                        const char *alert, const char *status)
{
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_CLAIMS));
    if (alert)
        scope_notice(o, "notice error", "alert", alert);
    if (status)
        scope_notice(o, "notice", "status", status);
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_CLAIMS_HINT));
    html_raw(o, "</p>");
    size_t n;
    struct scope_station *sv = scope_stations(req, HUB_SEE, &n);
    claims_table(req, o, "claim", sv, n);
    claims_table(req, o, "swap", sv, n);
    free(sv);
    html_page_end(req, resp);
}

void page_claims(struct web_req *req, struct web_resp *resp)
{
    char done[16] = "";
    web_query(req, "done", done, sizeof done);
    claims_page(req, resp, NULL,
                strcmp(done, "approved") == 0 ? web_t(req, S_DONE_APPROVED)
                : strcmp(done, "declined") == 0 ? web_t(req, S_DONE_DECLINED)
                : NULL);
}

/* ---- deciding ------------------------------------------------------------ */

/* hub_claims' refusals (English, for hubctl) in zh_CN words. */
static const char *refusal_zh(const char *why)
{
    static const struct { const char *has, *zh; } m[] = {
        { "post full", "岗位人数已满" },
        { "deputy taken", "副岗长已有人担任" },
        { "not open for claiming", "该岗位暂不接受认领" },
        { "already holds", "该党员已在此岗位" },
        { "already on that post", "该党员已在对方岗位" },
        { "other member holds no post", "对方党员已不在原岗位" },
        { "holds no post", "申请人已不在原岗位" },
        { "unknown member", "对方党员不在党员名册中" },
        { "no longer published", "该岗位已不再发布" },
        { "already", "该申请已处理过" },
        { "heads", "须有且只有一名岗长" },
        { "deputies", "副岗长最多一名" },
        { "at most", "人数超过上限" },
        { "at least", "人数少于下限" },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strstr(why, m[i].has))
            return m[i].zh;
    return "不符合岗位规则";
}

static bool reason_ok(const char *s)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        chars += (*p & 0xc0) != 0x80;
    }
    return chars <= REASON_MAX;
}

void page_claims_post(struct web_req *req, struct web_resp *resp)
{
    char kind[8] = "", idtxt[24] = "", decision[16] = "", reason[512] = "";
    web_form(req, "kind", kind, sizeof kind);
    web_form(req, "id", idtxt, sizeof idtxt);
    web_form(req, "decision", decision, sizeof decision);
    web_form(req, "reason", reason, sizeof reason);
    char *end;
    long long id = strtoll(idtxt, &end, 10);
    struct hub_claim c;
    /* Unknown, of the other kind, or outside the scope: the same 404. */
    if (!idtxt[0] || *end || id <= 0 ||
        (strcmp(kind, "claim") && strcmp(kind, "swap")) ||
        hub_db_claim_get(req->db, id, &c) != ERR_OK ||
        strcmp(c.kind, kind) != 0 || !web_may(req, c.station, HUB_CHANGE)) {
        web_not_found(req, resp);
        return;
    }
    bool approve = strcmp(decision, "approve") == 0;
    if (!approve && strcmp(decision, "decline") != 0) {
        resp->status = 400;
        claims_page(req, resp, web_t(req, S_ERROR), NULL);
        return;
    }
    /* Trim the blanks a reason typed in a hurry carries. */
    char *r = reason;
    while (*r == ' ')
        r++;
    for (size_t n = strlen(r); n > 0 && r[n - 1] == ' '; n--)
        r[n - 1] = '\0';
    if (!approve && !*r) {
        resp->status = 400;
        claims_page(req, resp, web_t(req, S_DECLINE_NEEDS), NULL);
        return;
    }
    if (!approve && !reason_ok(r)) {
        resp->status = 400;
        claims_page(req, resp, web_t(req, S_REASON_BAD), NULL);
        return;
    }
    char why[320];
    err_code e = hub_claim_decide_audited(req->db, kind, id, approve,
                                          approve ? NULL : r, req->user.name,
                                          req->user.name, req->now_ms, why,
                                          sizeof why);
    if (e == ERR_DENIED) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s%s", web_t(req, S_CLAIM_REFUSED),
                 req->lang == WEB_EN ? why : refusal_zh(why));
        resp->status = 400;
        claims_page(req, resp, msg, NULL);
        return;
    }
    if (e != ERR_OK) {
        resp->status = 503;
        claims_page(req, resp, web_t(req, S_ERROR), NULL);
        return;
    }
    web_redirect(resp, approve ? "/claims?done=approved"
                               : "/claims?done=declined");
}
