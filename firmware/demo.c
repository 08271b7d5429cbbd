/* firmware/demo.c - the demo station as a change page. Only for `make run`
 * and tests; a real kiosk gets the same tables from the hub. */
#include "firmware/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

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

static cJSON *change(cJSON *changes, const char *type, const char *key)
{
    cJSON *c = cJSON_CreateObject(), *data = cJSON_CreateObject();

    cJSON_AddStringToObject(c, "type", type);
    cJSON_AddStringToObject(c, "op", "put");
    cJSON_AddStringToObject(c, "key", key);
    cJSON_AddItemToObject(c, "data", data);
    cJSON_AddItemToArray(changes, c);
    return data;
}

/* roster.csv: member_no,name,phone,community,station; no quoting. */
static err_code add_roster(cJSON *changes, const char *dir, cJSON *names)
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
        cJSON *d = change(changes, "member", f[0]);
        phone_mask(f[2], masked);
        cJSON_AddStringToObject(d, "name", f[1]);
        cJSON_AddStringToObject(d, "phone_masked", masked);
        cJSON_AddStringToObject(d, "community", f[3]);
        cJSON_AddBoolToObject(d, "active", 1);
        cJSON_AddStringToObject(names, f[0], f[1]);
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

/* posts.json is already in feed shape but for holders' names. */
static void add_posts(cJSON *changes, const cJSON *posts, const cJSON *names)
{
    const cJSON *p, *h;

    cJSON_ArrayForEach(p, posts) {
        cJSON *d = change(changes, "post", json_str(p, "id"));
        cJSON *holders = cJSON_AddArrayToObject(d, "holders");
        cJSON_AddStringToObject(d, "category", json_str(p, "category"));
        cJSON_AddStringToObject(d, "name", json_str(p, "name"));
        cJSON_AddStringToObject(d, "duties", json_str(p, "duties"));
        cJSON_AddNumberToObject(d, "order", json_num(p, "order"));
        cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(p, "holders")) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "member_no", json_str(h, "member_no"));
            cJSON_AddStringToObject(x, "name",
                                    name_of(names, json_str(h, "member_no")));
            cJSON_AddStringToObject(x, "role", json_str(h, "role"));
            cJSON_AddItemToArray(holders, x);
        }
    }
}

static void add_duty(cJSON *changes, const cJSON *duty, const cJSON *names,
                     int off, const struct stamp *now)
{
    const cJSON *x;
    int i = 0;

    cJSON_ArrayForEach(x, duty) {
        char key[64], ymd[11];
        int64_t t = now->wall_ms + (int64_t)json_num(x, "day_offset") * 86400000;

        clock_ymd(t, off, ymd);
        snprintf(key, sizeof key, "%s/%d", ymd, i++);
        cJSON *d = change(changes, "shift", key);
        cJSON_AddStringToObject(d, "day", ymd);
        cJSON_AddStringToObject(d, "shift", json_str(x, "shift"));
        cJSON_AddStringToObject(d, "member_no", json_str(x, "member_no"));
        cJSON_AddStringToObject(d, "name",
                                name_of(names, json_str(x, "member_no")));
    }
}

static void add_plain(cJSON *changes, const cJSON *rows, const char *type,
                      const struct stamp *now)
{
    const cJSON *x;

    cJSON_ArrayForEach(x, rows) {
        char key[64];
        cJSON *d;

        if (strcmp(type, "star") == 0)
            snprintf(key, sizeof key, "%s/%d", json_str(x, "period"),
                     (int)json_num(x, "rank"));
        else
            snprintf(key, sizeof key, "%s", json_str(x, "id"));
        d = change(changes, type, key);
        for (const cJSON *f = x->child; f; f = f->next)
            cJSON_AddItemToObject(d, f->string, cJSON_Duplicate(f, 1));
        if (strcmp(type, "notice") == 0)
            cJSON_AddNumberToObject(d, "published_ms",
                (double)(now->wall_ms -
                         (int64_t)json_num(x, "published_days_ago") * 86400000));
    }
}

static err_code build_page(cJSON *changes, const char *dir, int off,
                           const struct stamp *now)
{
    static const char *const files[] = { "posts.json", "duty.json",
        "contacts.json", "notices.json", "stars.json" };
    cJSON *a[5] = { NULL }, *names = cJSON_CreateObject();
    err_code e = add_roster(changes, dir, names);

    for (int i = 0; e == ERR_OK && i < 5; i++)
        if ((a[i] = read_array(dir, files[i])) == NULL)
            e = ERR_INVAL;
    if (e == ERR_OK) {
        add_posts(changes, a[0], names);
        add_duty(changes, a[1], names, off, now);
        add_plain(changes, a[2], "contact", now);
        add_plain(changes, a[3], "notice", now);
        add_plain(changes, a[4], "star", now);
    }
    for (int i = 0; i < 5; i++)
        cJSON_Delete(a[i]);
    cJSON_Delete(names);
    return e;
}

err_code demo_load(struct store *s, const char *dir, int off,
                   const struct stamp *now)
{
    cJSON *page = cJSON_CreateObject();
    cJSON *changes = cJSON_AddArrayToObject(page, "changes");
    char *text;
    err_code e;

    cJSON_AddNumberToObject(page, "hub_time_ms", (double)now->wall_ms);
    e = build_page(changes, dir, off, now);
    if (e == ERR_OK) {
        text = cJSON_PrintUnformatted(page);
        e = store_hub_apply(s, text, strlen(text), NULL);
        cJSON_free(text);
    }
    cJSON_Delete(page);
    return e;
}
