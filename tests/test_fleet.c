/* tests/test_fleet.c - the fleet side of updates, against a real hub
 * server in-process on 127.0.0.1 over real TLS: a launcher rollback
 * becomes a `rollback` event exactly once and reaches the hub once (fleet
 * and events show it); a bundle published at the hub downloads in
 * ranges, survives two cuts by resuming at the right offset and
 * installs; a tampered bundle is refused by hubctl's check and, when
 * published unchecked, by the kiosk's update_install with nothing
 * changed; an older bundle is not downloaded. */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/bundle.h"
#include "base/log.h"
#include "base/sig_mbedtls.h"
#include "firmware/store.h"
#include "firmware/update.h"
#include "hub/hub_report.h"
#include "hub/hub_bundle.h"
#include "hub/hub_db.h"
#include "hub/hub_server.h"
#include "sync/net.h"
#include "sync/pki.h"
#include "sync/sync.h"
#include "sync/sync_bundle.h"
#include "sync/sync_enrol.h"
#include "sync/sync_rollback.h"
#include "tests/support/hub_fixture.h"

/* Paths in the hub fixture's directory. */
static char *p(const char *name)
{
    return hubfx_path(name);
}

static void sh(const char *fmt, const char *a, const char *b)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    assert_int_equal(system(cmd), 0);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

/* bin/kiosk reports healthy and exits (good) or exits at once (crash);
 * `big` adds a file of that many random bytes, for ranged downloads. */
static void make_bundle(const char *name, const char *version, bool good,
                        size_t big)
{
    char src[128], path[300];
    snprintf(src, sizeof src, "%s/src-%s", hubfx_dir(), name);
    sh("rm -rf %s && mkdir -p %s/bin", src, src);
    sh("mkdir -p %s/share%s", src, "");
    snprintf(path, sizeof path, "%s/bin/kiosk", src);
    write_file(path, good ? "#!/bin/sh\n[ -n \"$KIOSK_HEALTH_FD\" ] && "
               "echo ok >&3\nexit 0\n" : "#!/bin/sh\nexit 3\n", 0755);
    snprintf(path, sizeof path, "%s/share/data.bin", src);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    unsigned seed = (unsigned)big;
    for (size_t i = 0; i < big; i++)
        fputc(rand_r(&seed) & 0xff, f);
    fclose(f);
    assert_int_equal(bundle_make(src, "kiosk", version, "1.0.0",
                                 p("release.pem"), p(name), NULL, 0), ERR_OK);
}

static int setup_all(void **state)
{
    (void)state;
    hubfx_init("test_fleet");
    sh("mkdir -p %s/factory/bin%s", hubfx_dir(), "");
    write_file(p("factory/VERSION"), "1.1.0\n", 0644);
    write_file(p("factory/bin/kiosk"), "#!/bin/sh\nexit 0\n", 0755);
    assert_int_equal(sig_keygen(p("release.pem"), p("release.pub")), ERR_OK);
    make_bundle("v120.kb", "1.2.0", true, 780000);
    make_bundle("v120crash.kb", "1.2.0", false, 0);
    make_bundle("v130.kb", "1.3.0", true, 1000);
    struct hub_db *db = hubfx_db();
    assert_int_equal(hub_db_station_add(db, "sq-hongqi-01", "HQ"), ERR_OK);
    hub_db_close(db);
    hubfx_start();
    hubfx_enrol("sq-hongqi-01", "kiosk-fleet", "k.key", "k.crt");
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    hubfx_stop();
    return 0;
}

static struct sync_opts link_opts(int to_port)
{
    return (struct sync_opts){ .db_path = p("kiosk.db"), .host = "127.0.0.1",
                               .port = to_port, .ca_file = p("hub/ca.crt"),
                               .cert_file = p("k.crt"), .key_file = p("k.key"),
                               .station = "sq-hongqi-01", .timeout_ms = 3000 };
}

static struct update_opts uopts(const char *root)
{
    return (struct update_opts){ .root = root, .pub_key = p("release.pub"),
                                 .factory = p("factory") };
}

static size_t rollback_events(struct store *s, char *data, size_t cap)
{
    struct event evs[32];
    size_t n = 0, found = 0;
    assert_int_equal(store_events_after(s, 0, evs, 32, &n), ERR_OK);
    for (size_t i = 0; i < n; i++)
        if (evs[i].kind == EVENT_ROLLBACK) {
            found++;
            snprintf(data, cap, "%s", evs[i].data);
        }
    return found;
}

/* ---- rollbacks --------------------------------------------------------- */

static void rollback_records_become_events_once(void **st)
{
    (void)st;
    char root[256], data[STORE_DATA] = "", log[512];
    snprintf(root, sizeof root, "%s", p("unit-root"));
    sh("rm -rf %s; mkdir -p %s", root, root);
    struct store *s = NULL;
    assert_int_equal(store_open(p("unit.db"), &s), ERR_OK);
    snprintf(log, sizeof log, "%s/rollbacks.log", root);
    static const char two[] =
        "1763800000000 1.3.0 1.2.0 not healthy after 120000 ms\n"
        "1763800100000 1.3.1 1.2.0 exited 3 times before reporting healthy\n";
    write_file(log, two, 0644);
    size_t n = 0;
    assert_int_equal(sync_rollbacks_report(s, root, &n), ERR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(rollback_events(s, data, sizeof data), 2);
    assert_string_equal(data, "{\"from\":\"1.3.1\",\"to\":\"1.2.0\",\"reason\":"
                        "\"exited 3 times before reporting healthy\","
                        "\"at_ms\":1763800100000}");
    assert_int_not_equal(access(log, F_OK), 0);          /* cleared */
    /* A second start: nothing new. */
    assert_int_equal(sync_rollbacks_report(s, root, &n), ERR_OK);
    assert_int_equal(n, 0);
    /* A crash after the commit but before the clear leaves the same text;
     * the launcher may append to it. Only the new line is reported. */
    char more[sizeof two + 80];
    snprintf(more, sizeof more, "%s%s", two,
             "1763800200000 1.3.2 1.2.0 crashed\n");
    write_file(log, more, 0644);
    assert_int_equal(sync_rollbacks_report(s, root, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rollback_events(s, data, sizeof data), 3);
    assert_non_null(strstr(data, "\"from\":\"1.3.2\""));
    assert_int_not_equal(access(log, F_OK), 0);
    store_close(s);
}

static int hub_count(const char *sql)
{
    struct hub_db *db = hubfx_db();
    FILE *f = tmpfile();
    assert_non_null(f);
    if (strcmp(sql, "fleet") == 0)
        assert_int_equal(hub_report_fleet(db, f), ERR_OK);
    else
        assert_int_equal(hub_report_events(db, "kiosk-fleet", f), ERR_OK);
    hub_db_close(db);
    rewind(f);
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f))
        n += strstr(line, strcmp(sql, "fleet") == 0 ? "1.2.0->1.1.0"
                                                    : ",\"rollback\",") != NULL;
    fclose(f);
    return n;
}

/* A real trial that crashes, rolled back by the launcher, reported at the
 * next start, uploaded over mutual TLS: once at the hub. */
static void launcher_rollback_reaches_hub_once(void **st)
{
    (void)st;
    char root[256], msg[256] = "", data[STORE_DATA] = "";
    snprintf(root, sizeof root, "%s", p("e2e-root"));
    struct update_opts u = uopts(root);
    assert_int_equal(update_install(&u, p("v120crash.kb"), NULL, NULL, msg,
                                    sizeof msg), ERR_OK);
    struct update_launch_opts l = { .base = u, .trial_ms = 5000 };
    int status = -1;
    assert_int_equal(update_launch(&l, &status), ERR_OK);
    struct update_status us;
    update_status_read(&u, &us);
    assert_string_equal(us.version, "1.1.0");
    assert_int_equal(us.rollbacks, 1);
    struct sync_opts o = link_opts(hubfx_port());
    for (int start = 0; start < 2; start++) {
        struct store *s = NULL;
        assert_int_equal(store_open(o.db_path, &s), ERR_OK);
        size_t n = 9;
        assert_int_equal(sync_rollbacks_report(s, root, &n), ERR_OK);
        assert_int_equal(n, start == 0 ? 1 : 0);
        assert_int_equal(rollback_events(s, data, sizeof data), 1);
        store_close(s);
        struct sync *k = NULL;
        assert_int_equal(sync_create(&o, &k), ERR_OK);
        assert_int_equal(sync_round(k), ERR_OK);
        sync_destroy(k);
    }
    assert_non_null(strstr(data, "\"from\":\"1.2.0\",\"to\":\"1.1.0\""));
    update_status_read(&u, &us);
    assert_int_equal(us.rollbacks, 0);
    assert_int_equal(hub_count("events"), 1);
    assert_int_equal(hub_count("fleet"), 1);
}

/* ---- bundles from the hub ----------------------------------------------- */

/* Relays to the hub; connection i is cut after cut[i] bytes from the hub
 * (0: never). */
struct proxy {
    int  lfd, port, conns;
    long cut[4];
    long moved[8];
    int  stop_fd[2];
};

static void relay(int a, int b, long cut, long *moved)
{
    char buf[16384];
    for (;;) {
        struct pollfd pf[2] = { { a, POLLIN, 0 }, { b, POLLIN, 0 } };
        if (poll(pf, 2, 3000) <= 0)
            return;
        if (pf[0].revents) {
            ssize_t n = read(a, buf, sizeof buf);
            if (n <= 0 || write(b, buf, (size_t)n) != n)
                return;
        }
        if (pf[1].revents) {
            size_t room = sizeof buf;
            if (cut > 0 && cut - *moved < (long)room)
                room = (size_t)(cut - *moved);
            ssize_t n = room ? read(b, buf, room) : 0;
            if (n <= 0 || write(a, buf, (size_t)n) != n)
                return;
            *moved += n;
            if (cut > 0 && *moved >= cut)
                return;
        }
    }
}

static void *proxy_main(void *arg)
{
    struct proxy *px = arg;
    for (;;) {
        struct pollfd pf[2] = { { px->lfd, POLLIN, 0 },
                                { px->stop_fd[0], POLLIN, 0 } };
        poll(pf, 2, -1);
        if (pf[1].revents)
            return NULL;
        int a, b, i = px->conns < 7 ? px->conns : 7;
        if (net_accept(px->lfd, &a) != ERR_OK)
            continue;
        px->conns++;
        if (net_connect("127.0.0.1", hubfx_port(), 1000, &b) == ERR_OK) {
            relay(a, b, i < 4 ? px->cut[i] : 0, &px->moved[i]);
            close(b);
        }
        close(a);
    }
}

static long part_size(const char *root, const char *name)
{
    char path[512];
    struct stat sb;
    snprintf(path, sizeof path, "%s/incoming/%s.part", root, name);
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void publish(const char *file, const char *key, err_code want)
{
    struct hub_db *db = hubfx_db();
    struct hub_bundle_info bi;
    char msg[256] = "";
    assert_int_equal(hub_bundle_publish(db, p("hub"), p(file), key, NULL, &bi,
                                        msg, sizeof msg), want);
    hub_db_close(db);
}

static void cut_twice_resumes_and_installs(void **st)
{
    (void)st;
    char root[256], msg[256] = "";
    snprintf(root, sizeof root, "%s", p("dl-root"));
    struct update_opts u = uopts(root);
    publish("v120.kb", p("release.pub"), ERR_OK);
    struct proxy px = { .cut = { 400000, 400000, 0, 0 } };
    assert_int_equal(net_listen("127.0.0.1", 0, &px.lfd, &px.port), ERR_OK);
    assert_int_equal(pipe(px.stop_fd), 0);
    pthread_t th;
    pthread_create(&th, NULL, proxy_main, &px);
    struct sync_opts direct = link_opts(hubfx_port()), o = link_opts(px.port);
    struct sync_bundle_offer of;
    assert_int_equal(sync_bundle_offer(&direct, &of), ERR_OK);
    assert_string_equal(of.name, "kiosk-1.2.0");
    assert_true(of.size > 780000);
    err_code e = sync_bundle_update(&o, &u, NULL, NULL, msg, sizeof msg);
    assert_true(e == ERR_NET || e == ERR_TLS || e == ERR_TIMEOUT);
    assert_int_equal(part_size(root, of.name), HUB_BUNDLE_CHUNK);
    e = sync_bundle_update(&o, &u, NULL, NULL, msg, sizeof msg);
    assert_true(e == ERR_NET || e == ERR_TLS || e == ERR_TIMEOUT);
    assert_int_equal(part_size(root, of.name), 2 * HUB_BUNDLE_CHUNK);
    assert_int_equal(sync_bundle_update(&o, &u, NULL, NULL, msg, sizeof msg),
                     ERR_OK);
    ssize_t w = write(px.stop_fd[1], "x", 1);
    (void)w;
    pthread_join(th, NULL);
    close(px.lfd);
    close(px.stop_fd[0]);
    close(px.stop_fd[1]);
    /* The last connection carried only what was missing. */
    assert_int_equal(px.conns, 3);
    assert_true(px.moved[2] < (long)of.size - 2 * HUB_BUNDLE_CHUNK + 20000);
    struct update_status us;
    update_status_read(&u, &us);
    assert_string_equal(us.version, "1.2.0");
    assert_true(us.on_trial);
    assert_int_equal(part_size(root, of.name), -1);
}

static void tampered_bundle_is_refused_and_nothing_changes(void **st)
{
    (void)st;
    char root[256], msg[256] = "";
    snprintf(root, sizeof root, "%s", p("bad-root"));
    struct update_opts u = uopts(root);
    /* One byte of a file changed after signing. */
    sh("cp %s/v130.kb %s/v130bad.kb", hubfx_dir(), hubfx_dir());
    FILE *f = fopen(p("v130bad.kb"), "r+b");
    assert_non_null(f);
    fseek(f, -10, SEEK_END);
    int c = fgetc(f);
    fseek(f, -10, SEEK_END);
    fputc(c ^ 0x20, f);
    fclose(f);
    publish("v130bad.kb", p("release.pub"), ERR_CORRUPT);  /* hubctl --key */
    publish("v130bad.kb", NULL, ERR_OK);                   /* unchecked */
    struct sync_opts o = link_opts(hubfx_port());
    assert_int_equal(sync_bundle_update(&o, &u, NULL, NULL, msg, sizeof msg),
                     ERR_CORRUPT);
    assert_non_null(strstr(msg, "altered"));
    struct update_status us;
    update_status_read(&u, &us);
    assert_string_equal(us.version, "1.1.0");
    assert_false(us.on_trial);
    char slots[300];
    snprintf(slots, sizeof slots, "%s/slots/a", root);
    assert_int_not_equal(access(slots, F_OK), 0);
    snprintf(slots, sizeof slots, "%s/incoming/kiosk-1.3.0.kbundle", root);
    assert_int_not_equal(access(slots, F_OK), 0);
}

static void older_bundle_is_not_downloaded(void **st)
{
    (void)st;
    char root[256], msg[256] = "", newer[256];
    snprintf(root, sizeof root, "%s", p("new-root"));
    snprintf(newer, sizeof newer, "%s", p("factory-140"));
    sh("mkdir -p %s && echo 1.4.0 > %s/VERSION", newer, newer);
    struct update_opts u = uopts(root);
    u.factory = newer;
    struct sync_opts o = link_opts(hubfx_port());
    assert_int_equal(sync_bundle_update(&o, &u, NULL, NULL, msg, sizeof msg),
                     ERR_NOTFOUND);
    assert_non_null(strstr(msg, "1.3.0"));
    char inc[300];
    snprintf(inc, sizeof inc, "%s/incoming", root);
    assert_int_not_equal(access(inc, F_OK), 0);             /* no byte */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rollback_records_become_events_once),
        cmocka_unit_test(launcher_rollback_reaches_hub_once),
        cmocka_unit_test(cut_twice_resumes_and_installs),
        cmocka_unit_test(tampered_bundle_is_refused_and_nothing_changes),
        cmocka_unit_test(older_bundle_is_not_downloaded),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
