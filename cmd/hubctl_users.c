/* cmd/hubctl_users.c - accounts and hierarchy from the command line, for
 * scripting (docs/console.md):
 *   hubctl org add district|street|community ID NAME [--parent ID]
 *   hubctl org list
 *   hubctl station place STATION COMMUNITY
 *   hubctl user add NAME --role R [--scope NODE] [--editor|--viewer]
 *   hubctl user passwd NAME | disable NAME | enable NAME
 *   hubctl user role NAME --role R [--scope NODE] [--editor|--viewer]
 *   hubctl user list
 * Passwords are read from stdin (one line), or prompted for twice without
 * echo on a terminal; never from the command line (ps would show it).
 * Every change is audited as "hubctl:<login>". */
#include "cmd/hubctl_users.h"

#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/cmd_table.h"
#include "hub/hub_db_users.h"
#include "hub/hub_users.h"

struct uctx {
    struct hub_db *db;
    const char    *role, *scope, *parent;
    int            editor;            /* -1: the role's default */
    char           actor[96];
};

static int done(err_code e, const char *msg, const char *what)
{
    if (e == ERR_OK)
        return 0;
    fprintf(stderr, "hubctl: %s: %s\n", what, msg[0] ? msg : err_str(e));
    return 1;
}

/* One line of stdin, or a prompt twice without echo on a terminal. */
static bool read_password(char *out, size_t cap)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    for (int round = 0; round < (tty ? 2 : 1); round++) {
        char line[HUB_PW_MAX + 8];
        if (tty) {
            fputs(round ? "again: " : "password: ", stderr);
            tcgetattr(STDIN_FILENO, &old);
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        bool got = fgets(line, sizeof line, stdin) != NULL;
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
            fputc('\n', stderr);
        }
        if (!got)
            return false;
        line[strcspn(line, "\r\n")] = '\0';
        if (round == 0) {
            snprintf(out, cap, "%s", line);
        } else if (strcmp(out, line) != 0) {
            fputs("hubctl: the passwords differ\n", stderr);
            return false;
        }
        memset(line, 0, sizeof line);
    }
    return true;
}

static int run_org_add(void *ctx, int argc, char **argv)
{
    struct uctx *u = ctx;
    char msg[160] = "";
    (void)argc;
    return done(hub_org_add(u->db, u->actor, argv[1], argv[2], argv[3],
                            u->parent ? u->parent : "", msg, sizeof msg),
                msg, "org add");
}

static void org_row(void *ctx, const struct hub_org_row *r)
{
    (void)ctx;
    printf("%s\t%s\t%s\t%s\n", r->kind, r->id, r->parent[0] ? r->parent : "-",
           r->name);
}

static int run_org_list(void *ctx, int argc, char **argv)
{
    struct uctx *u = ctx;
    (void)argc;
    (void)argv;
    printf("kind\tid\tparent\tname\n");
    char msg[1] = "";
    return done(hub_db_org_each(u->db, org_row, NULL), msg, "org list");
}

static int run_place(void *ctx, int argc, char **argv)
{
    struct uctx *u = ctx;
    char msg[160] = "";
    (void)argc;
    return done(hub_station_place(u->db, u->actor, argv[1], argv[2], msg,
                                  sizeof msg), msg, "station place");
}

static int run_user_add(void *ctx, int argc, char **argv)
{
    struct uctx *u = ctx;
    char msg[160] = "", pw[HUB_PW_MAX + 8];
    (void)argc;
    if (!u->role)
        return fputs("hubctl: user add NAME --role R [--scope NODE]\n",
                     stderr), 2;
    if (!read_password(pw, sizeof pw))
        return fputs("hubctl: no password read\n", stderr), 1;
    err_code e = hub_user_add(u->db, u->actor, argv[1], u->role, u->scope,
                              u->editor, pw, msg, sizeof msg);
    memset(pw, 0, sizeof pw);
    return done(e, msg, "user add");
}

static int run_user_passwd(void *ctx, int argc, char **argv)
{
    struct uctx *u = ctx;
    char msg[160] = "", pw[HUB_PW_MAX + 8];
    (void)argc;
    if (!read_password(pw, sizeof pw))
        return fputs("hubctl: no password read\n", stderr), 1;
    err_code e = hub_user_passwd(u->db, u->actor, argv[1], pw, msg, sizeof msg);
    memset(pw, 0, sizeof pw);
    return done(e, msg, "user passwd");
}

static int run_user_disable(void *ctx, int argc, char **argv)
{
    struct uctx *u = ctx;
    char msg[160] = "";
    (void)argc;
    bool off = strcmp(argv[0], "disable") == 0;
    return done(hub_user_disable(u->db, u->actor, argv[1], off, msg,
                                 sizeof msg), msg, off ? "user disable"
                                                      : "user enable");
}

static int run_user_role(void *ctx, int argc, char **argv)
{
    struct uctx *u = ctx;
    char msg[160] = "";
    (void)argc;
    if (!u->role)
        return fputs("hubctl: user role NAME --role R [--scope NODE]\n",
                     stderr), 2;
    return done(hub_user_role(u->db, u->actor, argv[1], u->role, u->scope,
                              u->editor, msg, sizeof msg), msg, "user role");
}

static void user_row(void *ctx, const struct hub_user_row *r)
{
    int64_t now = *(const int64_t *)ctx;
    printf("%s\t%s\t%s\t%s\t%s\n", r->name, r->role,
           r->scope[0] ? r->scope : "-", r->editor ? "editor" : "viewer",
           r->disabled ? "disabled"
           : r->locked_until_ms > now ? "locked" : "active");
}

static int run_user_list(void *ctx, int argc, char **argv)
{
    struct uctx *u = ctx;
    (void)argc;
    (void)argv;
    int64_t now = hub_now_ms();
    printf("name\trole\tscope\taccess\tstate\n");
    char msg[1] = "";
    return done(hub_db_user_each(u->db, user_row, &now), msg, "user list");
}

static const struct cmd_entry org_commands[] = {
    { "add", "district|street|community ID NAME [--parent ID]", 3, 3,
      run_org_add, "a node of the hierarchy (a street's parent is a"
      " district, a community's a street)" },
    { "list", "", 0, 0, run_org_list, "every node (TSV)" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

static const struct cmd_entry station_commands[] = {
    { "place", "STATION COMMUNITY", 2, 2, run_place,
      "put a station in a community" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

static const struct cmd_entry user_commands[] = {
    { "add", "NAME --role R [--scope NODE] [--editor|--viewer]", 1, 1,
      run_user_add, "a console account; the password from stdin" },
    { "passwd", "NAME", 1, 1, run_user_passwd,
      "a new password from stdin (ends its sessions, lifts a lockout)" },
    { "disable", "NAME", 1, 1, run_user_disable,
      "refuse the account's logins and end its sessions" },
    { "enable", "NAME", 1, 1, run_user_disable, "allow it again" },
    { "role", "NAME --role R [--scope NODE] [--editor|--viewer]", 1, 1,
      run_user_role, "change its role and scope" },
    { "list", "", 0, 0, run_user_list, "every account (TSV)" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

int hubctl_users(struct hub_db *db, int argc, char **argv)
{
    struct uctx u = { .db = db, .editor = -1 };
    const struct passwd *pw = getpwuid(getuid());
    snprintf(u.actor, sizeof u.actor, "hubctl:%s", pw ? pw->pw_name : "?");
    char *words[32];
    int n = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--role") == 0 && v)
            u.role = argv[++i];
        else if (strcmp(a, "--scope") == 0 && v)
            u.scope = argv[++i];
        else if (strcmp(a, "--parent") == 0 && v)
            u.parent = argv[++i];
        else if (strcmp(a, "--editor") == 0)
            u.editor = 1;
        else if (strcmp(a, "--viewer") == 0)
            u.editor = 0;
        else if (a[0] == '-' && a[1] == '-')
            return fprintf(stderr, "hubctl: unknown option %s\n", a), 2;
        else if (n < 32)
            words[n++] = argv[i];
    }
    const struct cmd_entry *t = strcmp(words[0], "org") == 0 ? org_commands
                              : strcmp(words[0], "station") == 0
                                ? station_commands : user_commands;
    char prog[32];
    snprintf(prog, sizeof prog, "hubctl %s", words[0]);
    if (n < 2)
        return fprintf(stderr, "usage:\n"), cmd_print_usage(stderr, t), 2;
    return cmd_run(prog, t, &u, n - 1, words + 1);
}

void hubctl_users_usage(FILE *fp)
{
    fputs("hubctl org COMMAND:\n", fp);
    cmd_print_usage(fp, org_commands);
    fputs("hubctl station COMMAND:\n", fp);
    cmd_print_usage(fp, station_commands);
    fputs("hubctl user COMMAND (the web console's accounts):\n", fp);
    cmd_print_usage(fp, user_commands);
}
