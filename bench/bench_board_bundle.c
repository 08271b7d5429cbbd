/* bench/bench_board_bundle.c - how long a unit takes to check and install
 * an update bundle, against the floor measured in the same run: reading
 * the same bytes from the page cache and hashing them with SHA-256 in one
 * pass (the least any complete check can do). Verify is one pass plus a
 * signature; install is a second hashed pass that also writes and fsyncs.
 * Rounds alternate floor / verify / install so machine drift hits all. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/bundle.h"
#include "base/log.h"
#include "base/sig_mbedtls.h"
#include "firmware/update.h"

#define PAYLOAD_MB 32
#define ROUNDS     5

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void make_payload(const char *dir)
{
    char path[256];
    unsigned char *buf = malloc(1 << 20);
    FILE *fp;

    snprintf(path, sizeof path, "%s/src/bin", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/src/bin/kiosk", dir);
    fp = fopen(path, "wb");
    for (int mb = 0; mb < PAYLOAD_MB; mb++) {
        for (int i = 0; i < 1 << 20; i++)
            buf[i] = (unsigned char)(rand() >> 7);
        fwrite(buf, 1, 1 << 20, fp);
    }
    fclose(fp);
    free(buf);
}

/* The floor: read the bundle file and hash it once. */
static double floor_pass(const char *bundle)
{
    unsigned char *buf = malloc(1 << 16);
    uint8_t out[SIG_HASH_LEN];
    struct sig_hash *h;
    double t0 = now_s();
    int fd = open(bundle, O_RDONLY);
    ssize_t n;

    sig_hash_create(&h);
    while ((n = read(fd, buf, 1 << 16)) > 0)
        sig_hash_update(h, buf, (size_t)n);
    sig_hash_finish(h, out);
    close(fd);
    sig_hash_destroy(h);
    free(buf);
    return now_s() - t0;
}

static double verify_pass(const char *bundle, const char *pub)
{
    double t0 = now_s();
    struct bundle *b;
    char msg[128];

    if (bundle_open(bundle, pub, &b, msg, sizeof msg) != ERR_OK ||
        bundle_check(b, NULL, NULL, msg, sizeof msg) != ERR_OK) {
        fprintf(stderr, "verify failed: %s\n", msg);
        exit(1);
    }
    bundle_close(b);
    return now_s() - t0;
}

static double install_pass(const char *dir, const char *bundle,
                           const char *pub)
{
    char root[256], cmd[300], msg[128];
    struct update_opts o = { root, pub, NULL };
    double t0;

    snprintf(root, sizeof root, "%s/root", dir);
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    if (system(cmd) != 0)
        exit(1);
    t0 = now_s();
    if (update_install(&o, bundle, NULL, NULL, msg, sizeof msg) != ERR_OK) {
        fprintf(stderr, "install failed: %s\n", msg);
        exit(1);
    }
    return now_s() - t0;
}

static double best(const double *v)
{
    double m = v[0];

    for (int i = 1; i < ROUNDS; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

int main(void)
{
    char dir[] = "/tmp/bench-bundle.XXXXXX", path[256], priv[256];
    char pub[256], bundle[256], cmd[300];
    double fl[ROUNDS], ve[ROUNDS], in[ROUNDS];

    log_set_level(LOG_LVL_ERROR);
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(path, sizeof path, "%s/src", dir);
    mkdir(path, 0755);
    make_payload(dir);
    snprintf(priv, sizeof priv, "%s/k.pem", dir);
    snprintf(pub, sizeof pub, "%s/k.pub", dir);
    snprintf(bundle, sizeof bundle, "%s/b.kbundle", dir);
    if (sig_keygen(priv, pub) != ERR_OK ||
        bundle_make(path, "kiosk", "1.0.0", "0.0.0", priv, bundle, NULL, 0)
        != ERR_OK)
        return 1;
    for (int r = 0; r < ROUNDS; r++) {
        fl[r] = floor_pass(bundle);
        ve[r] = verify_pass(bundle, pub);
        in[r] = install_pass(dir, bundle, pub);
    }
    printf("bundle of %d MiB, best of %d rounds\n", PAYLOAD_MB, ROUNDS);
    printf("  floor (read + SHA-256 once): %7.1f ms  %6.1f MiB/s\n",
           best(fl) * 1e3, PAYLOAD_MB / best(fl));
    printf("  verify (signature + hashes): %7.1f ms  %6.1f MiB/s  "
           "ratio %.2f\n", best(ve) * 1e3, PAYLOAD_MB / best(ve),
           best(ve) / best(fl));
    printf("  install (verify, copy, fsync, switch): %7.1f ms  ratio %.2f\n",
           best(in) * 1e3, best(in) / best(fl));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
