/* cmd/hubctl_ledger.c - `hubctl ledger ...`: the issue ledger's steps
 * for staff (accept, assign, answer, a sign-off the reporter gave by
 * phone, a claim on a member's behalf), the types, listings and the
 * export. A command table runs them; each calls one hub/ function, so
 * the console and the CLI cannot disagree. */
#include "cmd/hubctl_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/cmd_table.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_ledger.h"

#define DAY_MS (24LL * 3600 * 1000)

struct ledger_cli {
    struct hub_db *db;
    const char    *by, *station, *state;
    bool           overdue;
    int            days;          /* assign: 0 keeps the type's deadline */
    int            utc_offset;
};

static int done(const char *ticket, err_code e, const char *why,
                const char *what)
{
    if (e == ERR_OK) {
        printf("%s: %s\n", ticket, what);
        return 0;
    }
    fprintf(stderr, "hubctl ledger: %s: %s\n", ticket,
            why ? why : err_str(e));
    return 1;
}

static int act(struct ledger_cli *c, const char *ticket,
               struct hub_ledger_act *a, const char *what)
{
    const char *why = NULL;
    if (!c->by && !a->actor) {
        fprintf(stderr, "hubctl ledger: say who with --by NAME\n");
        return 2;
    }
    if (!a->actor)
        a->actor = c->by;
    a->at = clock_wall_ms();
    /* Audited as the console's steps are, as `hubctl user` changes:
     * hubctl:<login>. */
    char actor[96];
    const struct passwd *pw = getpwuid(getuid());
    snprintf(actor, sizeof actor, "hubctl:%s", pw ? pw->pw_name : "?");
    a->audit = actor;
    err_code e = hub_db_ledger_act(c->db, ticket, a, &why);
    return done(ticket, e, why, what);
}

static int run_types(void *ctx, int argc, char **argv)
{
    struct ledger_cli *c = ctx;
    int n = 0;
    (void)argc;
    if (hub_ledger_types_load(c->db, argv[1], stderr, &n) != ERR_OK)
        return 1;
    printf("%d types loaded\n", n);
    return 0;
}

static int run_list(void *ctx, int argc, char **argv)
{
    struct ledger_cli *c = ctx;
    (void)argc;
    /* `claims`: the wishes, their claimers (assignee) and points. */
    const char *kind = strcmp(argv[0], "claims") == 0 ? "wish" : NULL;
    err_code e = hub_ledger_list(c->db, c->station, kind, c->state,
                                 c->overdue, clock_wall_ms(), c->utc_offset,
                                 stdout);
    if (e != ERR_OK)
        fprintf(stderr, "hubctl ledger list: %s\n", err_str(e));
    return e != ERR_OK;
}

static int run_show(void *ctx, int argc, char **argv)
{
    struct ledger_cli *c = ctx;
    (void)argc;
    err_code e = hub_ledger_show(c->db, argv[1], clock_wall_ms(),
                                 c->utc_offset, stdout);
    if (e != ERR_OK)
        return done(argv[1], e, e == ERR_NOTFOUND ? "unknown ticket" : NULL,
                    "");
    return 0;
}

static int run_accept(void *ctx, int argc, char **argv)
{
    struct hub_ledger_act a = { .step = LEDGER_STEP_ACCEPT };
    (void)argc;
    return act(ctx, argv[1], &a, "accepted (已受理)");
}

static int run_assign(void *ctx, int argc, char **argv)
{
    struct ledger_cli *c = ctx;
    struct hub_ledger_act a = { .step = LEDGER_STEP_ASSIGN, .to = argv[2] };
    (void)argc;
    if (c->days > 0)
        a.deadline_ms = clock_wall_ms() + c->days * DAY_MS;
    return act(c, argv[1], &a, "assigned (已交办)");
}

static int run_answer(void *ctx, int argc, char **argv)
{
    struct hub_ledger_act a = { .step = LEDGER_STEP_ANSWER, .text = argv[2] };
    (void)argc;
    return act(ctx, argv[1], &a, "answered (已答复)");
}

/* The reporter's sign-off given to staff (by phone, in person): 销号制
 * still holds, staff only record it. */
static int run_close(void *ctx, int argc, char **argv)
{
    bool yes = strcmp(argv[2], "satisfied") == 0;
    struct hub_ledger_act a = { .step = LEDGER_STEP_SIGNOFF,
                                .satisfied = yes,
                                .text = argc > 3 ? argv[3] : "" };
    if (!yes && strcmp(argv[2], "unsatisfied") != 0) {
        fprintf(stderr, "hubctl ledger close: satisfied or unsatisfied\n");
        return 2;
    }
    return act(ctx, argv[1], &a, yes ? "closed (已销号)"
                                     : "reopened (重新办理)");
}

static int run_claim(void *ctx, int argc, char **argv)
{
    struct hub_ledger_act a = { .step = LEDGER_STEP_ASSIGN, .to = argv[2],
                                .actor = argv[2] };
    (void)argc;
    return act(ctx, argv[1], &a, "claimed (已认领)");
}

static int run_export(void *ctx, int argc, char **argv)
{
    struct ledger_cli *c = ctx;
    (void)argc;
    err_code e = hub_ledger_export(c->db, argv[1], argv[2], argv[3],
                                   c->utc_offset, clock_wall_ms(), stdout);
    if (e == ERR_INVAL)
        fprintf(stderr, "hubctl ledger export: FROM and TO are"
                " YYYY-MM-DD, FROM first\n");
    return e != ERR_OK;
}

static int run_help(void *ctx, int argc, char **argv);

static const struct cmd_entry commands[] = {
    { "types", "FILE.json", 1, 1, run_types,
      "load the types of request and wish (names, presets, deadlines, points)" },
    { "list", "[--station S] [--state STATE] [--overdue]", 0, 0, run_list,
      "tickets as CSV, overdue flagged" },
    { "show", "TICKET", 1, 1, run_show,
      "one ticket for staff (callback phone included) and its trail" },
    { "accept", "TICKET --by WHO", 1, 1, run_accept, "已受理" },
    { "assign", "TICKET TO --by WHO [--days N]", 2, 2, run_assign,
      "已交办 to a grid leader, member or committee; deadline N days" },
    { "answer", "TICKET TEXT --by WHO", 2, 2, run_answer, "已答复" },
    { "close", "TICKET satisfied|unsatisfied [REASON] --by WHO", 2, 3,
      run_close, "the reporter's sign-off taken by phone: 销号 or 重新办理" },
    { "claim", "WISH MEMBER", 2, 2, run_claim,
      "a member's claim of a wish (认领), made at the hub" },
    { "claims", "[--station S] [--state STATE]", 0, 0, run_list,
      "the wishes, who claimed them (assignee) and their points (CSV)" },
    { "export", "STATION FROM TO", 3, 3, run_export,
      "per type: counts by state, overdue, hours to accept/answer,"
      " satisfaction (CSV)" },
    { "help", "", 0, 0, run_help, "this list" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

static int run_help(void *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    fputs("hubctl ledger COMMAND:\n", stdout);
    cmd_print_usage(stdout, commands);
    return 0;
}

int hubctl_ledger(struct hub_db *db, int utc_offset, int argc, char **argv)
{
    struct ledger_cli c = { .db = db, .utc_offset = utc_offset };
    char **words = calloc((size_t)argc + 1, sizeof *words);
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--by") == 0 && v)
            c.by = argv[++i];
        else if (strcmp(a, "--station") == 0 && v)
            c.station = argv[++i];
        else if (strcmp(a, "--state") == 0 && v)
            c.state = argv[++i];
        else if (strcmp(a, "--days") == 0 && v)
            c.days = atoi(argv[++i]);
        else if (strcmp(a, "--utc-offset") == 0 && v)
            c.utc_offset = atoi(argv[++i]);
        else if (strcmp(a, "--overdue") == 0)
            c.overdue = true;
        else
            words[n++] = argv[i];
    }
    int rc = n == 0 ? (run_help(NULL, 0, NULL), 2)
                    : cmd_run("hubctl ledger", commands, &c, n, words);
    free(words);
    return rc;
}
