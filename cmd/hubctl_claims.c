/* cmd/hubctl_claims.c - staff deciding members' claims of posts (认岗)
 * and swaps (互换岗位): list the pending ones, approve, decline with a
 * reason. The arguments only: every rule is hub/hub_claims.c's. */
#include "cmd/hubctl_claims.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "hub/hub_claims.h"

static int usage(const char *kind)
{
    fprintf(stderr, "usage: hubctl %ss [--station S]\n"
            "       hubctl %s approve ID [--by WHO]\n"
            "       hubctl %s decline ID --reason TEXT [--by WHO]\n",
            kind, kind, kind);
    return 2;
}

int hubctl_claims(struct hub_db *db, const char *station, int utc_offset,
                  int argc, char **argv)
{
    const char *kind = strncmp(argv[0], "swap", 4) == 0 ? "swap" : "claim";
    const char *reason = NULL, *by = NULL, *words[3] = { 0 };
    int n = 0;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--reason") == 0 && v)
            reason = argv[++i];
        else if (strcmp(argv[i], "--by") == 0 && v)
            by = argv[++i];
        else if (n < 3)
            words[n++] = argv[i];
        else
            return usage(kind);
    }
    if (argv[0][strlen(argv[0]) - 1] == 's') {       /* claims, swaps */
        if (n != 0)
            return usage(kind);
        err_code e = hub_claims_list(db, kind, station, utc_offset, stdout);
        if (e != ERR_OK)
            fprintf(stderr, "hubctl %ss: %s\n", kind, err_str(e));
        return e != ERR_OK;
    }
    bool approve = n == 2 && strcmp(words[0], "approve") == 0;
    char *end;
    long long id = n == 2 ? strtoll(words[1], &end, 10) : 0;
    if (n != 2 || (!approve && strcmp(words[0], "decline") != 0) ||
        *words[1] == '\0' || *end || id <= 0)
        return usage(kind);
    char why[320], actor[96];
    /* Audited as the other hubctl changes are: hubctl:<login>. */
    const struct passwd *pw = getpwuid(getuid());
    snprintf(actor, sizeof actor, "hubctl:%s", pw ? pw->pw_name : "?");
    err_code e = hub_claim_decide_audited(db, kind, id, approve, reason, by,
                                          actor, clock_wall_ms(), why,
                                          sizeof why);
    if (e != ERR_OK) {
        fprintf(stderr, "hubctl %s: %s\n", kind, why[0] ? why : err_str(e));
        return 1;
    }
    printf("%s %lld: %s\n", kind, id, approve ? "approved" : "declined");
    return 0;
}
