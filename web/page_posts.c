/* web/page_posts.c - /boards/posts: the station's 党员监督岗 with their
 * rules (capacity, head, deputy and members by name, open for claiming
 * and how many places, the post's own points rule when one is set), a
 * form per post and one to add a post, and the whole list in `hubctl
 * publish posts`' JSON. Every edit is previewed as a diff, then
 * published by hub_publish_items, whose post checks (3-5 members,
 * exactly one head, at most one deputy, holders in the roster) are the
 * only ones: a form that breaks a rule gets its reason back. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_claims.h"
#include "hub/hub_db_roster.h"
#include "hub/hub_points.h"
#include "web/boards_common.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

/* The eight categories of 党员监督岗 (GLOSSARY.md). */
static const char *const categories[] = {
    "财务", "服务", "管理", "治理", "党务", "维稳", "宣教", "城建", NULL };

/* ---- published data to the publish format -------------------------------- */

static cJSON *conv(struct web_req *req, const char *key, const cJSON *d)
{
    (void)req;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", key);
    cJSON_AddStringToObject(o, "category", boards_jstr(d, "category"));
    cJSON_AddStringToObject(o, "name", boards_jstr(d, "name"));
    cJSON_AddStringToObject(o, "duties", boards_jstr(d, "duties"));
    const cJSON *ord = cJSON_GetObjectItem(d, "order");
    cJSON_AddNumberToObject(o, "order", cJSON_IsNumber(ord)
                            ? ord->valuedouble : 0);
    cJSON *hs = cJSON_AddArrayToObject(o, "holders");
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItem(d, "holders")) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "member_no", boards_jstr(h, "member_no"));
        cJSON_AddStringToObject(x, "role", boards_jstr(h, "role"));
        cJSON_AddItemToArray(hs, x);
    }
    static const char *const nums[] = { "min_members", "max_members" };
    for (int i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItem(d, nums[i]);
        if (cJSON_IsNumber(v))
            cJSON_AddNumberToObject(o, nums[i], v->valuedouble);
    }
    bool open = cJSON_IsTrue(cJSON_GetObjectItem(d, "open"));
    cJSON_AddBoolToObject(o, "open", open);
    const cJSON *pl = cJSON_GetObjectItem(d, "places");
    if (open && cJSON_IsNumber(pl))
        cJSON_AddNumberToObject(o, "places", pl->valuedouble);
    return o;
}

static int jnum(const cJSON *o, const char *k, int dflt)
{
    const cJSON *v = cJSON_GetObjectItem(o, k);
    return cJSON_IsNumber(v) ? v->valueint : dflt;
}

/* A holder's name: the published one, else the roster's, else the
 * number. */
static void holder_name(struct web_req *req, const cJSON *h, char *out,
                        size_t cap)
{
    struct hub_member m;
    const char *n = boards_jstr(h, "name"), *no = boards_jstr(h, "member_no");
    if (n[0])
        snprintf(out, cap, "%s", n);
    else if (hub_db_member_get(req->db, no, &m) == ERR_OK)
        snprintf(out, cap, "%s", m.name);
    else
        snprintf(out, cap, "%s", no);
}

/* The names of holders with role, separated by 、 (zh) or ", ". */
static void holders_text(struct web_req *req, FILE *o, const cJSON *post,
                         const char *role)
{
    const cJSON *h;
    bool first = true;
    cJSON_ArrayForEach(h, cJSON_GetObjectItem(post, "holders")) {
        if (strcmp(boards_jstr(h, "role"), role) != 0)
            continue;
        char name[64];
        holder_name(req, h, name, sizeof name);
        if (!first)
            html_raw(o, "%s", req->lang == WEB_EN ? ", " : "、");
        html_raw(o, "<span class=\"holder\">");
        html_text(o, name);
        html_raw(o, "</span>");
        first = false;
    }
    if (first)
        html_raw(o, "<span class=\"muted\">—</span>");
}

static void claiming_text(struct web_req *req, FILE *o, const cJSON *post)
{
    if (cJSON_IsTrue(cJSON_GetObjectItem(post, "open"))) {
        int n = cJSON_GetArraySize(cJSON_GetObjectItem(post, "holders"));
        int places = jnum(post, "places",
                          jnum(post, "max_members", HUB_POST_MAX_MEMBERS) - n);
        html_raw(o, "<span class=\"tag ok\">");
        html_text(o, web_t(req, S_OPEN_N));
        html_raw(o, "%d</span>", places);
    } else {
        html_raw(o, "<span class=\"tag\">");
        html_text(o, web_t(req, S_CLOSED));
        html_raw(o, "</span>");
    }
}

/* The post's own points rule (hubctl points rule set post:ID ...), or
 * the words for "by its service category". */
static void rule_text(struct web_req *req, FILE *o, const char *id)
{
    struct hub_points_rule r;
    char scope[HUB_POINTS_SCOPE];
    snprintf(scope, sizeof scope, "post:%s", id);
    if (hub_points_rule_for(req->db, NULL, id, &r) != ERR_OK ||
        strcmp(r.scope, scope) != 0) {
        html_raw(o, "<span class=\"muted\">");
        html_text(o, web_t(req, S_RULE_DEFAULT));
        html_raw(o, "</span>");
        return;
    }
    html_text(o, web_t(req, S_RULE_PER30));
    html_raw(o, "%d", r.per30);
    html_text(o, web_t(req, S_RULE_POINTS));
    if (r.cap > 0) {
        html_text(o, web_t(req, S_RULE_CAP));
        html_raw(o, "%d", r.cap);
        html_text(o, web_t(req, S_RULE_POINTS));
    }
}

/* ---- the table ----------------------------------------------------------- */

static void posts_table(struct web_req *req, FILE *o, const cJSON *posts)
{
    static const enum web_str cols[] = {
        S_POST, S_CAPACITY, S_HEAD, S_DEPUTY, S_MEMBERS, S_CLAIMING,
        S_POINTS_RULE };
    html_raw(o, "<div class=\"table-wrap\"><table class=\"posts\"><thead>"
             "<tr>");
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        html_raw(o, "<th scope=\"col\"%s>", cols[i] == S_CAPACITY
                 ? " class=\"n\"" : "");
        html_text(o, web_t(req, cols[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    const cJSON *p;
    cJSON_ArrayForEach(p, posts) {
        const char *id = boards_jstr(p, "id");
        int n = cJSON_GetArraySize(cJSON_GetObjectItem(p, "holders"));
        html_raw(o, "<tr id=\"post-");
        html_attr(o, id);
        html_raw(o, "\"><th scope=\"row\"><span class=\"pname\">");
        html_text(o, boards_jstr(p, "name"));
        html_raw(o, "</span> <span class=\"muted id\">");
        html_text(o, id);
        html_raw(o, " · ");
        html_text(o, boards_jstr(p, "category"));
        html_raw(o, "</span></th><td class=\"n\">");
        boards_cell_label(req, o, S_CAPACITY);
        html_raw(o, "%d / %d–%d</td><td class=\"head\">", n,
                 jnum(p, "min_members", HUB_POST_MIN_MEMBERS),
                 jnum(p, "max_members", HUB_POST_MAX_MEMBERS));
        boards_cell_label(req, o, S_HEAD);
        holders_text(req, o, p, "head");
        html_raw(o, "</td><td class=\"deputy\">");
        boards_cell_label(req, o, S_DEPUTY);
        holders_text(req, o, p, "deputy");
        html_raw(o, "</td><td class=\"members\">");
        boards_cell_label(req, o, S_MEMBERS);
        holders_text(req, o, p, "member");
        html_raw(o, "</td><td>");
        claiming_text(req, o, p);
        html_raw(o, "</td><td>");
        boards_cell_label(req, o, S_POINTS_RULE);
        rule_text(req, o, id);
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (cJSON_GetArraySize(posts) == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_ROWS));
}

/* ---- the forms ----------------------------------------------------------- */

/* The holders of role as member numbers separated by spaces. */
static void holders_nos(const cJSON *post, const char *role, char *out,
                        size_t cap)
{
    const cJSON *h;
    size_t len = 0;
    out[0] = '\0';
    cJSON_ArrayForEach(h, cJSON_GetObjectItem(post, "holders"))
        if (strcmp(boards_jstr(h, "role"), role) == 0 && len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%s%s",
                                    len ? " " : "",
                                    boards_jstr(h, "member_no"));
}

static void num_field(FILE *o, const char *id, const char *label,
                      const char *name, int v, bool set)
{
    char buf[16] = "";
    if (set)
        snprintf(buf, sizeof buf, "%d", v);
    html_field(o, id, label, "number", name, buf, false, "off");
}

/* One post's form (post NULL: a new one); pfx keeps the ids unique. */
static void post_form(struct web_req *req, FILE *o, const char *station,
                      const char *list, const cJSON *post, const char *pfx)
{
    char id[96], head[64], deputy[64], members[256];
    html_form_begin(req, o, "/boards/posts", "card post-form");
    boards_hidden(o, "station", station);
    boards_items_hidden(o, list);
    boards_hidden(o, "op", post ? "edit" : "add");
    if (post)
        boards_hidden(o, "post_id", boards_jstr(post, "id"));
    html_raw(o, "<div class=\"grid\">");
    if (!post) {
        snprintf(id, sizeof id, "%s-id", pfx);
        html_raw(o, "<div class=\"field\">");
        html_field(o, id, web_t(req, S_POST_ID), "text", "id", "", true,
                   "off");
        html_raw(o, "</div>");
    }
    snprintf(id, sizeof id, "%s-name", pfx);
    html_raw(o, "<div class=\"field\">");
    html_field(o, id, web_t(req, S_POST_NAME), "text", "name",
               post ? boards_jstr(post, "name") : "", true, "off");
    snprintf(id, sizeof id, "%s-cat", pfx);
    html_raw(o, "</div><div class=\"field\"><label for=\"%s\">", id);
    html_text(o, web_t(req, S_CATEGORY));
    html_raw(o, "</label><select id=\"%s\" name=\"category\">", id);
    const char *cur = post ? boards_jstr(post, "category") : categories[0];
    bool known = false;
    for (int i = 0; categories[i]; i++) {
        bool sel = strcmp(cur, categories[i]) == 0;
        known |= sel;
        html_raw(o, "<option value=\"");
        html_attr(o, categories[i]);
        html_raw(o, "\"%s>", sel ? " selected" : "");
        html_text(o, categories[i]);
        html_raw(o, "</option>");
    }
    if (!known) {
        html_raw(o, "<option value=\"");
        html_attr(o, cur);
        html_raw(o, "\" selected>");
        html_text(o, cur);
        html_raw(o, "</option>");
    }
    html_raw(o, "</select></div><div class=\"field\">");
    snprintf(id, sizeof id, "%s-order", pfx);
    num_field(o, id, web_t(req, S_ORDER), "order",
              post ? jnum(post, "order", 0) : 99, true);
    html_raw(o, "</div><div class=\"field\">");
    snprintf(id, sizeof id, "%s-min", pfx);
    num_field(o, id, web_t(req, S_MIN_MEMBERS), "min_members",
              post ? jnum(post, "min_members", HUB_POST_MIN_MEMBERS)
                   : HUB_POST_MIN_MEMBERS, true);
    html_raw(o, "</div><div class=\"field\">");
    snprintf(id, sizeof id, "%s-max", pfx);
    num_field(o, id, web_t(req, S_MAX_MEMBERS), "max_members",
              post ? jnum(post, "max_members", HUB_POST_MAX_MEMBERS)
                   : HUB_POST_MAX_MEMBERS, true);
    holders_nos(post, "head", head, sizeof head);
    holders_nos(post, "deputy", deputy, sizeof deputy);
    holders_nos(post, "member", members, sizeof members);
    html_raw(o, "</div><div class=\"field\">");
    snprintf(id, sizeof id, "%s-head", pfx);
    html_field(o, id, web_t(req, S_HEAD_NO), "text", "head", head, true,
               "off");
    html_raw(o, "</div><div class=\"field\">");
    snprintf(id, sizeof id, "%s-deputy", pfx);
    html_field(o, id, web_t(req, S_DEPUTY_NO), "text", "deputy", deputy,
               false, "off");
    html_raw(o, "</div></div><div class=\"field\">");
    snprintf(id, sizeof id, "%s-members", pfx);
    html_field(o, id, web_t(req, S_MEMBERS_NO), "text", "members", members,
               false, "off");
    html_raw(o, "</div><div class=\"grid\"><div class=\"field check\">");
    snprintf(id, sizeof id, "%s-open", pfx);
    html_raw(o, "<label for=\"%s\"><input type=\"checkbox\" id=\"%s\""
             " name=\"open\" value=\"1\"%s> ", id, id,
             post && cJSON_IsTrue(cJSON_GetObjectItem(post, "open"))
             ? " checked" : "");
    html_text(o, web_t(req, S_OPEN));
    html_raw(o, "</label></div><div class=\"field\">");
    snprintf(id, sizeof id, "%s-places", pfx);
    const cJSON *pl = post ? cJSON_GetObjectItem(post, "places") : NULL;
    num_field(o, id, web_t(req, S_PLACES), "places",
              cJSON_IsNumber(pl) ? pl->valueint : 0, cJSON_IsNumber(pl));
    html_raw(o, "</div></div>");
    boards_form_end(req, o, pfx, S_DUTIES,
                    post ? boards_jstr(post, "duties") : "", post != NULL);
}

static void forms(struct web_req *req, FILE *o, const char *station,
                  const char *list)
{
    cJSON *arr = cJSON_Parse(list);
    const cJSON *p;
    int i = 0;
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_EDIT_ITEM));
    html_raw(o, "</h2>");
    cJSON_ArrayForEach(p, arr) {
        char pfx[16];
        snprintf(pfx, sizeof pfx, "p%d", i++);
        boards_edit_open(req, o, p, "post_id");
        post_form(req, o, station, list, p, pfx);
        html_raw(o, "</details>");
    }
    html_raw(o, "<details class=\"edit\"><summary>");
    html_text(o, web_t(req, S_ADD_POST));
    html_raw(o, "</summary>");
    post_form(req, o, station, list, NULL, "new");
    html_raw(o, "</details>");
    boards_json_form(req, o, "/boards/posts", station, list);
    cJSON_Delete(arr);
}

/* ---- the diff ------------------------------------------------------------ */

static void draw(struct web_req *req, FILE *o, const char *key,
                 const char *json)
{
    (void)key;
    cJSON *p = cJSON_Parse(json);
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(p, "holders"));
    html_raw(o, "<p class=\"t\">");
    html_text(o, boards_jstr(p, "name"));
    html_raw(o, " <span class=\"muted\">");
    html_text(o, boards_jstr(p, "category"));
    html_raw(o, "</span></p><dl class=\"facts\"><dt>");
    html_text(o, web_t(req, S_CAPACITY));
    html_raw(o, "</dt><dd>%d / %d–%d</dd><dt>", n,
             jnum(p, "min_members", HUB_POST_MIN_MEMBERS),
             jnum(p, "max_members", HUB_POST_MAX_MEMBERS));
    html_text(o, web_t(req, S_HEAD));
    html_raw(o, "</dt><dd>");
    holders_text(req, o, p, "head");
    html_raw(o, "</dd><dt>");
    html_text(o, web_t(req, S_DEPUTY));
    html_raw(o, "</dt><dd>");
    holders_text(req, o, p, "deputy");
    html_raw(o, "</dd><dt>");
    html_text(o, web_t(req, S_MEMBERS));
    html_raw(o, "</dt><dd>");
    holders_text(req, o, p, "member");
    html_raw(o, "</dd><dt>");
    html_text(o, web_t(req, S_CLAIMING));
    html_raw(o, "</dt><dd>");
    claiming_text(req, o, p);
    html_raw(o, "</dd></dl><p class=\"duties\">");
    html_text(o, boards_jstr(p, "duties"));
    html_raw(o, "</p>");
    cJSON_Delete(p);
}

static const struct boards_page page = {
    "posts", "post", "/boards/posts", S_POSTS, draw, NULL, forms };

/* ---- handlers ------------------------------------------------------------ */

static int order_cmp(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int d = jnum(x, "order", 0) - jnum(y, "order", 0);
    return d ? d : strcmp(boards_jstr(x, "id"), boards_jstr(y, "id"));
}

/* The list in the posts' order (as the kiosk lists them). */
static cJSON *sorted(cJSON *arr)
{
    int n = cJSON_GetArraySize(arr);
    if (n < 2)
        return arr;
    cJSON **v = calloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = cJSON_DetachItemFromArray(arr, 0);
    qsort(v, (size_t)n, sizeof *v, order_cmp);
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, v[i]);
    free(v);
    return arr;
}

void page_posts(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "";
    if (!boards_get_begin(req, resp, &page, station, sizeof station))
        return;
    FILE *o = resp->out;
    cJSON *arr = sorted(boards_current(req, station, "post", conv));
    /* The table shows the names as published (the holders' "name"). */
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_CURRENT));
    html_raw(o, "</h2>");
    posts_table(req, o, arr);
    if (web_may(req, station, HUB_CHANGE)) {
        char *list = cJSON_Print(arr);
        forms(req, o, station, list);
        free(list);
    }
    cJSON_Delete(arr);
    html_page_end(req, resp);
}

/* A form number field, or dflt when empty; false when not a number. */
static bool form_int(struct web_req *req, const char *name, int *out)
{
    char v[16], *end;
    if (!web_form(req, name, v, sizeof v) || !v[0])
        return false;
    long n = strtol(v, &end, 10);
    if (*end)
        return false;
    *out = (int)n;
    return true;
}

static void add_holders(cJSON *hs, const char *list, const char *role)
{
    char *buf = xstrdup(list);
    /* Numbers separated by blanks, commas (either width) or 、. */
    for (char *p = buf; *p;) {
        if (isspace((unsigned char)*p) || *p == ',') {
            p++;
            continue;
        }
        if (strncmp(p, "，", 3) == 0 || strncmp(p, "、", 3) == 0) {
            p += 3;
            continue;
        }
        char *e = p;
        while (*e && !isspace((unsigned char)*e) && *e != ',' &&
               strncmp(e, "，", 3) && strncmp(e, "、", 3))
            e++;
        char save = *e;
        *e = '\0';
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "member_no", p);
        cJSON_AddStringToObject(x, "role", role);
        cJSON_AddItemToArray(hs, x);
        *e = save;
        p = e;
    }
    free(buf);
}

/* The post the form describes, in the publish format. */
static cJSON *post_of_form(struct web_req *req, const char *id)
{
    char v[2100];
    int n;
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "id", id);
    static const char *const texts[] = { "category", "name", "duties" };
    for (int i = 0; i < 3; i++) {
        web_form(req, texts[i], v, sizeof v);
        cJSON_AddStringToObject(p, texts[i], v);
    }
    /* A missing or bad number is left out: hub_publish says why. */
    if (form_int(req, "order", &n))
        cJSON_AddNumberToObject(p, "order", n);
    if (form_int(req, "min_members", &n))
        cJSON_AddNumberToObject(p, "min_members", n);
    if (form_int(req, "max_members", &n))
        cJSON_AddNumberToObject(p, "max_members", n);
    cJSON *hs = cJSON_AddArrayToObject(p, "holders");
    static const char *const roles[] = { "head", "deputy", "member" };
    static const char *const fields[] = { "head", "deputy", "members" };
    for (int i = 0; i < 3; i++) {
        web_form(req, fields[i], v, 512);
        add_holders(hs, v, roles[i]);
    }
    bool open = web_form(req, "open", v, sizeof v) && strcmp(v, "1") == 0;
    cJSON_AddBoolToObject(p, "open", open);
    if (open && form_int(req, "places", &n))
        cJSON_AddNumberToObject(p, "places", n);
    return p;
}

void page_posts_post(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "", op[8] = "", id[96] = "", rm[4] = "";
    if (!boards_post_station(req, resp, station, sizeof station))
        return;
    bool sent;
    cJSON *arr = boards_items_field(req, &sent);
    if (!sent)
        arr = boards_current(req, station, "post", conv);
    web_form(req, "op", op, sizeof op);
    if (cJSON_IsArray(arr) && (strcmp(op, "edit") == 0 ||
                               strcmp(op, "add") == 0)) {
        web_form(req, strcmp(op, "edit") == 0 ? "post_id" : "id", id,
                 sizeof id);
        web_form(req, "remove", rm, sizeof rm);
        cJSON *p, *found = NULL;
        cJSON_ArrayForEach(p, arr)
            if (strcmp(boards_jstr(p, "id"), id) == 0 &&
                strcmp(op, "edit") == 0)
                found = p;
        /* An edit replaces the post (a removal drops it); an add
         * appends one (an id already there: hub_publish refuses it). */
        if (found) {
            cJSON_DetachItemViaPointer(arr, found);
            cJSON_Delete(found);
        }
        if (strcmp(rm, "1") != 0)
            cJSON_AddItemToArray(arr, post_of_form(req, id));
        arr = sorted(arr);
    }
    static const char *const replay[] = {
        "op", "post_id", "id", "remove", "category", "name", "duties",
        "order", "min_members", "max_members", "head", "deputy", "members",
        "open", "places", NULL };
    boards_post_finish(req, resp, &page, station, arr, sent ? NULL : replay);
}
