/* hub/hub_claims.c - see hub_claims.h. A post's data is the JSON the
 * boards publish (hub/hub_publish.c): approving a claim edits its
 * holders and publishes it again, through the same feed. */
#include "hub/hub_claims.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "base/event.h"
#include "base/xmalloc.h"
#include "hub/hub_audit.h"
#include "hub/hub_db_board.h"
#include "hub/hub_db_claims.h"
#include "hub/hub_db_roster.h"

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int jnum(const cJSON *o, const char *k, int dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valueint : dflt;
}

static bool jopen(const cJSON *o)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "open"));
}

/* ---- the rules ---------------------------------------------------------- */

struct tally {
    int n, heads, deputies;
};

static struct tally tally_of(const cJSON *post)
{
    struct tally t = { 0 };
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(post, "holders")) {
        const char *r = jstr(h, "role");
        t.n++;
        t.heads += r && strcmp(r, "head") == 0;
        t.deputies += r && strcmp(r, "deputy") == 0;
    }
    return t;
}

static const cJSON *holder_of(const cJSON *post, const char *member_no)
{
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(post, "holders")) {
        const char *no = jstr(h, "member_no");
        if (no && strcmp(no, member_no) == 0)
            return h;
    }
    return NULL;
}

bool hub_post_rules_ok(const char *id, const cJSON *post, char *why,
                       size_t cap)
{
    int lo = jnum(post, "min_members", HUB_POST_MIN_MEMBERS);
    int hi = jnum(post, "max_members", HUB_POST_MAX_MEMBERS);
    int places = jnum(post, "places", 0);
    bool open = jopen(post);
    struct tally t = tally_of(post);
    const cJSON *h, *g;

    if (lo < HUB_POST_MIN_MEMBERS || hi > HUB_POST_MAX_MEMBERS || lo > hi)
        snprintf(why, cap, "post %s: capacity must lie within %d-%d members"
                 " (min_members %d, max_members %d)", id,
                 HUB_POST_MIN_MEMBERS, HUB_POST_MAX_MEMBERS, lo, hi);
    else if (t.n > hi)
        snprintf(why, cap, "post %s: %d members, at most %d", id, t.n, hi);
    else if (t.heads != 1)
        snprintf(why, cap, "post %s: %d heads (岗长), exactly one", id,
                 t.heads);
    else if (t.deputies > 1)
        snprintf(why, cap, "post %s: %d deputies (副岗长), at most one", id,
                 t.deputies);
    else if (open && t.n >= hi)
        snprintf(why, cap, "post %s: full (%d of %d), it cannot be open for"
                 " claiming", id, t.n, hi);
    else if (open && (places < 1 || places > hi - t.n))
        snprintf(why, cap, "post %s: %d places open, but %d free", id,
                 places, hi - t.n);
    else if (!open && t.n < lo)
        snprintf(why, cap, "post %s: %d members, at least %d (or open it"
                 " for claiming)", id, t.n, lo);
    else if (open && t.n + places < lo)
        snprintf(why, cap, "post %s: %d members and %d places open, at"
                 " least %d", id, t.n, places, lo);
    else
        why[0] = '\0';
    if (why[0])
        return false;
    cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(post, "holders"))
        for (g = h->next; g; g = g->next)
            if (jstr(h, "member_no") && jstr(g, "member_no") &&
                strcmp(jstr(h, "member_no"), jstr(g, "member_no")) == 0) {
                snprintf(why, cap, "post %s: member %s is listed twice", id,
                         jstr(h, "member_no"));
                return false;
            }
    return true;
}

/* ---- posts as published ------------------------------------------------- */

struct post {
    char   id[32];
    char   scope[64];             /* the station, or "*" */
    cJSON *data;
};

/* Post id as published for station (its own board, else every
 * station's); ERR_NOTFOUND. */
static err_code post_load(struct hub_db *db, const char *station,
                          const char *id, struct post *p)
{
    const char *scopes[2] = { station, "*" };
    char *text = NULL;
    err_code e = ERR_NOTFOUND;
    memset(p, 0, sizeof *p);
    if (!id || !*id)
        return ERR_NOTFOUND;
    for (int i = 0; i < 2 && e == ERR_NOTFOUND; i++) {
        e = hub_db_published_get(db, scopes[i], "post", id, &text);
        if (e == ERR_OK)
            str_copy(p->scope, sizeof p->scope, scopes[i]);
    }
    if (e != ERR_OK)
        return e;
    str_copy(p->id, sizeof p->id, id);
    p->data = cJSON_Parse(text);
    free(text);
    return cJSON_IsObject(p->data) ? ERR_OK : ERR_CORRUPT;
}

/* Publish p as it is now: remembered for the next `hubctl publish` and
 * sent to the kiosks of its scope. */
static err_code post_save(struct hub_db *db, const struct post *p)
{
    char *text = cJSON_PrintUnformatted(p->data);
    err_code e = hub_db_published_del(db, p->scope, "post", p->id);
    if (e == ERR_OK)
        e = hub_db_published_put(db, p->scope, "post", p->id, text);
    if (e == ERR_OK)
        e = hub_db_change_add(db, strcmp(p->scope, "*") ? p->scope : NULL,
                              NULL, "post", p->id, text);
    free(text);
    return e;
}

/* ---- the member's view -------------------------------------------------- */

static err_code claim_emit(struct hub_db *db, const struct hub_claim *c)
{
    char key[32];
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "kind", c->kind);
    cJSON_AddStringToObject(d, "member_no", c->member_no);
    cJSON_AddStringToObject(d, "post_id", c->post_id);
    cJSON_AddStringToObject(d, "role", c->role);
    cJSON_AddStringToObject(d, "other_no", c->other_no);
    cJSON_AddStringToObject(d, "other_post", c->other_post);
    cJSON_AddStringToObject(d, "state", c->state);
    cJSON_AddStringToObject(d, "reason", c->reason);
    cJSON_AddNumberToObject(d, "filed_ms", (double)c->filed_ms);
    cJSON_AddNumberToObject(d, "decided_ms", (double)c->decided_ms);
    char *text = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    snprintf(key, sizeof key, "%" PRId64, c->id);
    err_code e = hub_db_change_add(db, c->station, NULL, "claim", key, text);
    free(text);
    return e;
}

/* ---- uploads ------------------------------------------------------------ */

/* Why a claim of a `role` place on p by member_no cannot be, or NULL. */
static const char *claim_check(const struct post *p, const char *member_no,
                               const char *role)
{
    struct tally t = tally_of(p->data);
    if (strcmp(role, "member") && strcmp(role, "deputy"))
        return "role must be member or deputy";
    if (holder_of(p->data, member_no))
        return "already holds this post";
    if (t.n >= jnum(p->data, "max_members", HUB_POST_MAX_MEMBERS))
        return "post full";
    if (!jopen(p->data) || jnum(p->data, "places", 0) < 1)
        return "post not open for claiming";
    if (strcmp(role, "deputy") == 0 && t.deputies > 0)
        return "deputy taken";
    return NULL;
}

/* Why member_no cannot swap its place on mine with other_no's on
 * theirs, or NULL. */
static const char *swap_check(struct hub_db *db, const struct post *mine,
                              const struct post *theirs,
                              const char *member_no, const char *other_no)
{
    struct hub_member m;
    if (!other_no || !*other_no ||
        hub_db_member_get(db, other_no, &m) != ERR_OK)
        return "unknown member";
    if (!mine->data || !holder_of(mine->data, member_no))
        return "holds no post";
    if (!theirs->data || !holder_of(theirs->data, other_no))
        return "other member holds no post";
    if (strcmp(mine->id, theirs->id) == 0 ||
        holder_of(theirs->data, member_no) ||
        holder_of(mine->data, other_no))
        return "already on that post";
    return NULL;
}

err_code hub_claims_event(struct hub_db *db, const char *station,
                          const struct proto_event *ev, int64_t at,
                          const char **why)
{
    enum event_kind k = event_kind_parse(ev->kind);
    *why = NULL;
    if (k != EVENT_POST_CLAIM && k != EVENT_POST_SWAP)
        return ERR_OK;
    cJSON *d = cJSON_Parse(ev->data);
    struct hub_claim c = { .filed_ms = at };
    struct post mine, theirs;
    err_code e = ERR_OK, e2 = ERR_OK;
    const char *post = jstr(d, "post"), *role = jstr(d, "role");

    str_copy(c.kind, sizeof c.kind, k == EVENT_POST_CLAIM ? "claim" : "swap");
    str_copy(c.station, sizeof c.station, station);
    str_copy(c.member_no, sizeof c.member_no, ev->member_no);
    str_copy(c.post_id, sizeof c.post_id, post ? post : "");
    e = post_load(db, station, post, &mine);
    if (k == EVENT_POST_CLAIM) {
        str_copy(c.role, sizeof c.role, role ? role : "member");
        if (e == ERR_NOTFOUND) {
            *why = "unknown post";
            e = ERR_OK;
        } else if (e == ERR_OK) {
            *why = claim_check(&mine, ev->member_no, c.role);
        }
        if (e == ERR_OK && !*why &&
            hub_db_claim_pending(db, "claim", c.member_no, c.post_id))
            *why = "claim already pending";
    } else {
        const char *other = jstr(d, "other");
        str_copy(c.role, sizeof c.role, "");
        str_copy(c.other_no, sizeof c.other_no, other ? other : "");
        str_copy(c.other_post, sizeof c.other_post,
                 jstr(d, "other_post") ? jstr(d, "other_post") : "");
        e2 = post_load(db, station, c.other_post, &theirs);
        if (e == ERR_NOTFOUND)
            e = ERR_OK;               /* swap_check says why */
        if (e2 == ERR_NOTFOUND)
            e2 = ERR_OK;
        if (e == ERR_OK && e2 == ERR_OK)
            *why = swap_check(db, &mine, &theirs, c.member_no, other);
        if (e == ERR_OK && e2 == ERR_OK && !*why &&
            hub_db_claim_pending(db, "swap", c.member_no, c.post_id))
            *why = "swap already pending";
        cJSON_Delete(theirs.data);
    }
    cJSON_Delete(mine.data);
    cJSON_Delete(d);
    if (e == ERR_OK)
        e = e2;
    if (e != ERR_OK)
        return e;
    /* Refused or not, the member sees the claim and its outcome. */
    str_copy(c.state, sizeof c.state, *why ? "declined" : "pending");
    if (*why) {
        str_copy(c.reason, sizeof c.reason, *why);
        c.decided_ms = at;
        str_copy(c.decided_by, sizeof c.decided_by, "hub");
    }
    e = hub_db_claim_add(db, &c);
    return e == ERR_OK ? claim_emit(db, &c) : e;
}

/* ---- decisions ---------------------------------------------------------- */

static cJSON *holder_new(struct hub_db *db, const char *member_no,
                         const char *role)
{
    struct hub_member m;
    cJSON *h = cJSON_CreateObject();
    cJSON_AddStringToObject(h, "member_no", member_no);
    cJSON_AddStringToObject(h, "name",
                            hub_db_member_get(db, member_no, &m) == ERR_OK
                            ? m.name : member_no);
    cJSON_AddStringToObject(h, "role", role);
    return h;
}

static void set_num(cJSON *o, const char *k, int v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(o, k);
    cJSON_AddNumberToObject(o, k, v);
}

/* The claim's place added to its post: the post edited in p. */
static bool approve_claim(struct hub_db *db, const struct hub_claim *c,
                          struct post *p, char *why, size_t cap)
{
    const char *bad = claim_check(p, c->member_no, c->role);
    if (bad) {
        snprintf(why, cap, "post %s: %s", p->id, bad);
        return false;
    }
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(p->data, "holders"),
                         holder_new(db, c->member_no, c->role));
    int places = jnum(p->data, "places", 0) - 1;
    set_num(p->data, "places", places);
    cJSON_DeleteItemFromObjectCaseSensitive(p->data, "open");
    cJSON_AddBoolToObject(p->data, "open", places > 0);
    return hub_post_rules_ok(p->id, p->data, why, cap);
}

/* Member `from` on p gives its place (role kept) to `to`. */
static void hand_over(struct hub_db *db, struct post *p, const char *from,
                      const char *to)
{
    cJSON *h = (cJSON *)holder_of(p->data, from);
    cJSON *n = holder_new(db, to, jstr(h, "role"));
    cJSON_ReplaceItemViaPointer(
        cJSON_GetObjectItemCaseSensitive(p->data, "holders"), h, n);
}

static bool approve_swap(struct hub_db *db, const struct hub_claim *c,
                         struct post *mine, struct post *theirs, char *why,
                         size_t cap)
{
    const char *bad = swap_check(db, mine, theirs, c->member_no, c->other_no);
    if (bad) {
        snprintf(why, cap, "swap %" PRId64 ": %s", c->id, bad);
        return false;
    }
    hand_over(db, mine, c->member_no, c->other_no);
    hand_over(db, theirs, c->other_no, c->member_no);
    return hub_post_rules_ok(mine->id, mine->data, why, cap) &&
           hub_post_rules_ok(theirs->id, theirs->data, why, cap);
}

/* The audit line of a decision: what was decided on which post, for
 * whom; object station:ID so the station's staff see it in /audit. */
static err_code claim_audit(struct hub_db *db, const struct hub_claim *c,
                            const char *actor)
{
    char action[32], obj[96];
    snprintf(action, sizeof action, "%s.%s", c->kind,
             strcmp(c->state, "approved") == 0 ? "approve" : "decline");
    snprintf(obj, sizeof obj, "station:%s", c->station);
    cJSON *a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "id", (double)c->id);
    cJSON_AddStringToObject(a, "member_no", c->member_no);
    cJSON_AddStringToObject(a, "post", c->post_id);
    if (strcmp(c->kind, "swap") == 0) {
        cJSON_AddStringToObject(a, "other_no", c->other_no);
        cJSON_AddStringToObject(a, "other_post", c->other_post);
    } else {
        cJSON_AddStringToObject(a, "role", c->role);
    }
    cJSON_AddStringToObject(a, "state", c->state);
    cJSON_AddStringToObject(a, "reason", c->reason);
    cJSON_AddStringToObject(a, "by", c->decided_by);
    char *after = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    err_code e = hub_audit_record(db, actor, action, obj, NULL, after);
    free(after);
    return e;
}

err_code hub_claim_decide(struct hub_db *db, const char *kind, int64_t id,
                          bool approve, const char *reason, const char *by,
                          int64_t at, char *why, size_t cap)
{
    return hub_claim_decide_audited(db, kind, id, approve, reason, by, NULL,
                                    at, why, cap);
}

err_code hub_claim_decide_audited(struct hub_db *db, const char *kind,
                                  int64_t id, bool approve,
                                  const char *reason, const char *by,
                                  const char *actor, int64_t at, char *why,
                                  size_t cap)
{
    struct hub_claim c;
    struct post mine = { 0 }, theirs = { 0 };
    err_code e = hub_db_claim_get(db, id, &c);
    why[0] = '\0';
    if (e == ERR_NOTFOUND || (e == ERR_OK && strcmp(c.kind, kind) != 0)) {
        snprintf(why, cap, "%s %" PRId64 ": no such %s", kind, id, kind);
        return ERR_DENIED;
    }
    if (e != ERR_OK)
        return e;
    if (strcmp(c.state, "pending") != 0) {
        snprintf(why, cap, "%s %" PRId64 ": already %s", kind, id, c.state);
        return ERR_DENIED;
    }
    if (!approve && (!reason || !*reason)) {
        snprintf(why, cap, "%s %" PRId64 ": a decline needs --reason TEXT"
                 " (the member reads it)", kind, id);
        return ERR_DENIED;
    }
    if (approve) {
        e = post_load(db, c.station, c.post_id, &mine);
        if (e == ERR_OK && strcmp(kind, "swap") == 0)
            e = post_load(db, c.station, c.other_post, &theirs);
        if (e == ERR_NOTFOUND)
            snprintf(why, cap, "%s %" PRId64 ": the post is no longer"
                     " published", kind, id);
        else if (e == ERR_OK && strcmp(kind, "claim") == 0)
            approve_claim(db, &c, &mine, why, cap);
        else if (e == ERR_OK)
            approve_swap(db, &c, &mine, &theirs, why, cap);
        if (why[0] && (e == ERR_OK || e == ERR_NOTFOUND))
            e = ERR_DENIED;
    }
    str_copy(c.state, sizeof c.state, approve ? "approved" : "declined");
    str_copy(c.reason, sizeof c.reason, approve ? "" : reason);
    str_copy(c.decided_by, sizeof c.decided_by, by ? by : "staff");
    c.decided_ms = at;
    if (e == ERR_OK)
        e = hub_db_begin(db);
    if (e == ERR_OK) {
        if (approve)
            e = post_save(db, &mine);
        if (e == ERR_OK && approve && theirs.data)
            e = post_save(db, &theirs);
        if (e == ERR_OK)
            e = hub_db_claim_decide(db, &c);
        if (e == ERR_OK)
            e = claim_emit(db, &c);
        if (e == ERR_OK && actor)
            e = claim_audit(db, &c, actor);
        if (e == ERR_OK)
            e = hub_db_commit(db);
        else
            hub_db_rollback(db);
    }
    cJSON_Delete(mine.data);
    cJSON_Delete(theirs.data);
    return e;
}

/* ---- listing ------------------------------------------------------------ */

struct list_ctx {
    struct hub_db *db;
    FILE          *out;
    int            utc_offset;
    bool           swap;
};

static void local_time(int64_t ms, int utc_offset, char out[20])
{
    time_t t = (time_t)(ms / 1000) + (time_t)utc_offset * 60;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M", &tm);
}

static void list_row(void *ctx, const struct hub_claim *c)
{
    struct list_ctx *l = ctx;
    struct hub_member m;
    char when[20];
    local_time(c->filed_ms, l->utc_offset, when);
    csv_int(l->out, c->id, true);
    csv_text(l->out, c->station, false);
    csv_text(l->out, c->member_no, false);
    csv_text(l->out, hub_db_member_get(l->db, c->member_no, &m) == ERR_OK
                     ? m.name : "", false);
    csv_text(l->out, c->post_id, false);
    if (l->swap) {
        csv_text(l->out, c->other_no, false);
        csv_text(l->out, hub_db_member_get(l->db, c->other_no, &m) == ERR_OK
                         ? m.name : "", false);
        csv_text(l->out, c->other_post, false);
    } else {
        csv_text(l->out, c->role, false);
    }
    csv_text(l->out, when, false);
    csv_end(l->out);
}

err_code hub_claims_list(struct hub_db *db, const char *kind,
                         const char *station, int utc_offset, FILE *out)
{
    struct list_ctx l = { db, out, utc_offset, strcmp(kind, "swap") == 0 };
    csv_header(out, l.swap ? "id,station,member_no,name,post,other_no,"
                             "other_name,other_post,filed"
                           : "id,station,member_no,name,post,role,filed");
    return hub_db_claims_each(db, kind, station, "pending", list_row, &l);
}
