/* base/cmd_table.h - one shape for a CLI's commands (as tmux's cmd_entry):
 * a table of {name, usage, minimum and maximum arguments, handler, help},
 * looked up by name, with the usage text printed from the same table so
 * the help can never disagree with what runs. kioskctl and hubctl use it. */
#ifndef CMD_TABLE_H
#define CMD_TABLE_H

#include <stdio.h>

struct cmd_entry {
    const char *name;       /* "sync" */
    const char *args;       /* "CODE" or "" : shown after the name */
    int         min_args;   /* arguments after the name */
    int         max_args;   /* -1: any number */
    /* argv[0] is the command's name; the result is the exit status. */
    int       (*run)(void *ctx, int argc, char **argv);
    const char *help;       /* one line */
};

/* The entry named `name` in a table ending with a {NULL} entry; NULL when
 * there is none. */
const struct cmd_entry *cmd_find(const struct cmd_entry *table,
                                 const char *name);

/* Run argv[0] from the table. An unknown name or a wrong number of
 * arguments prints "PROG: ..." and that command's usage line to stderr
 * and returns 2. */
int cmd_run(const char *prog, const struct cmd_entry *table, void *ctx,
            int argc, char **argv);

/* "  name ARGS   help" for every entry, aligned, to fp. */
void cmd_print_usage(FILE *fp, const struct cmd_entry *table);

#endif
