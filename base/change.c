/* base/change.c - building and freeing pages of typed hub changes, and
 * the names the change types and star periods travel under. */
#include "base/change.h"

#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

static const char *const type_names[] = {
    [CHANGE_MEMBER] = "member",
    [CHANGE_POST] = "post",
    [CHANGE_SHIFT] = "shift",
    [CHANGE_CONTACT] = "contact",
    [CHANGE_NOTICE] = "notice",
    [CHANGE_STAR] = "star",
    [CHANGE_LOG_STATUS] = "log_status",
    [CHANGE_REVOCATION] = "revocation",
    [CHANGE_CREDENTIAL_KEY] = "credential_key",
    [CHANGE_MEMBER_TOTAL] = "member_total",
    [CHANGE_LEDGER_TYPE] = "ledger_type",
    [CHANGE_TICKET] = "ticket",
    [CHANGE_PHOTO] = "photo",
    [CHANGE_SERVICE_AWAITING] = "service_awaiting",
    [CHANGE_CLAIM] = "claim",
    [CHANGE_AWARD] = "award",
    [CHANGE_WORK_UNIT] = "work_unit",
};

static const char *const period_names[] = {
    [CHANGE_PERIOD_MONTH] = "month",
    [CHANGE_PERIOD_QUARTER] = "quarter",
    [CHANGE_PERIOD_YEAR] = "year",
};

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static const char *name_of(const char *const *names, size_t n, unsigned i)
{
    return i < n && names[i] ? names[i] : "unknown";
}

static unsigned parse(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 1; i < n; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return (unsigned)i;
    return 0;
}

const char *change_type_name(enum change_type t)
{
    return name_of(type_names, COUNT(type_names), (unsigned)t);
}

enum change_type change_type_parse(const char *name)
{
    return (enum change_type)parse(type_names, COUNT(type_names), name);
}

const char *change_period_name(enum change_period p)
{
    return name_of(period_names, COUNT(period_names), (unsigned)p);
}

enum change_period change_period_parse(const char *name)
{
    return (enum change_period)parse(period_names, COUNT(period_names),
                                     name);
}

err_code change_page_add(struct change_page *p, enum change_type type,
                         enum change_op op, const char *key,
                         struct change **out)
{
    size_t klen = strlen(key);
    struct change *c;

    *out = NULL;
    if (klen == 0 || klen > CHANGE_KEY_MAX || p->n >= CHANGE_PAGE_MAX)
        return ERR_INVAL;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        if (p->cap > CHANGE_PAGE_MAX)
            p->cap = CHANGE_PAGE_MAX;
        p->changes = xrealloc(p->changes, p->cap * sizeof *p->changes);
    }
    c = &p->changes[p->n++];
    memset(c, 0, sizeof *c);
    c->type = type;
    c->op = op;
    memcpy(c->key, key, klen + 1);
    *out = c;
    return ERR_OK;
}

err_code change_holder_add(struct change *c, struct change_holder **out)
{
    struct change_post *p = &c->u.post;

    *out = NULL;
    if (c->type != CHANGE_POST || c->op != CHANGE_PUT ||
        p->n_holders >= CHANGE_HOLDERS_MAX)
        return ERR_INVAL;
    /* Posts have a handful of holders: grow one at a time. */
    p->holders = xrealloc(p->holders, (p->n_holders + 1) * sizeof *p->holders);
    *out = &p->holders[p->n_holders++];
    memset(*out, 0, sizeof **out);
    return ERR_OK;
}

void change_page_free(struct change_page *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->changes[i].type == CHANGE_POST &&
            p->changes[i].op == CHANGE_PUT)
            free(p->changes[i].u.post.holders);
        else if (p->changes[i].type == CHANGE_PHOTO &&
                 p->changes[i].op == CHANGE_PUT)
            free(p->changes[i].u.photo.png);
    free(p->changes);
    memset(p, 0, sizeof *p);
}
