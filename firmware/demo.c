/* firmware/demo.c - the demo station as a page of typed changes. Only for
 * `make run` and tests; a real kiosk gets the same tables from the hub. */
#include "firmware/demo.h"

#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <cjson/cJSON.h>

#include "base/change.h"
#include "base/file.h"
#include "base/json.h"
#include "base/log.h"
#include "base/phone.h"
#include "base/xmalloc.h"

#define DEMO_FILE_MAX (4u << 20)

static char *read_file(const char *dir, const char *name, size_t *len)
{
    char path[512], *buf;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (file_read_capped(path, DEMO_FILE_MAX, &buf, len) != ERR_OK) {
        log_error("demo: cannot read %s", path);
        return NULL;
    }
    return buf;
}

/* A put of this type and key at the end of the page; NULL when the key is
 * empty or too long, or the page is full. Valid until the next add. */
static struct change *put(struct change_page *page, enum change_type type,
                          const char *key)
{
    struct change *c;

    if (change_page_add(page, type, CHANGE_PUT, key, &c) != ERR_OK) {
        log_error("demo: %s \"%s\" cannot be added", change_type_name(type),
                  key);
        return NULL;
    }
    return c;
}

/* roster.csv: member_no,name,phone,community,station; no quoting. */
static err_code add_roster(struct change_page *page, const char *dir,
                           cJSON *names)
{
    size_t len;
    char *text = read_file(dir, "roster.csv", &len), *save = NULL, *line;
    int lineno = 0;

    if (text == NULL)
        return ERR_IO;
    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *f[5], *p = line, masked[PHONE_MASKED];
        int nf = 0;

        if (++lineno == 1)
            continue;                               /* header */
        line[strcspn(line, "\r")] = '\0';
        while (nf < 5 && p) {
            f[nf++] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = '\0';
        }
        if (nf != 5 || p != NULL || f[0][0] == '\0') {
            log_error("demo: %s/roster.csv:%d: expected 5 fields", dir, lineno);
            free(text);
            return ERR_INVAL;
        }
        struct change *c = put(page, CHANGE_MEMBER, f[0]);
        if (c == NULL) {
            free(text);
            return ERR_INVAL;
        }
        phone_mask(f[2], masked);
        str_copy(c->u.member.name, sizeof c->u.member.name, f[1]);
        str_copy(c->u.member.phone_masked, sizeof c->u.member.phone_masked,
                 masked);
        str_copy(c->u.member.community, sizeof c->u.member.community, f[3]);
        c->u.member.active = true;
        cJSON_AddStringToObject(names, f[0], f[1]);
    }
    free(text);
    return ERR_OK;
}

/* Split a line of a demo CSV (no quoting) into at most max fields;
 * returns how many, max + 1 when there are more. */
static int split(char *line, char **f, int max)
{
    int nf = 0;

    line[strcspn(line, "\r")] = '\0';
    for (char *p = line; p && nf <= max; nf++) {
        if (nf < max)
            f[nf] = p;
        p = strchr(p, ',');
        if (p)
            *p++ = '\0';
    }
    return nf;
}

/* 双报到, when the demo has it (older demo folders do not):
 * work_units.csv (code,name,paired_community) and each member's unit and
 * kind from roster_units.csv (roster.csv's columns, then work_unit,
 * reg_kind), as a hub would send them. */
static err_code add_units(struct change_page *page, const char *dir)
{
    char path[512], *save = NULL, *line, *f[7];
    size_t len;
    int lineno = 0;

    snprintf(path, sizeof path, "%s/work_units.csv", dir);
    if (access(path, R_OK) != 0)
        return ERR_OK;
    char *text = read_file(dir, "work_units.csv", &len);
    if (text == NULL)
        return ERR_IO;
    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (++lineno == 1)
            continue;                               /* header */
        struct change *c = split(line, f, 3) == 3
                           ? put(page, CHANGE_WORK_UNIT, f[0]) : NULL;
        if (c == NULL) {
            log_error("demo: %s/work_units.csv:%d: expected 3 fields", dir,
                      lineno);
            free(text);
            return ERR_INVAL;
        }
        str_copy(c->u.work_unit.name, sizeof c->u.work_unit.name, f[1]);
        str_copy(c->u.work_unit.paired_community,
                 sizeof c->u.work_unit.paired_community, f[2]);
    }
    free(text);
    if ((text = read_file(dir, "roster_units.csv", &len)) == NULL)
        return ERR_OK;
    lineno = 0;
    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (++lineno == 1 || split(line, f, 7) != 7)
            continue;
        for (size_t i = 0; i < page->n; i++) {
            struct change *c = &page->changes[i];
            if (c->type != CHANGE_MEMBER || strcmp(c->key, f[0]) != 0)
                continue;
            str_copy(c->u.member.work_unit, sizeof c->u.member.work_unit,
                     f[5]);
            str_copy(c->u.member.reg_kind, sizeof c->u.member.reg_kind,
                     f[6]);
        }
    }
    free(text);
    return ERR_OK;
}

static cJSON *read_array(const char *dir, const char *name)
{
    size_t len;
    char *text = read_file(dir, name, &len);
    cJSON *a = text ? cJSON_ParseWithLength(text, len) : NULL;

    free(text);
    if (text && !cJSON_IsArray(a)) {
        log_error("demo: %s/%s: not a JSON array", dir, name);
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

static const char *name_of(const cJSON *names, const char *member_no)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(names, member_no);
    return cJSON_IsString(n) ? n->valuestring : "";
}

static err_code add_posts(struct change_page *page, const cJSON *posts,
                          const cJSON *names)
{
    const cJSON *p, *h;

    cJSON_ArrayForEach(p, posts) {
        struct change *c = put(page, CHANGE_POST, json_str(p, "id"));
        struct change_post *d;

        if (c == NULL)
            return ERR_INVAL;
        d = &c->u.post;
        str_copy(d->category, sizeof d->category, json_str(p, "category"));
        str_copy(d->name, sizeof d->name, json_str(p, "name"));
        str_copy(d->duties, sizeof d->duties, json_str(p, "duties"));
        d->order = (int)json_int(p, "order", INT_MIN, INT_MAX);
        /* The hub's defaults for a post's rules (hub/hub_claims.h). */
        d->min_members = (int)json_int(p, "min_members", 0, 64);
        d->max_members = (int)json_int(p, "max_members", 0, 64);
        d->min_members = d->min_members ? d->min_members : 3;
        d->max_members = d->max_members ? d->max_members : 5;
        d->open = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "open"));
        d->places = d->open ? (int)json_int(p, "places", 0, 64) : 0;
        cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(p, "holders")) {
            const char *no = json_str(h, "member_no");
            const char *role = json_str(h, "role");
            struct change_holder *x;

            if (change_holder_add(c, &x) != ERR_OK || no[0] == '\0')
                return ERR_INVAL;
            str_copy(x->member_no, sizeof x->member_no, no);
            str_copy(x->name, sizeof x->name, name_of(names, no));
            x->role = strcmp(role, "head") == 0     ? CHANGE_ROLE_HEAD
                    : strcmp(role, "deputy") == 0 ? CHANGE_ROLE_DEPUTY
                                                  : CHANGE_ROLE_MEMBER;
        }
    }
    return ERR_OK;
}

static err_code add_duty(struct change_page *page, const cJSON *duty,
                         const cJSON *names, int off, const struct stamp *now)
{
    const cJSON *x;
    int i = 0;

    cJSON_ArrayForEach(x, duty) {
        char key[64], ymd[11];
        int64_t t = now->wall_ms +
                    json_int(x, "day_offset", -3660, 3660) * 86400000;
        const char *no = json_str(x, "member_no");
        struct change *c;

        clock_ymd(t, off, ymd);
        snprintf(key, sizeof key, "%s/%d", ymd, i++);
        if ((c = put(page, CHANGE_SHIFT, key)) == NULL ||
            clock_parse_ymd(ymd, &c->u.shift.day) != ERR_OK)
            return ERR_INVAL;
        str_copy(c->u.shift.shift, sizeof c->u.shift.shift,
                 json_str(x, "shift"));
        str_copy(c->u.shift.member_no, sizeof c->u.shift.member_no, no);
        str_copy(c->u.shift.name, sizeof c->u.shift.name, name_of(names, no));
    }
    return ERR_OK;
}

static err_code add_contacts(struct change_page *page, const cJSON *rows)
{
    const cJSON *x;

    cJSON_ArrayForEach(x, rows) {
        struct change *c = put(page, CHANGE_CONTACT, json_str(x, "id"));
        struct change_contact *k;

        if (c == NULL)
            return ERR_INVAL;
        k = &c->u.contact;
        str_copy(k->building, sizeof k->building, json_str(x, "building"));
        str_copy(k->unit, sizeof k->unit, json_str(x, "unit"));
        str_copy(k->name, sizeof k->name, json_str(x, "name"));
        str_copy(k->role, sizeof k->role, json_str(x, "role"));
        str_copy(k->duties, sizeof k->duties, json_str(x, "duties"));
        str_copy(k->phone, sizeof k->phone, json_str(x, "phone"));
    }
    return ERR_OK;
}

static err_code add_notices(struct change_page *page, const cJSON *rows,
                            const struct stamp *now)
{
    const cJSON *x;

    cJSON_ArrayForEach(x, rows) {
        struct change *c = put(page, CHANGE_NOTICE, json_str(x, "id"));
        struct change_notice *n;

        if (c == NULL)
            return ERR_INVAL;
        n = &c->u.notice;
        str_copy(n->title, sizeof n->title, json_str(x, "title"));
        str_copy(n->body, sizeof n->body, json_str(x, "body"));
        n->published_ms = now->wall_ms -
            json_int(x, "published_days_ago", -3660, 3660) * 86400000;
    }
    return ERR_OK;
}

static err_code add_stars(struct change_page *page, const cJSON *rows)
{
    const cJSON *x;

    cJSON_ArrayForEach(x, rows) {
        char key[64];
        struct change *c;
        struct change_star *r;

        snprintf(key, sizeof key, "%s/%d", json_str(x, "period"),
                 (int)json_int(x, "rank", INT_MIN, INT_MAX));
        if ((c = put(page, CHANGE_STAR, key)) == NULL)
            return ERR_INVAL;
        r = &c->u.star;
        r->period = change_period_parse(json_str(x, "period"));
        if (r->period == 0)
            return ERR_INVAL;
        r->rank = (int)json_int(x, "rank", INT_MIN, INT_MAX);
        r->points = (int)json_int(x, "points", INT_MIN, INT_MAX);
        str_copy(r->member_no, sizeof r->member_no, json_str(x, "member_no"));
        str_copy(r->name, sizeof r->name, json_str(x, "name"));
    }
    return ERR_OK;
}

/* The hub's types of request and wish, as `hubctl ledger types` sends
 * them; optional: a demo directory without the file has none. */
static err_code add_ledger_types(struct change_page *page, const char *dir)
{
    char path[512];
    const cJSON *x, *v;
    snprintf(path, sizeof path, "%s/ledger_types.json", dir);
    if (access(path, F_OK) != 0)
        return ERR_OK;
    cJSON *rows = read_array(dir, "ledger_types.json");
    if (rows == NULL)
        return ERR_INVAL;
    cJSON_ArrayForEach(x, rows) {
        struct change *c = put(page, CHANGE_LEDGER_TYPE, json_str(x, "code"));
        if (c == NULL) {
            cJSON_Delete(rows);
            return ERR_INVAL;
        }
        struct change_ledger_type *t = &c->u.ledger_type;
        str_copy(t->name, sizeof t->name, json_str(x, "name"));
        str_copy(t->name_en, sizeof t->name_en, json_str(x, "name_en"));
        t->order = (int)json_int(x, "order", INT_MIN, INT_MAX);
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x, "kinds")) {
            t->for_request |= cJSON_IsString(v) &&
                              strcmp(v->valuestring, "request") == 0;
            t->for_wish |= cJSON_IsString(v) &&
                           strcmp(v->valuestring, "wish") == 0;
        }
        cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x, "presets"))
            if (cJSON_IsString(v) && t->n_presets < CHANGE_PRESETS)
                str_copy(t->presets[t->n_presets++], CHANGE_PRESET,
                         v->valuestring);
    }
    cJSON_Delete(rows);
    return ERR_OK;
}

/* What `hubctl stars` sends with the board: each starred member's points
 * and rank per period, counted today, so My record agrees with the star
 * board on the demo station too. */
static err_code add_totals(struct change_page *page, const cJSON *rows,
                           int off, const struct stamp *now)
{
    const cJSON *x;

    cJSON_ArrayForEach(x, rows) {
        const char *no = json_str(x, "member_no");
        int p = (int)change_period_parse(json_str(x, "period")) - 1;
        struct change *c = NULL;

        if (p < 0 || p > 2 || no[0] == '\0')
            return ERR_INVAL;
        for (size_t i = 0; i < page->n && c == NULL; i++)
            if (page->changes[i].type == CHANGE_MEMBER_TOTAL &&
                strcmp(page->changes[i].key, no) == 0)
                c = &page->changes[i];
        if (c == NULL && (c = put(page, CHANGE_MEMBER_TOTAL, no)) == NULL)
            return ERR_INVAL;
        c->u.member_total.as_of = clock_local_day(now->wall_ms, off);
        c->u.member_total.points[p] =
            (int)json_int(x, "points", 0, INT_MAX);
        c->u.member_total.rank[p] = (int)json_int(x, "rank", 0, INT_MAX);
    }
    /* A member on the month's board and not the year's still has at least
     * the month's points this year: the demo knows no more than that. */
    for (size_t i = 0; i < page->n; i++) {
        int *pt = page->changes[i].u.member_total.points;
        if (page->changes[i].type != CHANGE_MEMBER_TOTAL)
            continue;
        if (pt[1] < pt[0])
            pt[1] = pt[0];
        if (pt[2] < pt[1])
            pt[2] = pt[1];
    }
    return ERR_OK;
}

static err_code build_page(struct change_page *page, const char *dir,
                           int off, const struct stamp *now)
{
    static const char *const files[] = { "posts.json", "duty.json",
        "contacts.json", "notices.json", "stars.json" };
    cJSON *a[5] = { NULL }, *names = cJSON_CreateObject();
    err_code e = add_roster(page, dir, names);

    for (int i = 0; e == ERR_OK && i < 5; i++)
        if ((a[i] = read_array(dir, files[i])) == NULL)
            e = ERR_INVAL;
    if (e == ERR_OK)
        e = add_posts(page, a[0], names);
    if (e == ERR_OK)
        e = add_duty(page, a[1], names, off, now);
    if (e == ERR_OK)
        e = add_contacts(page, a[2]);
    if (e == ERR_OK)
        e = add_notices(page, a[3], now);
    if (e == ERR_OK)
        e = add_stars(page, a[4]);
    if (e == ERR_OK)
        e = add_totals(page, a[4], off, now);
    if (e == ERR_OK)
        e = add_ledger_types(page, dir);
    if (e == ERR_OK)
        e = add_units(page, dir);
    for (int i = 0; i < 5; i++)
        cJSON_Delete(a[i]);
    cJSON_Delete(names);
    return e;
}

/* The files become typed changes directly: no wire text in between. */
err_code demo_load(struct store *s, const char *dir, int off,
                   const struct stamp *now)
{
    struct change_page page = { .hub_time_ms = now->wall_ms };
    err_code e = build_page(&page, dir, off, now);

    if (e == ERR_OK)
        e = store_hub_apply(s, &page, NULL);
    change_page_free(&page);
    return e;
}
