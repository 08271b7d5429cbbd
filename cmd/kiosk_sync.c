/* cmd/kiosk_sync.c - `kiosk-sync`, the kiosk's sync tool: enrol with a
 * hub, run sync rounds or the worker, and (for tests and technicians)
 * make check-ins and service logs through the domain API and show what
 * the store holds. Files live in the state directory:
 *   kiosk.db  hub-ca.crt  kiosk.key  kiosk.crt */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "firmware/config.h"
#include "base/log.h"
#include "firmware/service.h"
#include "firmware/store.h"
#include "firmware/visit.h"
#include "base/xmalloc.h"
#include "sync/sync.h"
#include "sync/sync_bundle.h"
#include "sync/sync_enrol.h"
#include "sync/sync_rollback.h"

static const char usage_text[] =
    "usage: kiosk-sync -s STATE_DIR [--hub HOST:PORT] [--station ID] CMD\n"
    "  enrol CODE            make a key, get a certificate (hub-ca.crt must\n"
    "                        already be in STATE_DIR)\n"
    "  once                  one sync round\n"
    "  loop N [--pause-ms M] N rounds, failures tolerated\n"
    "  (--batch N: events per upload, default 200)\n"
    "  run [--interval S]    the background worker until SIGINT/SIGTERM\n"
    "  check-in MEMBER       check in through the domain API\n"
    "  check-out MEMBER\n"
    "  service MEMBER CATEGORY MINUTES\n"
    "  show                  queue, cursor, boards and log statuses\n"
    "  bundle --root R --key RELEASE.pub [--factory DIR]\n"
    "                        download the hub's newer bundle (resuming a\n"
    "                        cut download) and install it on trial\n"
    "  rollbacks --root R    queue the launcher's rollback records as\n"
    "                        events (the kiosk does it at start-up)\n";

struct cli {
    const char *state;
    char        host[128];
    int         port;
    const char *station;
    int         interval;
    int         pause_ms;
    int         batch;
    const char *root, *release_key, *factory;
    char        db[512], ca[512], key[512], crt[512];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void paths(struct cli *c)
{
    snprintf(c->db, sizeof c->db, "%s/kiosk.db", c->state);
    snprintf(c->ca, sizeof c->ca, "%s/hub-ca.crt", c->state);
    snprintf(c->key, sizeof c->key, "%s/kiosk.key", c->state);
    snprintf(c->crt, sizeof c->crt, "%s/kiosk.crt", c->state);
}

static int cmd_enrol(struct cli *c, const char *code)
{
    struct sync_enrol_opts o = { .host = c->host, .port = c->port,
                                 .ca_file = c->ca, .code = code,
                                 .key_file = c->key, .cert_file = c->crt,
                                 .timeout_ms = 10000 };
    char station[64], device[64];
    err_code e = sync_enrol(&o, station, sizeof station, device,
                            sizeof device);
    if (e != ERR_OK) {
        fprintf(stderr, "kiosk-sync: enrolment failed: %s\n", err_str(e));
        return 1;
    }
    printf("enrolled as %s of station %s\n", device, station);
    return 0;
}

static err_code make_sync(struct cli *c, struct sync **s)
{
    struct sync_opts o = { .db_path = c->db, .host = c->host,
                           .port = c->port, .ca_file = c->ca,
                           .cert_file = c->crt, .key_file = c->key,
                           .station = c->station, .interval_s = c->interval,
                           .backoff_min_ms = 200, .backoff_max_ms = 30000,
                           .timeout_ms = 5000, .batch = c->batch };
    err_code e = sync_create(&o, s);
    if (e != ERR_OK)
        fprintf(stderr, "kiosk-sync: cannot start: %s\n", err_str(e));
    return e;
}

static void print_status(struct sync *s)
{
    struct sync_status st;
    sync_status_get(s, &st);
    printf("%s queue=%" PRIu64 " rounds=%" PRIu64 " failures=%" PRIu64
           " hub_offset_ms=%" PRId64 "%s%s\n", st.online ? "online" : "offline",
           st.queue, st.rounds, st.failures, st.hub_offset_ms,
           st.last_error[0] ? " last_error=" : "", st.last_error);
}

static int cmd_rounds(struct cli *c, int n, bool tolerate)
{
    struct sync *s = NULL;
    if (make_sync(c, &s) != ERR_OK)
        return 1;
    err_code e = ERR_OK;
    for (int i = 0; i < n && !stop; i++) {
        e = sync_round(s);
        if (c->pause_ms > 0)
            usleep((useconds_t)c->pause_ms * 1000);
    }
    print_status(s);
    sync_destroy(s);
    return e == ERR_OK || tolerate ? 0 : 1;
}

static int cmd_run(struct cli *c)
{
    struct sync *s = NULL;
    if (make_sync(c, &s) != ERR_OK || sync_start(s) != ERR_OK)
        return 1;
    while (!stop)
        usleep(100 * 1000);
    print_status(s);
    sync_destroy(s);
    return 0;
}

static int with_store(struct cli *c, struct store **st, struct config *cfg)
{
    config_defaults(cfg);
    if (c->station)
        str_copy(cfg->station_id, sizeof cfg->station_id, c->station);
    err_code e = store_open(c->db, st);
    if (e != ERR_OK)
        fprintf(stderr, "kiosk-sync: %s: %s\n", c->db, err_str(e));
    return e == ERR_OK ? 0 : 1;
}

static int cmd_visit(struct cli *c, const char *no, bool in)
{
    struct store *st;
    struct config cfg;
    if (with_store(c, &st, &cfg) != 0)
        return 1;
    struct stamp now;
    struct visit_result r;
    clock_now(&now);
    err_code e = in ? visit_check_in(st, &cfg, no, &now, &r)
                    : visit_check_out(st, &cfg, no, &now, &r);
    store_close(st);
    if (e != ERR_OK) {
        fprintf(stderr, "kiosk-sync: %s: %s\n", no, err_str(e));
        return 1;
    }
    printf("%s %s seq=%" PRIu64 "\n", in ? "in" : "out", no, r.seq);
    return 0;
}

static int cmd_service(struct cli *c, char **a)
{
    struct store *st;
    struct config cfg;
    if (with_store(c, &st, &cfg) != 0)
        return 1;
    struct service_request req = { .member_no = a[0], .category = a[1],
                                   .minutes = atoi(a[2]) };
    struct stamp now;
    enum service_refusal why;
    struct service_log l;
    clock_now(&now);
    err_code e = service_log(st, &cfg, &req, &now, &why, &l);
    store_close(st);
    if (e != ERR_OK) {
        fprintf(stderr, "kiosk-sync: service: %s (%d)\n", err_str(e), why);
        return 1;
    }
    printf("service seq=%" PRIu64 "\n", l.seq);
    return 0;
}

static int cmd_show(struct cli *c, int argc, char **argv)
{
    struct store *st;
    struct config cfg;
    if (with_store(c, &st, &cfg) != 0)
        return 1;
    uint64_t last = 0, acked = 0;
    struct store_sync_state ss;
    int members = 0;
    store_last_seq(st, &last);
    store_acked_seq(st, &acked);
    store_sync_state_get(st, &ss);
    store_member_count(st, &members);
    struct notice nt[64];
    size_t nn = 0;
    store_notices(st, nt, 64, &nn);
    printf("last_seq=%" PRIu64 " acked=%" PRIu64 " cursor=%s members=%d"
           " notices=%zu\n", last, acked, ss.cursor[0] ? ss.cursor : "-",
           members, nn);
    for (size_t i = 0; i < nn; i++)
        printf("notice %s %s\n", nt[i].id, nt[i].title);
    /* Logs of the members named on the command line, with their status. */
    for (int i = 0; i < argc; i++) {
        struct service_log l[32];
        size_t n = 0;
        store_logs_for(st, argv[i], INT64_MIN / 2, INT64_MAX / 2, l, 32, &n);
        for (size_t j = 0; j < n; j++)
            printf("log %s seq=%" PRIu64 " status=%d points=%d\n", argv[i],
                   l[j].seq, (int)l[j].status, l[j].points);
    }
    store_close(st);
    return 0;
}

static void show_progress(void *ctx, enum update_phase ph, uint64_t done,
                          uint64_t total)
{
    static const char *const names[] = { "verify", "copy", "switch",
                                         "done" };
    (void)ctx;
    if (ph == UPDATE_DONE || done == total)
        printf("%s %" PRIu64 "/%" PRIu64 "\n", names[ph], done, total);
}

static int cmd_bundle(struct cli *c)
{
    if (!c->root || !c->release_key)
        return fputs("kiosk-sync: bundle needs --root and --key\n", stderr), 2;
    struct sync_opts o = { .host = c->host, .port = c->port,
                           .ca_file = c->ca, .cert_file = c->crt,
                           .key_file = c->key, .timeout_ms = 5000 };
    struct update_opts u = { .root = c->root, .pub_key = c->release_key,
                             .factory = c->factory };
    char msg[512] = "";
    err_code e = sync_bundle_update(&o, &u, show_progress, NULL, msg,
                                    sizeof msg);
    printf("%s: %s\n", err_str(e), msg);
    return e == ERR_OK || e == ERR_NOTFOUND ? 0 : 1;
}

static int cmd_rollbacks(struct cli *c)
{
    struct store *st;
    struct config cfg;
    size_t n = 0;
    if (!c->root)
        return fputs("kiosk-sync: rollbacks needs --root\n", stderr), 2;
    if (with_store(c, &st, &cfg) != 0)
        return 1;
    err_code e = sync_rollbacks_report(st, c->root, &n);
    store_close(st);
    printf("%s: %zu rollback(s) queued\n", err_str(e), n);
    return e == ERR_OK ? 0 : 1;
}

static int parse(struct cli *c, int argc, char **argv, char **w)
{
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-s") == 0 && v) {
            c->state = v;
        } else if (strcmp(a, "--hub") == 0 && v) {
            const char *colon = strrchr(v, ':');
            if (!colon)
                return -1;
            snprintf(c->host, sizeof c->host, "%.*s", (int)(colon - v), v);
            c->port = atoi(colon + 1);
        } else if (strcmp(a, "--station") == 0 && v) {
            c->station = v;
        } else if (strcmp(a, "--interval") == 0 && v) {
            c->interval = atoi(v);
        } else if (strcmp(a, "--batch") == 0 && v) {
            c->batch = atoi(v);
        } else if (strcmp(a, "--root") == 0 && v) {
            c->root = v;
        } else if (strcmp(a, "--key") == 0 && v) {
            c->release_key = v;
        } else if (strcmp(a, "--factory") == 0 && v) {
            c->factory = v;
        } else if (strcmp(a, "--pause-ms") == 0 && v) {
            c->pause_ms = atoi(v);
        } else {
            w[n++] = argv[i];
            continue;
        }
        i++;
    }
    return n;
}

static int dispatch(struct cli *c, char **w, int n)
{
    if (n == 2 && strcmp(w[0], "enrol") == 0)
        return cmd_enrol(c, w[1]);
    if (n == 1 && strcmp(w[0], "once") == 0)
        return cmd_rounds(c, 1, false);
    if (n == 2 && strcmp(w[0], "loop") == 0)
        return cmd_rounds(c, atoi(w[1]), true);
    if (n == 1 && strcmp(w[0], "run") == 0)
        return cmd_run(c);
    if (n == 2 && strcmp(w[0], "check-in") == 0)
        return cmd_visit(c, w[1], true);
    if (n == 2 && strcmp(w[0], "check-out") == 0)
        return cmd_visit(c, w[1], false);
    if (n == 4 && strcmp(w[0], "service") == 0)
        return cmd_service(c, w + 1);
    if (n == 1 && strcmp(w[0], "bundle") == 0)
        return cmd_bundle(c);
    if (n == 1 && strcmp(w[0], "rollbacks") == 0)
        return cmd_rollbacks(c);
    if (n >= 1 && strcmp(w[0], "show") == 0)
        return cmd_show(c, n - 1, w + 1);
    fputs(usage_text, stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct cli c = { .state = "state", .host = "127.0.0.1", .port = 8443,
                     .interval = 60 };
    char **w = calloc((size_t)argc + 1, sizeof *w);
    int n = parse(&c, argc, argv, w);
    if (getenv("KIOSK_SYNC_QUIET"))
        log_set_level(LOG_LVL_ERROR);
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    paths(&c);
    int rc = n < 0 ? 2 : dispatch(&c, w, n);
    if (n < 0)
        fputs(usage_text, stderr);
    free(w);
    return rc;
}
