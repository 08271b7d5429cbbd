/* web/page_login.c - log in, log out, the language switch and the style
 * sheet: the pages a visitor reaches before a session. */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "web/html.h"
#include "web/pages.h"

extern const char web_console_css[];

#define COOKIE_FLAGS "; Path=/; HttpOnly; Secure; SameSite=Strict"

/* The login form's CSRF token: a random value in a cookie and in the
 * form (double submit), since there is no session yet to hold it. */
static void pre_token(struct web_req *req, struct web_resp *resp)
{
    char have[HUB_SESSION_HEX + 8];
    if (web_cookie(req, "pre", have, sizeof have) &&
        strlen(have) == HUB_SESSION_HEX &&
        strspn(have, "0123456789abcdef") == HUB_SESSION_HEX) {
        memcpy(req->csrf, have, HUB_SESSION_HEX + 1);   /* checked above */
        return;
    }
    unsigned char b[32];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        req->csrf[0] = '\0';
        return;
    }
    for (size_t i = 0; i < sizeof b; i++)
        sprintf(req->csrf + 2 * i, "%02x", b[i]);
    web_header(resp, "Set-Cookie: pre=%s" COOKIE_FLAGS, req->csrf);
}

static void login_form(struct web_req *req, struct web_resp *resp,
                       const char *name, enum web_str error)
{
    /* The form shows the login page's own token, not a session's. */
    req->logged_in = false;
    pre_token(req, resp);
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_LOGIN));
    if (error != S_COUNT) {
        html_raw(o, "<p class=\"notice error\" role=\"alert\" id=\"login-error\">");
        html_text(o, web_t(req, error));
        html_raw(o, "</p>");
    }
    html_form_begin(req, o, "/login", "card narrow");
    html_field(o, "name", web_t(req, S_USERNAME), "text", "name", name, true,
               "username");
    html_field(o, "password", web_t(req, S_PASSWORD), "password", "password",
               "", true, "current-password");
    html_submit(o, web_t(req, S_LOGIN), "primary");
    html_form_end(o);
    html_page_end(req, resp);
}

void page_login(struct web_req *req, struct web_resp *resp)
{
    if (req->logged_in) {
        web_redirect(resp, "/");
        return;
    }
    login_form(req, resp, "", S_COUNT);
}

void page_login_post(struct web_req *req, struct web_resp *resp)
{
    char name[64], pw[HUB_PW_MAX + 1];
    web_form(req, "name", name, sizeof name);
    web_form(req, "password", pw, sizeof pw);
    struct hub_session_new s;
    enum hub_login_rc rc;
    err_code e = hub_login(req->db, name, pw, req->addr, req->now_ms, &s, &rc);
    memset(pw, 0, sizeof pw);
    if (e != ERR_OK) {
        web_error(req, resp, 503, web_t(req, S_ERROR));
        return;
    }
    if (rc != HUB_LOGIN_OK) {
        resp->status = rc == HUB_LOGIN_THROTTLED ? 429 : 401;
        login_form(req, resp, name,
                   rc == HUB_LOGIN_THROTTLED ? S_LOGIN_THROTTLED : S_LOGIN_BAD);
        return;
    }
    /* A new session id at every login (no fixation); the pre-session
     * token is spent. */
    web_header(resp, "Set-Cookie: sid=%s" COOKIE_FLAGS, s.id);
    web_header(resp, "Set-Cookie: pre=" COOKIE_FLAGS "; Max-Age=0");
    web_redirect(resp, "/");
}

void page_logout(struct web_req *req, struct web_resp *resp)
{
    hub_session_end(req->db, req->session);
    web_header(resp, "Set-Cookie: sid=" COOKIE_FLAGS "; Max-Age=0");
    web_redirect(resp, "/login");
}

void page_lang(struct web_req *req, struct web_resp *resp)
{
    char next[HTTP_URL_MAX];
    const char *to = req->path + strlen("/lang/");
    if (strcmp(to, "en") != 0 && strcmp(to, "zh") != 0) {
        web_not_found(req, resp);
        return;
    }
    web_header(resp, "Set-Cookie: lang=%s" COOKIE_FLAGS "; Max-Age=31536000",
               to);
    if (!web_query(req, "next", next, sizeof next))
        snprintf(next, sizeof next, "/");
    web_redirect(resp, next);
}

void page_css(struct web_req *req, struct web_resp *resp)
{
    (void)req;
    resp->type = "text/css; charset=utf-8";
    web_header(resp, "Cache-Control: max-age=3600");
    fputs(web_console_css, resp->out);
}
