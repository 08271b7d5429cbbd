/* hub/hub_awards.c - the year-end awards (hub/hub_awards.h). */
#include "hub/hub_awards.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "base/csv.h"
#include "base/xmalloc.h"
#include "hub/hub_audit.h"
#include "hub/hub_db_board.h"
#include "hub/hub_db_points.h"

#define DAY_MS (24LL * 3600 * 1000)

/* Competition ranking over points sorted most first: equal points, equal
 * rank (1, 2, 2, 4). Returns how many of the n fit in `places`: a tie at
 * the last place is awarded whole. */
static size_t ranked(const int *points, size_t n, int places, int *rank)
{
    size_t i;
    for (i = 0; i < n; i++) {
        rank[i] = i > 0 && points[i] == points[i - 1] ? rank[i - 1]
                                                      : (int)i + 1;
        if (rank[i] > places)
            break;
    }
    return i;
}

struct post_row {
    char id[64];
    char name[64];
    int  per_holder;
};

static int post_cmp(const void *a, const void *b)
{
    const struct post_row *x = a, *y = b;
    if (x->per_holder != y->per_holder)
        return x->per_holder > y->per_holder ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* The posts of station with points on them in the year, per holder (the
 * holders published now: a post of four holders is not four times
 * better than a post of one), most first. */
static err_code posts_ranked(struct hub_db *db, const char *station,
                             const char *from, const char *to,
                             struct post_row **rows, size_t *n)
{
    struct hub_post_points *pp;
    size_t npp, nposts;
    char **ids, **data;
    err_code e = hub_db_post_points(db, station, from, to, &pp, &npp);
    if (e != ERR_OK)
        return e;
    e = hub_db_posts_published(db, station, &ids, &data, &nposts);
    if (e != ERR_OK) {
        free(pp);
        return e;
    }
    *rows = xcalloc(npp ? npp : 1, sizeof **rows);
    *n = 0;
    for (size_t i = 0; i < npp; i++) {
        struct post_row *r = &(*rows)[(*n)++];
        int holders = 1;
        str_copy(r->id, sizeof r->id, pp[i].id);
        str_copy(r->name, sizeof r->name, pp[i].id);
        for (size_t j = 0; j < nposts; j++) {
            if (strcmp(ids[j], pp[i].id) != 0)
                continue;
            cJSON *d = cJSON_Parse(data[j]);
            const cJSON *nm = cJSON_GetObjectItemCaseSensitive(d, "name");
            const cJSON *hs = cJSON_GetObjectItemCaseSensitive(d, "holders");
            if (cJSON_IsString(nm))
                str_copy(r->name, sizeof r->name, nm->valuestring);
            if (cJSON_IsArray(hs) && cJSON_GetArraySize(hs) > 0)
                holders = cJSON_GetArraySize(hs);
            cJSON_Delete(d);
            break;
        }
        /* Rounded half up, as the points rule rounds. */
        r->per_holder = (pp[i].points + holders / 2) / holders;
    }
    qsort(*rows, *n, sizeof **rows, post_cmp);
    free(pp);
    hub_db_keys_free(ids, nposts);
    hub_db_keys_free(data, nposts);
    return ERR_OK;
}

static void award_csv(FILE *out, const struct hub_award *a)
{
    csv_int(out, a->year, true);
    csv_text(out, a->station, false);
    csv_text(out, a->kind, false);
    csv_int(out, a->rank, false);
    csv_text(out, a->subject, false);
    csv_text(out, a->name, false);
    csv_int(out, a->points, false);
    csv_end(out);
}

/* Send the station's kiosks what differs from what they hold: the new
 * awards put, the ones no longer held (an earlier year's, a rerun's)
 * deleted. */
static err_code awards_publish(struct hub_db *db, const char *station,
                               const struct hub_award *a, size_t n,
                               int *changes)
{
    char **keys;
    size_t nkeys;
    err_code e = hub_db_published_keys(db, station, "award", &keys, &nkeys);
    for (size_t k = 0; k < nkeys && e == ERR_OK; k++) {
        bool kept = false;
        for (size_t i = 0; i < n && !kept; i++) {
            char key[160];
            snprintf(key, sizeof key, "%d/%s/%s", a[i].year, a[i].kind,
                     a[i].subject);
            kept = strcmp(key, keys[k]) == 0;
        }
        if (kept)
            continue;
        e = hub_db_change_add(db, station, NULL, "award", keys[k], NULL);
        if (e == ERR_OK)
            e = hub_db_published_del(db, station, "award", keys[k]);
        if (e == ERR_OK)
            (*changes)++;
    }
    hub_db_keys_free(keys, nkeys);
    for (size_t i = 0; i < n && e == ERR_OK; i++) {
        char key[160];
        snprintf(key, sizeof key, "%d/%s/%s", a[i].year, a[i].kind,
                 a[i].subject);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddNumberToObject(d, "year", a[i].year);
        cJSON_AddStringToObject(d, "kind", a[i].kind);
        cJSON_AddNumberToObject(d, "rank", a[i].rank);
        cJSON_AddStringToObject(d, "subject", a[i].subject);
        cJSON_AddStringToObject(d, "name", a[i].name);
        cJSON_AddNumberToObject(d, "points", a[i].points);
        char *json = cJSON_PrintUnformatted(d);
        cJSON_Delete(d);
        if (!hub_db_published_same(db, station, "award", key, json)) {
            e = hub_db_published_del(db, station, "award", key);
            if (e == ERR_OK)
                e = hub_db_change_add(db, station, NULL, "award", key, json);
            if (e == ERR_OK)
                e = hub_db_published_put(db, station, "award", key, json);
            if (e == ERR_OK)
                (*changes)++;
        }
        free(json);
    }
    return e;
}

static err_code station_awards(struct hub_db *db, const char *station,
                               const struct hub_awards_opts *o, FILE *out,
                               int *changes)
{
    char from[24], to[24], next[24];
    int64_t day0, day1;
    snprintf(from, sizeof from, "%04d-01-01", o->year);
    snprintf(to, sizeof to, "%04d-12-31", o->year);
    snprintf(next, sizeof next, "%04d-01-01", o->year + 1);
    if (clock_parse_ymd(from, &day0) != ERR_OK ||
        clock_parse_ymd(next, &day1) != ERR_OK)
        return ERR_INVAL;
    /* The year in station time: its first and last millisecond. */
    int64_t off = (int64_t)o->utc_offset_minutes * 60000;
    int64_t from_ms = day0 * DAY_MS - off, to_ms = day1 * DAY_MS - off - 1;

    struct post_row *posts = NULL;
    struct hub_star_named *mem = NULL;
    size_t np = 0, nm = 0;
    err_code e = posts_ranked(db, station, from, to, &posts, &np);
    if (e == ERR_OK)
        e = hub_db_member_points_between(db, station, from, to, from_ms,
                                         to_ms, &mem, &nm);
    size_t cap = np + nm;
    struct hub_award *a = xcalloc(cap ? cap : 1, sizeof *a);
    int *pts = xcalloc(cap ? cap : 1, sizeof *pts);
    int *rank = xcalloc(cap ? cap : 1, sizeof *rank);
    size_t n = 0;
    if (e == ERR_OK) {
        for (size_t i = 0; i < np; i++)
            pts[i] = posts[i].per_holder;
        size_t take = ranked(pts, np, o->posts, rank);
        for (size_t i = 0; i < take; i++, n++) {
            a[n] = (struct hub_award){ .year = o->year, .rank = rank[i],
                                       .points = posts[i].per_holder };
            str_copy(a[n].station, sizeof a[n].station, station);
            str_copy(a[n].kind, sizeof a[n].kind, "post");
            str_copy(a[n].subject, sizeof a[n].subject, posts[i].id);
            str_copy(a[n].name, sizeof a[n].name, posts[i].name);
        }
        for (size_t i = 0; i < nm; i++)
            pts[i] = mem[i].points;
        take = ranked(pts, nm, o->members, rank);
        for (size_t i = 0; i < take; i++, n++) {
            a[n] = (struct hub_award){ .year = o->year, .rank = rank[i],
                                       .points = mem[i].points };
            str_copy(a[n].station, sizeof a[n].station, station);
            str_copy(a[n].kind, sizeof a[n].kind, "member");
            str_copy(a[n].subject, sizeof a[n].subject, mem[i].member_no);
            str_copy(a[n].name, sizeof a[n].name, mem[i].name);
        }
    }
    if (e == ERR_OK)
        e = hub_db_begin(db);
    if (e == ERR_OK) {
        e = hub_db_awards_put(db, o->year, station, a, n);
        int c = 0;
        if (e == ERR_OK)
            e = awards_publish(db, station, a, n, &c);
        if (e == ERR_OK && o->actor) {
            char object[80], after[96];
            size_t npost = 0;
            for (size_t i = 0; i < n; i++)
                npost += strcmp(a[i].kind, "post") == 0;
            snprintf(object, sizeof object, "station:%s", station);
            snprintf(after, sizeof after, "{\"year\":%d,\"posts\":%zu,"
                     "\"members\":%zu}", o->year, npost, n - npost);
            e = hub_audit_record(db, o->actor, "awards.publish", object, "",
                                 after);
        }
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
        if (e == ERR_OK) {
            *changes += c;
            for (size_t i = 0; i < n; i++)
                award_csv(out, &a[i]);
        }
    }
    free(posts);
    free(mem);
    free(a);
    free(pts);
    free(rank);
    return e;
}

err_code hub_awards_run(struct hub_db *db, const struct hub_awards_opts *o,
                        FILE *out, FILE *err, int *changes)
{
    *changes = 0;
    if (o->year < 2000 || o->year > 2200) {
        fprintf(err, "the year must be 2000 to 2200\n");
        return ERR_INVAL;
    }
    if (o->posts < 0 || o->posts > HUB_AWARDS_MAX || o->members < 0 ||
        o->members > HUB_AWARDS_MAX) {
        fprintf(err, "--posts and --members must be 0 to %d\n",
                HUB_AWARDS_MAX);
        return ERR_INVAL;
    }
    char **st;
    size_t n;
    err_code e = hub_db_station_ids(db, &st, &n);
    if (e != ERR_OK)
        return e;
    csv_header(out, "year,station,kind,rank,subject,name,points");
    for (size_t i = 0; i < n && e == ERR_OK; i++)
        e = station_awards(db, st[i], o, out, changes);
    hub_db_keys_free(st, n);
    return e;
}
