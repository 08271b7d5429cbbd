/* cmd/hubctl.c - the hub's admin CLI. Works on the hub directory
 * (keys, certificates, hub.db) directly; safe while hubd runs (WAL).
 * `hubctl help` lists the commands. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/cmd_table.h"
#include "cmd/hubctl_claims.h"
#include "cmd/hubctl_ledger.h"
#include "cmd/hubctl_users.h"
#include "cmd/hubctl_points.h"
#include "cmd/hubctl_reg.h"
#include "base/log.h"
#include "base/service_confirm.h"
#include "hub/hub_bundle.h"
#include "hub/hub_card.h"
#include "hub/hub_card_office.h"
#include "hub/hub_db.h"
#include "hub/hub_desk.h"
#include "hub/hub_photo.h"
#include "hub/hub_publish.h"
#include "hub/hub_report.h"
#include "hub/hub_review.h"
#include "hub/hub_roster.h"
#include "hub/hub_org.h"
#include "hub/hub_stars.h"
#include "hub/hub_stats.h"
#include "hub/hub_xlsx.h"
#include "sync/pki.h"
#include "sync/proto.h"

struct cli {
    const char    *dir;
    const char    *store;        /* --store: NULL for DIR/hub.db */
    char           path[512];
    const char    *station;
    const char    *key;
    const char    *cert;         /* revoke --cert SERIAL|SHA256 */
    int            utc_offset;
    int            points;
    const char    *method;       /* confirm --method M --by NAME --rating R */
    const char    *by;           /* confirm's NAME; a report's station|member */
    const char    *rating;
    const char    *reason;       /* reject --reason TEXT */
    int            force;
    int            replace_all;
    int            csv;
    struct hub_feed_rule feed;   /* feed stats|trim --active-days --keep-days */
    /* report checkins|service|ledger: every --station, the period
     * options as given (--from --to --month --quarter --year), --xlsx,
     * --lang, --by */
    const char   **stations;
    size_t         n_stations;
    const char    *period[5];
    const char    *xlsx, *lang;
    const char    *org;          /* report --org NODE (hub/hub_org.h) */
    const char    *day;          /* desk-log --day YYYY-MM-DD */
    struct hub_db *db;           /* opened by the first command needing it */
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

/* A listing that stopped on an error: what was printed is not all. */
static int listed(const char *what, err_code e)
{
    if (e == ERR_OK)
        return 0;
    fprintf(stderr, "hubctl: %s: %s; the output above is incomplete\n",
            what, err_str(e));
    return 1;
}

/* The hub's store, opened once; NULL (reported) if it cannot be. */
static struct hub_db *db_of(struct cli *c)
{
    if (c->db == NULL) {
        const char *target = c->store ? c->store : at(c, "hub.db");
        err_code e = hub_db_open(target, &c->db);
        if (e != ERR_OK)
            fail(c->store ? "the store" : c->path, e);
    }
    return c->db;
}

/* init [HOST...]: the hub's certificate is valid for localhost,
 * 127.0.0.1 and each HOST (the names or addresses kiosks dial). */
static int run_init(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
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
                                825, (const char *const *)argv + 1,
                                (size_t)(argc - 1), at(c, "hub.crt"));
    if (e == ERR_OK && db_of(c) == NULL)
        return 1;
    if (e != ERR_OK)
        return fail("init", e);
    printf("hub initialised in %s (give kiosks %s/ca.crt)\n", c->dir, c->dir);
    return 0;
}

static int run_station(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    (void)argc;
    if (!pki_id_valid(argv[1]))
        return fprintf(stderr, "add-station ID NAME"
                       " (ID: A-Z a-z 0-9 . _ -)\n"), 2;
    if (!db)
        return 1;
    err_code e = hub_db_station_add(db, argv[1], argv[2]);
    return e == ERR_OK ? 0 : fail("add-station", e);
}

static int run_code(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    char code[HUB_CODE_LEN + 1];
    (void)argc;
    if (!pki_id_valid(argv[2]))
        return fprintf(stderr, "enrol-code STATION DEVICE\n"), 2;
    if (!db)
        return 1;
    err_code e = hub_db_enrol_code(db, argv[1], argv[2], code);
    if (e == ERR_NOTFOUND)
        return fprintf(stderr, "hubctl: unknown station %s\n", argv[1]), 1;
    if (e != ERR_OK)
        return fail("enrol-code", e);
    printf("%s\n", code);
    return 0;
}

/* revoke DEVICE: its current certificate, and the device until it is
 * enrolled again; revoke --cert SERIAL|SHA256: that certificate. */
static int run_revoke(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    char device[64] = "";
    if ((argc == 2) == (c->cert != NULL))
        return fprintf(stderr, "revoke DEVICE | revoke --cert SERIAL|SHA256"
                       "\n"), 2;
    struct hub_db *db = db_of(c);
    if (!db)
        return 1;
    err_code e = c->cert ? hub_db_cert_revoke(db, c->cert, device,
                                              sizeof device)
                         : hub_db_device_revoke(db, argv[1]);
    if (e == ERR_NOTFOUND || e == ERR_INVAL)
        return fprintf(stderr, "hubctl: no %s %s\n",
                       c->cert ? "certificate" : "device",
                       c->cert ? c->cert : argv[1]), 1;
    if (e != ERR_OK)
        return fail("revoke", e);
    if (c->cert)
        printf("certificate %s of %s revoked\n", c->cert, device);
    else
        printf("%s revoked: refused until enrolled again\n", argv[1]);
    return 0;
}

static int run_certs(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    if (!db)
        return 1;
    return hub_report_certs(db, argc > 1 ? argv[1] : NULL, stdout) != ERR_OK;
}

static int run_import(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    int count = 0;
    (void)argc;
    if (!db || hub_roster_import(db, argv[1], c->force, c->replace_all,
                                 stderr, &count) != ERR_OK)
        return 1;
    printf("imported %d member(s)\n", count);
    return 0;
}

static int publish_one(struct cli *c, const char *kind, const char *file)
{
    struct hub_db *db = db_of(c);
    int changes = 0;
    if (!db || hub_publish_board(db, kind, file, c->station, c->utc_offset,
                                 stderr, &changes) != ERR_OK)
        return 1;
    printf("%s: %d change(s) published\n", kind, changes);
    return 0;
}

static int run_publish(void *ctx, int argc, char **argv)
{
    (void)argc;
    return publish_one(ctx, argv[1], argv[2]);
}

static int run_publish_all(void *ctx, int argc, char **argv)
{
    static const char *const kinds[] = { "posts", "duty", "contacts",
                                         "notices", "stars" };
    (void)argc;
    for (int i = 0; i < 5; i++) {
        char file[512];
        snprintf(file, sizeof file, "%s/%s.json", argv[1], kinds[i]);
        if (publish_one(ctx, kinds[i], file) != 0)
            return 1;
    }
    return 0;
}

static int run_stars(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    struct stamp now;
    int changes = 0;
    if (strcmp(argv[1], "category") == 0)
        return !db ? 1 : hubctl_stars_category(db, argc - 1, argv + 1);
    if (argc != 2)
        return fprintf(stderr, "usage: hubctl stars STATION | stars category"
                       " [CATEGORY STAR]\n"), 2;
    clock_now(&now);
    if (!db || hub_stars_publish(db, argv[1], now.wall_ms, c->utc_offset,
                                 stderr, &changes) != ERR_OK)
        return 1;
    printf("star board of %s computed from points: %d change(s)\n",
           argv[1], changes);
    return 0;
}

static int run_member_pin(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    (void)argc;
    if (!db || hub_member_pin_set(db, argv[1], argv[2], stderr) != ERR_OK)
        return 1;
    printf("PIN of %s set; the station's kiosks get its hash\n", argv[1]);
    return 0;
}

static int run_pending(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    (void)argc;
    (void)argv;
    return !db || listed("pending", hub_review_pending(db, stdout));
}

static int run_logs(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    (void)argc;
    (void)argv;
    return !db || listed("logs", hub_review_logs(db, c->station, stdout));
}

static int run_decide(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    char *end, epoch[PROTO_EPOCH_MAX] = "";
    /* SEQ, or EPOCH:SEQ when a replaced kiosk used the seq twice. */
    const char *colon = strchr(argv[2], ':');
    const char *num = colon ? colon + 1 : argv[2];
    uint64_t seq = strtoull(num, &end, 10);
    (void)argc;
    if (*end || seq == 0 || *num < '0' || *num > '9' ||
        (colon && (size_t)(colon - argv[2]) >= sizeof epoch))
        return fprintf(stderr, "hubctl: bad seq %s\n", argv[2]), 2;
    if (colon)
        memcpy(epoch, argv[2], (size_t)(colon - argv[2]));
    struct hub_db *db = db_of(c);
    if (!db)
        return 1;
    bool confirm = strcmp(argv[0], "confirm") == 0;
    if (confirm ? c->reason != NULL : (c->method || c->by || c->rating))
        return fprintf(stderr, "hubctl: %s\n", confirm
                       ? "confirm takes no --reason (reject does)"
                       : "reject takes --reason only"), 2;
    struct hub_review_verdict v = {
        .confirm = confirm, .points = c->points,
        .method = c->method ? confirm_method_parse(c->method) : 0,
        .rating = c->rating ? confirm_rating_parse(c->rating) : 0,
        .by = c->by, .reason = c->reason,
    };
    /* Audited as `hubctl user` changes are: hubctl:<login>. */
    char actor[96];
    const struct passwd *pw = getpwuid(getuid());
    snprintf(actor, sizeof actor, "hubctl:%s", pw ? pw->pw_name : "?");
    v.actor = actor;
    /* "" is none to the parser; on the command line it is a mistake. */
    if (c->method && !c->method[0])
        v.method = -1;
    if (c->rating && !c->rating[0])
        v.rating = -1;
    const char *why = NULL;
    err_code e = hub_review_verdict(db, argv[1], colon ? epoch : NULL, seq,
                                    &v, &why);
    if (e == ERR_DENIED)
        return fprintf(stderr, "hubctl: %s: %s\n", argv[0], why), 2;
    if (e == ERR_NOTFOUND)
        return fprintf(stderr, "hubctl: no service log %s/%s\n", argv[1],
                       argv[2]), 1;
    if (e == ERR_INVAL)
        return fprintf(stderr, "hubctl: %s has seq %s in several epochs:"
                       " give EPOCH:SEQ (see pending)\n", argv[1],
                       argv[2]), 1;
    if (e != ERR_OK)
        return fail("decide", e);
    /* The station's boards and its members' totals now, not at the next
     * `hubctl stars`: My record and the star board must agree. */
    struct stamp now;
    clock_now(&now);
    e = hub_stars_refresh(db, now.wall_ms, c->utc_offset, stderr, NULL);
    return e == ERR_OK ? 0 : fail("star boards", e);
}

static int run_points(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    return !db ? 1 : hubctl_points(db, argc - 1, argv + 1);
}

static int run_awards(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    return !db ? 1 : hubctl_awards(db, c->utc_offset, argc - 1, argv + 1);
}

static const char *const period_opts[5] = { "from", "to", "month",
                                            "quarter", "year" };

/* report checkins|service|ledger: the options into a filter, the tables
 * from hub_stats_build, written as CSV (one table: --by) or XLSX (all). */
static int run_period_report(struct cli *c, const char *name)
{
    struct hub_filter f = { .utc_offset = c->utc_offset,
                            .stations = c->stations,
                            .n_stations = c->n_stations };
    enum hub_lang lang = HUB_LANG_ZH;
    char msg[300];
    int shortcuts = 0;
    for (int i = 2; i < 5; i++)
        shortcuts += c->period[i] != NULL;
    if (shortcuts > 1 || (shortcuts && (c->period[0] || c->period[1])))
        return fprintf(stderr, "hubctl: give one period: --from/--to,"
                       " --month, --quarter or --year\n"), 2;
    for (int i = 0; i < 5; i++)
        if (c->period[i] && hub_filter_period(&f, period_opts[i],
                                              c->period[i], msg,
                                              sizeof msg) != ERR_OK)
            return fprintf(stderr, "hubctl: %s\n", msg), 2;
    if (hub_filter_done(&f, hub_now_ms(), msg, sizeof msg) != ERR_OK)
        return fprintf(stderr, "hubctl: %s\n", msg), 2;
    if (c->org && c->n_stations)
        return fprintf(stderr, "hubctl: give --org or --station, not"
                       " both\n"), 2;
    if (c->lang && hub_lang_parse(c->lang, &lang) != ERR_OK)
        return fprintf(stderr, "hubctl: --lang takes zh or en\n"), 2;
    enum hub_stats_kind kind = hub_stats_kind_parse(name);
    bool by_member = c->by && strcmp(c->by, "member") == 0;
    if (c->by && !by_member && strcmp(c->by, "station") != 0)
        return fprintf(stderr, "hubctl: --by takes station or member\n"), 2;
    if (by_member && kind == HUB_STATS_LEDGER)
        return fprintf(stderr, "hubctl: the ledger report is per station"
                       " only\n"), 2;
    struct hub_db *db = db_of(c);
    if (!db)
        return 1;
    /* --org: the stations under a node of the hierarchy, as the
     * console's /reports picks them. */
    struct hub_org_set org = { 0 };
    if (c->org && hub_filter_org(db, &f, c->org, &org, msg,
                                 sizeof msg) != ERR_OK)
        return fprintf(stderr, "hubctl: report %s: %s\n", name, msg), 1;
    struct hub_book book = { 0 };
    err_code e = hub_stats_build(db, kind, &f, lang, hub_now_ms(), &book,
                                 msg, sizeof msg);
    if (e != ERR_OK) {
        hub_org_set_free(&org);
        return fprintf(stderr, "hubctl: report %s: %s\n", name, msg), 1;
    }
    if (c->xlsx) {
        e = hub_xlsx_write(c->xlsx, &book, msg, sizeof msg);
        if (e != ERR_OK)
            fprintf(stderr, "hubctl: %s\n", msg);
        else
            printf("%s: %d sheet(s), %s to %s\n", c->xlsx, book.n, f.from,
                   f.to);
    } else {
        hub_table_csv(book.t[by_member ? 1 : 0], stdout);
    }
    hub_book_free(&book);
    hub_org_set_free(&org);
    return e != ERR_OK;
}

/* report registration --org NODE: hub_reg_build's tables (by community,
 * by work unit) of the node's stations, registrations made from --from
 * (none: ever) to --to (none: today); CSV of one (--by) or XLSX of both:
 * the figures of the console's /reports. */
static int run_reg_org(struct cli *c, struct hub_db *db)
{
    struct hub_filter f = { .utc_offset = c->utc_offset };
    struct hub_org_set org = { 0 };
    enum hub_lang lang = HUB_LANG_ZH;
    char msg[300];
    bool unit = c->by && strcmp(c->by, "unit") == 0;
    if (c->by && !unit && strcmp(c->by, "community") != 0)
        return fprintf(stderr, "hubctl: --by takes community or unit\n"), 2;
    if (c->period[2] || c->period[3] || c->period[4])
        return fprintf(stderr, "hubctl: report registration takes --from"
                       " and --to\n"), 2;
    if (c->lang && hub_lang_parse(c->lang, &lang) != ERR_OK)
        return fprintf(stderr, "hubctl: --lang takes zh or en\n"), 2;
    if ((hub_filter_period(&f, "from", c->period[0] ? c->period[0]
                           : "2000-01-01", msg, sizeof msg) != ERR_OK) ||
        (c->period[1] && hub_filter_period(&f, "to", c->period[1], msg,
                                           sizeof msg) != ERR_OK) ||
        hub_filter_done(&f, hub_now_ms(), msg, sizeof msg) != ERR_OK)
        return fprintf(stderr, "hubctl: %s\n", msg), 2;
    if (hub_filter_org(db, &f, c->org, &org, msg, sizeof msg) != ERR_OK)
        return fprintf(stderr, "hubctl: report registration: %s\n", msg), 1;
    struct hub_book book = { 0 };
    err_code e = hub_reg_build(db, &f, lang, &book);
    if (e == ERR_OK && c->xlsx) {
        e = hub_xlsx_write(c->xlsx, &book, msg, sizeof msg);
        if (e != ERR_OK)
            fprintf(stderr, "hubctl: %s\n", msg);
    } else if (e == ERR_OK) {
        hub_table_csv(book.t[unit ? 1 : 0], stdout);
    }
    hub_book_free(&book);
    hub_org_set_free(&org);
    return e != ERR_OK;
}

/* The options the common parser took (--reason, --by, --from, --to)
 * given back to a command file that reads its own (claims, the
 * registration reports): argv and them into args (cap entries). */
static int with_taken_opts(const struct cli *c, int argc, char **argv,
                           char **args, int cap)
{
    const char *const name[] = { "--reason", "--by", "--from", "--to" };
    const char *const val[] = { c->reason, c->by, c->period[0],
                                c->period[1] };
    int n = 0;
    for (int i = 0; i < argc && n < cap - 8; i++)
        args[n++] = argv[i];
    for (size_t k = 0; k < sizeof name / sizeof name[0]; k++) {
        if (val[k]) {
            args[n++] = (char *)name[k];
            args[n++] = (char *)val[k];
        }
    }
    args[n] = NULL;
    return n;
}

static int run_report(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    bool members = strcmp(argv[1], "members") == 0;
    if (hub_stats_kind_parse(argv[1]) != 0)
        return run_period_report(c, argv[1]);
    bool reg = strcmp(argv[1], "registration") == 0 ||
               strcmp(argv[1], "unregistered") == 0;
    if (!members && !reg && strcmp(argv[1], "stations") != 0)
        return fprintf(stderr, "report members|stations|checkins|service|"
                       "ledger|registration|unregistered\n"), 2;
    if (!reg && argc > 2)
        return fprintf(stderr, "report %s takes no more words\n",
                       argv[1]), 2;
    struct hub_db *db = db_of(c);
    if (!db)
        return 1;
    if (reg && c->org) {
        /* The console's registration tables over a node's stations. */
        if (strcmp(argv[1], "registration") != 0 || argc > 2)
            return fprintf(stderr, "hubctl: --org goes with report"
                           " registration [--by community|unit] [--from D"
                           " --to D] [--xlsx FILE]\n"), 2;
        return run_reg_org(c, db);
    }
    if (reg) {
        char *args[32];
        int n = with_taken_opts(c, argc, argv, args, 32);
        return hubctl_report_reg(db, c->utc_offset, n, args);
    }
    err_code e = members ? hub_report_members(db, c->utc_offset, stdout)
                         : hub_report_stations(db, c->utc_offset, stdout);
    return listed("report", e);
}

static int run_fleet(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    (void)argc;
    (void)argv;
    return !db || listed("fleet", hub_report_fleet(db, stdout));
}

static int run_calls(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    (void)argc;
    (void)argv;
    return !db || listed("calls", hub_report_calls(db, c->utc_offset,
                                                   stdout));
}

static int run_desk_log(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    (void)argc;
    (void)argv;
    if (!db)
        return 1;
    err_code e = hub_desk_log_csv(db, c->station, c->day, c->utc_offset,
                                  stdout, stderr);
    if (e == ERR_INVAL)
        return 2;
    return e != ERR_OK ? fail("desk-log", e) : 0;
}

static int run_refused(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    return !db || hub_db_refused_csv(db, argc > 1 ? argv[1] : NULL, stdout)
                  != ERR_OK;
}

static int run_conflicts(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    (void)argc;
    (void)argv;
    return !db || hub_db_conflicts_csv(db, stdout) != ERR_OK;
}

static int run_events(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    (void)argc;
    return !db || listed("events", hub_report_events(db, argv[1], stdout));
}

/* With --key the bundle is verified as a kiosk would; without, only its
 * manifest is read (the kiosk checks everything again in any case). */
static int run_bundle_publish(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    struct hub_bundle_info bi;
    char msg[256];
    (void)argc;
    if (!db)
        return 1;
    err_code e = hub_bundle_publish(db, c->dir, argv[1], c->key, c->station,
                                    &bi, msg, sizeof msg);
    if (e != ERR_OK)
        return fprintf(stderr, "hubctl: %s: %s\n", argv[1], msg), 1;
    printf("published %s (version %s, %" PRIu64 " bytes, sha256 %s) for %s%s\n",
           bi.name, bi.version, bi.size, bi.sha256,
           c->station ? c->station : "every station",
           c->key ? "" : " (signature not checked: no --key)");
    return 0;
}

static int run_bundle_list(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    (void)argc;
    (void)argv;
    return !db || listed("bundles", hub_report_bundles(db, c->csv, stdout));
}

static int run_feed_stats(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    struct hub_feed_stats fs;
    (void)argc;
    (void)argv;
    if (!db)
        return 1;
    err_code e = hub_db_feed_stats(db, hub_now_ms(), &c->feed, &fs);
    if (e != ERR_OK)
        return fail("feed stats", e);
    printf("rows: %" PRId64 "\nbytes: %" PRId64 "\nhead: %" PRId64
           "\nhorizon: %" PRId64 "\nactive_kiosks: %d\n"
           "oldest_active_cursor: %" PRId64 "\ntrim_point: %" PRId64 "\n",
           fs.rows, fs.bytes, fs.head, fs.horizon, fs.active_devices,
           fs.oldest_cursor, fs.trim_point);
    return 0;
}

static int run_feed_trim(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    int64_t point, gone;
    (void)argc;
    (void)argv;
    if (!db)
        return 1;
    err_code e = hub_db_feed_trim(db, hub_now_ms(), &c->feed, &point, &gone);
    if (e != ERR_OK)
        return fail("feed trim", e);
    printf("trimmed up to %" PRId64 ": %" PRId64 " rows removed\n", point,
           gone);
    return 0;
}

static const struct cmd_entry feed_commands[] = {
    { "stats", "[--active-days N] [--keep-days N]", 0, 0, run_feed_stats,
      "the change log's size, head, horizon and trim point" },
    { "trim", "[--active-days N] [--keep-days N]", 0, 0, run_feed_trim,
      "drop deletes and replaced changes up to the trim point" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

static int run_feed(void *ctx, int argc, char **argv)
{
    return cmd_run("hubctl feed", feed_commands, ctx, argc - 1, argv + 1);
}

static int run_photo_set(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    size_t len = 0;
    (void)argc;
    if (!db || hub_photo_set(db, argv[1], argv[2], argv[3], stderr, &len)
               != ERR_OK)
        return 1;
    printf("photo of %s at %s: %zu bytes\n", argv[2], argv[1], len);
    return 0;
}

static int run_photo_rm(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    (void)argc;
    if (!db || hub_photo_rm(db, argv[1], argv[2], stderr) != ERR_OK)
        return 1;
    printf("photo of %s at %s removed\n", argv[2], argv[1]);
    return 0;
}

static int run_photo_list(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    (void)argc;
    return !db || hub_photo_list(db, argv[1], stdout, stderr) != ERR_OK;
}

static const struct cmd_entry photo_commands[] = {
    { "set", "STATION MEMBER_NO|CONTACT_ID FILE", 3, 3, run_photo_set,
      "a PNG or JPEG (up to 2 MB) as a small square on the boards" },
    { "rm", "STATION MEMBER_NO|CONTACT_ID", 2, 2, run_photo_rm,
      "back to the initial" },
    { "list", "STATION", 1, 1, run_photo_list, "the photos published" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

static int run_photo(void *ctx, int argc, char **argv)
{
    return cmd_run("hubctl photo", photo_commands, ctx, argc - 1, argv + 1);
}

static int run_claims(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    char *args[32];
    int n = with_taken_opts(c, argc, argv, args, 32);
    return db ? hubctl_claims(db, c->station, c->utc_offset, n, args) : 1;
}

static int run_unit(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    return !db || hubctl_unit(db, argc, argv);
}

static int run_setting(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    return !db || hubctl_setting(db, argc, argv);
}

static int run_help(void *ctx, int argc, char **argv);
static int run_bundle(void *ctx, int argc, char **argv);
static int run_card(void *ctx, int argc, char **argv);
static int run_ledger(void *ctx, int argc, char **argv);
static int run_users(void *ctx, int argc, char **argv);

static const struct cmd_entry commands[] = {
    { "init", "[HOST...]", 0, -1, run_init,
      "CA, hub key and certificate (+ HOST), hub.db" },
    { "add-station", "ID NAME", 2, 2, run_station,
      "add or rename (ID: A-Z a-z 0-9 . _ -)" },
    { "enrol-code", "STATION DEVICE", 2, 2, run_code,
      "print a one-time enrolment code" },
    { "revoke", "DEVICE | --cert SERIAL|SHA256", 0, 1, run_revoke,
      "refuse a kiosk (or one certificate) from now on" },
    { "certs", "[DEVICE]", 0, 1, run_certs,
      "kiosk certificates and their state (CSV)" },
    { "import", "ROSTER.csv [--force] [--replace-all]", 1, 1, run_import,
      "roster (nothing imported on error or mass drop)" },
    { "publish", "KIND FILE [--station S] [--utc-offset MIN]", 2, 2,
      run_publish, "KIND: posts duty contacts notices stars" },
    { "publish-all", "DEMO_DIR [--station S] [--utc-offset MIN]", 1, 1,
      run_publish_all, "every board of DEMO_DIR (posts.json ...)" },
    { "stars", "STATION [--utc-offset MIN] | category [CATEGORY STAR]", 1,
      3, run_stars, "star boards from confirmed points; stars' categories" },
    { "member-pin", "MEMBER PIN", 2, 2, run_member_pin,
      "a member's PIN (4-6 digits) for typed numbers" },
    { "pending", "", 0, 0, run_pending, "pending service logs (CSV)" },
    { "confirm", "DEVICE [EPOCH:]SEQ [--points N] [--method phone|visit|staff]"
      " [--by NAME] [--rating satisfied|basic|unsatisfied]", 2, 2,
      run_decide, "confirm a service log (points: by the rule; method:"
      " staff)" },
    { "reject", "DEVICE [EPOCH:]SEQ --reason TEXT", 2, 2, run_decide,
      "reject a service log; the member sees the reason" },
    { "logs", "[--station S]", 0, 0, run_logs,
      "service logs with their verdicts: method, rating, by, reason (CSV)" },
    { "report", "members|stations|checkins|service|ledger|registration|"
      "unregistered ...", 1, -1, run_report,
      "monthly CSV [--utc-offset MIN]; a period's (below); 报到 rates" },
    { "fleet", "", 0, 0, run_fleet,
      "kiosks: last contact, version, queue (CSV)" },
    { "calls", "[--utc-offset MIN]", 0, 0, run_calls,
      "calls for staff from kiosks, newest first (CSV)" },
    { "events", "DEVICE", 1, 1, run_events,
      "events held for a device (CSV)" },
    { "refused", "[STATION]", 0, 1, run_refused,
      "uploaded events the rules refused, with why (CSV)" },
    { "conflicts", "", 0, 0, run_conflicts,
      "uploads that differed from the event held (CSV)" },
    { "bundle", "publish|list ...", 1, -1, run_bundle,
      "update bundles (below)" },
    { "feed", "stats|trim ...", 1, -1, run_feed,
      "the kiosks' change log (below)" },
    { "card", "init|rotate|issue|roster|revoke|page ...", 1, -1, run_card,
      "member cards (`hubctl card help`)" },
    { "ledger", "accept|assign|answer|close|claim|list|show|export|types ...",
      1, -1, run_ledger, "the issue ledger (民情台账) and small wishes" },
    { "photo", "set|rm|list ...", 1, -1, run_photo,
      "faces on the boards (post holders, contacts, stars)" },
    { "desk-log", "[--station S] [--day YYYY-MM-DD] [--utc-offset MIN]",
      0, 0, run_desk_log,
      "visitors logged at the duty desk (来访登记) that day (CSV)" },
    { "claims", "[--station S]", 0, 0, run_claims,
      "members' pending claims of posts (认岗, CSV)" },
    { "claim", "approve ID | decline ID --reason TEXT [--by WHO]", 2, -1,
      run_claims, "decide a claim: approval republishes the post" },
    { "swaps", "[--station S]", 0, 0, run_claims,
      "members' pending requests to swap posts (互换岗位, CSV)" },
    { "swap", "approve ID | decline ID --reason TEXT [--by WHO]", 2, -1,
      run_claims, "decide a swap: approval republishes both posts" },
    { "points", "rule set CATEGORY|post:ID --per30 N ... | rules", 1, -1,
      run_points, "points rules (docs/rules.md)" },
    { "awards", "YEAR [--posts 2] [--members 10] [--utc-offset MIN]", 1, -1,
      run_awards, "year-end awards, recorded and published (CSV)" },
    { "unit", "add CODE NAME [--paired-community C]|list|rm CODE", 1, -1,
      run_unit, "the work units (单位) members report by" },
    { "setting", "cross_station_registration [on|off]", 1, 2, run_setting,
      "a hub setting every kiosk follows (print it, or set it)" },
    { "help", "", 0, 0, run_help, "this list" },
    { "user", "add|passwd|disable|enable|role|list ...", 1, -1, run_users,
      "the web console's accounts (docs/console.md)" },
    { "org", "add|list ...", 1, -1, run_users,
      "the hierarchy: district, street, community" },
    { "station", "place STATION COMMUNITY", 1, -1, run_users,
      "give a station its place in the hierarchy" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

static const struct cmd_entry bundle_commands[] = {
    { "publish", "FILE.kbundle [--key RELEASE.pub] [--station S]", 1, 1,
      run_bundle_publish, "offer an update to the kiosks" },
    { "list", "[--csv]", 0, 0, run_bundle_list,
      "name, version, station, size, published" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

static void usage(FILE *fp)
{
    fputs("usage: hubctl [-d DIR] [--store postgresql://...] COMMAND ...\n"
          "  (DIR defaults to ./hub; the store to DIR/hub.db)\n", fp);
    cmd_print_usage(fp, commands);
    fputs("hubctl bundle COMMAND:\n", fp);
    cmd_print_usage(fp, bundle_commands);
    fputs("hubctl feed COMMAND (a kiosk counts as active when it polled"
          " within --active-days, default 30; --keep-days N also trims"
          " what is older than N days, default 90, 0: never):\n", fp);
    cmd_print_usage(fp, feed_commands);
    hubctl_users_usage(fp);
    fputs("hubctl report checkins|service|ledger\n"
          "  [--from YYYY-MM-DD --to YYYY-MM-DD | --month YYYY-MM |"
          " --quarter YYYY-Qn | --year YYYY]\n"
          "  [--station S]... | [--org NODE] [--by station|member]"
          " [--xlsx FILE [--lang zh|en]]\n  [--utc-offset MIN]\n"
          "  (--org: the stations under a district, street or community;"
          "\n  no period: this month; no --station: every station; CSV of"
          " one table on\n  stdout, or every table as a sheet of FILE)\n"
          "hubctl report registration --org NODE [--by community|unit]"
          " [--from D --to D]\n  [--xlsx FILE [--lang zh|en]]"
          " (the console's tables of the node's stations)\n",
          fp);
}

static int run_help(void *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    usage(stdout);
    return 0;
}

static int run_bundle(void *ctx, int argc, char **argv)
{
    return cmd_run("hubctl bundle", bundle_commands, ctx, argc - 1,
                   argv + 1);
}

static bool has_word(int argc, char **argv, const char *w)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], w) == 0)
            return true;
    return false;
}

/* The card office in DIR/cards, publishing to this hub's feed; with
 * --dir CARDS_DIR (a hub directory without hubd, an office laptop) it
 * works there alone and `page` prints what kiosks would apply. */
static int run_card(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    if (has_word(argc, argv, "--dir") || strcmp(argv[1], "help") == 0)
        return hub_card_cli(NULL, argc - 1, argv + 1, NULL, NULL);
    struct hub_db *db = db_of(c);
    if (!db)
        return 1;
    /* Cards signed here are recorded in the store too (the console's
     * /cards lists them), as hubctl:<login>. */
    struct passwd *pw = getpwuid(getuid());
    char actor[96];
    snprintf(actor, sizeof actor, "hubctl:%s", pw ? pw->pw_name : "?");
    struct hub_card_recorder rec = { db, actor, hub_now_ms() };
    return hub_card_cli_ex(at(c, "cards"), argc - 1, argv + 1,
                           hub_card_db_publish, db, hub_card_db_record, &rec);
}

static int run_users(void *ctx, int argc, char **argv)
{
    struct hub_db *db = db_of(ctx);
    if (!db)
        return 1;
    return hubctl_users(db, argc, argv);
}

static int run_ledger(void *ctx, int argc, char **argv)
{
    struct cli *c = ctx;
    struct hub_db *db = db_of(c);
    if (!db)
        return 1;
    return hubctl_ledger(db, c->utc_offset, argc - 1, argv + 1);
}

static int period_opt(const char *name)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(name, period_opts[i]) == 0)
            return i;
    return -1;
}

/* Options may come anywhere; what is left are the command's words.
 * After `card` only -d is hubctl's: the card office reads the rest. */
static int parse(struct cli *c, int argc, char **argv, char **words)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool card = n > 0 && (strcmp(words[0], "card") == 0 ||
                              strcmp(words[0], "ledger") == 0 ||
                              strcmp(words[0], "user") == 0 ||
                              strcmp(words[0], "org") == 0 ||
                              strcmp(words[0], "station") == 0);
        if (strcmp(a, "-d") == 0 && v) {
            c->dir = v;
            i++;
        } else if (strcmp(a, "--store") == 0 && v) {
            c->store = v;
            i++;
        } else if (card || a[0] != '-' || a[1] != '-') {
            words[n++] = argv[i];
        } else if (strcmp(a, "--force") == 0) {
            c->force = 1;
        } else if (strcmp(a, "--replace-all") == 0) {
            c->replace_all = 1;
        } else if (strcmp(a, "--csv") == 0) {
            c->csv = 1;
        } else if (strcmp(a, "--station") == 0 && v) {
            c->station = argv[++i];
            c->stations[c->n_stations++] = c->station;
        } else if ((strcmp(a, "--xlsx") == 0 || strcmp(a, "--lang") == 0 ||
                    strcmp(a, "--by") == 0) && v) {
            *(a[2] == 'x' ? &c->xlsx : a[2] == 'l' ? &c->lang : &c->by) =
                argv[++i];
        } else if (strcmp(a, "--org") == 0 && v) {
            c->org = argv[++i];
        } else if (strcmp(a, "--cert") == 0 && v) {
            c->cert = argv[++i];
        } else if (strcmp(a, "--key") == 0 && v) {
            c->key = argv[++i];
        } else if (strcmp(a, "--method") == 0 && v) {
            c->method = argv[++i];
        } else if (strcmp(a, "--rating") == 0 && v) {
            c->rating = argv[++i];
        } else if (strcmp(a, "--reason") == 0 && v) {
            c->reason = argv[++i];
        } else if ((strcmp(a, "--active-days") == 0 ||
                    strcmp(a, "--keep-days") == 0) && v) {
            char *end;
            long d = strtol(argv[++i], &end, 10);
            if (*argv[i] == '\0' || *end || d < 0 || d > 36500) {
                fprintf(stderr, "hubctl: %s takes a number of days\n", a);
                exit(2);
            }
            if (a[2] == 'a')
                c->feed.active_days = d;
            else
                c->feed.keep_days = d;
        } else if (a[2] && period_opt(a + 2) >= 0 && v) {
            c->period[period_opt(a + 2)] = argv[++i];
        } else if (strcmp(a, "--utc-offset") == 0 && v) {
            c->utc_offset = atoi(argv[++i]);
        } else if (strcmp(a, "--day") == 0 && v) {
            c->day = argv[++i];
        } else if (strcmp(a, "--points") == 0 && v) {
            char *end;
            long pts = strtol(argv[++i], &end, 10);
            if (*argv[i] == '\0' || *end || pts < 0 || pts > HUB_POINTS_MAX) {
                fprintf(stderr, "hubctl: --points takes a whole number from"
                        " 0 to %d\n", HUB_POINTS_MAX);
                exit(2);
            }
            c->points = (int)pts;
        } else {
            words[n++] = argv[i];
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    struct cli c = { .dir = "hub", .utc_offset = 480, .points = -1,
                     .feed = { HUB_FEED_ACTIVE_DAYS, HUB_FEED_KEEP_DAYS } };
    char **words = calloc((size_t)argc + 1, sizeof *words);
    c.stations = calloc((size_t)argc + 1, sizeof *c.stations);
    int n = parse(&c, argc, argv, words), rc;
    log_set_level(LOG_LVL_WARN);
    if (n == 0) {
        usage(stderr);
        rc = 2;
    } else {
        rc = cmd_run("hubctl", commands, &c, n, words);
    }
    hub_db_close(c.db);
    free(words);
    free(c.stations);
    return rc;
}
