/* tests/support/hub_fixture.c - see hub_fixture.h. */
#include "tests/support/hub_fixture.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/log.h"
#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "hub/hub_sql.h"
#include "sync/pki.h"
#include "sync/sync_enrol.h"

static char dir[64];
static struct hub_server *srv;
static pthread_t srv_thread;
static int port;

const char *hubfx_dir(void) { return dir; }
int hubfx_port(void)        { return port; }

char *hubfx_path(const char *name)
{
    static char bufs[16][256];
    static int next;
    char *b = bufs[next++ % 16];

    snprintf(b, 256, "%s/%s", dir, name);
    return b;
}

const char *hubfx_store(const char *sqlite_path)
{
    const char *url = getenv("HUB_TEST_STORE");
    return url && *url ? url : sqlite_path;
}

const char *hubfx_store_new(const char *sqlite_path, const char *name)
{
    static char url[512];
    const char *base = hubfx_store(NULL);
    if (!base || !hub_db_is_url(base))
        return sqlite_path;
    /* postgresql:///DB?...: the same server, database DB_name. */
    const char *db = strstr(base, ":///");
    assert_non_null(db);
    db += 4;
    size_t n = strcspn(db, "?");
    snprintf(url, sizeof url, "%.*s%.*s_%s%s", (int)(db - base), base,
             (int)n, db, name, db + n);
    char sql[256], msg[256];
    snprintf(sql, sizeof sql, "CREATE DATABASE %.*s_%s", (int)n, db, name);
    struct sql_conn *c;
    assert_int_equal(sql_open(base, &c, msg, sizeof msg), SQL_OK);
    assert_int_equal(sql_exec(c, sql), SQL_OK);
    sql_close(c);
    return url;
}

bool hubfx_on_postgres(void)
{
    const char *s = hubfx_store(NULL);
    return s && hub_db_is_url(s);
}

void hubfx_init(const char *name)
{
    char cmd[512];

    log_set_level(LOG_LVL_ERROR);
    snprintf(dir, sizeof dir, "/tmp/%s.XXXXXX", name);
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "mkdir -p %s/hub", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(pki_key_new(hubfx_path("hub/ca.key")), ERR_OK);
    assert_int_equal(pki_ca_new(hubfx_path("hub/ca.key"),
                                hubfx_path("hub/ca.crt"), "CN=CA", 30), ERR_OK);
    assert_int_equal(pki_key_new(hubfx_path("hub/hub.key")), ERR_OK);
    assert_int_equal(pki_server_cert(hubfx_path("hub/ca.key"),
                                     hubfx_path("hub/ca.crt"),
                                     hubfx_path("hub/hub.key"), "CN=localhost",
                                     30, hubfx_path("hub/hub.crt")), ERR_OK);
}

static void *serve(void *arg)
{
    (void)arg;
    hub_server_run(srv);
    return NULL;
}

void hubfx_start(void)
{
    struct hub_server_opts o = { .dir = hubfx_path("hub"),
                                 .store = hubfx_store(NULL),
                                 .host = "127.0.0.1", .port = 0,
                                 .timeout_ms = 3000 };

    assert_int_equal(hub_server_create(&o, &srv), ERR_OK);
    port = hub_server_port(srv);
    assert_int_equal(pthread_create(&srv_thread, NULL, serve, NULL), 0);
}

void hubfx_stop(void)
{
    char cmd[128];

    hub_server_stop(srv);
    pthread_join(srv_thread, NULL);
    hub_server_destroy(srv);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

struct hub_db *hubfx_db(void)
{
    struct hub_db *db = NULL;

    assert_int_equal(hub_db_open(hubfx_store(hubfx_path("hub/hub.db")), &db),
                     ERR_OK);
    return db;
}

void hubfx_enrol(const char *station, const char *device, const char *key,
                 const char *crt)
{
    struct hub_db *db = hubfx_db();
    char code[HUB_CODE_LEN + 1], st[64], dev[64];

    assert_int_equal(hub_db_enrol_code(db, station, device, code), ERR_OK);
    hub_db_close(db);
    struct sync_enrol_opts o = { .host = "127.0.0.1", .port = port,
                                 .ca_file = hubfx_path("hub/ca.crt"),
                                 .code = code, .key_file = hubfx_path(key),
                                 .cert_file = hubfx_path(crt),
                                 .timeout_ms = 3000 };
    assert_int_equal(sync_enrol(&o, st, sizeof st, dev, sizeof dev), ERR_OK);
}
