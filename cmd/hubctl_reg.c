/* cmd/hubctl_reg.c - 双报到 for staff: the hub's work units, the hub
 * settings kiosks follow, and the registration reports. Each calls one
 * hub/hub_reg.c function, so the console and the CLI cannot disagree. */
#include "cmd/hubctl_reg.h"

#include <stdio.h>
#include <string.h>

#include "hub/hub_reg.h"

/* Options this file knows, taken out of argv (the rest shift down);
 * false (reported) when one lacks its value or is unknown. */
struct reg_opts {
    const char *paired, *by, *from, *to, *community, *unit;
};

static bool take_opts(int *argc, char **argv, struct reg_opts *o)
{
    static const char *const names[] = { "--paired-community", "--by",
        "--from", "--to", "--community", "--unit" };
    const char **slot[] = { &o->paired, &o->by, &o->from, &o->to,
                            &o->community, &o->unit };
    int n = 0;
    memset(o, 0, sizeof *o);
    for (int i = 0; i < *argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0) {
            argv[n++] = argv[i];
            continue;
        }
        size_t k = 0;
        while (k < sizeof names / sizeof names[0] &&
               strcmp(argv[i], names[k]) != 0)
            k++;
        if (k == sizeof names / sizeof names[0] || i + 1 >= *argc) {
            fprintf(stderr, "hubctl: %s: unknown option or no value\n",
                    argv[i]);
            return false;
        }
        *slot[k] = argv[++i];
    }
    *argc = n;
    return true;
}

static int unit_usage(void)
{
    fputs("usage: hubctl unit add CODE NAME [--paired-community C]\n"
          "       hubctl unit list\n"
          "       hubctl unit rm CODE\n", stderr);
    return 2;
}

int hubctl_unit(struct hub_db *db, int argc, char **argv)
{
    struct reg_opts o;
    if (!take_opts(&argc, argv, &o))
        return 2;
    if (argc == 4 && strcmp(argv[1], "add") == 0) {
        if (hub_unit_add(db, argv[2], argv[3], o.paired, stderr) != ERR_OK)
            return 1;
        printf("unit %s: %s\n", argv[2], argv[3]);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "list") == 0)
        return hub_unit_list(db, stdout) != ERR_OK;
    if (argc == 3 && strcmp(argv[1], "rm") == 0) {
        if (hub_unit_rm(db, argv[2], stderr) != ERR_OK)
            return 1;
        printf("unit %s removed\n", argv[2]);
        return 0;
    }
    return unit_usage();
}

int hubctl_setting(struct hub_db *db, int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fputs("usage: hubctl setting " HUB_SETTING_CROSS_STATION
              " [on|off]\n", stderr);
        return 2;
    }
    return hub_setting_cli(db, argv[1], argc == 3 ? argv[2] : NULL, stdout,
                           stderr) != ERR_OK;
}

int hubctl_report_reg(struct hub_db *db, int utc_offset, int argc,
                      char **argv)
{
    struct reg_opts o;
    if (!take_opts(&argc, argv, &o))
        return 2;
    if (argc == 2 && strcmp(argv[1], "registration") == 0)
        return hub_report_registration(db, o.by, o.from, o.to, utc_offset,
                                       stdout, stderr) != ERR_OK;
    if (argc == 2 && strcmp(argv[1], "unregistered") == 0)
        return hub_report_unregistered(db, o.community, o.unit, stdout)
               != ERR_OK;
    fputs("usage: hubctl report registration [--by community|unit]"
          " [--from YYYY-MM-DD --to YYYY-MM-DD]\n"
          "       hubctl report unregistered [--community C|--unit U]\n",
          stderr);
    return 2;
}
