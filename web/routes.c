/* web/routes.c - the console's route table and dispatcher: the language
 * and the session from the cookies, the route by method and path, its
 * permission, and for every POST the CSRF token, before any handler. */
#include <string.h>

#include "web/pages.h"
#include "web/web.h"

enum web_perm {
    WEB_PUBLIC,        /* anyone (login, the style sheet) */
    WEB_PRE,           /* anyone; a POST carries the pre-session token */
    WEB_USER,          /* a logged-in user; scope is the page's, web_may */
    WEB_ADMIN          /* an administrator; others get 404 */
};

struct web_route {
    enum http_verb method;
    const char    *path;       /* exact, or a prefix when it ends in '/' */
    enum web_perm  perm;
    web_handler    fn;
    const char    *nav;        /* the nav entry it highlights */
};

/* Add new routes at the end. */
static const struct web_route routes[] = {
    { HTTP_M_GET,  "/login",              WEB_PUBLIC, page_login, NULL },
    { HTTP_M_POST, "/login",              WEB_PRE,    page_login_post, NULL },
    { HTTP_M_POST, "/logout",             WEB_USER,   page_logout, NULL },
    { HTTP_M_GET,  "/lang/",              WEB_PUBLIC, page_lang, NULL },
    { HTTP_M_GET,  "/static/console.css", WEB_PUBLIC, page_css, NULL },
    { HTTP_M_GET,  "/",                   WEB_USER,   page_dashboard, "/" },
    { HTTP_M_GET,  "/users",              WEB_ADMIN,  page_users, "/users" },
    { HTTP_M_POST, "/users/add",          WEB_ADMIN,  page_users_add, "/users" },
    { HTTP_M_POST, "/users/state",        WEB_ADMIN,  page_users_state,
      "/users" },
    { HTTP_M_GET,  "/audit",              WEB_USER,   page_audit, "/audit" },
    { HTTP_M_GET,  "/audit.csv",          WEB_USER,   page_audit_csv, NULL },
    { HTTP_M_GET,  "/members/",           WEB_USER,   page_member, NULL },
    { HTTP_M_GET,  "/roster",             WEB_USER,   page_roster, "/roster" },
    { HTTP_M_GET,  "/roster/import",      WEB_USER,   page_roster_import,
      "/roster" },
    { HTTP_M_POST, "/roster/import",      WEB_USER,   page_roster_import_post,
      "/roster" },
    { HTTP_M_POST, "/members/edit",       WEB_USER,   page_member_edit,
      "/roster" },
    { HTTP_M_GET,  "/fleet",              WEB_USER,   page_fleet, "/fleet" },
    { HTTP_M_GET,  "/boards/notices",     WEB_USER,   page_notices,
      "/boards/notices" },
    { HTTP_M_POST, "/boards/notices",     WEB_USER,   page_notices_post,
      "/boards/notices" },
    { HTTP_M_GET,  "/reviews",            WEB_USER,   page_reviews, "/reviews" },
    { HTTP_M_POST, "/reviews",            WEB_USER,   page_reviews_post,
      "/reviews" },
    { HTTP_M_GET,  "/ledger",             WEB_USER,   page_ledger, "/ledger" },
    { HTTP_M_GET,  "/tickets/",           WEB_USER,   page_ticket, "/ledger" },
    { HTTP_M_POST, "/tickets/",           WEB_USER,   page_ticket_post,
      "/ledger" },
    { HTTP_M_GET,  "/desk-log",           WEB_USER,   page_desk_log,
      "/desk-log" },
    { HTTP_M_GET,  "/boards/posts",       WEB_USER,   page_posts,
      "/boards/posts" },
    { HTTP_M_POST, "/boards/posts",       WEB_USER,   page_posts_post,
      "/boards/posts" },
    { HTTP_M_GET,  "/boards/duty",        WEB_USER,   page_duty,
      "/boards/duty" },
    { HTTP_M_POST, "/boards/duty",        WEB_USER,   page_duty_post,
      "/boards/duty" },
    { HTTP_M_GET,  "/boards/contacts",    WEB_USER,   page_contacts,
      "/boards/contacts" },
    { HTTP_M_POST, "/boards/contacts",    WEB_USER,   page_contacts_post,
      "/boards/contacts" },
    { HTTP_M_GET,  "/claims",             WEB_USER,   page_claims, "/claims" },
    { HTTP_M_POST, "/claims",             WEB_USER,   page_claims_post,
      "/claims" },
    { HTTP_M_GET,  "/cards",              WEB_USER,   page_cards, "/cards" },
    { HTTP_M_POST, "/cards/issue",        WEB_USER,   page_cards_issue,
      "/cards" },
    { HTTP_M_POST, "/cards/roster",       WEB_USER,   page_cards_roster,
      "/cards" },
    { HTTP_M_POST, "/cards/revoke",       WEB_USER,   page_cards_revoke,
      "/cards" },
    { HTTP_M_GET,  "/cards/sheet",        WEB_USER,   page_cards_sheet,
      "/cards" },
    { HTTP_M_POST, "/cards/sheet",        WEB_USER,   page_cards_sheet,
      "/cards" },
    { HTTP_M_GET,  "/cards/c/",           WEB_USER,   page_card, "/cards" },
    { HTTP_M_GET,  "/cards/qr/",          WEB_USER,   page_cards_qr, NULL },
    { HTTP_M_GET,  "/fleet/updates",      WEB_USER,   page_updates, "/fleet" },
    { HTTP_M_POST, "/fleet/updates",      WEB_USER,   page_updates_post,
      "/fleet" },
    { HTTP_M_GET,  "/points",             WEB_USER,   page_points, "/points" },
    { HTTP_M_POST, "/points",             WEB_USER,   page_points_post,
      "/points" },
    { HTTP_M_GET,  "/stars",              WEB_USER,   page_stars, "/stars" },
    { HTTP_M_POST, "/stars",              WEB_USER,   page_stars_post, "/stars" },
    { HTTP_M_GET,  "/awards",             WEB_USER,   page_awards, "/awards" },
    { HTTP_M_POST, "/awards",             WEB_USER,   page_awards_post,
      "/awards" },
    { HTTP_M_GET,  "/registration",       WEB_USER,   page_registration,
      "/registration" },
    { HTTP_M_GET,  "/reports",            WEB_USER,   page_reports, "/reports" },
    { HTTP_M_GET,  "/reports.csv",        WEB_USER,   page_reports_csv, NULL },
    { HTTP_M_GET,  "/reports.xlsx",       WEB_USER,   page_reports_xlsx, NULL },
};

static bool path_matches(const char *pattern, const char *path)
{
    size_t n = strlen(pattern);
    if (n > 1 && pattern[n - 1] == '/')
        return strncmp(path, pattern, n) == 0;
    return strcmp(path, pattern) == 0;
}

void web_dispatch(struct web_req *req, struct web_resp *resp)
{
    char v[HUB_SESSION_HEX + 1];
    req->lang = web_cookie(req, "lang", v, sizeof v) && strcmp(v, "en") == 0
                ? WEB_EN : WEB_ZH;
    if (web_cookie(req, "sid", v, sizeof v) &&
        hub_session_check(req->db, v, req->now_ms, &req->user, req->csrf,
                          sizeof req->csrf) == ERR_OK) {
        req->logged_in = true;
        snprintf(req->session, sizeof req->session, "%s", v);
    }
    const struct web_route *r = NULL;
    bool other_method = false;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!path_matches(routes[i].path, req->path))
            continue;
        if (routes[i].method == req->method) {
            r = &routes[i];
            break;
        }
        other_method = true;
    }
    if (!r) {
        if (other_method)
            web_error(req, resp, 405, web_t(req, S_NO_PERMISSION));
        else
            web_not_found(req, resp);
        return;
    }
    req->nav = r->nav;
    if ((r->perm == WEB_USER || r->perm == WEB_ADMIN) && !req->logged_in) {
        web_redirect(resp, "/login");
        return;
    }
    /* An administrator's page looks like no page to anyone else. */
    if (r->perm == WEB_ADMIN && !hub_user_is_admin(&req->user)) {
        web_not_found(req, resp);
        return;
    }
    if (req->method == HTTP_M_POST) {
        /* Every form carries the session's token (or, before login, the
         * token of the pre-session cookie) in its csrf field; a POST
         * without it changes nothing. */
        char sent[HUB_SESSION_HEX + 8], want[HUB_SESSION_HEX + 8];
        if (r->perm == WEB_PRE) {
            if (!web_cookie(req, "pre", want, sizeof want))
                want[0] = '\0';
        } else {
            snprintf(want, sizeof want, "%s", req->csrf);
        }
        if (!web_form(req, "csrf", sent, sizeof sent) ||
            !hub_token_equal(sent, want) ||
            strncmp(req->content_type, "application/x-www-form-urlencoded",
                    33) != 0) {
            web_forbidden(req, resp, S_CSRF_BAD);
            return;
        }
    }
    r->fn(req, resp);
}
