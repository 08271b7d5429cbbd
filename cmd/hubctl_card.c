/* cmd/hubctl_card.c - the card office's commands, `hubctl card ...`:
 * make and rotate the credential key, issue cards (one member or a whole
 * roster, as QR PNGs and a printable sheet), revoke them, and print or
 * publish the change entries that carry keys and revocations to kiosks.
 * A command table (base/cmd_table.h) runs them and prints their usage.
 * Part of hub_card; must not: know the hub's database (publishing is the
 * caller's hook). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/cmd_table.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_card.h"
#include "hub/hub_card_office.h"

#define ROSTER_LINE 1024
#define ROSTER_MAX 100000

struct opts {
    const char *dir;
    const char *from, *to;          /* YYYY-MM-DD */
    int         days;               /* validity when --to is absent */
    int         overlap_days;       /* -1: until the last card expires */
    int         utc_offset;         /* minutes, for "today" */
    const char *png;
    const char *cursor;
    char        kind;
};

/* What every command gets: the card state, the options, and where keys
 * and revocations go after a change (fn NULL: nowhere). */
struct card_cli {
    struct hub_card    *h;
    struct opts         o;
    hub_card_publish_fn fn;
    void               *ctx;
    hub_card_record_fn  rec;        /* each card signed (NULL: none) */
    void               *rec_ctx;
};

static int recorded(const struct card_cli *cc, const struct card *c,
                    const char *text)
{
    if (cc->rec == NULL || cc->rec(cc->rec_ctx, c, text) == ERR_OK)
        return 1;
    fprintf(stderr, "card: signed but not recorded in the hub's store\n");
    return 0;
}

static int64_t now_ms(void)
{
    return clock_wall_ms();
}

/* The validity window from the options: today (in the station's time)
 * for `days` days unless given. */
static int window(const struct opts *o, int64_t *from, int64_t *to)
{
    int64_t local = now_ms() + (int64_t)o->utc_offset * 60000;

    *from = local / HUB_CARD_DAY_MS;
    if (o->from && card_parse_ymd(o->from, from) != ERR_OK) {
        fprintf(stderr, "card: --from wants YYYY-MM-DD\n");
        return 0;
    }
    *to = *from + o->days - 1;
    if (o->to && card_parse_ymd(o->to, to) != ERR_OK) {
        fprintf(stderr, "card: --to wants YYYY-MM-DD\n");
        return 0;
    }
    return 1;
}

static int kind_ok(char k)
{
    return k == CARD_MEMBER || k == CARD_REGISTRATION || k == CARD_TECHNICIAN;
}

static int card_issue(void *ctx, int argc, char **argv)
{
    struct card_cli *cc = ctx;
    const struct opts *o = &cc->o;
    struct hub_card_request rq = { .id = argv[2], .scope = argv[3] };
    char text[CARD_TEXT_MAX + 1];
    struct card c;

    (void)argc;
    if (strlen(argv[1]) != 1 || !kind_ok(argv[1][0])) {
        fprintf(stderr, "card: kind is M (member), R (registration) "
                "or T (technician)\n");
        return 2;
    }
    rq.kind = (enum card_kind)argv[1][0];
    if (!window(o, &rq.issued_day, &rq.expires_day))
        return 2;
    if (hub_card_issue(cc->h, &rq, text, sizeof text, &c) != ERR_OK) {
        fprintf(stderr, "card: cannot issue (bad id, scope or dates, "
                "or no key: run init)\n");
        return 1;
    }
    if (!recorded(cc, &c, text))
        return 1;
    if (o->png && hub_card_qr_png(text, 8, o->png) != ERR_OK)
        return 1;
    printf("%s\n", text);
    return 0;
}

struct roster_row {
    char       member_no[CARD_ID_MAX + 1];
    char       name[128];
    char       station[CARD_SCOPE_MAX + 1];
    char       png[CARD_ID_MAX + 8];
    struct card card;
};

/* member_no,name,phone,community,station; fields hold no commas. */
static int roster_row_parse(char *line, struct roster_row *r)
{
    char *f[5], *save = NULL;
    int n = 0;

    line[strcspn(line, "\r\n")] = '\0';
    for (char *t = strtok_r(line, ",", &save); t && n < 5;
         t = strtok_r(NULL, ",", &save))
        f[n++] = t;
    if (n != 5 || str_copy(r->member_no, sizeof r->member_no, f[0]) ||
        str_copy(r->station, sizeof r->station, f[4]))
        return 0;
    str_copy(r->name, sizeof r->name, f[1]);
    snprintf(r->png, sizeof r->png, "%s.png", r->member_no);
    return 1;
}

static int issue_row(const struct card_cli *cc, const char *outdir,
                     struct roster_row *r, FILE *list)
{
    struct hub_card *h = cc->h;
    const struct opts *o = &cc->o;
    struct hub_card_request rq = { .kind = (enum card_kind)o->kind,
                                   .id = r->member_no,
                                   .scope = r->station };
    char text[CARD_TEXT_MAX + 1], path[1024];

    if (!window(o, &rq.issued_day, &rq.expires_day) ||
        hub_card_issue(h, &rq, text, sizeof text, &r->card) != ERR_OK) {
        fprintf(stderr, "card: cannot issue a card for %s\n",
                r->member_no);
        return 0;
    }
    if (!recorded(cc, &r->card, text))
        return 0;
    snprintf(path, sizeof path, "%s/%s", outdir, r->png);
    if (hub_card_qr_png(text, 8, path) != ERR_OK)
        return 0;
    fprintf(list, "%s %s\n", r->member_no, text);
    return 1;
}

static int card_roster(void *ctx, int argc, char **argv)
{
    struct card_cli *cc = ctx;
    const char *csv = argv[1], *outdir = argv[2];
    FILE *in = fopen(csv, "r"), *list;
    struct roster_row *rows = NULL;
    struct hub_card_print *items;
    char line[ROSTER_LINE], path[1024];
    size_t n = 0, cap = 0;
    int ok = 1;

    (void)argc;
    snprintf(path, sizeof path, "%s/cards.txt", outdir);
    list = in ? fopen(path, "w") : NULL;
    if (list == NULL) {
        fprintf(stderr, "card: cannot read %s or write %s\n", csv, path);
        if (in)
            fclose(in);
        return 1;
    }
    while (ok && fgets(line, sizeof line, in) && n < ROSTER_MAX) {
        if (strncmp(line, "member_no,", 10) == 0 || line[0] == '\n')
            continue;               /* the header, blank lines */
        if (n == cap)
            rows = xrealloc(rows, (cap = cap ? cap * 2 : 64) * sizeof *rows);
        ok = roster_row_parse(line, &rows[n]) &&
             issue_row(cc, outdir, &rows[n], list);
        n++;
    }
    fclose(in);
    ok = (fclose(list) == 0) && ok;
    items = xcalloc(n + 1, sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = (struct hub_card_print){ rows[i].member_no, rows[i].name,
                                            rows[i].png, &rows[i].card };
    snprintf(path, sizeof path, "%s/sheet.html", outdir);
    if (ok)
        ok = hub_card_sheet_html(path, "Member cards", items, n) == ERR_OK;
    if (ok)
        printf("%zu cards in %s (sheet.html, cards.txt)\n", n, outdir);
    free(items);
    free(rows);
    return ok ? 0 : 1;
}

static int card_page(void *ctx, int argc, char **argv)
{
    struct card_cli *cc = ctx;
    char *page = hub_card_page_json(cc->h, cc->o.cursor, now_ms());

    (void)argc;
    (void)argv;
    printf("%s\n", page);
    free(page);
    return 0;
}

/* After a change of keys or revocations, hand every entry to the feed:
 * puts are idempotent, so republishing all of them is harmless. */
static int publish(const struct card_cli *cc)
{
    if (cc->fn == NULL || hub_card_publish(cc->h, cc->fn, cc->ctx) == ERR_OK)
        return 0;
    fprintf(stderr, "card: could not publish to the change feed\n");
    return 1;
}

static int card_init(void *ctx, int argc, char **argv)
{
    struct card_cli *cc = ctx;
    char kid[CARD_KID_MAX + 1];

    (void)argc;
    (void)argv;
    if (hub_card_init_key(cc->h, kid) != ERR_OK)
        return 1;
    printf("%s\n", kid);
    return publish(cc);
}

static int card_rotate(void *ctx, int argc, char **argv)
{
    struct card_cli *cc = ctx;
    char kid[CARD_KID_MAX + 1];

    (void)argc;
    (void)argv;
    if (hub_card_rotate(cc->h, now_ms(), cc->o.overlap_days, kid) != ERR_OK)
        return 1;
    printf("%s\n", kid);
    return publish(cc);
}

static int card_revoke(void *ctx, int argc, char **argv)
{
    struct card_cli *cc = ctx;

    (void)argc;
    if (hub_card_revoke(cc->h, argv[1], now_ms()) != ERR_OK)
        return 1;
    return publish(cc);
}

static int card_help(void *ctx, int argc, char **argv);

static const struct cmd_entry card_commands[] = {
    { "init", "", 0, 0, card_init, "make the first credential key" },
    { "rotate", "[--overlap-days N]", 0, 0, card_rotate,
      "new key; the old one stays till its cards end" },
    { "issue", "KIND ID SCOPE [--from D] [--to D | --days N] [--png FILE]",
      3, 3, card_issue,
      "KIND M, R (报到) or T; SCOPE id, 'pre*' or '*'" },
    { "roster", "ROSTER.csv OUTDIR [--kind M|R] [--days N]", 2, 2,
      card_roster, "OUTDIR/NO.png each, sheet.html, cards.txt" },
    { "revoke", "CARD_ID", 1, 1, card_revoke, "e.g. M.HQ0001.1" },
    { "page", "[--cursor C]", 0, 0, card_page,
      "print the change page of keys and revocations" },
    { "help", "", 0, 0, card_help, "this list" },
    { NULL, NULL, 0, 0, NULL, NULL },
};

static void usage_to(FILE *fp)
{
    fprintf(fp, "usage: hubctl [-d DIR] card COMMAND [options]\n");
    cmd_print_usage(fp, card_commands);
    fprintf(fp, "options: --utc-offset MIN (default 480); --dir CARDS_DIR:"
            " the card state\n  there, without the hub's database (nothing"
            " published: use page)\n");
}

static int card_help(void *ctx, int argc, char **argv)
{
    (void)ctx;
    (void)argc;
    (void)argv;
    usage_to(stdout);
    return 0;
}

static int usage(void)
{
    usage_to(stderr);
    return 2;
}

/* Options may come anywhere; what is left are the command and its
 * arguments, moved to the front of argv. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    int n = 0;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (strncmp(a, "--", 2) != 0) {
            argv[n++] = argv[i];
            continue;
        }
        if (v == NULL)
            return -1;
        i++;
        if (strcmp(a, "--dir") == 0)               o->dir = v;
        else if (strcmp(a, "--from") == 0)         o->from = v;
        else if (strcmp(a, "--to") == 0)           o->to = v;
        else if (strcmp(a, "--days") == 0)         o->days = atoi(v);
        else if (strcmp(a, "--overlap-days") == 0) o->overlap_days = atoi(v);
        else if (strcmp(a, "--utc-offset") == 0)   o->utc_offset = atoi(v);
        else if (strcmp(a, "--png") == 0)          o->png = v;
        else if (strcmp(a, "--cursor") == 0)       o->cursor = v;
        else if (strcmp(a, "--kind") == 0)         o->kind = v[0];
        else
            return -1;
    }
    return n;
}

int hub_card_cli(const char *dir, int argc, char **argv,
                 hub_card_publish_fn fn, void *ctx)
{
    return hub_card_cli_ex(dir, argc, argv, fn, ctx, NULL, NULL);
}

int hub_card_cli_ex(const char *dir, int argc, char **argv,
                    hub_card_publish_fn fn, void *ctx,
                    hub_card_record_fn rec, void *rec_ctx)
{
    struct card_cli cc = { .fn = fn, .ctx = ctx, .rec = rec,
                           .rec_ctx = rec_ctx,
                           .o = { .dir = dir, .days = 365,
                                  .overlap_days = -1, .utc_offset = 480,
                                  .cursor = "cards", .kind = 'M' } };
    const struct opts *o = &cc.o;
    int n = parse_opts(argc, argv, &cc.o), rc;

    if (n < 0 || o->days < 1 || o->days > 3660 || !kind_ok(o->kind))
        return usage();
    const struct cmd_entry *c = n > 0 ? cmd_find(card_commands, argv[0])
                                      : NULL;
    if (c == NULL || c->run == card_help)
        return n == 0 ? usage()
                      : cmd_run("hubctl card", card_commands, &cc, n, argv);
    if (o->dir == NULL)
        return usage();
    /* The card office's lock (hub/hub_card_office.h): hubd's console may
     * issue or revoke at the same moment; whoever comes second waits and
     * then reads the state the first one wrote. */
    int lock = hub_card_lock(o->dir);
    if (lock < 0 || hub_card_open(o->dir, &cc.h) != ERR_OK) {
        fprintf(stderr, "card: cannot open the card state in %s\n", o->dir);
        hub_card_unlock(lock);
        return 1;
    }
    rc = cmd_run("hubctl card", card_commands, &cc, n, argv);
    hub_card_close(cc.h);
    hub_card_unlock(lock);
    return rc;
}
