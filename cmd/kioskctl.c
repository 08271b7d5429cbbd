/* cmd/kioskctl.c - the technician's command line on the unit, and the
 * text-mode session used before a screen is attached. Every command works
 * on the same store the kiosk uses, through the same domain functions. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/file.h"
#include "firmware/config.h"
#include "firmware/controller.h"
#include "firmware/credential.h"
#include "firmware/demo.h"
#include "firmware/diag.h"
#include "base/log.h"
#include "firmware/service.h"
#include "firmware/store.h"
#include "firmware/store_backup.h"
#include "firmware/summary.h"
#include "firmware/update.h"
#include "firmware/visit.h"
#include "base/xmalloc.h"
#include "sync/proto.h"
#include "sync/sync.h"
#include "sync/sync_bundle.h"
#include "sync/sync_enrol.h"

struct ctl {
    struct config cfg;
    struct store *store;
};

/* The controller's answer as one line; the exit code says refused (1)
 * or failed (2). */
static int print_outcome(const struct controller_outcome *o)
{
    switch (o->kind) {
    case CONTROLLER_REFUSED:
        printf("refused (%s): %s\n", credential_refusal_name(o->why),
               credential_refusal_text(o->why));
        return 1;
    case CONTROLLER_FAILED:
        printf("error: %s (nothing stored)\n", err_str(o->err));
        return 2;
    case CONTROLLER_TECHNICIAN:
        printf("technician %s\n", o->cred.id);
        return 0;
    case CONTROLLER_UNKNOWN_MEMBER:
        printf("refused: unknown member %s\n", o->member_no);
        return 1;
    case CONTROLLER_INACTIVE:
        printf("refused: member %s is not active\n", o->member_no);
        return 1;
    default:
        break;
    }
    printf("%s %s: %s", o->member_no, o->name, controller_kind_name(o->kind));
    if (o->kind == CONTROLLER_CHECKED_OUT)
        printf(", %d min%s", o->minutes,
               o->auto_closed ? " (closed by rule, for review)" : "");
    if (o->seq)
        printf(" [event %llu]", (unsigned long long)o->seq);
    printf("\n");
    return 0;
}

static int cmd_scan(struct ctl *c, const char *line)
{
    struct controller *ctl;
    struct controller_outcome o;
    struct stamp now;

    clock_now(&now);
    controller_create(&c->cfg, c->store, &ctl);
    controller_scan(ctl, &now, line, CONTROLLER_TOGGLE, &o);
    controller_destroy(ctl);
    return print_outcome(&o);
}

static int cmd_inout(struct ctl *c, const char *no, int in)
{
    struct controller *ctl;
    struct controller_outcome o;
    struct stamp now;

    clock_now(&now);
    controller_create(&c->cfg, c->store, &ctl);
    controller_member(ctl, &now, no, in ? CONTROLLER_CHECK_IN
                                        : CONTROLLER_CHECK_OUT, &o);
    controller_destroy(ctl);
    return print_outcome(&o);
}

static const char *const refusal_text[] = {
    [SERVICE_OK] = "ok",
    [SERVICE_UNKNOWN_MEMBER] = "unknown member",
    [SERVICE_INACTIVE_MEMBER] = "member is not active",
    [SERVICE_UNKNOWN_CATEGORY] = "unknown category",
    [SERVICE_MINUTES_OUT_OF_RANGE] = "minutes out of range (15-720)",
    [SERVICE_DAY_IN_FUTURE] = "the day is in the future",
    [SERVICE_DAY_TOO_OLD] = "the day is too long ago",
    [SERVICE_NOTE_TOO_LONG] = "note too long",
};

static int cmd_log(struct ctl *c, int argc, char **argv)
{
    struct service_request req = { 0 };
    enum service_refusal why;
    struct service_log l;
    struct stamp now;
    err_code e;

    if (argc < 3) {
        fprintf(stderr, "usage: log MEMBER CATEGORY MINUTES [DAYS_AGO [NOTE]]\n");
        return 2;
    }
    req.member_no = argv[0];
    req.category = argv[1];
    req.minutes = atoi(argv[2]);
    req.days_ago = argc > 3 ? atoi(argv[3]) : 0;
    req.note = argc > 4 ? argv[4] : NULL;
    clock_now(&now);
    e = service_log(c->store, &c->cfg, &req, &now, &why, &l);
    if (e == ERR_INVAL) {
        printf("refused: %s\n", refusal_text[why]);
        return 1;
    }
    if (e != ERR_OK) {
        printf("error: %s (nothing stored)\n", err_str(e));
        return 2;
    }
    printf("logged %d min of %s for %s, pending confirmation [event %llu]\n",
           l.minutes, l.category, l.member_no, (unsigned long long)l.seq);
    return 0;
}

static void print_total(const char *label, const struct period_total *t)
{
    printf("  %-8s station %4d min, service %4d min confirmed, %4d pending,"
           " %3d points\n", label, t->visit_minutes, t->service_minutes,
           t->pending_minutes, t->points);
}

static int cmd_record(struct ctl *c, const char *no)
{
    static const char *const status[] = { "pending", "confirmed", "rejected" };
    struct member_summary *m = malloc(sizeof *m);
    struct stamp now;
    err_code e;

    clock_now(&now);
    e = summary_for(c->store, &c->cfg, no, &now, m);
    if (e != ERR_OK) {
        printf("refused: %s\n", e == ERR_NOTFOUND ? "unknown member"
                                                  : err_str(e));
        free(m);
        return 1;
    }
    printf("%s %s%s\n", m->member.member_no, m->member.name,
           m->checked_in ? " (checked in)" : "");
    print_total("month", &m->month);
    print_total("quarter", &m->quarter);
    print_total("year", &m->year);
    for (size_t i = 0; i < m->n_logs; i++)
        printf("  log %llu: %s %d min, %s\n",
               (unsigned long long)m->logs[i].seq, m->logs[i].category,
               m->logs[i].minutes, status[m->logs[i].status]);
    for (size_t i = 0; i < m->n_posts; i++)
        printf("  post: %s\n", m->posts[i].name);
    for (size_t i = 0; i < m->n_shifts; i++) {
        char ymd[11];
        clock_ymd(m->shifts[i].day * 86400000, 0, ymd);
        printf("  duty: %s %s\n", ymd, m->shifts[i].shift);
    }
    free(m);
    return 0;
}

static void on_progress(void *ctx, enum update_phase phase, uint64_t done,
                        uint64_t total)
{
    static const char *const names[] = { "verifying", "copying",
                                         "switching", "done" };
    (void)ctx;
    printf("\r%-10s %3d%%", names[phase],
           total ? (int)(done * 100 / total) : 100);
    if (phase == UPDATE_DONE)
        printf("\n");
    fflush(stdout);
}

static struct update_opts update_opts_of(const struct config *cfg)
{
    struct update_opts o = { .root = cfg->update_root,
                             .pub_key = cfg->release_key,
                             .factory = cfg->factory_dir };
    return o;
}

/* update hub: the newest bundle the hub offers, downloaded resumably (a
 * cut link resumes on the next try), then installed like any other. */
static int cmd_update_from_hub(struct ctl *c)
{
    char msg[512];
    err_code e = sync_bundle_update_for(&c->cfg, on_progress, NULL, msg,
                                        sizeof msg);

    printf("\n%s%s\n", e == ERR_OK || e == ERR_NOTFOUND ? "" : "refused: ",
           msg);
    return e == ERR_OK || e == ERR_NOTFOUND ? 0 : 1;
}

/* update PATH|DIR|hub: a bundle file, the newest signed one in a directory
 * (a USB stick), or the hub's. Everything is verified before a byte is
 * installed. */
static int cmd_update(struct ctl *c, const char *where)
{
    struct update_opts o = update_opts_of(&c->cfg);
    char path[UPDATE_PATH_MAX], msg[512];
    struct stat st;
    err_code e;

    if (strcmp(where, "hub") == 0)
        return cmd_update_from_hub(c);
    str_copy(path, sizeof path, where);
    if (stat(where, &st) == 0 && S_ISDIR(st.st_mode) &&
        update_find_bundle(where, o.pub_key, path, sizeof path, msg,
                           sizeof msg) != ERR_OK) {
        printf("refused: %s\n", msg);
        return 1;
    }
    e = update_install(&o, path, on_progress, NULL, msg, sizeof msg);
    if (e != ERR_OK) {
        printf("\nrefused: %s\n", msg);
        return 1;
    }
    printf("installed %s; it starts on trial at the next restart"
           " (systemctl restart kiosk)\n", path);
    return 0;
}

/* sync: one round with the hub now, in this process (the technician's
 * "forced sync"); the kiosk's own worker keeps running meanwhile. */
static int cmd_sync(struct ctl *c)
{
    struct sync *s;
    struct sync_status st;
    err_code e = sync_create_for(&c->cfg, &s);

    if (e == ERR_UNSUPPORTED) {
        printf("refused: no hub configured (hub.host)\n");
        return 1;
    }
    if (e == ERR_NOTFOUND) {
        printf("refused: this kiosk is not enrolled with a hub yet\n");
        return 1;
    }
    if (e == ERR_OK)
        e = sync_round(s);
    if (e == ERR_OK) {
        sync_status_get(s, &st);
        printf("synced with %s: queue %llu, hub clock %+lld ms\n",
               c->cfg.hub_host, (unsigned long long)st.queue,
               (long long)st.hub_offset_ms);
    } else {
        printf("sync failed: %s; the kiosk keeps working offline\n",
               err_str(e));
    }
    sync_destroy(s);
    return e == ERR_OK ? 0 : 1;
}

static int cmd_status(struct ctl *c)
{
    static char text[4096];
    struct diag d;

    diag_collect(&c->cfg, c->store, &d);
    diag_format(&d, &c->cfg, text, sizeof text);
    fputs(text, stdout);
    return d.db_ok ? 0 : 1;
}

static void state_path(const struct ctl *c, const char *name, char *out,
                       size_t cap)
{
    snprintf(out, cap, "%s/%s", c->cfg.state_dir, name);
}

/* enrol CODE: the key is made here and never leaves the unit; only a
 * certificate request goes to the hub, over TLS to the pinned CA. */
static int cmd_enrol(struct ctl *c, const char *code)
{
    char ca[CONFIG_STR + 16], key[CONFIG_STR + 16], crt[CONFIG_STR + 16];
    char station[64], device[64];
    err_code e;

    if (c->cfg.hub_host[0] == '\0') {
        printf("refused: no hub configured (hub.host)\n");
        return 1;
    }
    state_path(c, "hub-ca.crt", ca, sizeof ca);
    state_path(c, "kiosk.key", key, sizeof key);
    state_path(c, "kiosk.crt", crt, sizeof crt);
    if (access(ca, R_OK) != 0) {
        printf("refused: install the hub's CA as %s first\n", ca);
        return 1;
    }
    struct sync_enrol_opts o = { .host = c->cfg.hub_host,
        .port = c->cfg.hub_port, .ca_file = ca, .code = code,
        .key_file = key, .cert_file = crt, .timeout_ms = 10000 };
    e = sync_enrol(&o, station, sizeof station, device, sizeof device);
    if (e != ERR_OK) {
        printf("enrolment failed: %s\n", e == ERR_DENIED
               ? "the hub refused the code (used, expired or wrong)"
               : e == ERR_TLS ? "the hub is not the one its CA names"
               : err_str(e));
        return 1;
    }
    printf("enrolled with %s as station %s, device %s\n", c->cfg.hub_host,
           station, device);
    if (strcmp(station, c->cfg.station_id) != 0 ||
        strcmp(device, c->cfg.device_id) != 0)
        printf("note: set station.id = %s and kiosk.device_id = %s in the"
               " configuration\n", station, device);
    return 0;
}

/* Copy the command's output into f; nothing when it is not there. */
static void append_command(FILE *f, const char *title, const char *cmd)
{
    char buf[4096];
    size_t n, total = 0;
    FILE *p = popen(cmd, "r");

    if (p == NULL)
        return;
    fprintf(f, "\n[%s]\n", title);
    while ((n = fread(buf, 1, sizeof buf, p)) > 0 && total < (8u << 20)) {
        fwrite(buf, 1, n, f);
        total += n;
    }
    pclose(p);
}

static void write_status(struct ctl *c, FILE *f)
{
    static char text[16384];
    struct update_opts o = update_opts_of(&c->cfg);
    struct update_status us;
    struct diag d;
    size_t n;

    diag_collect(&c->cfg, c->store, &d);
    diag_format(&d, &c->cfg, text, sizeof text);
    fprintf(f, "[diagnostics]\n%s", text);
    update_status_read(&o, &us);
    fprintf(f, "\n[update]\nversion: %s\ndir: %s\non_trial: %s\n"
            "trial_starts: %d\n", us.version[0] ? us.version : "-", us.dir,
            us.on_trial ? "yes" : "no", us.trial_starts);
    if (update_rollbacks_read(c->cfg.update_root, text, sizeof text, &n)
        == ERR_OK)
        fprintf(f, "rollbacks:\n%s", text);
    config_dump(&c->cfg, text, sizeof text);
    fprintf(f, "\n[config]\n");
    /* The PIN hash stays on the unit: four digits are cheap to guess
     * from it offline. */
    for (char *l = text, *e; *l; l = e) {
        e = strchr(l, '\n');
        e = e ? e + 1 : l + strlen(l);
        if (strncmp(l, "tech_pin_hash", 13) == 0)
            fprintf(f, "tech_pin_hash = (not exported)\n");
        else
            fwrite(l, 1, (size_t)(e - l), f);
    }
    if (access("/bin/journalctl", X_OK) == 0 ||
        access("/usr/bin/journalctl", X_OK) == 0)
        append_command(f, "journal", "journalctl -u kiosk --no-pager -n 500"
                       " 2>/dev/null");
}

/* export DIR: a diagnostics bundle for a USB stick, in
 * DIR/<device>-<UTC time>/: status.txt and a consistent kiosk.db copy. */
static int cmd_export(struct ctl *c, const char *dir)
{
    char out[CONFIG_STR * 2], path[CONFIG_STR * 2 + 16], when[32];
    time_t t = time(NULL);
    struct tm tm;
    FILE *f;

    umask(077);                 /* member data: owner only, even on FAT */
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(out, sizeof out, "%s/%s-%s", dir, c->cfg.device_id, when);
    if (mkdir(out, 0700) != 0) {
        printf("error: cannot create %s: %s\n", out, strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/status.txt", out);
    f = fopen(path, "w");
    if (f == NULL) {
        printf("error: cannot write %s\n", path);
        return 1;
    }
    write_status(c, f);
    if (fclose(f) != 0) {
        printf("error: %s is incomplete (stick full?)\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/kiosk.db", out);
    if (store_backup(c->store, path) != ERR_OK) {
        printf("error: the database copy %s failed\n", path);
        return 1;
    }
    printf("exported to %s\n", out);
    return 0;
}

/* Overwrite a file with zeros (and make it reach the disk) before the
 * name goes, so an unlinked key is not left readable in free blocks. */
static int wipe_file(const char *path)
{
    static const char zero[4096];
    struct stat st;
    int fd;

    if (stat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if ((fd = open(path, O_WRONLY)) >= 0) {
        for (off_t done = 0; done < st.st_size; done += sizeof zero)
            if (write(fd, zero, sizeof zero) < 0)
                break;
        fsync(fd);
        close(fd);
    }
    return unlink(path);
}

/* decommission --yes [--force]: the unit forgets its identity and data. */
static int cmd_decommission(struct ctl *c, int argc, char **argv)
{
    static const char *const files[] = { "kiosk.key", "kiosk.crt",
        "hub-ca.crt", "kiosk.db", "kiosk.db-wal", "kiosk.db-shm",
        "kiosk.db-journal" };
    bool yes = false, force = false;
    char path[CONFIG_STR + 32];
    struct diag d;
    int bad = 0;

    for (int i = 1; i < argc; i++) {
        yes |= strcmp(argv[i], "--yes") == 0;
        force |= strcmp(argv[i], "--force") == 0;
    }
    diag_collect(&c->cfg, c->store, &d);
    if (!yes) {
        printf("refused: this wipes the key, certificate and database in"
               " %s; run `decommission --yes`\n", c->cfg.state_dir);
        return 1;
    }
    if (d.queue > 0 && !force) {
        printf("refused: %llu events have not reached the hub yet; sync"
               " first, or add --force to lose them\n",
               (unsigned long long)d.queue);
        return 1;
    }
    store_close(c->store);
    c->store = NULL;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        state_path(c, files[i], path, sizeof path);
        if (wipe_file(path) != 0) {
            printf("error: cannot remove %s: %s\n", path, strerror(errno));
            bad = 1;
        }
    }
    if (!bad)
        printf("decommissioned: key, certificate, hub CA and database"
               " removed from %s\n", c->cfg.state_dir);
    return bad;
}

/* Apply a change page saved from the hub (or `cardctl page`), as the
 * sync worker would: for setting up a unit or a demo without a hub. */
static int cmd_apply(struct ctl *c, const char *path)
{
    char *text = NULL;
    size_t n = 0;
    struct change_page page = { 0 };
    char cursor[PROTO_CURSOR_MAX];
    bool more;
    err_code e = ERR_PROTO;

    /* Decoded as the sync worker does; its cursor is not the feed's. */
    if (file_read_capped(path, PROTO_PAGE_MAX, &text, &n) == ERR_OK &&
        n > 0 &&
        proto_page_decode(text, n, &page, cursor, sizeof cursor,
                          &more) == ERR_OK)
        e = store_hub_apply(c->store, &page, NULL);
    change_page_free(&page);
    free(text);
    if (e != ERR_OK) {
        printf("error: change page %s not applied\n", path);
        return 1;
    }
    printf("change page %s applied\n", path);
    return 0;
}

/* One command; argv[0] is its name. */
static int run_command(struct ctl *c, int argc, char **argv);

/* The text-mode session: one command per line on stdin. */
static int cmd_shell(struct ctl *c)
{
    char line[CREDENTIAL_LINE_MAX + 2];

    printf("kiosk text session: scan CODE | in NO | out NO | "
           "log NO CATEGORY MIN [DAYS [NOTE]] | record NO | sync | status |"
           " quit\n");
    while (printf("> "), fflush(stdout), fgets(line, sizeof line, stdin)) {
        char *argv[8], *save = NULL, *tok;
        int argc = 0;

        for (tok = strtok_r(line, " \t\r\n", &save); tok && argc < 8;
             tok = strtok_r(NULL, " \t\r\n", &save))
            argv[argc++] = tok;
        if (argc == 0)
            continue;
        if (strcmp(argv[0], "quit") == 0)
            break;
        if (strcmp(argv[0], "shell") != 0 &&
            strcmp(argv[0], "decommission") != 0)   /* closes the store */
            run_command(c, argc, argv);
    }
    return 0;
}

static int run_command(struct ctl *c, int argc, char **argv)
{
    const char *cmd = argv[0];

    if (strcmp(cmd, "scan") == 0 && argc == 2)
        return cmd_scan(c, argv[1]);
    if (strcmp(cmd, "in") == 0 && argc == 2)
        return cmd_inout(c, argv[1], 1);
    if (strcmp(cmd, "out") == 0 && argc == 2)
        return cmd_inout(c, argv[1], 0);
    if (strcmp(cmd, "log") == 0)
        return cmd_log(c, argc - 1, argv + 1);
    if (strcmp(cmd, "record") == 0 && argc == 2)
        return cmd_record(c, argv[1]);
    if (strcmp(cmd, "status") == 0)
        return cmd_status(c);
    if (strcmp(cmd, "shell") == 0)
        return cmd_shell(c);
    if (strcmp(cmd, "sync") == 0)
        return cmd_sync(c);
    if (strcmp(cmd, "update") == 0 && argc == 2)
        return cmd_update(c, argv[1]);
    if (strcmp(cmd, "config") == 0) {
        char dump[8192];
        config_dump(&c->cfg, dump, sizeof dump);
        fputs(dump, stdout);
        return 0;
    }
    if (strcmp(cmd, "enrol") == 0 && argc == 2)
        return cmd_enrol(c, argv[1]);
    if (strcmp(cmd, "export") == 0 && argc == 2)
        return cmd_export(c, argv[1]);
    if (strcmp(cmd, "decommission") == 0)
        return cmd_decommission(c, argc, argv);
    if (strcmp(cmd, "apply") == 0 && argc == 2)
        return cmd_apply(c, argv[1]);
    if (strcmp(cmd, "load-demo") == 0 && argc == 2) {
        struct stamp now;
        clock_now(&now);
        if (demo_load(c->store, argv[1], c->cfg.utc_offset_minutes, &now)
            != ERR_OK) {
            printf("error: demo data in %s not loaded\n", argv[1]);
            return 1;
        }
        printf("demo data loaded from %s\n", argv[1]);
        return 0;
    }
    fprintf(stderr, "unknown command or wrong arguments: %s\n", cmd);
    return 2;
}

static int usage(void)
{
    fprintf(stderr,
        "usage: kioskctl [--config FILE] [--set SECTION.KEY=VALUE]... COMMAND\n"
        "commands: status | config | load-demo DIR | apply PAGE.json |\n"
        "          scan CODE | in NO | out NO |\n"
        "          log NO CATEGORY MINUTES [DAYS_AGO [NOTE]] | record NO |\n"
        "          sync | update BUNDLE|DIR|hub | enrol CODE | export DIR |\n"
        "          decommission --yes [--force] | shell\n");
    return 2;
}

/* Apply "section.key=value" from the command line. */
static int set_option(struct config *cfg, char *opt)
{
    char *dot = strchr(opt, '.'), *eq = strchr(opt, '='), msg[300];

    if (dot == NULL || eq == NULL || eq < dot) {
        fprintf(stderr, "kioskctl: --set wants SECTION.KEY=VALUE\n");
        return 0;
    }
    *dot = *eq = '\0';
    if (config_set(cfg, opt, dot + 1, eq + 1, msg, sizeof msg) != ERR_OK) {
        fprintf(stderr, "kioskctl: %s\n", msg);
        return 0;
    }
    return 1;
}

static int open_store(struct ctl *c)
{
    char path[CONFIG_STR + 16];

    if (mkdir(c->cfg.state_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "kioskctl: cannot create %s: %s\n", c->cfg.state_dir,
                strerror(errno));
        return 0;
    }
    snprintf(path, sizeof path, "%s/kiosk.db", c->cfg.state_dir);
    if (store_open(path, &c->store) != ERR_OK) {
        fprintf(stderr, "kioskctl: cannot open the database %s\n", path);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    struct ctl c = { .store = NULL };
    char msg[300];
    int i = 1, rc;

    log_set_level(LOG_LVL_WARN);
    config_defaults(&c.cfg);
    if (argc > 2 && strcmp(argv[1], "--config") == 0) {
        if (config_load(argv[2], &c.cfg, msg, sizeof msg) != ERR_OK) {
            fprintf(stderr, "kioskctl: %s\n", msg);
            return 2;
        }
        i = 3;
    }
    for (; i + 1 < argc && strcmp(argv[i], "--set") == 0; i += 2)
        if (!set_option(&c.cfg, argv[i + 1]))
            return 2;
    if (i >= argc)
        return usage();
    if (!open_store(&c))
        return 2;
    rc = run_command(&c, argc - i, argv + i);
    store_close(c.store);
    return rc;
}
