/* tests/support/hub_fixture.h - a real hub for the sync tests: a temp dir
 * with a CA and a hub certificate, hubd's server on an ephemeral
 * 127.0.0.1 port in a thread, and enrolment of test kiosks through the
 * real protocol. One hub per test program. */
#ifndef HUB_FIXTURE_H
#define HUB_FIXTURE_H

#include <stdbool.h>

#include "hub/hub_db.h"

/* mkdtemp /tmp/NAME.XXXXXX, make DIR/hub with a CA and a hub cert. */
void hubfx_init(const char *name);
/* Start the server on DIR/hub (stations added before, with hubfx_db). */
void hubfx_start(void);
/* Stop the server and remove the dir. */
void hubfx_stop(void);

const char    *hubfx_dir(void);
int            hubfx_port(void);
/* DIR/name; a ring of 16 buffers, so a few can be used at once. */
char          *hubfx_path(const char *name);
/* The hub's store the tests run against: the PostgreSQL URL in the
 * environment's HUB_TEST_STORE when set (tests/hub_pg_test.sh starts a
 * throwaway cluster and sets it), else sqlite_path (NULL: DIR/hub.db). */
const char    *hubfx_store(const char *sqlite_path);
/* A store of its own, empty, beside the tests' one: sqlite_path, or on
 * PostgreSQL a new database named after HUB_TEST_STORE's and `name`
 * (a static buffer: one such store at a time). */
const char    *hubfx_store_new(const char *sqlite_path, const char *name);
/* Whether the tests run on PostgreSQL (SQLite-only tests skip). */
bool           hubfx_on_postgres(void);
/* The hub's database, opened anew (close it with hub_db_close). */
struct hub_db *hubfx_db(void);
/* Enrol `device` of `station`: key and certificate into DIR/key, DIR/crt. */
void hubfx_enrol(const char *station, const char *device, const char *key,
                 const char *crt);

#endif
