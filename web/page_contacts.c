/* web/page_contacts.c - /boards/contacts: the station's 网格员/楼栋长联系方式
 * grouped by building (楼栋) and unit (单元) as the kiosk groups them, each
 * with its role, duties and phone, a form per contact and one to add a
 * contact, and the whole list in `hubctl publish contacts`' JSON; every
 * edit previewed as a diff and published by hub_publish_items. A phone
 * is linked only as tel: with its digits (never the text as written, so
 * a "javascript:" phone is a plain number or no link at all). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "web/boards_common.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

static const struct { const char *key; enum web_str label; } roles[] = {
    { "grid_leader", S_GRID_LEADER }, { "grid_member", S_GRID_MEMBER },
    { "building_leader", S_BUILDING_LEADER }, { "unit_leader", S_UNIT_LEADER },
};
#define N_ROLES (sizeof roles / sizeof roles[0])

static const char *role_name(struct web_req *req, const char *key)
{
    for (size_t i = 0; i < N_ROLES; i++)
        if (strcmp(roles[i].key, key) == 0)
            return web_t(req, roles[i].label);
    return key;
}

static int role_rank(const char *key)
{
    for (size_t i = 0; i < N_ROLES; i++)
        if (strcmp(roles[i].key, key) == 0)
            return (int)i;
    return (int)N_ROLES;
}

static cJSON *conv(struct web_req *req, const char *key, const cJSON *d)
{
    (void)req;
    static const char *const k[] = { "building", "unit", "name", "role",
                                     "duties", "phone" };
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", key);
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        cJSON_AddStringToObject(o, k[i], boards_jstr(d, k[i]));
    return o;
}

/* Buildings and units as numbers when they are ("2" before "10"). */
static int num_cmp(const char *a, const char *b)
{
    char *ea, *eb;
    long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
    if (*a && *b && !*ea && !*eb && x != y)
        return x < y ? -1 : 1;
    return strcmp(a, b);
}

static int contact_cmp(const void *pa, const void *pb)
{
    const cJSON *a = *(const cJSON *const *)pa, *b = *(const cJSON *const *)pb;
    int d = num_cmp(boards_jstr(a, "building"), boards_jstr(b, "building"));
    if (!d)
        d = num_cmp(boards_jstr(a, "unit"), boards_jstr(b, "unit"));
    if (!d)
        d = role_rank(boards_jstr(a, "role")) - role_rank(boards_jstr(b, "role"));
    return d ? d : strcmp(boards_jstr(a, "id"), boards_jstr(b, "id"));
}

static cJSON *sorted(cJSON *arr)
{
    int n = cJSON_GetArraySize(arr);
    if (n < 2)
        return arr;
    cJSON **v = calloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++)
        v[i] = cJSON_DetachItemFromArray(arr, 0);
    qsort(v, (size_t)n, sizeof *v, contact_cmp);
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, v[i]);
    free(v);
    return arr;
}

static bool digits_only(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* "1号楼" / "Building 1"; a building named in words stands as it is. */
static void place_name(struct web_req *req, FILE *o, const char *v,
                       bool unit)
{
    if (digits_only(v) && req->lang != WEB_EN) {
        html_text(o, v);
        html_raw(o, "%s", unit ? "单元" : "号楼");
    } else if (digits_only(v)) {
        html_raw(o, "%s ", unit ? "Unit" : "Building");
        html_text(o, v);
    } else {
        html_text(o, v);
    }
}

/* The phone as text and, when it has digits, a tel: link made of them
 * alone (and a leading +). */
static void phone_link(FILE *o, const char *phone)
{
    char tel[40];
    size_t n = 0;
    for (const char *p = phone; *p && n + 1 < sizeof tel; p++)
        if (isdigit((unsigned char)*p) || (*p == '+' && n == 0))
            tel[n++] = *p;
    tel[n] = '\0';
    if (n == 0 || (n == 1 && tel[0] == '+')) {
        html_raw(o, "<span class=\"phone\">");
        html_text(o, phone);
        html_raw(o, "</span>");
        return;
    }
    /* Digits only, but escaped all the same: no value is written raw. */
    html_raw(o, "<a class=\"phone\" href=\"tel:");
    html_attr(o, tel);
    html_raw(o, "\">");
    html_text(o, phone);
    html_raw(o, "</a>");
}

static void contact_card(struct web_req *req, FILE *o, const cJSON *c)
{
    html_raw(o, "<p class=\"t\"><span class=\"cname\">");
    html_text(o, boards_jstr(c, "name"));
    html_raw(o, "</span> <span class=\"tag\">");
    html_text(o, role_name(req, boards_jstr(c, "role")));
    html_raw(o, "</span></p><p class=\"duties\">");
    html_text(o, boards_jstr(c, "duties"));
    html_raw(o, "</p><p>");
    phone_link(o, boards_jstr(c, "phone"));
    html_raw(o, "</p>");
}

/* ---- grouped by building and unit ---------------------------------------- */

static void contact_form(struct web_req *req, FILE *o, const char *station,
                         const char *list, const cJSON *c, const char *pfx);

/* list non-NULL: each contact carries its edit form, folded. */
static void contacts_list(struct web_req *req, FILE *o, const cJSON *arr,
                          const char *station, const char *list)
{
    int i = 0;
    const cJSON *c;
    const char *bld = NULL, *unit = NULL;
    bool open_b = false, open_u = false;
    cJSON_ArrayForEach(c, arr) {
        const char *b = boards_jstr(c, "building"), *u = boards_jstr(c, "unit");
        if (!bld || strcmp(b, bld) != 0) {
            if (open_u)
                html_raw(o, "</ul></div>");
            if (open_b)
                html_raw(o, "</section>");
            html_raw(o, "<section class=\"building\"><h3>");
            place_name(req, o, b, false);
            html_raw(o, "</h3>");
            open_b = true;
            open_u = false;
            bld = b;
            unit = NULL;
        }
        if (!unit || strcmp(u, unit) != 0) {
            if (open_u)
                html_raw(o, "</ul></div>");
            html_raw(o, "<div class=\"unit\"><h4>");
            if (u[0])
                place_name(req, o, u, true);
            else
                html_text(o, web_t(req, S_WHOLE_BUILDING));
            html_raw(o, "</h4><ul class=\"contacts\">");
            open_u = true;
            unit = u;
        }
        html_raw(o, "<li id=\"contact-");
        html_attr(o, boards_jstr(c, "id"));
        html_raw(o, "\">");
        contact_card(req, o, c);
        if (list) {
            char pfx[16];
            snprintf(pfx, sizeof pfx, "c%d", i++);
            html_raw(o, "<details class=\"edit\"><summary>");
            html_text(o, web_t(req, S_EDIT_ITEM));
            html_raw(o, " ");
            html_text(o, boards_jstr(c, "name"));
            html_raw(o, " <span class=\"muted\">");
            html_text(o, boards_jstr(c, "id"));
            html_raw(o, "</span></summary>");
            /* No list: the POST starts from what is published. */
            contact_form(req, o, station, NULL, c, pfx);
            html_raw(o, "</details>");
        }
        html_raw(o, "</li>");
    }
    if (open_u)
        html_raw(o, "</ul></div>");
    if (open_b)
        html_raw(o, "</section>");
    if (cJSON_GetArraySize(arr) == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_ROWS));
}

/* ---- the forms ----------------------------------------------------------- */

static void text_field(FILE *o, const char *pfx, const char *name,
                       const char *label, const char *value, bool required,
                       const char *type)
{
    char id[96];
    snprintf(id, sizeof id, "%s-%s", pfx, name);
    html_raw(o, "<div class=\"field\">");
    html_field(o, id, label, type, name, value, required, "off");
    html_raw(o, "</div>");
}

static void contact_form(struct web_req *req, FILE *o, const char *station,
                         const char *list, const cJSON *c, const char *pfx)
{
    html_form_begin(req, o, "/boards/contacts", "card contact-form");
    boards_hidden(o, "station", station);
    if (list)                     /* a preview's list, edited further */
        boards_items_hidden(o, list);
    boards_hidden(o, "op", c ? "edit" : "add");
    if (c)
        boards_hidden(o, "contact_id", boards_jstr(c, "id"));
    html_raw(o, "<div class=\"grid\">");
    if (!c)
        text_field(o, pfx, "id", web_t(req, S_CONTACT_ID), "", true, "text");
    text_field(o, pfx, "name", web_t(req, S_NAME),
               c ? boards_jstr(c, "name") : "", true, "text");
    html_raw(o, "<div class=\"field\"><label for=\"%s-role\">", pfx);
    html_text(o, web_t(req, S_JOB));
    html_raw(o, "</label><select id=\"%s-role\" name=\"role\">", pfx);
    for (size_t i = 0; i < N_ROLES; i++) {
        html_raw(o, "<option value=\"");
        html_attr(o, roles[i].key);
        html_raw(o, "\"%s>", c && strcmp(boards_jstr(c, "role"),
                                          roles[i].key) == 0
                 ? " selected" : "");
        html_text(o, web_t(req, roles[i].label));
        html_raw(o, "</option>");
    }
    html_raw(o, "</select></div>");
    text_field(o, pfx, "building", web_t(req, S_BUILDING),
               c ? boards_jstr(c, "building") : "", true, "text");
    text_field(o, pfx, "unit", web_t(req, S_UNIT_HINT),
               c ? boards_jstr(c, "unit") : "", false, "text");
    text_field(o, pfx, "phone", web_t(req, S_PHONE),
               c ? boards_jstr(c, "phone") : "", true, "tel");
    html_raw(o, "</div>");
    boards_form_end(req, o, pfx, S_CONTACT_DUTIES,
                    c ? boards_jstr(c, "duties") : "", c != NULL);
}

/* The add form and the whole list; each: every contact's form too (under
 * a preview; the page itself has them in the contacts' cards). */
static void forms_of(struct web_req *req, FILE *o, const char *station,
                     const char *list, bool each)
{
    cJSON *arr = cJSON_Parse(list);
    const cJSON *c;
    int i = 0;
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_EDIT_ITEM));
    html_raw(o, "</h2>");
    cJSON_ArrayForEach(c, arr) {
        if (!each)
            break;
        char pfx[16];
        snprintf(pfx, sizeof pfx, "c%d", i++);
        boards_edit_open(req, o, c, "contact_id");
        contact_form(req, o, station, list, c, pfx);
        html_raw(o, "</details>");
    }
    html_raw(o, "<details class=\"edit\"><summary>");
    html_text(o, web_t(req, S_ADD_CONTACT));
    html_raw(o, "</summary>");
    contact_form(req, o, station, each ? list : NULL, NULL, "new");
    html_raw(o, "</details>");
    boards_json_form(req, o, "/boards/contacts", station, list);
    cJSON_Delete(arr);
}

static void forms(struct web_req *req, FILE *o, const char *station,
                  const char *list)
{
    forms_of(req, o, station, list, true);
}

/* ---- the diff ------------------------------------------------------------ */

static void draw(struct web_req *req, FILE *o, const char *key,
                 const char *json)
{
    (void)key;
    cJSON *c = cJSON_Parse(json);
    html_raw(o, "<p class=\"where\">");
    place_name(req, o, boards_jstr(c, "building"), false);
    html_raw(o, " ");
    if (boards_jstr(c, "unit")[0])
        place_name(req, o, boards_jstr(c, "unit"), true);
    else
        html_text(o, web_t(req, S_WHOLE_BUILDING));
    html_raw(o, "</p>");
    contact_card(req, o, c);
    cJSON_Delete(c);
}

static const struct boards_page page = {
    "contacts", "contact", "/boards/contacts", S_CONTACTS, draw, NULL, forms };

/* ---- handlers ------------------------------------------------------------ */

void page_contacts(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "";
    if (!boards_get_begin(req, resp, &page, station, sizeof station))
        return;
    FILE *o = resp->out;
    cJSON *arr = sorted(boards_current(req, station, "contact", conv));
    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_CURRENT));
    html_raw(o, "</h2>");
    char *list = web_may(req, station, HUB_CHANGE) ? cJSON_Print(arr) : NULL;
    contacts_list(req, o, arr, station, list);
    if (list)
        forms_of(req, o, station, list, false);
    free(list);
    cJSON_Delete(arr);
    html_page_end(req, resp);
}

void page_contacts_post(struct web_req *req, struct web_resp *resp)
{
    char station[64] = "", op[8] = "", id[96] = "", rm[4] = "";
    if (!boards_post_station(req, resp, station, sizeof station))
        return;
    bool sent;
    cJSON *arr = boards_items_field(req, &sent);
    if (!sent)
        arr = boards_current(req, station, "contact", conv);
    web_form(req, "op", op, sizeof op);
    if (cJSON_IsArray(arr) && (strcmp(op, "edit") == 0 ||
                               strcmp(op, "add") == 0)) {
        bool edit = strcmp(op, "edit") == 0;
        web_form(req, edit ? "contact_id" : "id", id, sizeof id);
        web_form(req, "remove", rm, sizeof rm);
        cJSON *c, *found = NULL;
        cJSON_ArrayForEach(c, arr)
            if (edit && strcmp(boards_jstr(c, "id"), id) == 0)
                found = c;
        if (found) {
            cJSON_DetachItemViaPointer(arr, found);
            cJSON_Delete(found);
        }
        if (strcmp(rm, "1") != 0) {
            static const char *const k[] = { "building", "unit", "name",
                                             "role", "duties", "phone" };
            char v[2100];
            cJSON *n = cJSON_CreateObject();
            cJSON_AddStringToObject(n, "id", id);
            for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
                web_form(req, k[i], v, sizeof v);
                cJSON_AddStringToObject(n, k[i], v);
            }
            cJSON_AddItemToArray(arr, n);
        }
        arr = sorted(arr);
    }
    static const char *const replay[] = {
        "op", "contact_id", "id", "remove", "building", "unit", "name",
        "role", "duties", "phone", NULL };
    boards_post_finish(req, resp, &page, station, arr, sent ? NULL : replay);
}
