/* base/cmd_table.c - lookup, argument count and usage for a command table. */
#include "base/cmd_table.h"

#include <string.h>

const struct cmd_entry *cmd_find(const struct cmd_entry *table,
                                 const char *name)
{
    for (const struct cmd_entry *c = table; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static void print_one(FILE *fp, const struct cmd_entry *c)
{
    char head[64];

    snprintf(head, sizeof head, "%s%s%s", c->name, c->args[0] ? " " : "",
             c->args);
    if (strlen(head) < 30)
        fprintf(fp, "  %-30s %s\n", head, c->help);
    else
        fprintf(fp, "  %s\n  %-30s %s\n", head, "", c->help);
}

int cmd_run(const char *prog, const struct cmd_entry *table, void *ctx,
            int argc, char **argv)
{
    const struct cmd_entry *c = argc > 0 ? cmd_find(table, argv[0]) : NULL;
    int n = argc - 1;

    if (c == NULL) {
        fprintf(stderr, "%s: unknown command: %s (try `%s help`)\n", prog,
                argc > 0 ? argv[0] : "", prog);
        return 2;
    }
    if (n < c->min_args || (c->max_args >= 0 && n > c->max_args)) {
        fprintf(stderr, "%s: wrong arguments; usage:\n", prog);
        print_one(stderr, c);
        return 2;
    }
    return c->run(ctx, argc, argv);
}

void cmd_print_usage(FILE *fp, const struct cmd_entry *table)
{
    for (const struct cmd_entry *c = table; c->name; c++)
        print_one(fp, c);
}
