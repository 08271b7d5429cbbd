/* sync/proto.c - sync protocol v1 JSON, built and read with cJSON. Knows
 * the shapes of messages, not where they travel. */
#include "sync/proto.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/card.h"
#include "base/clock.h"
#include "base/json.h"
#include "base/ledger.h"
#include "base/event.h"
#include "base/log.h"
#include "base/xmalloc.h"

/* cJSON keeps numbers as doubles, exact up to 2^53, but prints them
 * exactly only below 2^52 (its %1.15g shortcut tolerates an error of one
 * unit above that): the cap, so what is decoded re-encodes the same. */
#define JSON_INT_MAX 4503599627370496.0

static cJSON *event_json(const struct event *ev)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seq", (double)ev->seq);
    cJSON_AddStringToObject(o, "kind", event_kind_name(ev->kind));
    cJSON_AddStringToObject(o, "member_no", ev->member_no);
    cJSON_AddNumberToObject(o, "wall_ms", (double)ev->at.wall_ms);
    cJSON_AddBoolToObject(o, "clock_trusted", ev->at.clock_trusted);
    cJSON_AddStringToObject(o, "boot_id", ev->at.boot_id);
    cJSON_AddNumberToObject(o, "mono_ms", (double)ev->at.mono_ms);
    cJSON *data = cJSON_Parse(ev->data[0] ? ev->data : "{}");
    if (!data || !cJSON_IsObject(data)) {
        /* Our own store wrote it; keep the text rather than lose it. */
        log_warn("proto: event %" PRIu64 " has malformed data", ev->seq);
        cJSON_Delete(data);
        data = cJSON_CreateObject();
        cJSON_AddStringToObject(data, "unparsed", ev->data);
    }
    cJSON_AddItemToObject(o, "data", data);
    return o;
}

err_code proto_events_encode(const struct event *evs, size_t n,
                             const char *station, char **json, size_t *len)
{
    struct proto_batch b = { .epoch_start = 0 };
    str_copy(b.station, sizeof b.station, station ? station : "");
    return proto_events_encode_batch(evs, n, &b, json, len);
}

err_code proto_events_encode_batch(const struct event *evs, size_t n,
                                   const struct proto_batch *b, char **json,
                                   size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    if (b->station[0])
        cJSON_AddStringToObject(root, "station", b->station);
    if (b->epoch[0]) {
        cJSON_AddStringToObject(root, "epoch", b->epoch);
        cJSON_AddNumberToObject(root, "epoch_start", (double)b->epoch_start);
    }
    cJSON *arr = cJSON_AddArrayToObject(root, "events");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, event_json(&evs[i]));
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();                             /* out of memory */
    *len = strlen(*json);
    return ERR_OK;
}

static bool get_int(const cJSON *o, const char *name, int64_t lo, int64_t hi,
                    int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
        fabs(v->valuedouble) > JSON_INT_MAX)
        return false;
    double d = v->valuedouble;
    if (d < (double)lo || d > (double)hi)
        return false;
    *out = (int64_t)d;
    return true;
}

static bool get_str(const cJSON *o, const char *name, char *out, size_t cap,
                    bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v) {
        out[0] = '\0';
        return !required;
    }
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
        return false;
    memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
    return true;
}

static bool kind_known(const char *k)
{
    return event_kind_parse(k) != 0;
}

static bool event_from(const cJSON *o, struct proto_event *ev)
{
    int64_t seq, wall, mono;
    if (!cJSON_IsObject(o) || !get_int(o, "seq", 1, INT64_MAX, &seq) ||
        !get_int(o, "wall_ms", 0, INT64_MAX, &wall) ||
        !get_int(o, "mono_ms", 0, INT64_MAX, &mono))
        return false;
    ev->seq = (uint64_t)seq;
    ev->wall_ms = wall;
    ev->mono_ms = mono;
    if (!get_str(o, "kind", ev->kind, sizeof ev->kind, true) ||
        !kind_known(ev->kind) ||
        !get_str(o, "member_no", ev->member_no, sizeof ev->member_no, true) ||
        !get_str(o, "boot_id", ev->boot_id, sizeof ev->boot_id, false))
        return false;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "clock_trusted");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "data");
    if (!cJSON_IsBool(t) || (d && !cJSON_IsObject(d)))
        return false;
    ev->clock_trusted = cJSON_IsTrue(t);
    if (!d) {
        strcpy(ev->data, "{}");
        return true;
    }
    return cJSON_PrintPreallocated((cJSON *)d, ev->data, sizeof ev->data,
                                   0) != 0;
}

err_code proto_events_decode(const char *json, size_t len,
                             struct proto_event **out, size_t *n,
                             char *station, size_t station_cap)
{
    struct proto_batch b;
    err_code e = proto_events_decode_batch(json, len, out, n, &b);
    station[0] = '\0';
    if (e == ERR_OK && strlen(b.station) >= station_cap) {
        free(*out);
        *out = NULL;
        *n = 0;
        return ERR_PROTO;
    }
    if (e == ERR_OK)
        str_copy(station, station_cap, b.station);
    return e;
}

static bool epoch_ok(const char *ep)
{
    for (const char *p = ep; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == '-'))
            return false;
    return true;
}

/* The envelope's fields; false when one is malformed. */
static bool batch_from(const cJSON *root, struct proto_batch *b)
{
    int64_t start = 0;
    if (!get_str(root, "station", b->station, sizeof b->station, false) ||
        !get_str(root, "epoch", b->epoch, sizeof b->epoch, false) ||
        !epoch_ok(b->epoch))
        return false;
    if (cJSON_GetObjectItemCaseSensitive(root, "epoch_start") &&
        !get_int(root, "epoch_start", 1, (int64_t)JSON_INT_MAX, &start))
        return false;
    b->epoch_start = (uint64_t)start;
    return true;
}

err_code proto_events_decode_batch(const char *json, size_t len,
                                   struct proto_event **out, size_t *n,
                                   struct proto_batch *b)
{
    *out = NULL;
    *n = 0;
    memset(b, 0, sizeof *b);
    if (len > PROTO_BODY_MAX)
        return ERR_PROTO;
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "events");
    int count = cJSON_GetArraySize(arr);
    if (!cJSON_IsObject(root) || !cJSON_IsArray(arr) || count < 0 ||
        count > PROTO_BATCH_MAX || !batch_from(root, b)) {
        memset(b, 0, sizeof *b);
        cJSON_Delete(root);
        return ERR_PROTO;
    }
    struct proto_event *evs = xcalloc((size_t)count + 1, sizeof *evs);
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (!event_from(it, &evs[i])) {
            free(evs);
            cJSON_Delete(root);
            return ERR_PROTO;
        }
        i++;
    }
    cJSON_Delete(root);
    *out = evs;
    *n = i;
    return ERR_OK;
}

err_code proto_ack_encode(uint64_t acked, int64_t hub_ms, char *out,
                          size_t cap)
{
    int n = snprintf(out, cap, "{\"acked\":%" PRIu64 ",\"hub_time_ms\":%"
                     PRId64 "}", acked, hub_ms);
    return n > 0 && (size_t)n < cap ? ERR_OK : ERR_INVAL;
}

err_code proto_ack_decode(const char *json, size_t len, uint64_t *acked,
                          int64_t *hub_ms)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    int64_t a, t;
    bool ok = cJSON_IsObject(root) &&
              get_int(root, "acked", 0, INT64_MAX, &a) &&
              get_int(root, "hub_time_ms", 0, INT64_MAX, &t);
    cJSON_Delete(root);
    if (!ok)
        return ERR_PROTO;
    *acked = (uint64_t)a;
    *hub_ms = t;
    return ERR_OK;
}

/* ---- the full answer to an upload ------------------------------------ */

err_code proto_answer_encode(const struct proto_answer *a, char **json,
                             size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "acked", (double)a->acked);
    cJSON_AddNumberToObject(root, "hub_time_ms", (double)a->hub_ms);
    cJSON_AddNumberToObject(root, "held", (double)a->held);
    if (a->conflict)
        cJSON_AddNumberToObject(root, "conflict", (double)a->conflict);
    cJSON *arr = cJSON_AddArrayToObject(root, "refused");
    for (size_t i = 0; i < a->n_refused; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddNumberToObject(r, "seq", (double)a->refused[i].seq);
        cJSON_AddStringToObject(r, "reason", a->refused[i].reason);
        cJSON_AddItemToArray(arr, r);
    }
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();
    *len = strlen(*json);
    return ERR_OK;
}

static bool refused_from(const cJSON *arr, struct proto_answer *a)
{
    int count = cJSON_GetArraySize(arr);
    if (!arr)
        return true;
    if (!cJSON_IsArray(arr) || count > PROTO_BATCH_MAX)
        return false;
    a->refused = xcalloc((size_t)count + 1, sizeof *a->refused);
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        struct proto_refusal *r = &a->refused[a->n_refused];
        int64_t seq;
        if (!cJSON_IsObject(it) || !get_int(it, "seq", 1, INT64_MAX, &seq))
            return false;
        r->seq = (uint64_t)seq;
        str_copy(r->reason, sizeof r->reason, json_str(it, "reason"));
        a->n_refused++;
    }
    return true;
}

err_code proto_answer_decode(const char *json, size_t len,
                             struct proto_answer *a)
{
    memset(a, 0, sizeof *a);
    cJSON *root = cJSON_ParseWithLength(json, len);
    int64_t acked, t, held = 0, conflict = 0;
    bool ok = cJSON_IsObject(root) &&
              get_int(root, "acked", 0, INT64_MAX, &acked) &&
              get_int(root, "hub_time_ms", 0, INT64_MAX, &t);
    if (ok && cJSON_GetObjectItemCaseSensitive(root, "held"))
        ok = get_int(root, "held", 0, INT64_MAX, &held);
    if (ok && cJSON_GetObjectItemCaseSensitive(root, "conflict"))
        ok = get_int(root, "conflict", 0, INT64_MAX, &conflict);
    if (ok)
        ok = refused_from(cJSON_GetObjectItemCaseSensitive(root, "refused"),
                          a);
    cJSON_Delete(root);
    if (!ok) {
        proto_answer_free(a);
        return ERR_PROTO;
    }
    a->acked = (uint64_t)acked;
    a->hub_ms = t;
    a->held = (uint64_t)held;
    a->conflict = (uint64_t)conflict;
    return ERR_OK;
}

void proto_answer_free(struct proto_answer *a)
{
    free(a->refused);
    a->refused = NULL;
    a->n_refused = 0;
}

/* ---- change pages ---------------------------------------------------- */

/* Free text: missing or not a string reads as "", as the store always
 * read it; longer than its field is cut at a UTF-8 boundary. */
static void text(const cJSON *o, const char *name, char *out, size_t cap)
{
    str_copy(out, cap, json_str(o, name));
}

/* An identifier: "" when missing, refused when longer than its field. */
static bool ident(const cJSON *o, const char *name, char *out, size_t cap)
{
    return str_copy(out, cap, json_str(o, name)) == 0;
}

/* A whole number in [lo, hi]; missing or not a number reads as 0. */
static bool whole(const cJSON *o, const char *name, int64_t lo, int64_t hi,
                  int64_t *out)
{
    *out = 0;
    if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, name)))
        return true;
    return get_int(o, name, lo, hi, out);
}

static bool whole_int(const cJSON *o, const char *name, int *out)
{
    int64_t v;
    if (!whole(o, name, INT_MIN, INT_MAX, &v))
        return false;
    *out = (int)v;
    return true;
}

static bool whole_ms(const cJSON *o, const char *name, int64_t *out)
{
    return whole(o, name, 0, (int64_t)JSON_INT_MAX, out);
}

static bool member_from(const cJSON *d, struct change *c)
{
    struct change_member *m = &c->u.member;
    text(d, "name", m->name, sizeof m->name);
    text(d, "phone_masked", m->phone_masked, sizeof m->phone_masked);
    text(d, "community", m->community, sizeof m->community);
    m->active = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(d, "active"));
    /* 双报到: absent from an older hub's changes, read as "". A kind this
     * kiosk does not know (a newer hub's) reads as "" too: shown as no
     * kind, never a refused page. */
    text(d, "reg_kind", m->reg_kind, sizeof m->reg_kind);
    if (strcmp(m->reg_kind, "residence") && strcmp(m->reg_kind, "paired"))
        m->reg_kind[0] = '\0';
    return ident(d, "pin_hash", m->pin_hash, sizeof m->pin_hash) &&
           ident(d, "work_unit", m->work_unit, sizeof m->work_unit);
}

static bool member_total_from(const cJSON *d, struct change *c)
{
    static const char *const pts[3] = { "month_points", "quarter_points",
                                        "year_points" };
    static const char *const rks[3] = { "month_rank", "quarter_rank",
                                        "year_rank" };
    struct change_member_total *t = &c->u.member_total;
    int64_t v;

    if (clock_parse_ymd(json_str(d, "as_of"), &t->as_of) != ERR_OK)
        return false;
    for (int i = 0; i < 3; i++) {
        if (!whole(d, pts[i], 0, INT_MAX, &v))
            return false;
        t->points[i] = (int)v;
        if (!whole(d, rks[i], 0, INT_MAX, &v))
            return false;
        t->rank[i] = (int)v;
    }
    return true;
}

static enum change_role role_of(const char *r)
{
    if (strcmp(r, "head") == 0)
        return CHANGE_ROLE_HEAD;
    if (strcmp(r, "deputy") == 0)
        return CHANGE_ROLE_DEPUTY;
    return CHANGE_ROLE_MEMBER;
}

/* The post's rules, absent from a hub before them (all 0: closed). */
static bool post_rules_from(const cJSON *d, struct change_post *p)
{
    int64_t lo, hi, places;
    if (!whole(d, "min_members", 0, CHANGE_HOLDERS_MAX, &lo) ||
        !whole(d, "max_members", 0, CHANGE_HOLDERS_MAX, &hi) ||
        !whole(d, "places", 0, CHANGE_HOLDERS_MAX, &places))
        return false;
    p->min_members = (int)lo;
    p->max_members = (int)hi;
    p->places = (int)places;
    p->open = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "open"));
    return true;
}

static bool post_from(const cJSON *d, struct change *c)
{
    struct change_post *p = &c->u.post;
    const cJSON *hs = cJSON_GetObjectItemCaseSensitive(d, "holders"), *h;
    text(d, "category", p->category, sizeof p->category);
    text(d, "name", p->name, sizeof p->name);
    text(d, "duties", p->duties, sizeof p->duties);
    if (!whole_int(d, "order", &p->order) || !post_rules_from(d, p))
        return false;
    if (!cJSON_IsArray(hs))
        return true;
    cJSON_ArrayForEach(h, hs) {
        struct change_holder *x;
        if (!cJSON_IsObject(h) || change_holder_add(c, &x) != ERR_OK ||
            !ident(h, "member_no", x->member_no, sizeof x->member_no) ||
            !x->member_no[0])
            return false;
        text(h, "name", x->name, sizeof x->name);
        x->role = role_of(json_str(h, "role"));
    }
    return true;
}

/* "kind": claim | swap; "state": pending | approved | declined. */
static bool claim_from(const cJSON *d, struct change *c)
{
    struct change_claim *k = &c->u.claim;
    const char *kind = json_str(d, "kind"), *state = json_str(d, "state");
    if (strcmp(kind, "claim") && strcmp(kind, "swap"))
        return false;
    k->kind = strcmp(kind, "swap") == 0 ? CHANGE_CLAIM_SWAP
                                        : CHANGE_CLAIM_POST;
    if (strcmp(state, "pending") == 0)
        k->state = CHANGE_CLAIM_PENDING;
    else if (strcmp(state, "approved") == 0)
        k->state = CHANGE_CLAIM_APPROVED;
    else if (strcmp(state, "declined") == 0)
        k->state = CHANGE_CLAIM_DECLINED;
    else
        return false;
    k->role = role_of(json_str(d, "role"));
    text(d, "reason", k->reason, sizeof k->reason);
    return ident(d, "member_no", k->member_no, sizeof k->member_no) &&
           k->member_no[0] &&
           ident(d, "post_id", k->post_id, sizeof k->post_id) &&
           ident(d, "other_no", k->other_no, sizeof k->other_no) &&
           ident(d, "other_post", k->other_post, sizeof k->other_post) &&
           whole_ms(d, "filed_ms", &k->filed_ms) &&
           whole_ms(d, "decided_ms", &k->decided_ms);
}

static bool shift_from(const cJSON *d, struct change *c)
{
    struct change_shift *s = &c->u.shift;
    text(d, "shift", s->shift, sizeof s->shift);
    text(d, "name", s->name, sizeof s->name);
    text(d, "phone_masked", s->phone_masked, sizeof s->phone_masked);
    return clock_parse_ymd(json_str(d, "day"), &s->day) == ERR_OK &&
           ident(d, "member_no", s->member_no, sizeof s->member_no);
}

static bool contact_from(const cJSON *d, struct change *c)
{
    struct change_contact *k = &c->u.contact;
    text(d, "building", k->building, sizeof k->building);
    text(d, "unit", k->unit, sizeof k->unit);
    text(d, "name", k->name, sizeof k->name);
    text(d, "role", k->role, sizeof k->role);
    text(d, "duties", k->duties, sizeof k->duties);
    text(d, "phone", k->phone, sizeof k->phone);
    return true;
}

static bool notice_from(const cJSON *d, struct change *c)
{
    struct change_notice *n = &c->u.notice;
    text(d, "title", n->title, sizeof n->title);
    text(d, "body", n->body, sizeof n->body);
    return whole_ms(d, "published_ms", &n->published_ms);
}

static bool star_from(const cJSON *d, struct change *c)
{
    struct change_star *s = &c->u.star;
    s->period = change_period_parse(json_str(d, "period"));
    text(d, "name", s->name, sizeof s->name);
    /* No "board": the overall board, as every hub before star boards
     * sent. A board is a plain word: it becomes part of a stored key. */
    if (!ident(d, "board", s->board, sizeof s->board) ||
        strchr(s->board, '/'))
        return false;
    return s->period != 0 && whole_int(d, "rank", &s->rank) &&
           whole_int(d, "points", &s->points) &&
           ident(d, "member_no", s->member_no, sizeof s->member_no);
}

static bool log_status_from(const cJSON *d, struct change *c)
{
    struct change_log_status *l = &c->u.log_status;
    const char *st = json_str(d, "status");
    int64_t seq;
    if (strcmp(st, "confirmed") == 0)
        l->status = CHANGE_LOG_CONFIRMED;
    else if (strcmp(st, "rejected") == 0)
        l->status = CHANGE_LOG_REJECTED;
    else if (strcmp(st, "pending") == 0)
        l->status = CHANGE_LOG_PENDING;
    else
        return false;
    if (!whole_ms(d, "seq", &seq) ||
        !ident(d, "epoch", l->epoch, sizeof l->epoch))
        return false;
    l->seq = (uint64_t)seq;
    l->epoch_given = cJSON_IsString(cJSON_GetObjectItemCaseSensitive(d,
                                                                    "epoch"));
    /* How it was decided: absent from an older hub; a method or rating
     * this kiosk does not know (a newer hub's) reads as none. */
    int m = confirm_method_parse(json_str(d, "method"));
    int r = confirm_rating_parse(json_str(d, "rating"));
    l->method = m > 0 ? (enum confirm_method)m : CONFIRM_METHOD_NONE;
    l->rating = r > 0 ? (enum confirm_rating)r : CONFIRM_RATING_NONE;
    text(d, "reason", l->reason, sizeof l->reason);
    return whole_int(d, "points", &l->points) &&
           whole_ms(d, "decided_ms", &l->decided_ms);
}

/* Whom the resident may confirm a log for; the ticket and the log's own
 * key must be there, and the day a real date. */
static bool service_awaiting_from(const cJSON *d, struct change *c)
{
    struct change_service_awaiting *w = &c->u.service_awaiting;
    int64_t seq;
    if (!ident(d, "ticket", w->ticket, sizeof w->ticket) ||
        !ledger_ticket_ok(w->ticket) ||
        !ident(d, "device", w->device, sizeof w->device) || !w->device[0] ||
        !ident(d, "epoch", w->epoch, sizeof w->epoch) ||
        !whole_ms(d, "seq", &seq) || seq < 1 ||
        !ident(d, "member_no", w->member_no, sizeof w->member_no) ||
        !ident(d, "category", w->category, sizeof w->category) ||
        !whole_int(d, "minutes", &w->minutes) || w->minutes < 1 ||
        clock_parse_ymd(json_str(d, "day"), &w->day) != ERR_OK)
        return false;
    w->seq = (uint64_t)seq;
    text(d, "name", w->name, sizeof w->name);
    return true;
}

static bool revocation_from(const cJSON *d, struct change *c)
{
    return whole_ms(d, "revoked_ms", &c->u.revocation.revoked_ms);
}

static bool credential_key_from(const cJSON *d, struct change *c)
{
    struct change_credential_key *k = &c->u.credential_key;
    return ident(d, "public_key", k->public_key, sizeof k->public_key) &&
           whole_ms(d, "not_after_ms", &k->not_after_ms);
}

static bool ledger_type_from(const cJSON *d, struct change *c)
{
    struct change_ledger_type *t = &c->u.ledger_type;
    const cJSON *kinds = cJSON_GetObjectItemCaseSensitive(d, "kinds"), *k;
    const cJSON *presets = cJSON_GetObjectItemCaseSensitive(d, "presets"), *p;
    text(d, "name", t->name, sizeof t->name);
    text(d, "name_en", t->name_en, sizeof t->name_en);
    cJSON_ArrayForEach(k, kinds) {
        const char *v = cJSON_IsString(k) ? k->valuestring : "";
        t->for_request |= strcmp(v, "request") == 0;
        t->for_wish |= strcmp(v, "wish") == 0;
    }
    cJSON_ArrayForEach(p, presets) {
        if (!cJSON_IsString(p))
            return false;
        if (t->n_presets == CHANGE_PRESETS)
            break;                       /* the screen shows no more */
        str_copy(t->presets[t->n_presets++], CHANGE_PRESET, p->valuestring);
    }
    return whole_int(d, "order", &t->order);
}

static bool ticket_from(const cJSON *d, struct change *c)
{
    struct change_ticket *t = &c->u.ticket;
    t->kind = ledger_kind_parse(json_str(d, "kind"));
    t->state = ledger_state_parse(json_str(d, "state"));
    if (t->kind == 0 || t->state == 0 || !ledger_ticket_ok(c->key))
        return false;
    text(d, "building", t->building, sizeof t->building);
    text(d, "unit", t->unit, sizeof t->unit);
    text(d, "text", t->text, sizeof t->text);
    text(d, "answer", t->answer, sizeof t->answer);
    return ident(d, "type", t->type, sizeof t->type) &&
           ident(d, "pin_hash", t->pin_hash, sizeof t->pin_hash) &&
           ident(d, "claimer", t->claimer, sizeof t->claimer) &&
           whole_ms(d, "filed_ms", &t->filed_ms) &&
           whole_ms(d, "accepted_ms", &t->accepted_ms) &&
           whole_ms(d, "assigned_ms", &t->assigned_ms) &&
           whole_ms(d, "deadline_ms", &t->deadline_ms) &&
           whole_ms(d, "answered_ms", &t->answered_ms) &&
           whole_ms(d, "closed_ms", &t->closed_ms) &&
           whole_ms(d, "locked_until_ms", &t->locked_until_ms) &&
           whole_int(d, "points", &t->points);
}

/* "png": base64url (no padding, as the card keys) of a PNG of at most
 * CHANGE_PHOTO_MAX bytes. The kiosk decodes the image only when a board
 * shows the face, so what is refused here is what is plainly not a
 * small PNG. */
static bool photo_from(const cJSON *d, struct change *c)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
                                    '\n' };
    const char *b = json_str(d, "png");
    size_t n = strlen(b), len = n * 3 / 4;
    if ((strncmp(c->key, "member/", 7) && strncmp(c->key, "contact/", 8)) ||
        len < sizeof sig || len > CHANGE_PHOTO_MAX)
        return false;
    uint8_t *png = xmalloc(len);
    if (card_b64url_decode(b, n, png, len) != ERR_OK ||
        memcmp(png, sig, sizeof sig) != 0) {
        free(png);
        return false;
    }
    c->u.photo.png = png;
    c->u.photo.len = len;
    return true;
}

static bool award_from(const cJSON *d, struct change *c)
{
    struct change_award *a = &c->u.award;
    const char *kind = json_str(d, "kind");
    int64_t year;
    a->kind = strcmp(kind, "post") == 0 ? CHANGE_AWARD_POST
            : strcmp(kind, "member") == 0 ? CHANGE_AWARD_MEMBER : 0;
    text(d, "name", a->name, sizeof a->name);
    if (a->kind == 0 || !get_int(d, "year", 2000, 2200, &year) ||
        !whole_int(d, "rank", &a->rank) || a->rank < 1 ||
        !whole_int(d, "points", &a->points) || a->points < 0 ||
        !ident(d, "subject", a->subject, sizeof a->subject) ||
        a->subject[0] == '\0')
        return false;
    a->year = (int)year;
    return true;
}

/* A unit: its name (required) and paired community; a setting
 * ("setting/NAME"): "on", a bool. */
static bool work_unit_from(const cJSON *d, struct change *c)
{
    struct change_work_unit *w = &c->u.work_unit;
    if (strncmp(c->key, CHANGE_SETTING_PREFIX,
                strlen(CHANGE_SETTING_PREFIX)) == 0) {
        const cJSON *on = cJSON_GetObjectItemCaseSensitive(d, "on");
        w->on = cJSON_IsTrue(on);
        return cJSON_IsBool(on);
    }
    text(d, "name", w->name, sizeof w->name);
    text(d, "paired_community", w->paired_community,
         sizeof w->paired_community);
    return w->name[0] != '\0' && strchr(c->key, '/') == NULL;
}

static bool (*const data_from[])(const cJSON *, struct change *) = {
    [CHANGE_MEMBER] = member_from,
    [CHANGE_POST] = post_from,
    [CHANGE_SHIFT] = shift_from,
    [CHANGE_CONTACT] = contact_from,
    [CHANGE_NOTICE] = notice_from,
    [CHANGE_STAR] = star_from,
    [CHANGE_LOG_STATUS] = log_status_from,
    [CHANGE_REVOCATION] = revocation_from,
    [CHANGE_CREDENTIAL_KEY] = credential_key_from,
    [CHANGE_MEMBER_TOTAL] = member_total_from,
    [CHANGE_LEDGER_TYPE] = ledger_type_from,
    [CHANGE_TICKET] = ticket_from,
    [CHANGE_PHOTO] = photo_from,
    [CHANGE_SERVICE_AWAITING] = service_awaiting_from,
    [CHANGE_CLAIM] = claim_from,
    [CHANGE_AWARD] = award_from,
    [CHANGE_WORK_UNIT] = work_unit_from,
};

/* One element of "changes" onto the page; false when it is malformed. */
static bool change_from(const cJSON *o, struct change_page *page)
{
    if (!cJSON_IsObject(o))
        return false;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "data");
    enum change_type t = change_type_parse(json_str(o, "type"));
    const char *op = json_str(o, "op");
    bool put = strcmp(op, "put") == 0;
    struct change *c;
    if (t == 0 || (size_t)t >= sizeof data_from / sizeof data_from[0])
        return true;                  /* a newer hub's type: left out */
    if ((!put && strcmp(op, "del") != 0) || (put && !cJSON_IsObject(d)))
        return false;
    if (change_page_add(page, t, put ? CHANGE_PUT : CHANGE_DEL,
                        json_str(o, "key"), &c) != ERR_OK)
        return false;
    return !put || data_from[t](d, c);
}

static bool page_envelope(const cJSON *root, char *cursor, size_t cap,
                          bool *more, int64_t *hub_ms)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "more");
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(root, "changes");
    bool ok = cJSON_IsObject(root) && cJSON_IsArray(ch) && cJSON_IsBool(m) &&
              get_str(root, "cursor", cursor, cap, true) &&
              get_int(root, "hub_time_ms", 0, INT64_MAX, hub_ms);
    if (ok)
        *more = cJSON_IsTrue(m);
    return ok;
}

/* "snapshot":{"first":bool,"last":bool}, on the pages of a snapshot
 * only; absent is an ordinary page. */
static bool page_snapshot(const cJSON *root, struct change_page *page)
{
    const cJSON *sn = cJSON_GetObjectItemCaseSensitive(root, "snapshot");
    if (!sn)
        return true;
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(sn, "first");
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(sn, "last");
    if (!cJSON_IsObject(sn) || !cJSON_IsBool(f) || !cJSON_IsBool(l))
        return false;
    page->snapshot = true;
    page->snapshot_first = cJSON_IsTrue(f);
    page->snapshot_last = cJSON_IsTrue(l);
    return true;
}

err_code proto_page_decode(const char *json, size_t len,
                           struct change_page *page, char *cursor,
                           size_t cap, bool *more)
{
    memset(page, 0, sizeof *page);
    if (len > PROTO_PAGE_MAX) {
        log_warn("proto: change page of %zu bytes refused", len);
        return ERR_PROTO;
    }
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(root, "changes");
    bool ok = page_envelope(root, cursor, cap, more, &page->hub_time_ms) &&
              cJSON_GetArraySize(ch) <= CHANGE_PAGE_MAX &&
              page_snapshot(root, page);
    for (const cJSON *c = ok ? ch->child : NULL; ok && c; c = c->next)
        ok = change_from(c, page);
    cJSON_Delete(root);
    if (!ok) {
        change_page_free(page);
        log_warn("proto: change page refused as malformed");
        return ERR_PROTO;
    }
    return ERR_OK;
}

err_code proto_page_peek(const char *json, size_t len, char *cursor,
                         size_t cap, bool *more, int64_t *hub_ms)
{
    if (len > PROTO_PAGE_MAX)
        return ERR_PROTO;
    cJSON *root = cJSON_ParseWithLength(json, len);
    bool ok = page_envelope(root, cursor, cap, more, hub_ms);
    cJSON_Delete(root);
    return ok ? ERR_OK : ERR_PROTO;
}

void proto_status_format(const struct proto_status *st, char *out,
                         size_t cap)
{
    snprintf(out, cap, "v=%s;q=%" PRIu64 ";off=%" PRId64 ";boot=%s;mono=%"
             PRId64 ";wall=%" PRId64, st->version, st->queue, st->offset_ms,
             st->boot_id, st->mono_ms, st->wall_ms);
}

static bool status_field(struct proto_status *st, const char *k,
                         const char *v)
{
    if (strcmp(k, "v") == 0)
        return str_copy(st->version, sizeof st->version, v) == 0;
    if (strcmp(k, "boot") == 0)
        return str_copy(st->boot_id, sizeof st->boot_id, v) == 0;
    int64_t *num = strcmp(k, "off") == 0    ? &st->offset_ms
                 : strcmp(k, "mono") == 0 ? &st->mono_ms
                 : strcmp(k, "wall") == 0 ? &st->wall_ms : NULL;
    bool queue = strcmp(k, "q") == 0;
    if (!num && !queue)
        return true;              /* unknown keys: a newer kiosk */
    char *end = NULL;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || (queue && n < 0))
        return false;
    if (queue)
        st->queue = (uint64_t)n;
    else
        *num = n;
    return true;
}

err_code proto_status_parse(const char *s, struct proto_status *st)
{
    memset(st, 0, sizeof *st);
    char buf[256];
    if (str_copy(buf, sizeof buf, s) != 0)
        return ERR_PROTO;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        while (*tok == ' ')
            tok++;
        char *eq = strchr(tok, '=');
        if (!eq)
            return ERR_PROTO;
        *eq = '\0';
        if (!status_field(st, tok, eq + 1))
            return ERR_PROTO;
    }
    return ERR_OK;
}

err_code proto_enrol_encode(const char *code, const char *csr, char **json)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "code", code);
    cJSON_AddStringToObject(root, "csr", csr);
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();
    return ERR_OK;
}

err_code proto_enrol_decode(const char *json, size_t len, char *code,
                            size_t code_cap, char *csr, size_t csr_cap)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    bool ok = cJSON_IsObject(root) &&
              get_str(root, "code", code, code_cap, true) &&
              get_str(root, "csr", csr, csr_cap, true);
    cJSON_Delete(root);
    return ok ? ERR_OK : ERR_PROTO;
}

err_code proto_enrol_reply_encode(const char *cert, const char *station,
                                  const char *device, char **json)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "cert", cert);
    cJSON_AddStringToObject(root, "station", station);
    cJSON_AddStringToObject(root, "device", device);
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();
    return ERR_OK;
}

err_code proto_enrol_reply_decode(const char *json, size_t len, char *cert,
                                  size_t cert_cap, char *station,
                                  size_t scap, char *device, size_t dcap)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    bool ok = cJSON_IsObject(root) &&
              get_str(root, "cert", cert, cert_cap, true) &&
              get_str(root, "station", station, scap, true) &&
              get_str(root, "device", device, dcap, true);
    cJSON_Delete(root);
    return ok ? ERR_OK : ERR_PROTO;
}

void proto_error(const char *why, char *out, size_t cap)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "error", why);
    if (!cJSON_PrintPreallocated(root, out, (int)cap, 0))
        str_copy(out, cap, "{\"error\":\"?\"}");
    cJSON_Delete(root);
}

err_code proto_get_string(const char *json, size_t len, const char *name,
                          char *out, size_t cap)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);
    err_code e = ERR_OK;
    if (!cJSON_IsString(v))
        e = ERR_NOTFOUND;
    else if (str_copy(out, cap, v->valuestring) != 0)
        e = ERR_INVAL;
    cJSON_Delete(root);
    return e;
}
