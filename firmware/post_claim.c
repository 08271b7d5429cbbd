/* firmware/post_claim.c - see post_claim.h. */
#include "firmware/post_claim.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/event.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define HOLDERS_MAX 64

static int holders_of(struct store *s, const char *post_id,
                      struct post_holder *h, int *deputies)
{
    size_t n = 0;
    if (store_post_holders(s, post_id, h, HOLDERS_MAX, &n) != ERR_OK)
        n = 0;
    *deputies = 0;
    for (size_t i = 0; i < n; i++)
        *deputies += h[i].role == ROLE_DEPUTY;
    return (int)n;
}

static bool holds(const struct post_holder *h, int n, const char *member_no)
{
    for (int i = 0; i < n; i++)
        if (strcmp(h[i].member_no, member_no) == 0)
            return true;
    return false;
}

bool post_claim_open(struct store *s, const char *post_id,
                     bool *deputy_free)
{
    struct post p;
    struct post_rules r;
    struct post_holder h[HOLDERS_MAX];
    int deputies;
    *deputy_free = false;
    if (store_post_get(s, post_id, &p) != ERR_OK ||
        store_post_rules_get(s, post_id, &r) != ERR_OK)
        return false;
    int n = holders_of(s, post_id, h, &deputies);
    *deputy_free = deputies == 0;
    return r.open && r.places > 0 && n < r.max_members;
}

/* The event and the local row shown until the hub answers, together. */
static err_code store_claim(struct store *s, enum event_kind kind,
                            cJSON *data, struct post_claim *c,
                            const struct stamp *now)
{
    struct event ev = { .kind = kind, .at = *now };
    char *text = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    if (!text || str_copy(ev.data, sizeof ev.data, text) != 0) {
        cJSON_free(text);
        return ERR_INVAL;
    }
    cJSON_free(text);
    str_copy(ev.member_no, sizeof ev.member_no, c->member_no);
    err_code e = store_event_append(s, &ev);
    if (e != ERR_OK)
        return e;
    snprintf(c->id, sizeof c->id, "local/%" PRIu64, ev.seq);
    c->state = CHANGE_CLAIM_PENDING;
    c->filed_ms = now->wall_ms;
    return store_claim_put_local(s, c);
}

static bool pending(struct store *s, const char *member_no,
                    enum change_claim_kind kind, const char *post_id)
{
    struct post_claim c[32];
    size_t n = 0;
    if (store_claims_for(s, member_no, c, 32, &n) != ERR_OK)
        return false;
    for (size_t i = 0; i < n; i++)
        if (c[i].kind == kind && c[i].state == CHANGE_CLAIM_PENDING &&
            strcmp(c[i].post_id, post_id) == 0)
            return true;
    return false;
}

static const char *member_check(struct store *s, const char *member_no)
{
    struct member m;
    err_code e = store_member_get(s, member_no, &m);
    if (e == ERR_NOTFOUND)
        return "unknown member";
    if (e == ERR_OK && !m.active)
        return "member inactive";
    return NULL;
}

static err_code finish(struct store *s, err_code e, const char *what)
{
    if (e == ERR_OK)
        e = store_commit(s);
    if (e != ERR_OK) {
        store_rollback(s);
        if (e != ERR_INVAL)
            log_error("%s: nothing stored: %s", what, err_str(e));
    }
    return e;
}

err_code post_claim(struct store *s, const char *post_id,
                    const char *member_no, enum post_role role,
                    const struct stamp *now, const char **why)
{
    struct post p;
    struct post_rules r;
    struct post_holder h[HOLDERS_MAX];
    int deputies = 0, n = 0;
    *why = NULL;
    err_code e = store_begin(s);
    if (e != ERR_OK)
        return e;
    *why = member_check(s, member_no);
    if (!*why && role != ROLE_MEMBER && role != ROLE_DEPUTY)
        *why = "role must be member or deputy";
    if (!*why) {
        e = store_post_get(s, post_id, &p);
        if (e == ERR_NOTFOUND)
            *why = "unknown post";
        if (e == ERR_OK)
            e = store_post_rules_get(s, post_id, &r);
    }
    if (e == ERR_OK && !*why) {
        n = holders_of(s, post_id, h, &deputies);
        if (holds(h, n, member_no))
            *why = "already holds this post";
        else if (n >= r.max_members)
            *why = "post full";
        else if (!r.open || r.places < 1)
            *why = "post not open for claiming";
        else if (role == ROLE_DEPUTY && deputies > 0)
            *why = "deputy taken";
        else if (pending(s, member_no, CHANGE_CLAIM_POST, post_id))
            *why = "claim already pending";
    }
    if (*why)
        e = ERR_INVAL;
    if (e == ERR_OK) {
        struct post_claim c = { .kind = CHANGE_CLAIM_POST, .role = role };
        str_copy(c.member_no, sizeof c.member_no, member_no);
        str_copy(c.post_id, sizeof c.post_id, post_id);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "post", post_id);
        cJSON_AddStringToObject(d, "role",
                                role == ROLE_DEPUTY ? "deputy" : "member");
        e = store_claim(s, EVENT_POST_CLAIM, d, &c, now);
    }
    return finish(s, e, "post claim");
}

err_code post_swap(struct store *s, const char *member_no,
                   const char *other_no, const char *other_post,
                   const struct stamp *now, const char **why)
{
    struct post mine[8], theirs;
    struct post_holder h[HOLDERS_MAX];
    size_t n_mine = 0;
    int deputies, n;
    *why = NULL;
    err_code e = store_begin(s);
    if (e != ERR_OK)
        return e;
    *why = member_check(s, member_no);
    if (!*why && member_check(s, other_no))
        *why = "unknown member";
    if (!*why) {
        e = store_member_posts(s, member_no, mine, 8, &n_mine);
        if (e == ERR_OK && n_mine == 0)
            *why = "holds no post";
    }
    if (e == ERR_OK && !*why) {
        n = holders_of(s, other_post, h, &deputies);
        if (store_post_get(s, other_post, &theirs) != ERR_OK ||
            !holds(h, n, other_no))
            *why = "other member holds no post";
        else if (holds(h, n, member_no) ||
                 strcmp(mine[0].id, other_post) == 0)
            *why = "already on that post";
        else if (pending(s, member_no, CHANGE_CLAIM_SWAP, mine[0].id))
            *why = "swap already pending";
    }
    if (*why)
        e = ERR_INVAL;
    if (e == ERR_OK) {
        /* A member on several posts offers the first of them. */
        struct post_claim c = { .kind = CHANGE_CLAIM_SWAP,
                                .role = ROLE_MEMBER };
        str_copy(c.member_no, sizeof c.member_no, member_no);
        str_copy(c.post_id, sizeof c.post_id, mine[0].id);
        str_copy(c.other_no, sizeof c.other_no, other_no);
        str_copy(c.other_post, sizeof c.other_post, other_post);
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "post", mine[0].id);
        cJSON_AddStringToObject(d, "other", other_no);
        cJSON_AddStringToObject(d, "other_post", other_post);
        e = store_claim(s, EVENT_POST_SWAP, d, &c, now);
    }
    return finish(s, e, "post swap");
}
