/* web/page_users.c - accounts (administrators only): the list, a form to
 * add one, and enable/disable. The changes go through hub/hub_users.c,
 * which writes each with its audit line in one transaction. */
#include <string.h>

#include "hub/hub_users.h"
#include "web/html.h"
#include "web/pages.h"

struct list {
    struct web_req *req;
    FILE           *o;
};

static const enum web_str role_str[] = {
    [HUB_ROLE_ADMIN] = S_ROLE_ADMIN, [HUB_ROLE_DISTRICT] = S_ROLE_DISTRICT,
    [HUB_ROLE_STREET] = S_ROLE_STREET, [HUB_ROLE_COMMUNITY] = S_ROLE_COMMUNITY,
    [HUB_ROLE_STATION] = S_ROLE_STATION };

static void user_row(void *ctx, const struct hub_user_row *u)
{
    struct list *l = ctx;
    FILE *o = l->o;
    struct web_req *req = l->req;
    enum hub_role r = hub_role_parse(u->role);
    html_raw(o, "<tr><th scope=\"row\">");
    html_text(o, u->name);
    html_raw(o, "</th><td>");
    html_text(o, r ? web_t(req, role_str[r]) : u->role);
    html_raw(o, "</td><td>");
    html_text(o, u->scope);
    html_raw(o, "</td><td>");
    html_text(o, web_t(req, u->editor ? S_EDITOR : S_VIEWER));
    html_raw(o, "</td><td>");
    html_text(o, web_t(req, u->disabled ? S_DISABLED
                          : u->locked_until_ms > req->now_ms ? S_LOCKED
                                                             : S_ACTIVE));
    html_raw(o, "</td><td>");
    if (strcmp(u->name, req->user.name) != 0) {
        html_form_begin(req, o, "/users/state", "inline");
        html_raw(o, "<input type=\"hidden\" name=\"name\" value=\"");
        html_attr(o, u->name);
        html_raw(o, "\"><input type=\"hidden\" name=\"to\" value=\"%s\">",
                 u->disabled ? "enable" : "disable");
        html_submit(o, web_t(req, u->disabled ? S_ENABLE : S_DISABLE), NULL);
        html_form_end(o);
    }
    html_raw(o, "</td></tr>");
}

static void select_role(FILE *o, const struct web_req *req)
{
    html_raw(o, "<div class=\"field\"><label for=\"role\">");
    html_text(o, web_t(req, S_ROLE));
    html_raw(o, "</label><select id=\"role\" name=\"role\">");
    for (int r = HUB_ROLE_ADMIN; r <= HUB_ROLE_STATION; r++) {
        html_raw(o, "<option value=\"%s\"%s>", hub_role_name((enum hub_role)r),
                 r == HUB_ROLE_COMMUNITY ? " selected" : "");
        html_text(o, web_t(req, role_str[r]));
        html_raw(o, "</option>");
    }
    html_raw(o, "</select></div><div class=\"field\"><label for=\"access\">");
    html_text(o, web_t(req, S_ACCESS));
    html_raw(o, "</label><select id=\"access\" name=\"access\">"
             "<option value=\"\">");
    html_text(o, web_t(req, S_ROLE_DEFAULT));
    html_raw(o, "</option><option value=\"viewer\">");
    html_text(o, web_t(req, S_VIEWER));
    html_raw(o, "</option><option value=\"editor\">");
    html_text(o, web_t(req, S_EDITOR));
    html_raw(o, "</option></select></div>");
}

static void users_page(struct web_req *req, struct web_resp *resp,
                       const char *notice, bool error)
{
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_USERS));
    if (notice) {
        html_raw(o, "<p class=\"notice%s\" role=\"%s\">",
                 error ? " error" : "", error ? "alert" : "status");
        html_text(o, notice);
        html_raw(o, "</p>");
    }
    static const enum web_str heads[] = { S_USERNAME, S_ROLE, S_SCOPE,
                                          S_ACCESS, S_STATE, S_ACTION };
    html_raw(o, "<div class=\"table-wrap\"><table><thead><tr>");
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    struct list l = { req, o };
    hub_db_user_each(req->db, user_row, &l);
    html_raw(o, "</tbody></table></div><h2>");
    html_text(o, web_t(req, S_ADD_USER));
    html_raw(o, "</h2>");
    html_form_begin(req, o, "/users/add", "card grid");
    html_field(o, "new-name", web_t(req, S_USERNAME), "text", "name", "",
               true, "off");
    select_role(o, req);
    html_field(o, "new-scope", web_t(req, S_SCOPE), "text", "scope", "", false,
               "off");
    html_field(o, "new-password", web_t(req, S_PASSWORD), "password",
               "password", "", true, "new-password");
    html_raw(o, "<p class=\"hint\" id=\"pw-hint\">");
    html_text(o, web_t(req, S_PW_HINT));
    html_raw(o, "</p>");
    html_submit(o, web_t(req, S_ADD_USER), "primary");
    html_form_end(o);
    html_page_end(req, resp);
}

void page_users(struct web_req *req, struct web_resp *resp)
{
    char ok[4];
    users_page(req, resp, web_query(req, "ok", ok, sizeof ok)
                          ? web_t(req, S_SAVED) : NULL, false);
}

void page_users_add(struct web_req *req, struct web_resp *resp)
{
    char name[64], role[16], scope[64], access[16], pw[HUB_PW_MAX + 1];
    char msg[160] = "";
    web_form(req, "name", name, sizeof name);
    web_form(req, "role", role, sizeof role);
    web_form(req, "scope", scope, sizeof scope);
    web_form(req, "access", access, sizeof access);
    web_form(req, "password", pw, sizeof pw);
    int editor = strcmp(access, "editor") == 0 ? 1
               : strcmp(access, "viewer") == 0 ? 0 : -1;
    err_code e = hub_user_add(req->db, req->user.name, name, role, scope,
                              editor, pw, msg, sizeof msg);
    memset(pw, 0, sizeof pw);
    if (e != ERR_OK) {
        resp->status = 400;
        /* hub's reasons are English: zh_CN shows its own sentence. */
        users_page(req, resp, req->lang == WEB_EN && msg[0] ? msg
                              : web_t(req, S_INPUT_BAD), true);
        return;
    }
    web_redirect(resp, "/users?ok=1");
}

void page_users_state(struct web_req *req, struct web_resp *resp)
{
    char name[64], to[16], msg[160] = "";
    web_form(req, "name", name, sizeof name);
    web_form(req, "to", to, sizeof to);
    if ((strcmp(to, "enable") && strcmp(to, "disable")) ||
        strcmp(name, req->user.name) == 0) {
        resp->status = 400;
        users_page(req, resp, web_t(req, S_INPUT_BAD), true);
        return;
    }
    err_code e = hub_user_disable(req->db, req->user.name, name,
                                  strcmp(to, "disable") == 0, msg, sizeof msg);
    if (e == ERR_NOTFOUND) {
        web_not_found(req, resp);
        return;
    }
    if (e != ERR_OK) {
        web_error(req, resp, 503, web_t(req, S_ERROR));
        return;
    }
    web_redirect(resp, "/users?ok=1");
}
