/* hub/hub_users.h - staff accounts, roles over the place hierarchy,
 * login with lockout, and console sessions (docs/console.md).
 *
 * Hierarchy: district -> street -> community -> station. A station gains
 * its place with hub_station_place (a community). A user has one role,
 * scoped to one node of the level the role names (admin: none, all):
 *   admin      everything, read and write, and the accounts
 *   district   the stations under one district  (viewer by default)
 *   street     the stations under one street    (viewer by default)
 *   community  the stations of one community    (editor by default)
 *   station    one station                      (editor by default)
 * hub_user_may() is THE answer to "may U see / change station S": every
 * console page and handler asks it, and answers 404 when it says no.
 *
 * Passwords: Argon2id (libargon2), t=HUB_ARGON2_T passes over
 * HUB_ARGON2_M_KIB KiB, one lane, 16-byte random salt, 32-byte tag, kept
 * as argon2's encoded string ($argon2id$v=19$m=...,t=...,p=...$salt$tag)
 * so the cost can be raised later and old hashes still verify.
 *
 * Login: HUB_LOGIN_MAX_FAILS wrong passwords in a row lock the account
 * for HUB_LOGIN_LOCK_MS (the right password fails too until then); one
 * address may fail HUB_ADDR_MAX_FAILS times per HUB_ADDR_WINDOW_MS before
 * it is refused outright. An unknown name, a wrong password, a disabled
 * or a locked account all get the same answer (HUB_LOGIN_BAD), so the
 * login page does not tell which names exist.
 *
 * Sessions: a random 256-bit id in the cookie (64 hex digits), only its
 * SHA-256 in the store; a per-session CSRF token (256 bits); ended after
 * HUB_SESSION_IDLE_MS without a request or HUB_SESSION_MAX_MS after
 * login, by logout, and by a password, role or disable change. */
#ifndef HUB_USERS_H
#define HUB_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_users.h"

#define HUB_ARGON2_T          2
#define HUB_ARGON2_M_KIB      19456        /* 19 MiB (OWASP's minimum) */
#define HUB_PW_MIN            8
#define HUB_PW_MAX            128
#define HUB_LOGIN_MAX_FAILS   5
#define HUB_LOGIN_LOCK_MS     (15 * 60 * 1000)
#define HUB_ADDR_MAX_FAILS    30
#define HUB_ADDR_WINDOW_MS    (15 * 60 * 1000)
#define HUB_SESSION_IDLE_MS   (30 * 60 * 1000)
#define HUB_SESSION_MAX_MS    (12 * 60 * 60 * 1000)
#define HUB_SESSION_HEX       64           /* cookie id and CSRF token */

enum hub_role { HUB_ROLE_NONE = 0, HUB_ROLE_ADMIN, HUB_ROLE_DISTRICT,
                HUB_ROLE_STREET, HUB_ROLE_COMMUNITY, HUB_ROLE_STATION };
enum hub_access { HUB_SEE, HUB_CHANGE };

enum hub_role hub_role_parse(const char *s);       /* HUB_ROLE_NONE */
const char   *hub_role_name(enum hub_role r);

/* Argon2id of pw into out (an encoded string, < 192 bytes). */
err_code hub_pw_hash(const char *pw, char *out, size_t cap);
bool     hub_pw_verify(const char *encoded, const char *pw);

/* ---- the hierarchy (audited as actor) ---------------------------------- */

/* kind: district, street or community; a street's parent is a district,
 * a community's a street; a district has none. ERR_INVAL (msg says
 * why): bad id, kind or parent, or the id is taken. */
err_code hub_org_add(struct hub_db *db, const char *actor, const char *kind,
                     const char *id, const char *name, const char *parent,
                     char *msg, size_t cap);
/* Give a station its place: a community. */
err_code hub_station_place(struct hub_db *db, const char *actor,
                           const char *station, const char *community,
                           char *msg, size_t cap);

/* ---- accounts (audited as actor; never with the password) -------------- */

/* scope: the node the role covers (checked against its level), "" for
 * admin; editor < 0: the role's default. ERR_INVAL with msg. */
err_code hub_user_add(struct hub_db *db, const char *actor, const char *name,
                      const char *role, const char *scope, int editor,
                      const char *pw, char *msg, size_t cap);
err_code hub_user_passwd(struct hub_db *db, const char *actor,
                         const char *name, const char *pw,
                         char *msg, size_t cap);
/* disabled: true to disable (sessions end), false to enable again. */
err_code hub_user_disable(struct hub_db *db, const char *actor,
                          const char *name, bool disabled,
                          char *msg, size_t cap);
err_code hub_user_role(struct hub_db *db, const char *actor, const char *name,
                       const char *role, const char *scope, int editor,
                       char *msg, size_t cap);

/* ---- access ------------------------------------------------------------- */

/* May user u see (or change) station? Disabled users may nothing. */
bool hub_user_may(struct hub_db *db, const struct hub_user_row *u,
                  const char *station, enum hub_access want);
/* The user may manage accounts (admin). */
bool hub_user_is_admin(const struct hub_user_row *u);

/* ---- login and sessions ------------------------------------------------- */

enum hub_login_rc { HUB_LOGIN_OK, HUB_LOGIN_BAD, HUB_LOGIN_THROTTLED };
struct hub_session_new {
    char id[HUB_SESSION_HEX + 1];      /* for the cookie only */
    char csrf[HUB_SESSION_HEX + 1];
};
/* Check name and pw from addr at now_ms; on HUB_LOGIN_OK a new session
 * is stored and described in *out. The failure counts are kept either
 * way. */
err_code hub_login(struct hub_db *db, const char *name, const char *pw,
                   const char *addr, int64_t now_ms,
                   struct hub_session_new *out, enum hub_login_rc *rc);
/* The live session of a cookie id: its user (enabled) and CSRF token,
 * touched (idle clock restarted). ERR_NOTFOUND: no such session, or it
 * idled out, expired or its user was disabled (then it is dropped). */
err_code hub_session_check(struct hub_db *db, const char *id, int64_t now_ms,
                           struct hub_user_row *user, char *csrf,
                           size_t csrf_cap);
err_code hub_session_end(struct hub_db *db, const char *id);
/* Compare two tokens in constant time (CSRF). */
bool     hub_token_equal(const char *a, const char *b);

#endif
