/* cmd/hubctl.c - the hub's admin CLI. Works on the hub directory
 * (keys, certificates, hub.db) directly; safe while hubd runs (WAL).
 * `hubctl help` lists the commands. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/log.h"
#include "hub/hub_admin.h"
#include "hub/hub_bundle.h"
#include "hub/hub_card.h"
#include "hub/hub_db.h"
#include "sync/pki.h"

static const char usage_text[] =
    "usage: hubctl [-d DIR] COMMAND ...   (DIR defaults to ./hub)\n"
    "  init [HOST...]                CA, hub key and certificate (for\n"
    "                                localhost, 127.0.0.1 and each HOST), hub.db\n"
    "  add-station ID NAME\n"
    "  enrol-code STATION DEVICE     print a one-time enrolment code\n"
    "  revoke DEVICE                 refuse a kiosk from now on\n"
    "  import ROSTER.csv [--force]   roster (nothing imported on error)\n"
    "  publish KIND FILE [--station S] [--utc-offset MIN]\n"
    "                                KIND: posts duty contacts notices stars\n"
    "  publish-all DEMO_DIR [--station S] [--utc-offset MIN]\n"
    "  stars STATION [--utc-offset MIN]  star board from confirmed points\n"
    "  pending                       pending service logs (CSV)\n"
    "  confirm DEVICE SEQ [--points N]\n"
    "  reject DEVICE SEQ\n"
    "  report members|stations [--utc-offset MIN]   CSV\n"
    "  fleet                         kiosks: last contact, version, queue\n"
    "  events DEVICE                 events held for a device (CSV)\n"
    "  bundle publish FILE.kbundle [--key RELEASE.pub] [--station S]\n"
    "                                offer an update to the kiosks\n"
    "  card init|rotate|issue|roster|revoke ...   signed member cards\n"
    "                                (`hubctl card help`, docs/cards.md)\n";

struct cli {
    const char *dir;
    char        path[512];
    const char *station;
    const char *key;
    int         utc_offset;
    int         points;
    int         force;
};

static const char *at(struct cli *c, const char *name)
{
    snprintf(c->path, sizeof c->path, "%s/%s", c->dir, name);
    return c->path;
}

static int fail(const char *what, err_code e)
{
    fprintf(stderr, "hubctl: %s: %s\n", what, err_str(e));
    return 1;
}

/* init [HOST...]: the hub's certificate is valid for localhost,
 * 127.0.0.1 and each HOST (the names or addresses kiosks dial). */
static int cmd_init(struct cli *c, char **hosts, int n_hosts)
{
    char cakey[512], cacrt[512], key[512];
    if (mkdir(c->dir, 0700) != 0 && errno != EEXIST)
        return fail(c->dir, ERR_IO);
    snprintf(cakey, sizeof cakey, "%s/ca.key", c->dir);
    snprintf(cacrt, sizeof cacrt, "%s/ca.crt", c->dir);
    snprintf(key, sizeof key, "%s/hub.key", c->dir);
    err_code e = pki_key_new(cakey);
    if (e == ERR_OK)
        e = pki_ca_new(cakey, cacrt, "CN=Kiosk Hub CA,O=kiosk hub", 3650);
    if (e == ERR_OK)
        e = pki_key_new(key);
    if (e == ERR_OK)
        e = pki_server_cert_for(cakey, cacrt, key, "CN=kiosk hub,O=kiosk hub",
                                825, (const char *const *)hosts,
                                (size_t)n_hosts, at(c, "hub.crt"));
    struct hub_db *db = NULL;
    if (e == ERR_OK)
        e = hub_db_open(at(c, "hub.db"), &db);
    hub_db_close(db);
    if (e != ERR_OK)
        return fail("init", e);
    printf("hub initialised in %s (give kiosks %s/ca.crt)\n", c->dir, c->dir);
    return 0;
}

static int with_db(struct cli *c, struct hub_db **db)
{
    err_code e = hub_db_open(at(c, "hub.db"), db);
    return e == ERR_OK ? 0 : fail(c->path, e);
}

static int cmd_station(struct hub_db *db, char **a, int n)
{
    if (n != 2 || !pki_id_valid(a[0]))
        return fprintf(stderr, "add-station ID NAME"
                       " (ID: A-Z a-z 0-9 . _ -)\n"), 2;
    err_code e = hub_db_station_add(db, a[0], a[1]);
    return e == ERR_OK ? 0 : fail("add-station", e);
}

static int cmd_code(struct hub_db *db, char **a, int n)
{
    if (n != 2 || !pki_id_valid(a[1]))
        return fprintf(stderr, "enrol-code STATION DEVICE\n"), 2;
    char code[HUB_CODE_LEN + 1];
    err_code e = hub_db_enrol_code(db, a[0], a[1], code);
    if (e == ERR_NOTFOUND)
        return fprintf(stderr, "hubctl: unknown station %s\n", a[0]), 1;
    if (e != ERR_OK)
        return fail("enrol-code", e);
    printf("%s\n", code);
    return 0;
}

static int cmd_import(struct cli *c, struct hub_db *db, char **a, int n)
{
    if (n != 1)
        return fprintf(stderr, "import ROSTER.csv [--force]\n"), 2;
    int count = 0;
    err_code e = hub_admin_import_roster(db, a[0], c->force, stderr, &count);
    if (e != ERR_OK)
        return 1;
    printf("imported %d member(s)\n", count);
    return 0;
}

static int publish_one(struct cli *c, struct hub_db *db, const char *kind,
                       const char *file)
{
    int changes = 0;
    err_code e = hub_admin_publish(db, kind, file, c->station, c->utc_offset,
                                   stderr, &changes);
    if (e != ERR_OK)
        return 1;
    printf("%s: %d change(s) published\n", kind, changes);
    return 0;
}

static int cmd_publish_all(struct cli *c, struct hub_db *db, char **a, int n)
{
    static const char *const kinds[] = { "posts", "duty", "contacts",
                                         "notices", "stars" };
    if (n != 1)
        return fprintf(stderr, "publish-all DEMO_DIR\n"), 2;
    for (int i = 0; i < 5; i++) {
        char file[512];
        snprintf(file, sizeof file, "%s/%s.json", a[0], kinds[i]);
        if (publish_one(c, db, kinds[i], file) != 0)
            return 1;
    }
    return 0;
}

static int cmd_decide(struct cli *c, struct hub_db *db, char **a, int n,
                      bool confirm)
{
    if (n != 2)
        return fprintf(stderr, "confirm|reject DEVICE SEQ\n"), 2;
    char *end;
    uint64_t seq = strtoull(a[1], &end, 10);
    if (*end || seq == 0)
        return fprintf(stderr, "hubctl: bad seq %s\n", a[1]), 2;
    err_code e = hub_admin_decide(db, a[0], seq, confirm, c->points);
    if (e == ERR_NOTFOUND)
        return fprintf(stderr, "hubctl: no service log %s/%s\n", a[0], a[1]), 1;
    return e == ERR_OK ? 0 : fail("decide", e);
}

static int cmd_report(struct cli *c, struct hub_db *db, char **a, int n)
{
    if (n == 1 && strcmp(a[0], "members") == 0)
        return hub_admin_report_members(db, c->utc_offset, stdout) != ERR_OK;
    if (n == 1 && strcmp(a[0], "stations") == 0)
        return hub_admin_report_stations(db, c->utc_offset, stdout) != ERR_OK;
    return fprintf(stderr, "report members|stations\n"), 2;
}

/* With --key the bundle is verified as a kiosk would; without, only its
 * manifest is read (the kiosk checks everything again in any case). */
static int cmd_bundle(struct cli *c, struct hub_db *db, char **a, int n)
{
    if (n != 2 || strcmp(a[0], "publish") != 0)
        return fprintf(stderr, "bundle publish FILE.kbundle"
                       " [--key RELEASE.pub] [--station S]\n"), 2;
    struct hub_bundle_info bi;
    char msg[256];
    err_code e = hub_bundle_publish(db, c->dir, a[1], c->key, c->station,
                                    &bi, msg, sizeof msg);
    if (e != ERR_OK)
        return fprintf(stderr, "hubctl: %s: %s\n", a[1], msg), 1;
    printf("published %s (version %s, %" PRIu64 " bytes, sha256 %s) for %s%s\n",
           bi.name, bi.version, bi.size, bi.sha256,
           c->station ? c->station : "every station",
           c->key ? "" : " (signature not checked: no --key)");
    return 0;
}

static int dispatch(struct cli *c, struct hub_db *db, const char *cmd,
                    char **a, int n)
{
    if (strcmp(cmd, "add-station") == 0)
        return cmd_station(db, a, n);
    if (strcmp(cmd, "enrol-code") == 0)
        return cmd_code(db, a, n);
    if (strcmp(cmd, "revoke") == 0 && n == 1) {
        err_code e = hub_db_device_revoke(db, a[0]);
        if (e == ERR_NOTFOUND)
            return fprintf(stderr, "hubctl: no device %s\n", a[0]), 1;
        return e == ERR_OK ? 0 : fail("revoke", e);
    }
    if (strcmp(cmd, "import") == 0)
        return cmd_import(c, db, a, n);
    if (strcmp(cmd, "publish") == 0 && n == 2)
        return publish_one(c, db, a[0], a[1]);
    if (strcmp(cmd, "stars") == 0 && n == 1) {
        struct stamp now;
        int changes = 0;
        clock_now(&now);
        if (hub_admin_publish_stars(db, a[0], now.wall_ms, c->utc_offset,
                                    stderr, &changes) != ERR_OK)
            return 1;
        printf("star board of %s computed from points: %d change(s)\n",
               a[0], changes);
        return 0;
    }
    if (strcmp(cmd, "publish-all") == 0)
        return cmd_publish_all(c, db, a, n);
    if (strcmp(cmd, "pending") == 0)
        return hub_admin_pending(db, stdout) != ERR_OK;
    if (strcmp(cmd, "confirm") == 0 || strcmp(cmd, "reject") == 0)
        return cmd_decide(c, db, a, n, strcmp(cmd, "confirm") == 0);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(c, db, a, n);
    if (strcmp(cmd, "fleet") == 0)
        return hub_admin_fleet(db, stdout) != ERR_OK;
    if (strcmp(cmd, "events") == 0 && n == 1)
        return hub_admin_events(db, a[0], stdout) != ERR_OK;
    if (strcmp(cmd, "bundle") == 0)
        return cmd_bundle(c, db, a, n);
    if (strcmp(cmd, "card") == 0)
        return hub_card_cli(at(c, "cards"), n, a, hub_card_db_publish, db);
    fputs(usage_text, stderr);
    return 2;
}

/* Options may come anywhere; what is left are the command's words. */
static int parse(struct cli *c, int argc, char **argv, char **words)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--force") == 0) {
            c->force = 1;
        } else if (strcmp(a, "-d") == 0 && v) {
            c->dir = v;
            i++;
        } else if (strcmp(a, "--station") == 0 && v) {
            c->station = v;
            i++;
        } else if (strcmp(a, "--key") == 0 && v) {
            c->key = v;
            i++;
        } else if (strcmp(a, "--utc-offset") == 0 && v) {
            c->utc_offset = atoi(v);
            i++;
        } else if (strcmp(a, "--points") == 0 && v) {
            c->points = atoi(v);
            i++;
        } else {
            words[n++] = argv[i];
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    struct cli c = { .dir = "hub", .utc_offset = 480, .points = -1 };
    char **words = calloc((size_t)argc + 1, sizeof *words);
    int n = parse(&c, argc, argv, words);
    log_set_level(LOG_LVL_WARN);
    int rc;
    if (n == 0 || strcmp(words[0], "help") == 0) {
        fputs(usage_text, n == 0 ? stderr : stdout);
        rc = n == 0 ? 2 : 0;
    } else if (strcmp(words[0], "init") == 0) {
        rc = cmd_init(&c, words + 1, n - 1);
    } else {
        struct hub_db *db = NULL;
        rc = with_db(&c, &db);
        if (rc == 0)
            rc = dispatch(&c, db, words[0], words + 1, n - 1);
        hub_db_close(db);
    }
    free(words);
    return rc;
}
