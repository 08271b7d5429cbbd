/* web/html.h - the console's HTML: every value goes through html_text or
 * html_attr (escaped), links through html_url (javascript:, data: and
 * the like refused), and markup through html_raw (literals only: never
 * pass a value to it). Pages are framed by html_page_begin/_end (header
 * with the user and role, nav, language switch) and forms by
 * html_form_begin (which writes the CSRF field) and html_field
 * (a labelled input). */
#ifndef WEB_HTML_H
#define WEB_HTML_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "web/web.h"

void html_text(FILE *out, const char *s);        /* & < > " ' escaped */
void html_attr(FILE *out, const char *s);        /* the same, for ="..." */
/* Markup written as is (printf format): literal tags and numbers only. */
void html_raw(FILE *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Whether a URL is safe in href/src/action: relative, or http(s), or
 * mailto; never javascript:, data:, vbscript: (any case, with any
 * blanks or control characters inside the scheme). */
bool html_url_ok(const char *url);
/* An href value: the escaped URL, or "#" when it is not safe. */
void html_url(FILE *out, const char *url);
/* A UTC time as "YYYY-MM-DD HH:MM" (UTC+8 for zh_CN, as the stations
 * keep it; UTC for en, marked). */
void html_time(FILE *out, const struct web_req *req, int64_t ms);

void html_page_begin(struct web_req *req, struct web_resp *resp,
                     const char *title);
void html_page_end(struct web_req *req, struct web_resp *resp);
/* <form method="post" action=...> with the hidden csrf field. */
void html_form_begin(const struct web_req *req, FILE *out, const char *action,
                     const char *cls);
void html_form_end(FILE *out);
/* <label for=id>label</label><input id=id name=name type=type value=..>;
 * autocomplete may be NULL. */
void html_field(FILE *out, const char *id, const char *label,
                const char *type, const char *name, const char *value,
                bool required, const char *autocomplete);
void html_submit(FILE *out, const char *label, const char *cls);

#endif
