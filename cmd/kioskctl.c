/* cmd/kioskctl.c - the technician's command line on the unit, and the
 * text-mode session used before a screen is attached. Every command works
 * on the same store the kiosk uses, through the same domain functions.
 * This file holds the member commands, the one command table (`help`
 * and `shell` use it too) and main; cmd/kioskctl_hub.c (the hub),
 * kioskctl_unit.c (the unit's state) and kioskctl_conf.c (writing the
 * config) hold the rest. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/cmd_table.h"
#include "cmd/kioskctl.h"
#include "firmware/config.h"
#include "firmware/controller.h"
#include "firmware/credential.h"
#include "base/log.h"
#include "firmware/service.h"
#include "firmware/store.h"
#include "firmware/store_salvage.h"
#include "firmware/summary.h"
#include "firmware/visit.h"

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
    [SERVICE_SERVED_MALFORMED] = "malformed served building/unit or ticket",
};

static int cmd_log(struct ctl *c, int argc, char **argv)
{
    struct service_request req = { 0 };
    enum service_refusal why;
    struct service_log l;
    struct stamp now;
    err_code e;

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

/* Table adapters: the handlers above keep their own signatures. */
static int run_scan(void *ctx, int argc, char **argv)
{
    (void)argc;
    return cmd_scan(ctx, argv[1]);
}

static int run_in(void *ctx, int argc, char **argv)
{
    (void)argc;
    return cmd_inout(ctx, argv[1], 1);
}

static int run_out(void *ctx, int argc, char **argv)
{
    (void)argc;
    return cmd_inout(ctx, argv[1], 0);
}

static int run_log(void *ctx, int argc, char **argv)
{
    return cmd_log(ctx, argc - 1, argv + 1);
}

static int run_record(void *ctx, int argc, char **argv)
{
    (void)argc;
    return cmd_record(ctx, argv[1]);
}

/* A technician has read status's salvage line: it stops showing. The
 * damaged file stays; deleting it is the technician's call. */
static int run_salvage_ack(void *ctx, int argc, char **argv)
{
    struct ctl *c = ctx;
    err_code e = store_salvage_ack(c->store);

    (void)argc;
    (void)argv;
    if (e == ERR_NOTFOUND) {
        printf("no salvage to acknowledge\n");
        return 0;
    }
    if (e != ERR_OK) {
        fprintf(stderr, "kioskctl: salvage-ack: %s\n", err_str(e));
        return 1;
    }
    printf("salvage acknowledged\n");
    return 0;
}

static int run_help(void *ctx, int argc, char **argv);
static int run_shell(void *ctx, int argc, char **argv);

/* Every command, in the order `kioskctl help` lists them. */
static const struct cmd_entry commands[] = {
    { "status", "", 0, 0, kctl_status,
      "version, ids, hub, queue, database, clock" },
    { "salvage-ack", "", 0, 0, run_salvage_ack,
      "a damaged database's salvage has been seen" },
    { "config", "", 0, 0, kctl_config, "the effective configuration" },
    { "show", "[MEMBER...]", 0, -1, kctl_show,
      "sync counters, members' logs (for scripts)" },
    { "scan", "CODE", 1, 1, run_scan, "a card or member number, as scanned" },
    { "in", "NO", 1, 1, run_in, "check a member in" },
    { "out", "NO", 1, 1, run_out, "check a member out" },
    { "log", "NO CATEGORY MINUTES [DAYS_AGO [NOTE]]", 3, 5, run_log,
      "log service for confirmation at the hub" },
    { "record", "NO", 1, 1, run_record, "a member's record" },
    { "enrol", "CODE", 1, 1, kctl_enrol,
      "enrol; the hub's ids go into --config FILE" },
    { "sync", "[--rounds N] [--batch N] [--pause-ms MS]", 0, 6, kctl_sync,
      "sync now (--rounds: failures tolerated)" },
    { "sync-worker", "", 0, 0, kctl_sync_worker,
      "the sync worker, until SIGINT or SIGTERM" },
    { "update", "BUNDLE|DIR|hub", 1, 1, kctl_update,
      "install a bundle file, a stick's, the hub's" },
    { "rollbacks", "", 0, 0, kctl_rollbacks,
      "queue the launcher's rollback records as events" },
    { "apply", "PAGE.json", 1, 1, kctl_apply,
      "apply a change page saved from the hub" },
    { "load-demo", "DIR [YYYY-MM-DD]", 1, 2, kctl_load_demo,
      "load the demo data (as of that day: screenshots)" },
    { "export", "DIR", 1, 1, kctl_export,
      "diagnostics and a database copy for a USB stick" },
    { "decommission", "--yes [--force]", 0, 2, kctl_decommission,
      "stop the kiosk; wipe key, cert, CA, database" },
    { "shell", "", 0, 0, run_shell, "the text session: one command a line" },
    { "help", "", 0, 0, run_help, "this list" },
    { NULL, NULL, 0, 0, NULL, NULL }
};

static void print_help(FILE *fp)
{
    fprintf(fp, "usage: kioskctl [--config FILE] [--set SECTION.KEY=VALUE]..."
            " COMMAND [ARG...]\ncommands:\n");
    cmd_print_usage(fp, commands);
}

static int run_help(void *ctx, int argc, char **argv)
{
    const struct ctl *c = ctx;

    (void)argc;
    (void)argv;
    if (c && c->in_shell)
        cmd_print_usage(stdout, commands);
    else
        print_help(stdout);
    return 0;
}

/* The text-mode session: each line runs through the same table. */
static int run_shell(void *ctx, int argc, char **argv)
{
    char line[CREDENTIAL_LINE_MAX + 2];
    struct ctl *c = ctx;

    (void)argc;
    (void)argv;
    if (c->in_shell) {
        printf("already in the text session\n");
        return 1;
    }
    c->in_shell = true;
    printf("kiosk text session: one command a line (help lists them),"
           " quit ends it\n");
    while (printf("> "), fflush(stdout), fgets(line, sizeof line, stdin)) {
        char *args[8], *save = NULL, *tok;
        int n = 0;

        for (tok = strtok_r(line, " \t\r\n", &save); tok && n < 8;
             tok = strtok_r(NULL, " \t\r\n", &save))
            args[n++] = tok;
        if (n > 0 && strcmp(args[0], "quit") == 0)
            break;
        if (n > 0)
            cmd_run("kioskctl", commands, c, n, args);
    }
    c->in_shell = false;
    return 0;
}

void kctl_state_path(const struct ctl *c, const char *name, char *out,
                     size_t cap)
{
    snprintf(out, cap, "%s/%s", c->cfg.state_dir, name);
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

int kctl_open_store(struct ctl *c)
{
    char path[CONFIG_STR + 16], comm[32] = "?";
    pid_t holder = 0;
    bool did = false;
    err_code e;

    if (mkdir(c->cfg.state_dir, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "kioskctl: cannot create %s: %s\n", c->cfg.state_dir,
                strerror(errno));
        return 0;
    }
    kctl_state_path(c, "kiosk.db", path, sizeof path);
    e = store_open_checked(path, false, &c->store, NULL);
    /* Damaged: salvaged here only when no kiosk has the file open (it
     * would go on writing to the damaged one); else its restart does. */
    if (e == ERR_CORRUPT && (holder = kctl_db_holder(c, comm,
                                                     sizeof comm)) == 0)
        e = store_open_checked(path, true, &c->store, &did);
    if (e == ERR_CORRUPT && holder != 0)
        fprintf(stderr, "kioskctl: the database %s is damaged and %s (pid"
                " %d) has it open: restart the kiosk, which keeps the"
                " damaged file and salvages it\n", path, comm, (int)holder);
    else if (e != ERR_OK)
        fprintf(stderr, "kioskctl: cannot open the database %s\n", path);
    if (did)
        fprintf(stderr, "kioskctl: the database %s was damaged and has been"
                " salvaged (kioskctl status says what was kept)\n", path);
    return e == ERR_OK;
}

int main(int argc, char **argv)
{
    struct ctl c = { .store = NULL };
    char msg[300];
    int i = 1, rc;

    log_set_level(LOG_LVL_WARN);
    signal(SIGPIPE, SIG_IGN);       /* a hub gone mid-write is an error */
    config_defaults(&c.cfg);
    if (argc > 2 && strcmp(argv[1], "--config") == 0) {
        if (config_load(argv[2], &c.cfg, msg, sizeof msg) != ERR_OK) {
            fprintf(stderr, "kioskctl: %s\n", msg);
            return 2;
        }
        c.config_path = argv[2];
        i = 3;
    }
    for (; i + 1 < argc && strcmp(argv[i], "--set") == 0; i += 2)
        if (!set_option(&c.cfg, argv[i + 1]))
            return 2;
    if (i >= argc) {
        print_help(stderr);
        return 2;
    }
    if (strcmp(argv[i], "help") == 0)   /* needs no database */
        return cmd_run("kioskctl", commands, &c, argc - i, argv + i);
    if (!kctl_open_store(&c))
        return 2;
    rc = cmd_run("kioskctl", commands, &c, argc - i, argv + i);
    store_close(c.store);
    return rc;
}
