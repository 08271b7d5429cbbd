/* cmd/kiosk_launch.c - the kiosk's systemd service: starts the version
 * in the current slot, keeps a new one only once it reports healthy, and
 * rolls back by itself otherwise (firmware/update.h). Exits with the
 * kiosk's status so systemd's Restart= policy applies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/log.h"
#include "firmware/update.h"

static const char usage[] =
    "usage: kiosk-launch --root ROOT [--factory DIR] [--trial-ms N]\n"
    "                    [--max-boots N] [--db PATH] [-- KIOSK ARGS...]\n";

static int parse(int argc, char **argv, struct update_launch_opts *l)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(argv[i], "--") == 0)
            break;
        if (v == NULL)
            return -1;
        if (strcmp(argv[i], "--root") == 0)
            l->base.root = v;
        else if (strcmp(argv[i], "--factory") == 0)
            l->base.factory = v;
        else if (strcmp(argv[i], "--db") == 0)
            l->db_path = v;
        else if (strcmp(argv[i], "--trial-ms") == 0)
            l->trial_ms = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(argv[i], "--max-boots") == 0)
            l->max_boots = atoi(v);
        else
            return -1;
        i++;
    }
    l->args = i < argc ? argv + i + 1 : NULL;
    return l->base.root != NULL ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct update_launch_opts l;
    int status = 0;
    err_code e;

    memset(&l, 0, sizeof l);
    if (parse(argc, argv, &l) != 0) {
        fputs(usage, stderr);
        return 2;
    }
    e = update_launch(&l, &status);
    if (e != ERR_OK) {
        fprintf(stderr, "kiosk-launch: %s\n", err_str(e));
        return 1;
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
