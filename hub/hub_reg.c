/* hub/hub_reg.c - work units, hub settings and the registration reports
 * (hub/hub_reg.h): the rules and the CSV; the SQL is hub_db_units.c's. */
#include "hub/hub_reg.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "base/csv.h"
#include "base/xmalloc.h"
#include "hub/hub_db_units.h"
#include "hub/hub_rules.h"
#include "sync/pki.h"

#define DAY_MS (24LL * 3600 * 1000)

/* Text a kiosk shows and a report writes: not empty, fits, valid UTF-8
 * without control characters, and nothing a spreadsheet would run. */
static bool label_ok(const char *s, size_t cap, bool may_be_empty)
{
    const char *why;
    if (!s[0])
        return may_be_empty;
    return strlen(s) < cap && hub_rules_text_ok(s, &why) &&
           !csv_formula_like(s);
}

static err_code unit_publish(struct hub_db *db, const struct hub_unit *u)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "name", u->name);
    cJSON_AddStringToObject(d, "paired_community", u->paired_community);
    char *json = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    err_code e = hub_db_change_add(db, NULL, NULL, "work_unit", u->code,
                                   json);
    free(json);
    return e;
}

err_code hub_unit_add(struct hub_db *db, const char *code, const char *name,
                      const char *paired_community, FILE *err)
{
    struct hub_unit u, old;
    if (!pki_id_valid(code) || strlen(code) >= sizeof u.code) {
        fprintf(err, "a unit code is 1-31 of A-Z a-z 0-9 . _ -\n");
        return ERR_INVAL;
    }
    if (!paired_community)
        paired_community = "";
    if (!label_ok(name, sizeof u.name, false) ||
        !label_ok(paired_community, sizeof u.paired_community, true)) {
        fprintf(err, "a unit's name (and paired community) is UTF-8 text of"
                " at most %zu bytes, not starting with = + - @\n",
                sizeof u.name - 1);
        return ERR_INVAL;
    }
    memset(&u, 0, sizeof u);
    str_copy(u.code, sizeof u.code, code);
    str_copy(u.name, sizeof u.name, name);
    str_copy(u.paired_community, sizeof u.paired_community, paired_community);
    err_code e = hub_db_unit_get(db, code, &old);
    if (e == ERR_OK && memcmp(&old, &u, sizeof u) == 0)
        return ERR_OK;                      /* the same: nothing to send */
    if (e != ERR_OK && e != ERR_NOTFOUND)
        return e;
    e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_unit_put(db, &u);
    if (e == ERR_OK)
        e = unit_publish(db, &u);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    return e;
}

err_code hub_unit_rm(struct hub_db *db, const char *code, FILE *err)
{
    int n = 0;
    err_code e = hub_db_unit_members(db, code, &n);
    if (e != ERR_OK)
        return e;
    if (n > 0) {
        fprintf(err, "unit %s: %d active member(s) name it on the roster:"
                " import a roster without it first\n", code, n);
        return ERR_DENIED;
    }
    e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_unit_rm(db, code);
    if (e == ERR_OK)
        e = hub_db_change_add(db, NULL, NULL, "work_unit", code, NULL);
    if (e == ERR_OK)
        return hub_db_commit(db);
    hub_db_rollback(db);
    if (e == ERR_NOTFOUND)
        fprintf(err, "no unit %s\n", code);
    return e;
}

struct list_ctx {
    struct hub_db *db;
    FILE          *out;
    err_code       e;
};

static void unit_row(void *ctx, const struct hub_unit *u)
{
    struct list_ctx *c = ctx;
    int n = 0;
    if (c->e == ERR_OK)
        c->e = hub_db_unit_members(c->db, u->code, &n);
    csv_text(c->out, u->code, true);
    csv_text(c->out, u->name, false);
    csv_text(c->out, u->paired_community, false);
    csv_int(c->out, n, false);
    csv_end(c->out);
}

err_code hub_unit_list(struct hub_db *db, FILE *out)
{
    struct list_ctx c = { db, out, ERR_OK };
    csv_header(out, "code,name,paired_community,active_members");
    err_code e = hub_db_units_each(db, unit_row, &c);
    return e != ERR_OK ? e : c.e;
}

/* ---- settings ---------------------------------------------------------- */

/* Key of a setting in the work_unit changes: "setting/NAME" never
 * collides with a unit code (no '/' in one). */
static err_code setting_publish(struct hub_db *db, const char *name, bool on)
{
    char key[96];
    snprintf(key, sizeof key, "setting/%s", name);
    return hub_db_change_add(db, NULL, NULL, "work_unit", key,
                             on ? "{\"on\":true}" : "{\"on\":false}");
}

err_code hub_setting_cli(struct hub_db *db, const char *name,
                         const char *value, FILE *out, FILE *err)
{
    if (strcmp(name, HUB_SETTING_CROSS_STATION) != 0) {
        fprintf(err, "unknown setting %s (known: %s)\n", name,
                HUB_SETTING_CROSS_STATION);
        return ERR_INVAL;
    }
    bool on;
    err_code e = hub_db_setting_get(db, name, &on);
    if (e != ERR_OK)
        return e;
    if (!value) {
        fprintf(out, "%s %s\n", name, on ? "on" : "off");
        return ERR_OK;
    }
    if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
        fprintf(err, "%s takes on or off\n", name);
        return ERR_INVAL;
    }
    bool want = value[1] == 'n';
    e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_setting_put(db, name, want);
    if (e == ERR_OK)
        e = setting_publish(db, name, want);
    if (e == ERR_OK)
        e = hub_db_commit(db);
    else
        hub_db_rollback(db);
    if (e == ERR_OK)
        fprintf(out, "%s %s\n", name, value);
    return e;
}

/* ---- reports ----------------------------------------------------------- */

static void rate_row(void *ctx, const struct hub_reg_rate *r)
{
    FILE *out = ctx;
    csv_text(out, r->by, true);
    csv_text(out, r->group, false);
    csv_text(out, r->group_name, false);
    csv_int(out, r->on_roster, false);
    csv_int(out, r->registered, false);
    fprintf(out, ",%.3f", r->on_roster ? (double)r->registered /
                                         r->on_roster : 0.0);
    csv_end(out);
}

/* "YYYY-MM-DD" (local) to the Unix ms its day starts at; to_end: the
 * next day's start (the day is included). */
static bool day_ms(const char *ymd, int utc_offset, bool to_end, int64_t *ms)
{
    int64_t day;
    if (!ymd) {
        *ms = 0;
        return true;
    }
    if (clock_parse_ymd(ymd, &day) != ERR_OK)
        return false;
    *ms = (day + (to_end ? 1 : 0)) * DAY_MS - (int64_t)utc_offset * 60000;
    return true;
}

err_code hub_report_registration(struct hub_db *db, const char *by,
                                 const char *from, const char *to,
                                 int utc_offset_minutes, FILE *out,
                                 FILE *err)
{
    int64_t from_ms, to_ms;
    if (by && strcmp(by, "community") != 0 && strcmp(by, "unit") != 0) {
        fprintf(err, "--by takes community or unit\n");
        return ERR_INVAL;
    }
    if (!day_ms(from, utc_offset_minutes, false, &from_ms) ||
        !day_ms(to, utc_offset_minutes, true, &to_ms) ||
        (from && to && to_ms <= from_ms)) {
        fprintf(err, "--from and --to take YYYY-MM-DD, --from not after"
                " --to\n");
        return ERR_INVAL;
    }
    csv_header(out, "by,group,name,on_roster,registered,rate");
    err_code e = ERR_OK;
    if (!by || by[0] == 'c')
        e = hub_db_reg_rates(db, "community", from_ms, to_ms, rate_row, out);
    if (e == ERR_OK && (!by || by[0] == 'u'))
        e = hub_db_reg_rates(db, "unit", from_ms, to_ms, rate_row, out);
    return e;
}

static void unregistered_row(void *ctx, const struct hub_unregistered *m)
{
    FILE *out = ctx;
    csv_text(out, m->member_no, true);
    csv_text(out, m->name, false);
    csv_text(out, m->community, false);
    csv_text(out, m->station, false);
    csv_text(out, m->work_unit, false);
    csv_text(out, m->unit_name, false);
    csv_text(out, m->reg_kind, false);
    csv_end(out);
}

err_code hub_report_unregistered(struct hub_db *db, const char *community,
                                 const char *unit, FILE *out)
{
    csv_header(out, "member_no,name,community,station,work_unit,unit_name,"
               "reg_kind");
    return hub_db_unregistered(db, community, unit, unregistered_row, out);
}
