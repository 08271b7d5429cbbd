/* web/web.h - what a console page sees: the request (with its logged-in
 * user, CSRF token and language), the response it writes, and the
 * helpers every page uses. How to add a page: docs/console.md.
 *
 * A handler is called only once the route's permission holds (web/routes.c:
 * login, admin) and, for a POST, once the form's CSRF token matched.
 * Whether the user may see or change a STATION is asked with web_may()
 * (hub_user_may), and a page naming something outside the user's scope
 * answers web_not_found(): 404, never 403, so ids out of scope look
 * exactly like ids that do not exist. */
#ifndef WEB_H
#define WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hub/hub_db.h"
#include "hub/hub_users.h"
#include "sync/http.h"
#include "web/strings.h"

#define WEB_BODY_MAX  (64 * 1024)      /* a form; larger: 413 */

struct web_req {
    enum http_verb      method;
    char                path[HTTP_URL_MAX];   /* without the query */
    const char         *query;                /* after '?', or "" */
    const char         *body;                 /* "" when none */
    size_t              body_len;
    const char         *cookie;               /* the Cookie header */
    const char         *content_type;
    const char         *addr;                 /* the client's address */
    struct hub_db      *db;                   /* this worker's store */
    const char         *hub_dir;              /* hubd's -d (cards, bundles) */
    int64_t             now_ms;
    enum web_lang       lang;
    /* Set when a live session came with the request. */
    bool                logged_in;
    struct hub_user_row user;
    char                csrf[HUB_SESSION_HEX + 1];
    char                session[HUB_SESSION_HEX + 1];
    const char         *nav;                  /* the page's nav entry */
};

struct web_resp {
    int     status;                /* 200 unless set */
    const char *type;              /* NULL: text/html; charset=utf-8 */
    char    headers[1024];         /* extra lines, each ending \r\n */
    FILE   *out;                   /* the body (open_memstream) */
    char   *body;
    size_t  len;
};

typedef void (*web_handler)(struct web_req *req, struct web_resp *resp);

/* ---- request -------------------------------------------------------------- */

/* A form field of the body (application/x-www-form-urlencoded), or of
 * the query, decoded; false when absent (out is ""). */
bool web_form(const struct web_req *req, const char *name, char *out,
              size_t cap);
bool web_query(const struct web_req *req, const char *name, char *out,
               size_t cap);
/* A cookie's value; false when absent. */
bool web_cookie(const struct web_req *req, const char *name, char *out,
                size_t cap);
/* The path segment after prefix ("/members/" -> "HQ0001"), decoded;
 * false when there is none or it holds a '/'. */
bool web_path_arg(const struct web_req *req, const char *prefix, char *out,
                  size_t cap);
/* Decode %XX and '+' from src[0..n) into out. false: malformed. */
bool web_url_decode(const char *src, size_t n, char *out, size_t cap);

/* ---- scope and audit ------------------------------------------------------ */

/* THE scope check for pages: hub_user_may for the request's user. */
bool web_may(const struct web_req *req, const char *station,
             enum hub_access want);
/* The audit line of a change made by the request's user (call inside the
 * change's transaction, between hub_db_begin and hub_db_commit). */
err_code web_audit(const struct web_req *req, const char *action,
                   const char *object, const char *before_json,
                   const char *after_json);

/* ---- response ------------------------------------------------------------- */

const char *web_t(const struct web_req *req, enum web_str id);
/* Add a header line (printf format, no CRLF). */
void web_header(struct web_resp *resp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* 303 to a local path (must start with one '/'). */
void web_redirect(struct web_resp *resp, const char *path);
/* Whole pages for the usual refusals. */
void web_not_found(struct web_req *req, struct web_resp *resp);
void web_forbidden(struct web_req *req, struct web_resp *resp,
                   enum web_str why);
void web_error(struct web_req *req, struct web_resp *resp, int status,
               const char *text);

/* Kiosk versions, "1.10.2" above "1.9.0" (numbers compared as numbers):
 * <0, 0, >0 as strcmp. The fleet page and the dashboard call a kiosk
 * "behind" when it runs less than the newest version any kiosk reports. */
int web_version_cmp(const char *a, const char *b);

/* ---- the dispatcher (web/routes.c) ---------------------------------------- */

/* Fill a response for one parsed request; req->db, addr, now_ms set. */
void web_dispatch(struct web_req *req, struct web_resp *resp);

#endif
