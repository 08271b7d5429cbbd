/* web/html.c - escaping, safe URLs and the page frame (html.h). */
#include "web/html.h"

#include "hub/hub_db_users.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void html_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':  fputs("&amp;", out); break;
        case '<':  fputs("&lt;", out); break;
        case '>':  fputs("&gt;", out); break;
        case '"':  fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:   fputc(*s, out);
        }
    }
}

void html_attr(FILE *out, const char *s)
{
    /* The same set: inside a quoted attribute, < > & " ' are all that
     * can end it or start markup or an entity. */
    html_text(out, s);
}

void html_raw(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

bool html_url_ok(const char *url)
{
    if (!url)
        return false;
    /* The scheme as a browser reads it: blanks and control characters
     * inside it are dropped ("java\tscript:" is javascript:). */
    char scheme[16];
    size_t n = 0;
    for (const char *p = url; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ')
            continue;
        if (c == ':')
            break;
        if (c == '/' || c == '?' || c == '#')
            return true;                    /* relative: no scheme */
        if (n + 1 >= sizeof scheme)
            return true;                    /* too long to be a scheme */
        scheme[n++] = (char)tolower(c);
    }
    scheme[n] = '\0';
    if (!strchr(url, ':'))
        return true;
    return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
           strcmp(scheme, "mailto") == 0;
}

void html_url(FILE *out, const char *url)
{
    html_attr(out, html_url_ok(url) ? url : "#");
}

void html_time(FILE *out, const struct web_req *req, int64_t ms)
{
    bool zh = req->lang == WEB_ZH;
    time_t t = (time_t)(ms / 1000) + (zh ? 8 * 3600 : 0);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[40];
    strftime(buf, sizeof buf, zh ? "%Y-%m-%d %H:%M" : "%Y-%m-%d %H:%M UTC",
             &tm);
    html_text(out, buf);
}

static const char *role_label(const struct web_req *req)
{
    static const enum web_str ids[] = {
        [HUB_ROLE_ADMIN] = S_ROLE_ADMIN, [HUB_ROLE_DISTRICT] = S_ROLE_DISTRICT,
        [HUB_ROLE_STREET] = S_ROLE_STREET,
        [HUB_ROLE_COMMUNITY] = S_ROLE_COMMUNITY,
        [HUB_ROLE_STATION] = S_ROLE_STATION };
    enum hub_role r = hub_role_parse(req->user.role);
    return r == HUB_ROLE_NONE ? "" : web_t(req, ids[r]);
}

/* The menu: every page, in groups as staff think of their work. Add a
 * page to its group here (and its route in web/routes.c). */
struct nav_entry {
    enum web_str group;         /* S_COUNT: no heading */
    const char  *href;
    enum web_str label;
    bool         admin;         /* shown to administrators only */
};

static const struct nav_entry nav_entries[] = {
    { S_COUNT,     "/",                S_DASHBOARD,    false },
    { S_G_REVIEW,  "/reviews",         S_REVIEWS,      false },
    { S_G_REVIEW,  "/claims",          S_CLAIMS,       false },
    { S_G_LEDGER,  "/ledger",          S_LEDGER,       false },
    { S_G_LEDGER,  "/desk-log",        S_DESK_LOG,     false },
    { S_G_MEMBERS, "/roster",          S_ROSTER,       false },
    { S_G_MEMBERS, "/registration",    S_REGISTRATION, false },
    { S_G_MEMBERS, "/cards",           S_CARDS,        false },
    { S_G_BOARDS,  "/boards/posts",    S_POSTS,        false },
    { S_G_BOARDS,  "/boards/duty",     S_DUTY,         false },
    { S_G_BOARDS,  "/boards/contacts", S_CONTACTS_NAV, false },
    { S_G_BOARDS,  "/boards/notices",  S_NOTICES,      false },
    { S_G_POINTS,  "/points",          S_POINTS,       false },
    { S_G_POINTS,  "/stars",           S_STARS,        false },
    { S_G_POINTS,  "/awards",          S_AWARDS,       false },
    { S_G_SYSTEM,  "/reports",         S_REPORTS,      false },
    { S_G_SYSTEM,  "/fleet",           S_FLEET,        false },
    { S_G_SYSTEM,  "/audit",           S_AUDIT,        false },
    { S_G_SYSTEM,  "/users",           S_USERS,        true },
};

static bool nav_here(const struct web_req *req, const char *href)
{
    return req->nav && strcmp(req->nav, href) == 0;
}

/* The groups as lists; written twice by html_page_begin: as the side
 * menu of a laptop and inside the folding menu of a phone (CSS shows
 * one), so neither needs a script. */
static void nav_groups(struct web_req *req, FILE *o)
{
    enum web_str open = S_COUNT;
    bool any = false;
    bool admin = hub_user_is_admin(&req->user);
    for (size_t i = 0; i < sizeof nav_entries / sizeof nav_entries[0]; i++) {
        const struct nav_entry *e = &nav_entries[i];
        if (e->admin && !admin)
            continue;
        if (!any || e->group != open) {
            if (any)
                html_raw(o, "</ul></div>");
            html_raw(o, "<div class=\"group\">");
            if (e->group != S_COUNT) {
                html_raw(o, "<p class=\"heading\">");
                html_text(o, web_t(req, e->group));
                html_raw(o, "</p>");
            }
            html_raw(o, "<ul>");
            open = e->group;
            any = true;
        }
        html_raw(o, "<li><a href=\"");
        html_url(o, e->href);
        html_raw(o, "\"%s>", nav_here(req, e->href)
                             ? " aria-current=\"page\"" : "");
        html_text(o, web_t(req, e->label));
        html_raw(o, "</a></li>");
    }
    if (any)
        html_raw(o, "</ul></div>");
}

static void nav_menu(struct web_req *req, FILE *o)
{
    const char *aria = req->lang == WEB_EN ? "Main" : "主菜单";
    html_raw(o, "<nav class=\"menu side\" aria-label=\"%s\">", aria);
    nav_groups(req, o);
    html_raw(o, "</nav><details class=\"menu small\"><summary>");
    html_text(o, web_t(req, S_MENU));
    for (size_t i = 0; i < sizeof nav_entries / sizeof nav_entries[0]; i++)
        if (nav_here(req, nav_entries[i].href)) {
            html_raw(o, "<span class=\"here\">");
            html_text(o, web_t(req, nav_entries[i].label));
            html_raw(o, "</span>");
        }
    html_raw(o, "</summary><nav class=\"menu\" aria-label=\"%s\">", aria);
    nav_groups(req, o);
    html_raw(o, "</nav></details>");
}

void html_page_begin(struct web_req *req, struct web_resp *resp,
                     const char *title)
{
    FILE *o = resp->out;
    html_raw(o, "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
             "<meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width,"
             " initial-scale=1\"><title>",
             req->lang == WEB_EN ? "en" : "zh-CN");
    html_text(o, title);
    html_raw(o, " - ");
    html_text(o, web_t(req, S_APP));
    html_raw(o, "</title><link rel=\"stylesheet\" href=\"/static/console.css\">"
             "</head><body><a class=\"skip\" href=\"#main\">");
    html_text(o, web_t(req, S_SKIP));
    html_raw(o, "</a><header class=\"top\"><div class=\"brand\">");
    html_text(o, web_t(req, S_APP));
    html_raw(o, "</div><div class=\"who\">");
    if (req->logged_in) {
        html_raw(o, "<span class=\"user\">");
        html_text(o, req->user.name);
        html_raw(o, "</span> <span class=\"role\">");
        html_text(o, role_label(req));
        if (req->user.scope[0]) {
            /* The scope's name as staff know it (红旗社区), else its id. */
            char name[128];
            struct hub_org_row org;
            if (hub_db_org_get(req->db, req->user.scope, &org) == ERR_OK)
                snprintf(name, sizeof name, "%s", org.name);
            else if (hub_db_station_name(req->db, req->user.scope, name,
                                         sizeof name) != ERR_OK)
                snprintf(name, sizeof name, "%s", req->user.scope);
            html_raw(o, " · ");
            html_text(o, name);
        }
        html_raw(o, "</span>");
    }
    /* The language switch keeps the page: /lang/en?next=/audit */
    html_raw(o, " <a class=\"lang\" hreflang=\"%s\" href=\"/lang/%s?next=",
             req->lang == WEB_EN ? "zh-CN" : "en",
             req->lang == WEB_EN ? "zh" : "en");
    html_attr(o, req->path);
    html_raw(o, "\">");
    html_text(o, web_t(req, S_OTHER_LANG));
    html_raw(o, "</a>");
    if (req->logged_in) {
        html_form_begin(req, o, "/logout", "inline");
        html_submit(o, web_t(req, S_LOGOUT), "link");
        html_form_end(o);
    }
    html_raw(o, "</div></header>");
    html_raw(o, "<div class=\"frame\">");
    if (req->logged_in)
        nav_menu(req, o);
    html_raw(o, "<main id=\"main\"><h1>");
    html_text(o, title);
    html_raw(o, "</h1>");
}

void html_page_end(struct web_req *req, struct web_resp *resp)
{
    (void)req;
    html_raw(resp->out, "</main></div></body></html>\n");
}

void html_form_begin(const struct web_req *req, FILE *out, const char *action,
                     const char *cls)
{
    html_raw(out, "<form method=\"post\" action=\"");
    html_url(out, action);
    html_raw(out, "\"");
    if (cls) {
        html_raw(out, " class=\"");
        html_attr(out, cls);
        html_raw(out, "\"");
    }
    html_raw(out, "><input type=\"hidden\" name=\"csrf\" value=\"");
    html_attr(out, req->csrf);
    html_raw(out, "\">");
}

void html_form_end(FILE *out)
{
    html_raw(out, "</form>");
}

void html_field(FILE *out, const char *id, const char *label,
                const char *type, const char *name, const char *value,
                bool required, const char *autocomplete)
{
    html_raw(out, "<div class=\"field\"><label for=\"");
    html_attr(out, id);
    html_raw(out, "\">");
    html_text(out, label);
    html_raw(out, "</label><input id=\"");
    html_attr(out, id);
    html_raw(out, "\" name=\"");
    html_attr(out, name);
    html_raw(out, "\" type=\"");
    html_attr(out, type);
    html_raw(out, "\" value=\"");
    html_attr(out, value ? value : "");
    html_raw(out, "\"%s", required ? " required" : "");
    if (autocomplete) {
        html_raw(out, " autocomplete=\"");
        html_attr(out, autocomplete);
        html_raw(out, "\"");
    }
    html_raw(out, "></div>");
}

void html_submit(FILE *out, const char *label, const char *cls)
{
    html_raw(out, "<button type=\"submit\"");
    if (cls) {
        html_raw(out, " class=\"");
        html_attr(out, cls);
        html_raw(out, "\"");
    }
    html_raw(out, ">");
    html_text(out, label);
    html_raw(out, "</button>");
}
