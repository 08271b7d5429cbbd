/* cmd/hubctl_points.c - the points rules, the stars' categories and the
 * year-end awards from the command line; the rules themselves are in
 * hub/hub_points.c and hub/hub_awards.c. */
#include "cmd/hubctl_points.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pwd.h>
#include <unistd.h>

#include "hub/hub_awards.h"
#include "hub/hub_org.h"
#include "hub/hub_points.h"

/* Audited as every hubctl change is: hubctl:<login>. */
static const char *actor(void)
{
    static char a[96];
    const struct passwd *pw = getpwuid(getuid());
    snprintf(a, sizeof a, "hubctl:%s", pw ? pw->pw_name : "?");
    return a;
}

static int usage(void)
{
    fprintf(stderr, "usage: hubctl points rule set CATEGORY|post:ID --per30 N"
            " [--satisfied X] [--basic Y] [--unsatisfied Z] [--cap N]\n"
            "       hubctl points rules\n");
    return 2;
}

/* A whole number in [lo, hi]. */
static bool whole(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* A multiplier with at most two decimals ("1", "1.5", "0.75") in
 * hundredths: parsed by hand, so 1.15 is 115 on every machine. */
static bool hundredths(const char *s, int *out)
{
    long whole_part = 0, frac = 0;
    int digits = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9' && whole_part < 1000)
        whole_part = whole_part * 10 + (*p++ - '0');
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9' && digits < 2) {
            frac = frac * 10 + (*p++ - '0');
            digits++;
        }
        if (digits == 0)
            return false;
    }
    if (*p)
        return false;
    if (digits == 1)
        frac *= 10;
    long v = whole_part * 100 + frac;
    if (v > HUB_POINTS_PCT_MAX)
        return false;
    *out = (int)v;
    return true;
}

static int rule_set(struct hub_db *db, int argc, char **argv)
{
    struct hub_points_rule r = hub_points_default;
    bool per30 = false;
    if (argc < 1 || strlen(argv[0]) >= sizeof r.scope)
        return usage();
    snprintf(r.scope, sizeof r.scope, "%s", argv[0]);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = v != NULL;
        if (ok && strcmp(a, "--per30") == 0)
            ok = per30 = whole(v, 0, HUB_POINTS_PER30_MAX, &r.per30);
        else if (ok && strcmp(a, "--cap") == 0)
            ok = whole(v, 0, HUB_POINTS_PER30_MAX * HUB_POINTS_PCT_MAX, &r.cap);
        else if (ok && strcmp(a, "--satisfied") == 0)
            ok = hundredths(v, &r.satisfied);
        else if (ok && strcmp(a, "--basic") == 0)
            ok = hundredths(v, &r.basic);
        else if (ok && strcmp(a, "--unsatisfied") == 0)
            ok = hundredths(v, &r.unsatisfied);
        else
            return fprintf(stderr, "hubctl: points rule set: unknown %s\n",
                           a), usage();
        if (!ok)
            return fprintf(stderr, "hubctl: points rule set: bad %s %s"
                           " (--per30 0-%d, --cap 0-%d, multipliers 0-%d.%02d"
                           " with up to two decimals)\n", a, v ? v : "",
                           HUB_POINTS_PER30_MAX,
                           HUB_POINTS_PER30_MAX * HUB_POINTS_PCT_MAX,
                           HUB_POINTS_PCT_MAX / 100, HUB_POINTS_PCT_MAX % 100),
                   2;
        i++;
    }
    if (!per30)
        return fprintf(stderr, "hubctl: points rule set needs --per30\n"),
               usage();
    if (hub_points_rule_set_by(db, &r, actor(), stderr) != ERR_OK)
        return 1;
    printf("points rule of %s: %d per 30 minutes, satisfied x%d.%02d,"
           " basic x%d.%02d, unsatisfied x%d.%02d, cap %d%s; logs confirmed"
           " from now on count by it\n", r.scope, r.per30,
           r.satisfied / 100, r.satisfied % 100, r.basic / 100,
           r.basic % 100, r.unsatisfied / 100, r.unsatisfied % 100, r.cap,
           r.cap ? "" : " (none)");
    return 0;
}

int hubctl_points(struct hub_db *db, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[0], "rule") == 0 &&
        strcmp(argv[1], "set") == 0)
        return rule_set(db, argc - 2, argv + 2);
    if (argc == 1 && strcmp(argv[0], "rules") == 0)
        return hub_points_rules_csv(db, stdout) == ERR_OK ? 0 : 1;
    return usage();
}

int hubctl_stars_category(struct hub_db *db, int argc, char **argv)
{
    if (argc == 1)
        return hub_points_star_categories_csv(db, stdout) == ERR_OK ? 0 : 1;
    if (argc != 3)
        return fprintf(stderr, "usage: hubctl stars category"
                       " [CATEGORY STAR]\n"), 2;
    if (hub_points_star_category_set_by(db, argv[1], argv[2], actor(),
                                        stderr) != ERR_OK)
        return 1;
    const struct hub_star_kind *k = hub_star_kind_find(argv[2]);
    printf("logs of %s count for %s (%s) from the next computation\n",
           argv[1], k->zh, k->key);
    return 0;
}

int hubctl_awards(struct hub_db *db, int utc_offset, int argc, char **argv)
{
    struct hub_awards_opts o = { .posts = 2, .members = 10,
                                 .utc_offset_minutes = utc_offset };
    if (argc < 1 || !whole(argv[0], 2000, 2200, &o.year))
        return fprintf(stderr, "usage: hubctl awards YEAR [--posts N]"
                       " [--members N] (YEAR 2000-2200)\n"), 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[++i] : NULL;
        int *to = strcmp(a, "--posts") == 0 ? &o.posts
                : strcmp(a, "--members") == 0 ? &o.members : NULL;
        if (!to || !v || !whole(v, 0, HUB_AWARDS_MAX, to))
            return fprintf(stderr, "hubctl: awards: --posts N and --members N"
                           " (0-%d) only\n", HUB_AWARDS_MAX), 2;
    }
    int changes = 0;
    o.actor = actor();
    err_code e = hub_awards_run(db, &o, stdout, stderr, &changes);
    if (e != ERR_OK)
        return fprintf(stderr, "hubctl: awards: %s\n", err_str(e)), 1;
    fprintf(stderr, "awards of %d recorded: %d change(s) to the kiosks\n",
            o.year, changes);
    return 0;
}
