/* hub/hub_db_users.h - the store behind the web console (docs/console.md):
 * the place hierarchy (district -> street -> community -> station), staff
 * accounts, console sessions, per-address login throttling and the audit
 * log. SQL only; the rules (who may see what, lockout, hashing) live in
 * hub/hub_users.c and hub/hub_audit.c. Tables are created by
 * hub_db_users_migrate (from hub_db_open), on SQLite and PostgreSQL. */
#ifndef HUB_DB_USERS_H
#define HUB_DB_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"

err_code hub_db_users_migrate(struct hub_db *db);

/* ---- the hierarchy ------------------------------------------------------ */

struct hub_org_row {
    char id[64];
    char kind[16];          /* district, street, community */
    char name[128];
    char parent[64];        /* "" for a district */
};
/* ERR_INVAL: the id is taken (by a node or a station). */
err_code hub_db_org_add(struct hub_db *db, const struct hub_org_row *r);
err_code hub_db_org_get(struct hub_db *db, const char *id,
                        struct hub_org_row *out);          /* ERR_NOTFOUND */
/* Every node, districts first, then by parent and id. */
err_code hub_db_org_each(struct hub_db *db,
                         void (*fn)(void *ctx, const struct hub_org_row *r),
                         void *ctx);
/* A station's community ("" when it has no place yet). */
err_code hub_db_station_place_get(struct hub_db *db, const char *station,
                                  char *community, size_t cap);
err_code hub_db_station_place_set(struct hub_db *db, const char *station,
                                  const char *community);
/* A station's name; ERR_NOTFOUND. */
err_code hub_db_station_name(struct hub_db *db, const char *station,
                             char *name, size_t cap);

/* ---- accounts ----------------------------------------------------------- */

struct hub_user_row {
    char    name[64];
    char    pw_hash[192];   /* argon2id encoded string */
    char    role[16];       /* admin district street community station */
    char    scope[64];      /* the node (or station) the role covers */
    bool    editor;         /* may change, not only see */
    bool    disabled;
    int     failed;         /* wrong passwords since the last success */
    int64_t locked_until_ms;
    int64_t created_ms;
};
/* ERR_INVAL: the name is taken. */
err_code hub_db_user_add(struct hub_db *db, const struct hub_user_row *r);
err_code hub_db_user_get(struct hub_db *db, const char *name,
                         struct hub_user_row *out);        /* ERR_NOTFOUND */
/* Write every field of an existing account back (ERR_NOTFOUND). */
err_code hub_db_user_update(struct hub_db *db, const struct hub_user_row *r);
err_code hub_db_user_each(struct hub_db *db,
                          void (*fn)(void *ctx, const struct hub_user_row *r),
                          void *ctx);

/* ---- sessions ----------------------------------------------------------- */

struct hub_session_row {
    char    id_hash[65];    /* SHA-256 of the cookie's id, hex */
    char    user[64];
    char    csrf[65];
    int64_t created_ms, last_ms;
};
err_code hub_db_session_add(struct hub_db *db, const struct hub_session_row *r);
err_code hub_db_session_get(struct hub_db *db, const char *id_hash,
                            struct hub_session_row *out);  /* ERR_NOTFOUND */
err_code hub_db_session_touch(struct hub_db *db, const char *id_hash,
                              int64_t now_ms);
err_code hub_db_session_drop(struct hub_db *db, const char *id_hash);
/* Every session of a user (password changed, disabled, role changed). */
err_code hub_db_session_drop_user(struct hub_db *db, const char *user);

/* ---- per-address login throttling --------------------------------------- */

err_code hub_db_login_addr_get(struct hub_db *db, const char *addr,
                               int *failures, int64_t *window_start_ms);
err_code hub_db_login_addr_put(struct hub_db *db, const char *addr,
                               int failures, int64_t window_start_ms);

/* ---- audit -------------------------------------------------------------- */

struct hub_audit_row {
    int64_t     id, at_ms;
    const char *actor, *action, *object, *before, *after;
};
err_code hub_db_audit_put(struct hub_db *db, int64_t at_ms, const char *actor,
                          const char *action, const char *object,
                          const char *before, const char *after);
/* Filters: NULL or "" for any; actor and action exact, object a prefix;
 * [from_ms, to_ms) when non-zero. Newest first, at most limit rows. */
struct hub_audit_filter {
    const char *actor, *action, *object;
    int64_t     from_ms, to_ms;
    int         limit;
};
err_code hub_db_audit_each(struct hub_db *db, const struct hub_audit_filter *f,
                           void (*fn)(void *ctx, const struct hub_audit_row *r),
                           void *ctx);

/* ---- the console's dashboard -------------------------------------------- */

struct hub_station_stat {
    const char *id, *name;
    int64_t     today, week;     /* check-ins since the given instants */
    int64_t     pending;         /* service logs waiting for review */
    int64_t     open_tickets;    /* tickets not closed */
};
err_code hub_db_station_stats(struct hub_db *db, int64_t today_ms,
                              int64_t week_ms,
                              void (*fn)(void *ctx,
                                         const struct hub_station_stat *s),
                              void *ctx);

#endif
