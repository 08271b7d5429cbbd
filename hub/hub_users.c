/* hub/hub_users.c - accounts, roles, login and sessions (hub_users.h).
 * Every change is written with its audit line in one transaction. */
#include "hub/hub_users.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <argon2.h>
#include <cjson/cJSON.h>

#include "base/sig_mbedtls.h"
#include "hub/hub_audit.h"
#include "sync/pki.h"

static const char *const role_names[] = {
    [HUB_ROLE_ADMIN] = "admin", [HUB_ROLE_DISTRICT] = "district",
    [HUB_ROLE_STREET] = "street", [HUB_ROLE_COMMUNITY] = "community",
    [HUB_ROLE_STATION] = "station" };

enum hub_role hub_role_parse(const char *s)
{
    for (int r = HUB_ROLE_ADMIN; r <= HUB_ROLE_STATION; r++)
        if (s && strcmp(s, role_names[r]) == 0)
            return (enum hub_role)r;
    return HUB_ROLE_NONE;
}

const char *hub_role_name(enum hub_role r)
{
    return r >= HUB_ROLE_ADMIN && r <= HUB_ROLE_STATION ? role_names[r] : "";
}

static err_code fail(char *msg, size_t cap, err_code e, const char *why)
{
    if (msg && cap)
        snprintf(msg, cap, "%s", why);
    return e;
}

static bool random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got <= 0)
            return false;
        p += got;
        n -= (size_t)got;
    }
    return true;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
    out[2 * n] = '\0';
}

/* ---- passwords ------------------------------------------------------------ */

err_code hub_pw_hash(const char *pw, char *out, size_t cap)
{
    unsigned char salt[16];
    if (!random_bytes(salt, sizeof salt))
        return ERR_IO;
    int rc = argon2id_hash_encoded(HUB_ARGON2_T, HUB_ARGON2_M_KIB, 1, pw,
                                   strlen(pw), salt, sizeof salt, 32, out,
                                   cap);
    return rc == ARGON2_OK ? ERR_OK : ERR_INVAL;
}

bool hub_pw_verify(const char *encoded, const char *pw)
{
    return encoded[0] && argon2id_verify(encoded, pw, strlen(pw)) == ARGON2_OK;
}

/* A hash to verify against when the name is unknown, so that the answer
 * takes as long as for a real account. */
static char dummy_hash[192];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_make(void)
{
    if (hub_pw_hash("not a password", dummy_hash, sizeof dummy_hash) != ERR_OK)
        dummy_hash[0] = '\0';
}

/* ---- JSON for the audit --------------------------------------------------- */

static char *json_done(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static char *user_json(const struct hub_user_row *u)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddStringToObject(o, "role", u->role);
    cJSON_AddStringToObject(o, "scope", u->scope);
    cJSON_AddBoolToObject(o, "editor", u->editor);
    cJSON_AddBoolToObject(o, "disabled", u->disabled);
    return json_done(o);
}

/* Run the change and its audit line in one transaction. */
static err_code audited(struct hub_db *db, err_code e_change,
                        const char *actor, const char *action,
                        const char *object, const char *before,
                        const char *after)
{
    err_code e = e_change;
    if (e == ERR_OK)
        e = hub_audit_record(db, actor, action, object, before, after);
    if (e == ERR_OK)
        e = hub_db_commit(db);
    else
        hub_db_rollback(db);
    return e;
}

/* ---- hierarchy ------------------------------------------------------------ */

static const char *parent_kind(const char *kind)
{
    if (strcmp(kind, "street") == 0)
        return "district";
    if (strcmp(kind, "community") == 0)
        return "street";
    return NULL;
}

err_code hub_org_add(struct hub_db *db, const char *actor, const char *kind,
                     const char *id, const char *name, const char *parent,
                     char *msg, size_t cap)
{
    if (strcmp(kind, "district") && strcmp(kind, "street") &&
        strcmp(kind, "community"))
        return fail(msg, cap, ERR_INVAL,
                    "the kind is district, street or community");
    if (!pki_id_valid(id))
        return fail(msg, cap, ERR_INVAL, "an id is A-Z a-z 0-9 . _ -");
    if (!name[0] || strlen(name) >= 128)
        return fail(msg, cap, ERR_INVAL, "a name of 1 to 127 bytes");
    const char *pk = parent_kind(kind);
    if (!pk && parent && parent[0])
        return fail(msg, cap, ERR_INVAL, "a district has no parent");
    if (pk) {
        struct hub_org_row p;
        if (!parent || !parent[0] || hub_db_org_get(db, parent, &p) != ERR_OK
            || strcmp(p.kind, pk) != 0) {
            snprintf(msg, cap, "a %s needs --parent, an existing %s", kind,
                     pk);
            return ERR_INVAL;
        }
    }
    struct hub_org_row r = { 0 };
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.kind, sizeof r.kind, "%s", kind);
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.parent, sizeof r.parent, "%s", pk ? parent : "");
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_org_add(db, &r);
    if (e == ERR_INVAL)
        fail(msg, cap, e, "that id is taken (by a node or a station)");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", r.kind);
    cJSON_AddStringToObject(o, "name", r.name);
    cJSON_AddStringToObject(o, "parent", r.parent);
    char *after = json_done(o), obj[80];
    snprintf(obj, sizeof obj, "org:%s", id);
    e = audited(db, e, actor, "org.add", obj, "", after);
    free(after);
    return e;
}

err_code hub_station_place(struct hub_db *db, const char *actor,
                           const char *station, const char *community,
                           char *msg, size_t cap)
{
    if (!hub_db_station_exists(db, station))
        return fail(msg, cap, ERR_INVAL, "no such station");
    struct hub_org_row c;
    if (hub_db_org_get(db, community, &c) != ERR_OK ||
        strcmp(c.kind, "community") != 0)
        return fail(msg, cap, ERR_INVAL, "no such community");
    char before[64], b[96], a[96], obj[80];
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_station_place_get(db, station, before, sizeof before);
    if (e == ERR_OK)
        e = hub_db_station_place_set(db, station, community);
    /* Ids are [A-Za-z0-9._-] (checked above): no JSON escaping needed. */
    snprintf(b, sizeof b, before[0] ? "{\"community\":\"%s\"}" : "", before);
    snprintf(a, sizeof a, "{\"community\":\"%s\"}", community);
    snprintf(obj, sizeof obj, "station:%s", station);
    return audited(db, e, actor, "station.place", obj, b, a);
}

/* ---- accounts ------------------------------------------------------------- */

static const char *org_kind_for(enum hub_role r)
{
    switch (r) {
    case HUB_ROLE_DISTRICT:  return "district";
    case HUB_ROLE_STREET:    return "street";
    case HUB_ROLE_COMMUNITY: return "community";
    default:                 return NULL;
    }
}

/* Check role and scope; fill u's role, scope and editor. */
static err_code role_check(struct hub_db *db, struct hub_user_row *u,
                           const char *role, const char *scope, int editor,
                           char *msg, size_t cap)
{
    enum hub_role r = hub_role_parse(role);
    if (r == HUB_ROLE_NONE)
        return fail(msg, cap, ERR_INVAL,
                    "the role is admin, district, street, community or"
                    " station");
    scope = scope ? scope : "";
    if (r == HUB_ROLE_ADMIN && scope[0])
        return fail(msg, cap, ERR_INVAL, "admin covers everything: no --scope");
    if (r == HUB_ROLE_STATION && !hub_db_station_exists(db, scope))
        return fail(msg, cap, ERR_INVAL, "--scope must name a station");
    const char *kind = org_kind_for(r);
    struct hub_org_row n;
    if (kind && (hub_db_org_get(db, scope, &n) != ERR_OK ||
                 strcmp(n.kind, kind) != 0)) {
        snprintf(msg, cap, "--scope must name a %s (hubctl org list)", kind);
        return ERR_INVAL;
    }
    snprintf(u->role, sizeof u->role, "%s", role);
    snprintf(u->scope, sizeof u->scope, "%s", scope);
    /* District and street see much; they only read unless made editors. */
    u->editor = editor >= 0 ? editor != 0
              : r == HUB_ROLE_ADMIN || r == HUB_ROLE_COMMUNITY ||
                r == HUB_ROLE_STATION;
    return ERR_OK;
}

static err_code pw_check(const char *pw, char *msg, size_t cap)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < HUB_PW_MIN || n > HUB_PW_MAX) {
        snprintf(msg, cap, "a password has %d to %d characters", HUB_PW_MIN,
                 HUB_PW_MAX);
        return ERR_INVAL;
    }
    return ERR_OK;
}

err_code hub_user_add(struct hub_db *db, const char *actor, const char *name,
                      const char *role, const char *scope, int editor,
                      const char *pw, char *msg, size_t cap)
{
    struct hub_user_row u = { 0 };
    if (!pki_id_valid(name) || strlen(name) >= sizeof u.name)
        return fail(msg, cap, ERR_INVAL, "a user name is A-Z a-z 0-9 . _ -");
    snprintf(u.name, sizeof u.name, "%s", name);
    err_code e = role_check(db, &u, role, scope, editor, msg, cap);
    if (e == ERR_OK)
        e = pw_check(pw, msg, cap);
    if (e == ERR_OK && hub_pw_hash(pw, u.pw_hash, sizeof u.pw_hash) != ERR_OK)
        e = fail(msg, cap, ERR_IO, "cannot hash the password");
    if (e != ERR_OK)
        return e;
    u.created_ms = hub_now_ms();
    e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_user_add(db, &u);
    if (e == ERR_INVAL)
        fail(msg, cap, e, "that user exists");
    char *after = user_json(&u), obj[80];
    snprintf(obj, sizeof obj, "user:%s", name);
    e = audited(db, e, actor, "user.add", obj, "", after);
    free(after);
    return e;
}

/* Load a user, let change() alter it, store it with its audit line and
 * end its sessions (a changed password or role must not stay logged in
 * elsewhere). */
static err_code user_change(struct hub_db *db, const char *actor,
                            const char *name, const char *action,
                            struct hub_user_row *nu, bool drop_sessions,
                            char *msg, size_t cap)
{
    struct hub_user_row old;
    err_code e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    e = hub_db_user_get(db, name, &old);
    if (e == ERR_NOTFOUND)
        fail(msg, cap, e, "no such user");
    if (e == ERR_OK) {
        /* nu holds the new fields; "" / -1 keep the old. */
        if (!nu->pw_hash[0])
            memcpy(nu->pw_hash, old.pw_hash, sizeof nu->pw_hash);
        if (!nu->role[0]) {
            memcpy(nu->role, old.role, sizeof nu->role);
            memcpy(nu->scope, old.scope, sizeof nu->scope);
            nu->editor = old.editor;
        }
        snprintf(nu->name, sizeof nu->name, "%s", old.name);
        nu->created_ms = old.created_ms;
        e = hub_db_user_update(db, nu);
    }
    if (e == ERR_OK && drop_sessions)
        e = hub_db_session_drop_user(db, name);
    char *before = e == ERR_OK ? user_json(&old) : NULL;
    char *after = e == ERR_OK ? user_json(nu) : NULL, obj[80];
    snprintf(obj, sizeof obj, "user:%s", name);
    e = audited(db, e, actor, action, obj, before, after);
    free(before);
    free(after);
    return e;
}

err_code hub_user_passwd(struct hub_db *db, const char *actor,
                         const char *name, const char *pw,
                         char *msg, size_t cap)
{
    struct hub_user_row nu = { 0 };
    err_code e = pw_check(pw, msg, cap);
    if (e == ERR_OK && hub_pw_hash(pw, nu.pw_hash, sizeof nu.pw_hash) != ERR_OK)
        e = fail(msg, cap, ERR_IO, "cannot hash the password");
    if (e != ERR_OK)
        return e;
    /* A new password also lifts a lockout (and keeps disabled as is). */
    struct hub_user_row old;
    if (hub_db_user_get(db, name, &old) == ERR_OK)
        nu.disabled = old.disabled;
    return user_change(db, actor, name, "user.passwd", &nu, true, msg, cap);
}

err_code hub_user_disable(struct hub_db *db, const char *actor,
                          const char *name, bool disabled,
                          char *msg, size_t cap)
{
    struct hub_user_row nu = { 0 }, old;
    if (hub_db_user_get(db, name, &old) == ERR_OK) {
        nu.failed = old.failed;
        nu.locked_until_ms = old.locked_until_ms;
    }
    nu.disabled = disabled;
    return user_change(db, actor, name,
                       disabled ? "user.disable" : "user.enable", &nu,
                       disabled, msg, cap);
}

err_code hub_user_role(struct hub_db *db, const char *actor, const char *name,
                       const char *role, const char *scope, int editor,
                       char *msg, size_t cap)
{
    struct hub_user_row nu = { 0 }, old;
    err_code e = role_check(db, &nu, role, scope, editor, msg, cap);
    if (e != ERR_OK)
        return e;
    if (hub_db_user_get(db, name, &old) == ERR_OK) {
        nu.disabled = old.disabled;
        nu.failed = old.failed;
        nu.locked_until_ms = old.locked_until_ms;
    }
    return user_change(db, actor, name, "user.role", &nu, true, msg, cap);
}

/* ---- access --------------------------------------------------------------- */

bool hub_user_is_admin(const struct hub_user_row *u)
{
    return u && !u->disabled && hub_role_parse(u->role) == HUB_ROLE_ADMIN;
}

bool hub_user_may(struct hub_db *db, const struct hub_user_row *u,
                  const char *station, enum hub_access want)
{
    if (!u || u->disabled || !station || !station[0])
        return false;
    enum hub_role r = hub_role_parse(u->role);
    if (r == HUB_ROLE_NONE || (want == HUB_CHANGE && !u->editor))
        return false;
    if (r == HUB_ROLE_ADMIN)
        return true;
    if (r == HUB_ROLE_STATION)
        return strcmp(u->scope, station) == 0;
    /* Walk up from the station: community, street, district. */
    char node[64];
    if (hub_db_station_place_get(db, station, node, sizeof node) != ERR_OK ||
        !node[0])
        return false;
    for (int level = HUB_ROLE_COMMUNITY; level >= HUB_ROLE_DISTRICT; level--) {
        if ((int)r == level)
            return strcmp(u->scope, node) == 0;
        struct hub_org_row o;
        if (hub_db_org_get(db, node, &o) != ERR_OK || !o.parent[0])
            return false;
        snprintf(node, sizeof node, "%s", o.parent);
    }
    return false;
}

/* ---- login and sessions --------------------------------------------------- */

static void id_hash(const char *id, char out[65])
{
    uint8_t h[SIG_HASH_LEN];
    sig_sha256(id, strlen(id), h);
    hex(h, sizeof h, out);
}

err_code hub_login(struct hub_db *db, const char *name, const char *pw,
                   const char *addr, int64_t now_ms,
                   struct hub_session_new *out, enum hub_login_rc *rc)
{
    *rc = HUB_LOGIN_BAD;
    int addr_fails;
    int64_t window;
    err_code e = hub_db_login_addr_get(db, addr, &addr_fails, &window);
    if (e != ERR_OK)
        return e;
    if (now_ms - window >= HUB_ADDR_WINDOW_MS) {
        addr_fails = 0;
        window = now_ms;
    }
    if (addr_fails >= HUB_ADDR_MAX_FAILS) {
        *rc = HUB_LOGIN_THROTTLED;
        return ERR_OK;
    }
    struct hub_user_row u;
    bool known = hub_db_user_get(db, name, &u) == ERR_OK;
    pthread_once(&dummy_once, dummy_make);
    /* Verify even when the outcome is known (unknown, disabled, locked):
     * the time taken must not tell them apart. */
    bool right = hub_pw_verify(known ? u.pw_hash : dummy_hash, pw);
    bool locked = known && u.locked_until_ms > now_ms;
    bool ok = known && right && !locked && !u.disabled;
    e = hub_db_begin(db);
    if (e != ERR_OK)
        return e;
    if (!ok) {
        e = hub_db_login_addr_put(db, addr, addr_fails + 1, window);
        if (e == ERR_OK && known && !locked) {
            u.failed++;
            if (u.failed >= HUB_LOGIN_MAX_FAILS) {
                u.failed = 0;
                u.locked_until_ms = now_ms + HUB_LOGIN_LOCK_MS;
                char obj[80];
                snprintf(obj, sizeof obj, "user:%s", u.name);
                e = hub_audit_record(db, "-", "user.lock", obj, "",
                                     "{\"reason\":\"5 wrong passwords\"}");
            }
            if (e == ERR_OK)
                e = hub_db_user_update(db, &u);
        }
    } else {
        u.failed = 0;
        u.locked_until_ms = 0;
        e = hub_db_user_update(db, &u);
        unsigned char rid[32], rcs[32];
        struct hub_session_row s = { .created_ms = now_ms, .last_ms = now_ms };
        if (e == ERR_OK && (!random_bytes(rid, sizeof rid) ||
                            !random_bytes(rcs, sizeof rcs)))
            e = ERR_IO;
        if (e == ERR_OK) {
            hex(rid, sizeof rid, out->id);
            hex(rcs, sizeof rcs, out->csrf);
            id_hash(out->id, s.id_hash);
            snprintf(s.user, sizeof s.user, "%s", u.name);
            snprintf(s.csrf, sizeof s.csrf, "%s", out->csrf);
            e = hub_db_session_add(db, &s);
        }
    }
    if (e == ERR_OK)
        e = hub_db_commit(db);
    else
        hub_db_rollback(db);
    if (e == ERR_OK && ok)
        *rc = HUB_LOGIN_OK;
    return e;
}

static bool id_ok(const char *id)
{
    if (strlen(id) != HUB_SESSION_HEX)
        return false;
    for (const char *p = id; *p; p++)
        if (!strchr("0123456789abcdef", *p))
            return false;
    return true;
}

err_code hub_session_check(struct hub_db *db, const char *id, int64_t now_ms,
                           struct hub_user_row *user, char *csrf,
                           size_t csrf_cap)
{
    if (!id || !id_ok(id))
        return ERR_NOTFOUND;
    char h[65];
    id_hash(id, h);
    struct hub_session_row s;
    err_code e = hub_db_session_get(db, h, &s);
    if (e != ERR_OK)
        return e;
    bool live = now_ms - s.last_ms < HUB_SESSION_IDLE_MS &&
                now_ms - s.created_ms < HUB_SESSION_MAX_MS;
    if (live)
        live = hub_db_user_get(db, s.user, user) == ERR_OK && !user->disabled;
    if (!live) {
        hub_db_session_drop(db, h);
        return ERR_NOTFOUND;
    }
    snprintf(csrf, csrf_cap, "%s", s.csrf);
    /* Touch at most once a minute: a page of requests costs one write. */
    if (now_ms - s.last_ms >= 60000)
        hub_db_session_touch(db, h, now_ms);
    return ERR_OK;
}

err_code hub_session_end(struct hub_db *db, const char *id)
{
    if (!id || !id_ok(id))
        return ERR_OK;
    char h[65];
    id_hash(id, h);
    return hub_db_session_drop(db, h);
}

bool hub_token_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b) || n == 0)
        return false;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}
