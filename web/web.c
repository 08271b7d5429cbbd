/* web/web.c - request helpers, scope and audit, response helpers
 * (web.h). */
#include "web/web.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_audit.h"
#include "web/html.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool web_url_decode(const char *src, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= n)
                return false;
            int hi = hexval(src[i + 1]), lo = hexval(src[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        /* A NUL would cut the value short where later code reads it. */
        if (c == '\0' || o + 1 >= cap)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

/* name=value pairs separated by sep in s. */
static bool pair_get(const char *s, char sep, bool decode, const char *name,
                     char *out, size_t cap)
{
    out[0] = '\0';
    size_t nl = strlen(name);
    while (s && *s) {
        while (*s == ' ')
            s++;
        const char *end = strchr(s, sep);
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len > nl && strncmp(s, name, nl) == 0 && s[nl] == '=') {
            const char *v = s + nl + 1;
            size_t vn = len - nl - 1;
            if (decode)
                return web_url_decode(v, vn, out, cap) || (out[0] = '\0', false);
            if (vn + 1 > cap)
                return false;
            memcpy(out, v, vn);
            out[vn] = '\0';
            return true;
        }
        s = end ? end + 1 : NULL;
    }
    return false;
}

bool web_form(const struct web_req *req, const char *name, char *out,
              size_t cap)
{
    return pair_get(req->body, '&', true, name, out, cap);
}

bool web_query(const struct web_req *req, const char *name, char *out,
               size_t cap)
{
    return pair_get(req->query, '&', true, name, out, cap);
}

bool web_cookie(const struct web_req *req, const char *name, char *out,
                size_t cap)
{
    return pair_get(req->cookie, ';', false, name, out, cap);
}

bool web_path_arg(const struct web_req *req, const char *prefix, char *out,
                  size_t cap)
{
    size_t pl = strlen(prefix);
    if (strncmp(req->path, prefix, pl) != 0)
        return false;
    const char *a = req->path + pl;
    if (!*a || strchr(a, '/'))
        return false;
    return web_url_decode(a, strlen(a), out, cap) && out[0];
}

bool web_may(const struct web_req *req, const char *station,
             enum hub_access want)
{
    return req->logged_in && hub_user_may(req->db, &req->user, station, want);
}

err_code web_audit(const struct web_req *req, const char *action,
                   const char *object, const char *before_json,
                   const char *after_json)
{
    return hub_audit_record(req->db, req->user.name, action, object,
                            before_json, after_json);
}

const char *web_t(const struct web_req *req, enum web_str id)
{
    return web_str_get(req->lang, id);
}

void web_header(struct web_resp *resp, const char *fmt, ...)
{
    size_t have = strlen(resp->headers);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(resp->headers + have, sizeof resp->headers - have, fmt,
                      ap);
    va_end(ap);
    if (n < 0 || have + (size_t)n + 3 > sizeof resp->headers) {
        resp->headers[have] = '\0';          /* never half a header */
        return;
    }
    strcat(resp->headers, "\r\n");
}

void web_redirect(struct web_resp *resp, const char *path)
{
    /* Only local paths: "//host" or "/\host" would leave the console. */
    if (path[0] != '/' || path[1] == '/' || path[1] == '\\' ||
        strpbrk(path, "\r\n"))
        path = "/";
    resp->status = 303;
    web_header(resp, "Location: %s", path);
}

void web_error(struct web_req *req, struct web_resp *resp, int status,
               const char *text)
{
    resp->status = status;
    const char *title = status == 404 ? web_t(req, S_NOT_FOUND)
                      : status == 403 ? web_t(req, S_REFUSED)
                                      : web_t(req, S_ERROR);
    req->nav = NULL;
    html_page_begin(req, resp, title);
    html_raw(resp->out, "<p class=\"notice error\" role=\"alert\">");
    html_text(resp->out, text);
    html_raw(resp->out, "</p><p><a href=\"/\">");
    html_text(resp->out, web_t(req, S_DASHBOARD));
    html_raw(resp->out, "</a></p>");
    html_page_end(req, resp);
}

void web_not_found(struct web_req *req, struct web_resp *resp)
{
    web_error(req, resp, 404, web_t(req, S_NOT_FOUND_TEXT));
}

void web_forbidden(struct web_req *req, struct web_resp *resp,
                   enum web_str why)
{
    web_error(req, resp, 403, web_t(req, why));
}

int web_version_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        char *ea, *eb;
        long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
        if (x != y)
            return x < y ? -1 : 1;
        if (ea == a || eb == b)
            return strcmp(a, b);
        a = *ea ? ea + 1 : ea;
        b = *eb ? eb + 1 : eb;
    }
    return 0;
}
