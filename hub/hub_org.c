/* hub/hub_org.c - the hierarchy filter of reports, node scope, who may
 * change hub-wide rules, those changes audited, and the registration
 * report as tables. */
#include "hub/hub_org.h"

#include <stdlib.h>
#include <string.h>

#include "hub/hub_audit.h"
#include "hub/hub_db_board.h"
#include "hub/hub_db_org.h"
#include "hub/hub_db_points.h"
#include "hub/hub_db_users.h"

void hub_org_set_free(struct hub_org_set *s)
{
    if (s && s->ids)
        hub_db_keys_free(s->ids, s->n);
    if (s) {
        s->ids = NULL;
        s->n = 0;
    }
}

err_code hub_filter_org(struct hub_db *db, struct hub_filter *f,
                        const char *node, struct hub_org_set *keep,
                        char *msg, size_t cap)
{
    keep->ids = NULL;
    keep->n = 0;
    err_code e = hub_db_org_stations(db, node, &keep->ids, &keep->n);
    if (e != ERR_OK) {
        snprintf(msg, cap, "cannot read the stations of %s", node);
        return e;
    }
    if (keep->n == 0) {
        struct hub_org_row o;
        bool known = hub_db_org_get(db, node, &o) == ERR_OK;
        snprintf(msg, cap, known ? "%s has no station placed under it"
                                 : "no district, street, community or"
                                   " station %s", node);
        return ERR_NOTFOUND;
    }
    f->stations = (const char *const *)keep->ids;
    f->n_stations = keep->n;
    return ERR_OK;
}

bool hub_user_may_node(struct hub_db *db, const struct hub_user_row *u,
                       const char *node)
{
    if (!u || u->disabled || !node || !node[0])
        return false;
    enum hub_role r = hub_role_parse(u->role);
    if (r == HUB_ROLE_ADMIN)
        return true;
    if (r == HUB_ROLE_NONE)
        return false;
    struct hub_org_row o;
    if (hub_db_org_get(db, node, &o) != ERR_OK)
        /* Not a node: a station, judged by the one scope check. */
        return hub_user_may(db, u, node, HUB_SEE);
    if (r == HUB_ROLE_STATION)
        return false;
    /* Walk up from the node: it is in scope when the user's node is on
     * the way (a district, street and community at most). */
    for (int level = 0; level < 3; level++) {
        if (strcmp(o.id, u->scope) == 0)
            return true;
        if (!o.parent[0] || hub_db_org_get(db, o.parent, &o) != ERR_OK)
            return false;
    }
    return strcmp(o.id, u->scope) == 0;
}

bool hub_user_may_hubwide(const struct hub_user_row *u)
{
    if (!u || u->disabled)
        return false;
    enum hub_role r = hub_role_parse(u->role);
    return r == HUB_ROLE_ADMIN || (r == HUB_ROLE_DISTRICT && u->editor);
}

static void rule_json(char *out, size_t cap, const struct hub_points_rule *r)
{
    snprintf(out, cap, "{\"per30\":%d,\"satisfied\":%d,\"basic\":%d,"
             "\"unsatisfied\":%d,\"cap\":%d}", r->per30, r->satisfied,
             r->basic, r->unsatisfied, r->cap);
}

static err_code finish(struct hub_db *db, err_code e, const char *actor,
                       const char *action, const char *object,
                       const char *before, const char *after)
{
    if (e == ERR_OK)
        e = hub_audit_record(db, actor, action, object, before, after);
    if (e == ERR_OK)
        e = hub_db_commit(db);
    else
        hub_db_rollback(db);
    return e;
}

err_code hub_points_rule_set_by(struct hub_db *db,
                                const struct hub_points_rule *r,
                                const char *actor, FILE *err)
{
    char before[160] = "", after[160], object[80];
    struct hub_points_rule old;
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_points_rule_get(db, r->scope, &old);
    if (e == ERR_OK)
        rule_json(before, sizeof before, &old);
    else if (e == ERR_NOTFOUND)
        e = ERR_OK;               /* a new rule: no before */
    if (e == ERR_OK)
        e = hub_points_rule_set(db, r, err);
    rule_json(after, sizeof after, r);
    snprintf(object, sizeof object, "points:%s", r->scope);
    return finish(db, e, actor, "points.rule", object, before, after);
}

struct star_of {
    const char *category;
    char        star[32];
};

static void star_of_row(void *ctx, const char *cat, const char *star)
{
    struct star_of *s = ctx;
    if (strcmp(cat, s->category) == 0)
        snprintf(s->star, sizeof s->star, "%s", star);
}

err_code hub_points_star_category_set_by(struct hub_db *db,
                                         const char *category,
                                         const char *star,
                                         const char *actor, FILE *err)
{
    char before[80] = "", after[80], object[80];
    struct star_of old = { .category = category };
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_star_categories_each(db, star_of_row, &old);
    if (e == ERR_OK && old.star[0])
        snprintf(before, sizeof before, "{\"star\":\"%s\"}", old.star);
    if (e == ERR_OK)
        e = hub_points_star_category_set(db, category, star, err);
    /* Both were checked against the fixed lists: no quoting needed. */
    snprintf(after, sizeof after, "{\"star\":\"%.32s\"}", star);
    snprintf(object, sizeof object, "category:%.60s", category);
    return finish(db, e, actor, "stars.category", object, before, after);
}

/* ---- the registration report as tables -------------------------------- */

static const struct hub_col reg_cols[] = {
    { "group", "编号", "Code", HUB_COL_TEXT, 0 },
    { "name", "名称", "Name", HUB_COL_TEXT, 0 },
    { "on_roster", "在册党员", "Members on roster", HUB_COL_INT, 0 },
    { "registered", "已报到", "Registered", HUB_COL_INT, 0 },
    { "rate", "报到率", "Registration rate", HUB_COL_PERCENT, 1 },
};

struct reg_acc {
    struct hub_table *t;
    int64_t           roster, registered;
};

static void reg_row(void *ctx, const struct hub_reg_rate *r)
{
    struct reg_acc *a = ctx;
    hub_table_row(a->t);
    hub_table_text(a->t, 0, r->group);
    /* Members whose roster line names no work unit are one group. */
    hub_table_text(a->t, 1, r->group[0] || r->group_name[0] ? r->group_name
                   : a->t->lang == HUB_LANG_EN ? "(no work unit)"
                                               : "（未填单位）");
    hub_table_int(a->t, 2, r->on_roster);
    hub_table_int(a->t, 3, r->registered);
    if (r->on_roster > 0)
        hub_table_num(a->t, 4, (double)r->registered / r->on_roster);
    a->roster += r->on_roster;
    a->registered += r->registered;
}

err_code hub_reg_build(struct hub_db *db, const struct hub_filter *f,
                       enum hub_lang lang, struct hub_book *out)
{
    bool en = lang == HUB_LANG_EN;
    int64_t from_ms, to_ms;
    hub_filter_ms(f, &from_ms, &to_ms);
    err_code e = ERR_OK;
    for (int by = 0; by < 2 && e == ERR_OK; by++) {
        const char *title = by == 0
            ? (en ? "Registration by community" : "报到率（按社区）")
            : (en ? "Registration by work unit" : "报到率（按单位）");
        const char *sheet = by == 0 ? (en ? "By community" : "按社区")
                                    : (en ? "By work unit" : "按单位");
        struct reg_acc a = { hub_table_new(lang, title, sheet, reg_cols,
                                           5), 0, 0 };
        snprintf(a.t->scope, sizeof a.t->scope,
                 en ? "Registered from %s to %s; %zu station(s)%s"
                    : "报到日期：%s 至 %s；站点：%zu个%s", f->from, f->to,
                 f->n_stations, f->n_stations ? "" : (en ? " (all)"
                                                         : "（全部）"));
        e = hub_db_reg_rates_in(db, by == 0 ? "community" : "unit", from_ms,
                                to_ms, f->stations, f->n_stations, reg_row,
                                &a);
        hub_table_row(a.t);
        a.t->total = true;
        hub_table_text(a.t, 0, "*");
        hub_table_text(a.t, 1, en ? "Total" : "合计");
        hub_table_int(a.t, 2, a.roster);
        hub_table_int(a.t, 3, a.registered);
        if (a.roster > 0)
            hub_table_num(a.t, 4, (double)a.registered / a.roster);
        hub_book_add(out, a.t);
    }
    return e;
}
