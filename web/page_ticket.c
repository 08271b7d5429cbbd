/* web/page_ticket.c - /tickets/ID: one ticket of the ledger with its
 * station and building/unit, the resident's words, where it stands, the
 * whole trail (each step: who, when, what) and, for a user who may
 * change its station, the forms of the steps its state allows (accept,
 * assign, answer, the reporter's sign-off taken by phone or in person; a
 * wish's claim for a member). Each POST calls hub_db_ledger_act, as
 * `hubctl ledger accept|assign|answer|close|claim` does, with the user
 * as the audit line's actor (written in the step's transaction).
 *
 * A ticket outside the user's scope answers 404, the page of a ticket
 * that does not exist; a viewer (who may see, not change) gets no forms
 * and 403 on a POST. */
#include <stdlib.h>
#include <string.h>

#include "base/ledger.h"
#include "base/phone.h"
#include "base/xmalloc.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_db_users.h"
#include "hub/hub_ledger.h"
#include "web/html.h"
#include "web/ledger_words.h"
#include "web/pages.h"
#include "web/scope.h"

#define DAY_MS (24LL * 3600 * 1000)

struct trail {
    struct web_req *req;
    FILE           *o;
    enum ledger_kind kind;
    int             n;
};

static enum web_str step_str(const char *step)
{
    static const struct { const char *step; enum web_str s; } v[] = {
        { "file", S_STEP_FILE }, { "accept", S_STEP_ACCEPT },
        { "assign", S_STEP_ASSIGN }, { "claim", S_STEP_CLAIM },
        { "answer", S_STEP_ANSWER }, { "done", S_STEP_DONE },
        { "signoff", S_STEP_SIGNOFF }, { "locked", S_STEP_LOCKED },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (strcmp(v[i].step, step) == 0)
            return v[i].s;
    return S_COUNT;
}

static void trail_row(void *ctx, const struct hub_trail *r)
{
    struct trail *t = ctx;
    FILE *o = t->o;
    struct web_req *req = t->req;
    t->n++;
    html_raw(o, "<tr><td class=\"nowrap\">");
    html_time(o, req, r->at);
    html_raw(o, "</td><td class=\"nowrap\">");
    enum web_str s = step_str(r->step);
    html_text(o, s == S_COUNT ? r->step : web_t(req, s));
    html_raw(o, "</td><td>");
    /* The hub's words for who took a kiosk's step: a resident filing
     * (resident@DEVICE), the reporter signing off, the kiosk locking. */
    if (strncmp(r->actor, "resident@", 9) == 0) {
        html_text(o, web_t(req, S_ACTOR_RESIDENT));
        html_raw(o, " <span class=\"id\">");
        html_text(o, r->actor + 9);
        html_raw(o, "</span>");
    } else if (strcmp(r->actor, "reporter") == 0) {
        html_text(o, web_t(req, S_ACTOR_RESIDENT));
    } else if (strcmp(r->actor, "kiosk") == 0) {
        html_text(o, web_t(req, S_ACTOR_KIOSK));
    } else {
        html_text(o, r->actor);
    }
    html_raw(o, "</td><td class=\"nowrap\">");
    enum ledger_state to = ledger_state_parse(r->to);
    html_text(o, to ? web_t(req, ledger_state_str(t->kind, to)) : r->to);
    html_raw(o, "</td><td class=\"words\">");
    /* The sign-off's detail is a word of the hub's ("satisfied"). */
    if (strcmp(r->step, "signoff") == 0 && strcmp(r->detail, "satisfied") == 0)
        html_text(o, web_t(req, S_R_SATISFIED));
    else if (strcmp(r->step, "locked") != 0)
        html_text(o, r->detail);
    html_raw(o, "</td></tr>");
}

/* The hub's reason for a refused step, in the page's words. */
static enum web_str why_str(const char *why)
{
    if (!why)
        return S_INPUT_BAD;
    if (strstr(why, "nobody"))
        return S_WHY_NOBODY;
    if (strstr(why, "member"))
        return S_WHY_MEMBER;
    if (strstr(why, "reason"))
        return S_WHY_REASON;
    if (strstr(why, "answer") || strstr(why, "description") ||
        strstr(why, "control") || strstr(why, "UTF-8"))
        return S_WHY_TEXT;
    return S_WHY_STATE;
}

static void fact(FILE *o, const struct web_req *req, enum web_str label)
{
    html_raw(o, "<dt>");
    html_text(o, web_t(req, label));
    html_raw(o, "</dt><dd>");
}

static void step_form_begin(const struct web_req *req, FILE *o,
                            const struct hub_ticket *t, const char *step,
                            enum web_str legend)
{
    char action[64 + LEDGER_TICKET];
    snprintf(action, sizeof action, "/tickets/%s", t->ticket);
    html_form_begin(req, o, action, "card step");
    html_raw(o, "<fieldset><legend>");
    html_text(o, web_t(req, legend));
    html_raw(o, "</legend><input type=\"hidden\" name=\"step\" value=\"%s\">",
             step);
}

static void step_form_end(FILE *o)
{
    html_raw(o, "</fieldset>");
    html_form_end(o);
}

/* The forms for the steps the ticket's state allows (ledger_step_ok,
 * the rule the hub applies again when the step arrives). */
static void step_forms(struct web_req *req, FILE *o,
                       const struct hub_ticket *t, const char *to,
                       const char *text, const char *days)
{
    bool wish = t->kind == LEDGER_WISH;
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_NEXT_STEP));
    html_raw(o, "</h2><div class=\"steps\">");
    int n = 0;
    if (ledger_step_ok(t->kind, t->state, LEDGER_STEP_ACCEPT)) {
        step_form_begin(req, o, t, "accept", S_STEP_ACCEPT);
        html_submit(o, web_t(req, S_ACCEPT_BTN), "primary");
        step_form_end(o);
        n++;
    }
    if (ledger_step_ok(t->kind, t->state, LEDGER_STEP_ASSIGN)) {
        if (wish) {
            step_form_begin(req, o, t, "claim", S_STEP_CLAIM);
            html_raw(o, "<p class=\"hint\">");
            html_text(o, web_t(req, S_WISH_NOTE));
            html_raw(o, "</p>");
            html_field(o, "to", web_t(req, S_CLAIM_FOR), "text", "to", to,
                       true, "off");
            html_submit(o, web_t(req, S_CLAIM_BTN), "primary");
        } else {
            step_form_begin(req, o, t, "assign", S_STEP_ASSIGN);
            html_field(o, "to", web_t(req, S_ASSIGN_TO), "text", "to", to,
                       true, "off");
            html_raw(o, "<div class=\"field\"><label for=\"days\">");
            html_text(o, web_t(req, S_DEADLINE_DAYS));
            html_raw(o, "</label><input id=\"days\" name=\"days\" "
                     "type=\"number\" min=\"1\" max=\"365\" "
                     "inputmode=\"numeric\" value=\"");
            html_attr(o, days);
            html_raw(o, "\"></div>");
            html_submit(o, web_t(req, S_ASSIGN_BTN), "primary");
        }
        step_form_end(o);
        n++;
    }
    /* A wish's "done" is the member's, at the kiosk. */
    if (!wish && ledger_step_ok(t->kind, t->state, LEDGER_STEP_ANSWER)) {
        step_form_begin(req, o, t, "answer", S_STEP_ANSWER);
        html_raw(o, "<div class=\"field\"><label for=\"text\">");
        html_text(o, web_t(req, S_ANSWER));
        html_raw(o, "</label><textarea id=\"text\" name=\"text\" rows=\"3\" "
                 "maxlength=\"%d\" required>", LEDGER_ANSWER_CHARS);
        html_text(o, text);
        html_raw(o, "</textarea></div>");
        html_submit(o, web_t(req, S_ANSWER_BTN), "primary");
        step_form_end(o);
        n++;
    }
    if (ledger_step_ok(t->kind, t->state, LEDGER_STEP_SIGNOFF)) {
        step_form_begin(req, o, t, "signoff", S_SIGNOFF);
        html_raw(o, "<p class=\"hint\">");
        html_text(o, web_t(req, S_SIGNOFF_HINT));
        html_raw(o, "</p>");
        html_raw(o, "<div class=\"field\"><label for=\"reason\">");
        html_text(o, web_t(req, S_UNSAT_REASON));
        html_raw(o, "</label><input id=\"reason\" name=\"reason\" "
                 "type=\"text\" maxlength=\"%d\" autocomplete=\"off\" "
                 "value=\"", LEDGER_REASON_CHARS);
        html_attr(o, text);
        html_raw(o, "\"></div><div class=\"actions\"><button type=\"submit\" "
                 "name=\"satisfied\" value=\"1\" class=\"primary\">");
        html_text(o, web_t(req, S_SATISFIED_BTN));
        html_raw(o, "</button> <button type=\"submit\" name=\"satisfied\" "
                 "value=\"0\">");
        html_text(o, web_t(req, S_UNSATISFIED_BTN));
        html_raw(o, "</button></div>");
        step_form_end(o);
        n++;
    }
    html_raw(o, "</div>");
    (void)n;
}

static void ticket_page(struct web_req *req, struct web_resp *resp,
                        const struct hub_ticket *t, enum web_str notice,
                        bool error, const char *to, const char *text,
                        const char *days)
{
    FILE *o = resp->out;
    struct ledger_types *types = xcalloc(1, sizeof *types);
    char title[160], station[128] = "";
    snprintf(title, sizeof title, "%s %s",
             web_t(req, t->kind == LEDGER_WISH ? S_K_WISH : S_K_REQUEST),
             t->ticket);
    html_page_begin(req, resp, title);
    if (notice != S_COUNT)
        scope_notice(o, error ? "notice error" : "notice",
                     error ? "alert" : "status", web_t(req, notice));
    if (hub_db_station_name(req->db, t->station, station, sizeof station) !=
        ERR_OK || !station[0])
        snprintf(station, sizeof station, "%s", t->station);
    html_raw(o, "<section class=\"card\"><dl class=\"facts\">");
    fact(o, req, S_STATE);
    html_text(o, web_t(req, ledger_state_str(t->kind, t->state)));
    if (hub_ledger_overdue(t, req->now_ms)) {
        html_raw(o, " <span class=\"tag warn\">");
        html_text(o, web_t(req, S_OVERDUE_MARK_W));
        html_raw(o, "</span>");
    }
    html_raw(o, "</dd>");
    fact(o, req, S_STATION);
    html_text(o, station);
    html_raw(o, " <span class=\"id\">");
    html_text(o, t->station);
    html_raw(o, "</span></dd>");
    fact(o, req, S_PLACE);
    ledger_place(req, o, t->building, t->unit);
    html_raw(o, "</dd>");
    fact(o, req, S_TICKET_TYPE);
    html_text(o, ledger_type_label(req, types, t->type));
    html_raw(o, "</dd>");
    fact(o, req, S_WORDS);
    html_raw(o, "<blockquote class=\"words\">");
    html_text(o, t->text);
    html_raw(o, "</blockquote></dd>");
    if (t->phone[0]) {
        /* Staff call back; the page shows the number masked, as the
         * roster does (hubctl ledger show has it whole). */
        char masked[PHONE_MASKED];
        phone_mask(t->phone, masked);
        fact(o, req, S_CALLBACK);
        html_text(o, masked);
        html_raw(o, "</dd>");
    }
    fact(o, req, S_FILED);
    html_time(o, req, t->filed_ms);
    html_raw(o, "</dd>");
    if (t->deadline_ms > 0) {
        fact(o, req, S_DEADLINE);
        html_time(o, req, t->deadline_ms);
        html_raw(o, "</dd>");
    }
    if (t->assignee[0]) {
        fact(o, req, t->kind == LEDGER_WISH ? S_STEP_CLAIM : S_ASSIGNEE);
        html_text(o, t->assignee);
        html_raw(o, "</dd>");
    }
    if (t->answer[0]) {
        fact(o, req, S_ANSWER);
        html_text(o, t->answer);
        html_raw(o, " <span class=\"id\">");
        html_text(o, t->answered_by);
        html_raw(o, "</span></dd>");
    }
    if (t->reason[0]) {
        fact(o, req, S_UNSAT_REASON);
        html_text(o, t->reason);
        html_raw(o, "</dd>");
    }
    html_raw(o, "</dl></section>");
    if (web_may(req, t->station, HUB_CHANGE))
        step_forms(req, o, t, to, text, days);
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_HISTORY));
    html_raw(o, "</h2><div class=\"table-wrap\"><table class=\"trail\">"
             "<thead><tr>");
    static const enum web_str heads[] = { S_TIME, S_STEP, S_BY, S_STATE,
                                          S_DETAIL };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    struct trail tr = { .req = req, .o = o, .kind = t->kind };
    if (hub_db_ledger_trail_each(req->db, t->ticket, trail_row, &tr) !=
        ERR_OK) {
        html_raw(o, "<tr><td colspan=\"5\">");
        html_text(o, web_t(req, S_ERROR));
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div><p><a href=\"/ledger\">");
    html_text(o, web_t(req, S_BACK));
    html_raw(o, "</a></p>");
    html_page_end(req, resp);
    free(types);
}

/* The ticket named by the path, if the user may see it; else 404 sent. */
static struct hub_ticket *ticket_of(struct web_req *req,
                                    struct web_resp *resp)
{
    char id[LEDGER_TICKET + 8];
    struct hub_ticket *t = xmalloc(sizeof *t);
    if (!web_path_arg(req, "/tickets/", id, sizeof id) ||
        hub_db_ledger_get(req->db, id, t) != ERR_OK ||
        !web_may(req, t->station, HUB_SEE)) {
        free(t);
        web_not_found(req, resp);          /* 404: out of scope too */
        return NULL;
    }
    return t;
}

void page_ticket(struct web_req *req, struct web_resp *resp)
{
    struct hub_ticket *t = ticket_of(req, resp);
    if (!t)
        return;
    char done[8];
    ticket_page(req, resp, t,
                web_query(req, "done", done, sizeof done) ? S_STEP_SAVED
                                                          : S_COUNT,
                false, "", "", "");
    free(t);
}

void page_ticket_post(struct web_req *req, struct web_resp *resp)
{
    struct hub_ticket *t = ticket_of(req, resp);
    if (!t)
        return;
    /* A viewer sees the ticket but takes no step. */
    if (!web_may(req, t->station, HUB_CHANGE)) {
        free(t);
        web_forbidden(req, resp, S_NO_PERMISSION);
        return;
    }
    char step[16], to[HUB_LEDGER_WHO], days[8], sat[4];
    char *text = xmalloc(LEDGER_ANSWER_CHARS * 4 + 8);
    web_form(req, "step", step, sizeof step);
    web_form(req, "to", to, sizeof to);
    web_form(req, "days", days, sizeof days);
    web_form(req, "satisfied", sat, sizeof sat);
    if (!web_form(req, "text", text, LEDGER_ANSWER_CHARS * 4 + 8))
        web_form(req, "reason", text, LEDGER_REASON_CHARS * 4 + 8);
    struct hub_ledger_act a = {
        .actor = req->user.name, .audit = req->user.name, .at = req->now_ms,
    };
    enum web_str refusal = S_COUNT;
    if (strcmp(step, "accept") == 0) {
        a.step = LEDGER_STEP_ACCEPT;
    } else if (strcmp(step, "assign") == 0 && t->kind == LEDGER_REQUEST) {
        a.step = LEDGER_STEP_ASSIGN;
        a.to = to;
        if (days[0]) {
            int d = atoi(days);
            if (d < 1 || d > 365)
                refusal = S_WHY_DAYS;
            a.deadline_ms = req->now_ms + d * DAY_MS;
        }
    } else if (strcmp(step, "claim") == 0 && t->kind == LEDGER_WISH) {
        /* On a member's behalf, as `hubctl ledger claim`: the member is
         * the step's actor, the user the audit line's. */
        a.step = LEDGER_STEP_ASSIGN;
        a.to = to;
        a.actor = to;
    } else if (strcmp(step, "answer") == 0 && t->kind == LEDGER_REQUEST) {
        a.step = LEDGER_STEP_ANSWER;
        a.text = text;
    } else if (strcmp(step, "signoff") == 0 &&
               (strcmp(sat, "1") == 0 || strcmp(sat, "0") == 0)) {
        a.step = LEDGER_STEP_SIGNOFF;
        a.satisfied = sat[0] == '1';
        a.text = a.satisfied ? "" : text;
    } else {
        refusal = S_INPUT_BAD;
    }
    const char *why = NULL;
    err_code e = ERR_OK;
    if (refusal == S_COUNT)
        e = hub_db_ledger_act(req->db, t->ticket, &a, &why);
    if (refusal == S_COUNT && e == ERR_OK) {
        char back[64 + LEDGER_TICKET];
        snprintf(back, sizeof back, "/tickets/%s?done=1", t->ticket);
        web_redirect(resp, back);
    } else {
        if (refusal == S_COUNT)
            refusal = e == ERR_DENIED ? why_str(why) : S_ERROR;
        resp->status = e == ERR_DENIED || e == ERR_OK ? 400 : 503;
        /* The ticket as it is now, the user's words kept. */
        hub_db_ledger_get(req->db, t->ticket, t);
        ticket_page(req, resp, t, refusal, true, to, text, days);
    }
    free(text);
    free(t);
}
