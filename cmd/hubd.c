/* cmd/hubd.c - the hub server: `hubd -d DIR [--host H] [--port P]
 * [--store postgresql://...]` (the store defaults to DIR/hub.db).
 * Serves protocol v1 over mutual TLS until SIGINT or SIGTERM. */
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "hub/hub_fresh.h"
#include "hub/hub_trim.h"
#include "web/console.h"

static struct hub_server *running;

static void on_signal(int sig)
{
    (void)sig;
    if (running)
        hub_server_stop(running);
}

static int usage(void)
{
    fprintf(stderr, "usage: hubd -d DIR [--host 127.0.0.1] [--port 8443]"
            " [--port-file FILE] [--max-conns N] [--timeout-ms N]\n"
            "            [--workers N] [--max-full-handshakes N]"
            " [--max-unauth N]\n"
            "            [--max-unauth-per-addr N] [--max-tls N]"
            " [--ticket-period-s N]\n"
            "            [--trim-hours 24] [--active-days 30]"
            " [--keep-days 90]\n"
            "            [--stars-every-s 30] [--utc-offset 480]\n"
            "            [--store DIR/hub.db|postgresql://...] [--quiet]\n"
            "            [--console-port N [--console-host H]"
            " [--console-cert F --console-key F]\n"
            "             [--console-port-file FILE]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    struct hub_server_opts o = { .dir = "hub", .host = "127.0.0.1",
                                 .port = 8443, .timeout_ms = 10000 };
    const char *port_file = NULL;
    /* The change log's trim (docs/hub.md): a minute after start, then
     * every --trim-hours (0: never; hubctl feed trim by hand). */
    struct hub_trim_opts to = { .rule = { HUB_FEED_ACTIVE_DAYS,
                                          HUB_FEED_KEEP_DAYS },
                                .first_ms = 60000 };
    long trim_hours = 24;
    /* The web console (docs/console.md): off unless --console-port. */
    struct console_opts co = { 0 };
    const char *console_port_file = NULL;
    bool console_on = false;
    /* The star boards and members' totals checked for new decisions
     * every --stars-every-s (0: only by hubctl), in station time. */
    struct hub_fresh_opts fo = { .every_ms = 30000, .utc_offset_minutes = 480 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--quiet") == 0) {
            log_set_level(LOG_LVL_WARN);
            continue;
        }
        if (!v)
            return usage();
        if (strcmp(a, "-d") == 0)
            o.dir = v;
        else if (strcmp(a, "--host") == 0)
            o.host = v;
        else if (strcmp(a, "--port") == 0)
            o.port = atoi(v);
        else if (strcmp(a, "--store") == 0)
            o.store = v;
        else if (strcmp(a, "--port-file") == 0)
            port_file = v;
        else if (strcmp(a, "--max-conns") == 0)
            o.max_conns = atoi(v);
        else if (strcmp(a, "--timeout-ms") == 0)
            o.timeout_ms = atoi(v);
        else if (strcmp(a, "--trim-hours") == 0)
            trim_hours = atol(v);
        else if (strcmp(a, "--active-days") == 0)
            to.rule.active_days = atol(v);
        else if (strcmp(a, "--keep-days") == 0)
            to.rule.keep_days = atol(v);
        else if (strcmp(a, "--workers") == 0)
            o.workers = atoi(v);
        else if (strcmp(a, "--max-full-handshakes") == 0)
            o.max_full_handshakes = atoi(v);
        else if (strcmp(a, "--max-unauth") == 0)
            o.max_unauth = atoi(v);
        else if (strcmp(a, "--max-unauth-per-addr") == 0)
            o.max_unauth_per_addr = atoi(v);
        else if (strcmp(a, "--max-tls") == 0)
            o.max_tls = atoi(v);
        else if (strcmp(a, "--stars-every-s") == 0)
            fo.every_ms = atol(v) * 1000;
        else if (strcmp(a, "--utc-offset") == 0)
            fo.utc_offset_minutes = atoi(v);
        else if (strcmp(a, "--ticket-period-s") == 0)
            o.ticket_period_s = atoi(v);
        else if (strcmp(a, "--console-port") == 0) {
            co.port = atoi(v);
            console_on = true;
        } else if (strcmp(a, "--console-host") == 0)
            co.host = v;
        else if (strcmp(a, "--console-cert") == 0)
            co.cert_file = v;
        else if (strcmp(a, "--console-key") == 0)
            co.key_file = v;
        else if (strcmp(a, "--console-port-file") == 0)
            console_port_file = v;
        else
            return usage();
        i++;
    }
    if (trim_hours < 0 || to.rule.active_days < 0 || to.rule.keep_days < 0 ||
        fo.every_ms < 0)
        return usage();
    if ((co.cert_file != NULL) != (co.key_file != NULL) || co.port < 0) {
        fprintf(stderr, "hubd: --console-cert and --console-key go together\n");
        return usage();
    }
    /* A damaged store would be half-read: acked uploads, short lists.
     * Refuse to serve and say which file and what SQLite found. */
    char path[1024], problem[512];
    snprintf(path, sizeof path, "%s", o.store ? o.store : "");
    if (!o.store)
        snprintf(path, sizeof path, "%s/hub.db", o.dir);
    if (hub_db_quick_check(path, problem, sizeof problem) != ERR_OK) {
        fprintf(stderr, "hubd: the database %s failed its check (%s);"
                " not starting. Keep the file and restore the hub from"
                " a backup (docs/hub.md).\n", path, problem);
        return 1;
    }
    /* Each connection is a descriptor: thousands of kiosks (and a flood
     * beside them) need more than the usual soft limit of 1024. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct hub_server *s = NULL;
    err_code e = hub_server_create(&o, &s);
    if (e != ERR_OK) {
        fprintf(stderr, "hubd: cannot start in %s%s: %s\n", o.dir,
                o.store && hub_db_is_url(o.store) ? " (store: PostgreSQL)" : "",
                err_str(e));
        return 1;
    }
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f) {
            fprintf(f, "%d\n", hub_server_port(s));
            fclose(f);
        }
    }
    struct console *con = NULL;
    if (console_on) {
        co.dir = o.dir;
        co.store = o.store;
        co.host = co.host ? co.host : o.host;
        co.timeout_ms = o.timeout_ms;
        e = console_start(&co, &con);
        if (e != ERR_OK) {
            fprintf(stderr, "hubd: cannot start the console on port %d: %s\n",
                    co.port, err_str(e));
            hub_server_destroy(s);
            return 1;
        }
        if (console_port_file) {
            FILE *f = fopen(console_port_file, "w");
            if (f) {
                fprintf(f, "%d\n", console_port(con));
                fclose(f);
            }
        }
    }
    running = s;
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct hub_trim *trim = NULL;
    to.db_path = path;
    to.every_ms = trim_hours * 3600 * 1000;
    if (trim_hours > 0 && hub_trim_start(&to, &trim) != ERR_OK)
        fprintf(stderr, "hubd: no automatic trim of the change log\n");
    struct hub_fresh *fresh = NULL;
    fo.db_path = path;
    if (fo.every_ms > 0 && hub_fresh_start(&fo, &fresh) != ERR_OK)
        fprintf(stderr, "hubd: star boards refresh only with hubctl\n");
    e = hub_server_run(s);
    running = NULL;
    hub_fresh_stop(fresh);
    hub_trim_stop(trim);
    console_stop(con);
    hub_server_destroy(s);
    return e == ERR_OK ? 0 : 1;
}
