/* hub/hub_points.c - points by rule and the stars' categories
 * (hub/hub_points.h, docs/rules.md "Points"). */
#include "hub/hub_points.h"

#include <string.h>

#include "base/csv.h"
#include "base/service_rules.h"
#include "hub/hub_db_points.h"
#include "sync/pki.h"

const struct hub_points_rule hub_points_default = {
    .scope = "", .per30 = 1, .satisfied = 100, .basic = 100,
    .unsatisfied = 100, .cap = 0,
};

/* Whether the served person was asked: only then is there a rating. */
static bool asked(const char *method)
{
    return method && (strcmp(method, "kiosk_pin") == 0 ||
                      strcmp(method, "phone") == 0 ||
                      strcmp(method, "visit") == 0);
}

int hub_points_apply(const struct hub_points_rule *r, int minutes,
                     const char *method, const char *rating)
{
    /* The units as hub_points_for counts them: whole half hours of the
     * bounded minutes, at least one (a short service still counts). */
    if (minutes > SERVICE_MAX_MINUTES)
        minutes = SERVICE_MAX_MINUTES;
    int units = minutes / 30;
    if (units < 1)
        units = 1;
    int pct = 100;
    if (asked(method) && rating) {
        if (strcmp(rating, "satisfied") == 0)
            pct = r->satisfied;
        else if (strcmp(rating, "basic") == 0)
            pct = r->basic;
        else if (strcmp(rating, "unsatisfied") == 0)
            pct = r->unsatisfied;
    }
    /* Hundredths, rounded half up: 3 points x 1.5 = 5 (4.5 up). */
    long p = ((long)units * r->per30 * pct + 50) / 100;
    if (r->cap > 0 && p > r->cap)
        p = r->cap;
    return (int)p;
}

err_code hub_points_rule_for(struct hub_db *db, const char *category,
                             const char *post, struct hub_points_rule *out)
{
    err_code e = ERR_NOTFOUND;
    if (post && *post) {
        char scope[HUB_POINTS_SCOPE];
        snprintf(scope, sizeof scope, "post:%s", post);
        e = hub_db_points_rule_get(db, scope, out);
    }
    if (e == ERR_NOTFOUND && category)
        e = hub_db_points_rule_get(db, category, out);
    if (e == ERR_NOTFOUND) {
        *out = hub_points_default;
        e = ERR_OK;
    }
    return e;
}

err_code hub_points_for_log(struct hub_db *db, const char *category,
                            const char *post, int minutes, const char *method,
                            const char *rating, int *points)
{
    struct hub_points_rule r;
    err_code e = hub_points_rule_for(db, category, post, &r);
    if (e == ERR_OK)
        *points = hub_points_apply(&r, minutes, method, rating);
    return e;
}

static bool pct_ok(int v)
{
    return v >= 0 && v <= HUB_POINTS_PCT_MAX;
}

err_code hub_points_rule_set(struct hub_db *db,
                             const struct hub_points_rule *r, FILE *err)
{
    const char *s = r->scope;
    if (strncmp(s, "post:", 5) == 0) {
        if (!pki_id_valid(s + 5)) {
            fprintf(err, "bad post id %s (A-Z a-z 0-9 . _ -)\n", s + 5);
            return ERR_INVAL;
        }
    } else if (!service_category_find(s)) {
        fprintf(err, "unknown service category %s (", s);
        size_t n;
        const struct service_category *c = service_categories(&n);
        for (size_t i = 0; i < n; i++)
            fprintf(err, "%s%s", i ? " " : "", c[i].key);
        fprintf(err, ", or post:ID)\n");
        return ERR_INVAL;
    }
    if (r->per30 < 0 || r->per30 > HUB_POINTS_PER30_MAX) {
        fprintf(err, "--per30 must be 0 to %d\n", HUB_POINTS_PER30_MAX);
        return ERR_INVAL;
    }
    if (!pct_ok(r->satisfied) || !pct_ok(r->basic) ||
        !pct_ok(r->unsatisfied)) {
        fprintf(err, "a multiplier must be 0 to %d.%02d\n",
                HUB_POINTS_PCT_MAX / 100, HUB_POINTS_PCT_MAX % 100);
        return ERR_INVAL;
    }
    if (r->cap < 0 || r->cap > HUB_POINTS_PER30_MAX * HUB_POINTS_PCT_MAX) {
        fprintf(err, "--cap must be 0 (none) to %d\n",
                HUB_POINTS_PER30_MAX * HUB_POINTS_PCT_MAX);
        return ERR_INVAL;
    }
    return hub_db_points_rule_put(db, r);
}

static void pct_csv(FILE *out, int v)
{
    char b[16];
    snprintf(b, sizeof b, "%d.%02d", v / 100, v % 100);
    csv_text(out, b, false);
}

static void rule_csv(void *ctx, const struct hub_points_rule *r)
{
    FILE *out = ctx;
    csv_text(out, r->scope[0] ? r->scope : "*", true);
    csv_int(out, r->per30, false);
    pct_csv(out, r->satisfied);
    pct_csv(out, r->basic);
    pct_csv(out, r->unsatisfied);
    csv_int(out, r->cap, false);
    csv_end(out);
}

err_code hub_points_rules_csv(struct hub_db *db, FILE *out)
{
    csv_header(out, "scope,per30,satisfied,basic,unsatisfied,cap");
    rule_csv(out, &hub_points_default);
    return hub_db_points_rules_each(db, rule_csv, out);
}

/* ---- stars --------------------------------------------------------------- */

static const struct hub_star_kind star_kinds[] = {
    { "learning",    "学习宣传之星", "Learning and outreach star" },
    { "environment", "环保护绿之星", "Green environment star" },
    { "culture",     "文化体育之星", "Culture and sports star" },
    { "mediation",   "民事调解之星", "Mediation star" },
    { "security",    "治安维稳之星", "Safety and order star" },
    { "community",   "社区服务之星", "Community service star" },
};

const struct hub_star_kind *hub_star_kinds(size_t *n)
{
    *n = sizeof star_kinds / sizeof star_kinds[0];
    return star_kinds;
}

const struct hub_star_kind *hub_star_kind_find(const char *key)
{
    for (size_t i = 0; key && i < sizeof star_kinds / sizeof *star_kinds; i++)
        if (strcmp(star_kinds[i].key, key) == 0)
            return &star_kinds[i];
    return NULL;
}

err_code hub_points_star_category_set(struct hub_db *db, const char *category,
                                      const char *star, FILE *err)
{
    if (!service_category_find(category)) {
        fprintf(err, "unknown service category %s\n", category);
        return ERR_INVAL;
    }
    if (!hub_star_kind_find(star)) {
        fprintf(err, "unknown star %s (", star);
        for (size_t i = 0; i < sizeof star_kinds / sizeof *star_kinds; i++)
            fprintf(err, "%s%s", i ? " " : "", star_kinds[i].key);
        fprintf(err, ")\n");
        return ERR_INVAL;
    }
    return hub_db_star_category_put(db, category, star);
}

static void category_csv(void *ctx, const char *cat, const char *star)
{
    FILE *out = ctx;
    const struct service_category *c = service_category_find(cat);
    const struct hub_star_kind *k = hub_star_kind_find(star);
    csv_text(out, cat, true);
    csv_text(out, c ? c->zh : "", false);
    csv_text(out, star, false);
    csv_text(out, k ? k->zh : "", false);
    csv_end(out);
}

err_code hub_points_star_categories_csv(struct hub_db *db, FILE *out)
{
    csv_header(out, "category,category_zh,star,star_zh");
    return hub_db_star_categories_each(db, category_csv, out);
}

err_code hub_points_for_verdict(struct hub_db *db, const char *device,
                                const char *epoch, uint64_t seq, int minutes,
                                enum confirm_method method,
                                enum confirm_rating rating, int *points)
{
    char cat[64], post[64];
    err_code e = hub_db_log_rule_keys(db, device, epoch, seq, cat, sizeof cat,
                                      post, sizeof post);
    if (e != ERR_OK)
        return e;
    return hub_points_for_log(db, cat, post, minutes,
                              confirm_method_name(method),
                              rating ? confirm_rating_name(rating) : NULL,
                              points);
}
