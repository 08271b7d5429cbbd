/* bench/bench_card.c - how long the kiosk takes to check one scanned card
 * (credential_check with the UI's long-lived checker: key and revocation
 * lookups in the store, parsing, SHA-256 and the ECDSA verify), against
 * the floor measured in the same run: one raw ECDSA P-256 verify of a
 * precomputed hash with a parsed key. They alternate, one of each per
 * round, so drift in the machine's speed hits both alike. Median of
 * 1,000 each, and the ratio; the one-off path (credential_parse, which
 * sets the key up again every time, as kioskctl does) is shown too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "firmware/credential.h"
#include "base/log.h"
#include "firmware/store_card.h"
#include "base/xmalloc.h"
#include "hub/hub_card.h"
#include "sync/proto.h"

#define RUNS 1000

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v)
{
    qsort(v, RUNS, sizeof *v, cmp);
    return v[RUNS / 2];
}

/* A kiosk store that knows the hub's key, and a card from that hub. */
static int prepare(const char *dir, struct store **st, struct hub_card **h,
                   char *card, struct stamp *now)
{
    struct hub_card_request rq = { CARD_MEMBER, "HQ0001", "bench-station",
                                   0, 0 };
    char path[600], kid[CARD_KID_MAX + 1], *page, cursor[PROTO_CURSOR_MAX];
    struct change_page cp;
    struct card c;
    bool more;
    err_code e;

    clock_now(now);
    rq.issued_day = now->wall_ms / HUB_CARD_DAY_MS - 1;
    rq.expires_day = rq.issued_day + 365;
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    if (store_open(path, st) != ERR_OK)
        return 0;
    snprintf(path, sizeof path, "%s/hub", dir);
    if (hub_card_open(path, h) != ERR_OK ||
        hub_card_init_key(*h, kid) != ERR_OK ||
        hub_card_issue(*h, &rq, card, CARD_TEXT_MAX + 1, &c) != ERR_OK ||
        hub_card_revoke(*h, "M.HQ0001.99", 1) != ERR_OK)
        return 0;
    page = hub_card_page_json(*h, "bench", now->wall_ms);
    e = proto_page_decode(page, strlen(page), &cp, cursor, sizeof cursor,
                          &more);
    if (e == ERR_OK)
        e = store_hub_apply(*st, &cp, "bench");
    change_page_free(&cp);
    free(page);
    return e == ERR_OK;
}

static int remove_dir(const char *dir)
{
    char cmd[600];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}

int main(void)
{
    char dir[] = "/tmp/bench_card.XXXXXX", card[CARD_TEXT_MAX + 1];
    static double t_card[RUNS], t_raw[RUNS], t_once[RUNS];
    struct credential_checker *ck;
    uint8_t hash[SIG_KEY_HASH_LEN], point[SIG_KEY_PUB_LEN];
    struct config cfg;
    struct store *st = NULL;
    struct hub_card *h = NULL;
    struct sig_key *pub;
    struct card c;
    struct stamp now;
    int64_t not_after;
    double card_med, raw_med;

    log_set_level(LOG_LVL_WARN);
    config_defaults(&cfg);
    str_copy(cfg.station_id, sizeof cfg.station_id, "bench-station");
    if (mkdtemp(dir) == NULL || !prepare(dir, &st, &h, card, &now) ||
        card_parse(card, strlen(card), &c) != ERR_OK ||
        store_card_key_get(st, c.kid, point, &not_after) != ERR_OK ||
        sig_key_public_parse(point, sizeof point, &pub) != ERR_OK) {
        fprintf(stderr, "bench_card: setup failed\n");
        return 1;
    }
    sig_key_sha256(card, c.signed_len, hash);
    credential_checker_create(&cfg, st, &ck);
    for (int i = 0; i < RUNS; i++) {
        struct credential cred;
        enum credential_refusal why;
        double t0 = now_us();

        if (credential_check(ck, &now, CRED_ACCEPT_ANY, card, &cred, &why)
            != ERR_OK)
            return 1;
        t_card[i] = now_us() - t0;
        t0 = now_us();
        if (credential_parse(&cfg, st, &now, CRED_ACCEPT_ANY, card, &cred,
                             &why) != ERR_OK)
            return 1;
        t_once[i] = now_us() - t0;
        t0 = now_us();
        if (sig_key_verify_hash(pub, hash, c.sig) != ERR_OK)
            return 1;
        t_raw[i] = now_us() - t0;
    }
    card_med = median(t_card);
    raw_med = median(t_raw);
    printf("card check (credential_check, store lookups + verify): "
           "median %.1f us over %d\n", card_med, RUNS);
    printf("floor: one raw ECDSA P-256 verify:                    "
           "median %.1f us over %d\n", raw_med, RUNS);
    printf("ratio card / floor: %.2f\n", card_med / raw_med);
    printf("one-off check (credential_parse, key set up each time): "
           "median %.1f us (%.2f x floor)\n", median(t_once),
           median(t_once) / raw_med);
    credential_checker_destroy(ck);
    sig_key_free(pub);
    hub_card_close(h);
    store_close(st);
    return remove_dir(dir);
}
