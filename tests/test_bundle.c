/* tests/test_bundle.c - the bundle format: versions, the strict manifest
 * parser, signatures (missing, wrong key, altered manifest), altered,
 * truncated and padded payloads, extraction, and checking an installed
 * tree. Keys are made once per run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/bundle.h"
#include "base/log.h"
#include "base/sig_mbedtls.h"

static char dir[64];
static char priv[128], pub[128], other_pub[128], src[128], good[128];

static void path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static void put_file(const char *path, const char *text, int mode)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    chmod(path, (mode_t)mode);
}

static unsigned char *load(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *buf;
    long n;

    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static void save(const char *path, const unsigned char *buf, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(buf, 1, len, fp), len);
    fclose(fp);
}

static int group_setup(void **state)
{
    char other_priv[128], sub[160];

    (void)state;
    log_set_level(LOG_LVL_ERROR);
    strcpy(dir, "/tmp/bundle.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    path_in(priv, sizeof priv, "release.pem");
    path_in(pub, sizeof pub, "release.pub");
    path_in(other_priv, sizeof other_priv, "other.pem");
    path_in(other_pub, sizeof other_pub, "other.pub");
    if (sig_keygen(priv, pub) != ERR_OK ||
        sig_keygen(other_priv, other_pub) != ERR_OK)
        return -1;
    path_in(src, sizeof src, "src");
    mkdir(src, 0755);
    snprintf(sub, sizeof sub, "%s/bin", src);
    mkdir(sub, 0755);
    snprintf(sub, sizeof sub, "%s/bin/kiosk", src);
    put_file(sub, "#!/bin/sh\nexit 0\n", 0755);
    snprintf(sub, sizeof sub, "%s/share", src);
    mkdir(sub, 0755);
    snprintf(sub, sizeof sub, "%s/share/notes.txt", src);
    put_file(sub, "服务站 notes\n", 0644);
    path_in(good, sizeof good, "good.kb");
    return bundle_make(src, "kiosk", "1.2.0", "1.0.0", priv, good, NULL, 0)
           == ERR_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void versions_parse_and_order(void **state)
{
    static const struct { const char *s; err_code e; } cases[] = {
        { "1.2.3", ERR_OK }, { "0.0.0", ERR_OK }, { "65535.0.1", ERR_OK },
        { "1.2", ERR_INVAL }, { "1.2.3.4", ERR_INVAL }, { "", ERR_INVAL },
        { "1..3", ERR_INVAL }, { "65536.0.0", ERR_INVAL },
        { "1.2.3 ", ERR_INVAL }, { "-1.2.3", ERR_INVAL },
        { "a.b.c", ERR_INVAL },
    };
    uint64_t a, b;

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(bundle_version_parse(cases[i].s, &a), cases[i].e);
    bundle_version_parse("1.10.0", &a);
    bundle_version_parse("1.9.99", &b);
    assert_true(a > b);
}

#define HEAD "kiosk-bundle 1\nproduct kiosk\nversion 1.2.0\nmin_version 1.0.0\n"
#define H64  "0000000000000000000000000000000000000000000000000000000000000000"

static void manifest_parser_refuses_bad_lines(void **state)
{
    static const char *const bad[] = {
        "", "kiosk-bundle 2\n", HEAD "file 644 1 " H64 " ../etc/passwd\n",
        HEAD "file 644 1 " H64 " /abs\n", HEAD "file 644 1 " H64 " a//b\n",
        HEAD "file 644 1 " H64 " a/./b\n", HEAD "file 644 1 " H64 " a/..\n",
        HEAD "file 644 1 " H64 " a/\n", HEAD "file 644 1 " H64 " MANIFEST\n",
        HEAD "file 644 1 " H64 " a b\n", HEAD "file 600 1 " H64 " a\n",
        HEAD "file 644 -1 " H64 " a\n", HEAD "file 644 1 " H64 "0 a\n",
        HEAD "file 644 1 " H64 " a\nfile 644 1 " H64 " a\n",
        HEAD "file 644 1 " H64 " b\nfile 644 1 " H64 " a\n",
        HEAD "file 644 1 ABCD" H64 " a\n", HEAD "unknown 1\n",
        HEAD "file 644 1 " H64 " a", "kiosk-bundle 1\nproduct kiosk\n",
        "kiosk-bundle 1\nproduct kiosk\nversion 1.0.0\nmin_version 1.2.0\n",
        HEAD "file 644 999999999999 " H64 " a\n",
    };
    struct bundle_manifest *m;
    char msg[128];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_code e = bundle_manifest_parse(bad[i], strlen(bad[i]), &m, msg,
                                           sizeof msg);

        if (e == ERR_OK)
            fail_msg("accepted bad manifest %zu", i);
        assert_null(m);
    }
}

static void manifest_parser_reads_good_manifest(void **state)
{
    static const char text[] = HEAD "file 755 3 " H64 " bin/kiosk\n"
                                    "file 644 0 " H64 " share/a-b_c.txt\n";
    struct bundle_manifest *m;

    (void)state;
    assert_int_equal(bundle_manifest_parse(text, strlen(text), &m, NULL, 0),
                     ERR_OK);
    assert_string_equal(m->product, "kiosk");
    assert_string_equal(m->version, "1.2.0");
    assert_string_equal(m->min_version, "1.0.0");
    assert_int_equal(m->nfiles, 2);
    assert_int_equal(m->files[0].mode, 0755);
    assert_int_equal(m->total, 3);
    assert_string_equal(m->files[1].path, "share/a-b_c.txt");
    bundle_manifest_free(m);
}

static err_code open_and_check(const char *path, const char *key, char *msg,
                               size_t cap)
{
    struct bundle *b;
    err_code e = bundle_open(path, key, &b, msg, cap);

    if (e == ERR_OK)
        e = bundle_check(b, NULL, NULL, msg, cap);
    bundle_close(b);
    return e;
}

static void good_bundle_verifies(void **state)
{
    char msg[128] = "";

    (void)state;
    assert_int_equal(open_and_check(good, pub, msg, sizeof msg), ERR_OK);
}

static void wrong_key_is_denied(void **state)
{
    char msg[128] = "";

    (void)state;
    assert_int_equal(open_and_check(good, other_pub, msg, sizeof msg),
                     ERR_DENIED);
    assert_non_null(strstr(msg, "not signed by the release key"));
}

/* Rewrite good.kb with one change and return the new path's result. */
static err_code mutated(void (*mutate)(unsigned char *, size_t *),
                        char *msg, size_t cap)
{
    char path[128];
    size_t len;
    unsigned char *buf = load(good, &len);
    err_code e;

    buf = realloc(buf, len + 16);
    mutate(buf, &len);
    path_in(path, sizeof path, "mutant.kb");
    save(path, buf, len);
    free(buf);
    e = open_and_check(path, pub, msg, cap);
    unlink(path);
    return e;
}

static void strip_signature(unsigned char *b, size_t *len)
{
    uint32_t mlen = (uint32_t)b[8] << 24 | (uint32_t)b[9] << 16 |
                    (uint32_t)b[10] << 8 | b[11];
    size_t slen = (size_t)(b[12] << 8 | b[13]);
    size_t sig_at = BUNDLE_HEADER_LEN + mlen;

    memmove(b + sig_at, b + sig_at + slen, *len - sig_at - slen);
    *len -= slen;
    b[12] = b[13] = 0;
}

static void flip_manifest_byte(unsigned char *b, size_t *len)
{
    (void)len;
    b[BUNDLE_HEADER_LEN + 30] ^= 0x01;           /* inside "version 1.2.0" */
}

static void flip_last_payload_byte(unsigned char *b, size_t *len)
{
    b[*len - 2] ^= 0x20;
}

static void append_byte(unsigned char *b, size_t *len)
{
    b[(*len)++] = '\n';
}

static void unsigned_bundle_is_denied(void **state)
{
    char msg[128] = "";

    (void)state;
    assert_int_equal(mutated(strip_signature, msg, sizeof msg), ERR_DENIED);
    assert_string_equal(msg, "bundle is not signed");
}

static void altered_manifest_fails_signature(void **state)
{
    char msg[128] = "";

    (void)state;
    assert_int_equal(mutated(flip_manifest_byte, msg, sizeof msg),
                     ERR_DENIED);
}

static void altered_payload_is_corrupt(void **state)
{
    char msg[128] = "";

    (void)state;
    assert_int_equal(mutated(flip_last_payload_byte, msg, sizeof msg),
                     ERR_CORRUPT);
    assert_non_null(strstr(msg, "share/notes.txt"));
    assert_non_null(strstr(msg, "altered"));
}

static void trailing_data_is_corrupt(void **state)
{
    char msg[128] = "";

    (void)state;
    assert_int_equal(mutated(append_byte, msg, sizeof msg), ERR_CORRUPT);
    assert_non_null(strstr(msg, "after its end"));
}

static void every_truncation_is_refused(void **state)
{
    char path[128], msg[128];
    size_t len;
    unsigned char *buf = load(good, &len);

    (void)state;
    path_in(path, sizeof path, "cut.kb");
    /* Every length in the header and payload, a stride in between. */
    for (size_t cut = 0; cut < len; cut += (cut < 20 || cut + 40 > len) ? 1
                                                                        : 17) {
        err_code e;

        save(path, buf, cut);
        e = open_and_check(path, pub, msg, sizeof msg);
        if (e == ERR_OK)
            fail_msg("bundle cut at %zu of %zu accepted", cut, len);
    }
    unlink(path);
    free(buf);
}

/* A manifest signed by the release key but naming a path outside the
 * slot: the signature is good, the parser still refuses it. */
static void signed_unsafe_path_is_refused(void **state)
{
    static const char text[] = HEAD "file 644 1 " H64 " ../../evil\n";
    unsigned char out[1024];
    uint8_t hash[SIG_HASH_LEN], sig[SIG_MAX_LEN];
    size_t slen, n = strlen(text), at;
    char path[128], msg[128] = "";

    (void)state;
    sig_sha256(text, n, hash);
    assert_int_equal(sig_sign(priv, hash, sig, sizeof sig, &slen), ERR_OK);
    memcpy(out, BUNDLE_MAGIC, BUNDLE_MAGIC_LEN);
    out[8] = out[9] = 0;
    out[10] = (unsigned char)(n >> 8);
    out[11] = (unsigned char)n;
    out[12] = 0;
    out[13] = (unsigned char)slen;
    memcpy(out + BUNDLE_HEADER_LEN, text, n);
    memcpy(out + BUNDLE_HEADER_LEN + n, sig, slen);
    at = BUNDLE_HEADER_LEN + n + slen;
    out[at++] = 'x';
    path_in(path, sizeof path, "evil.kb");
    save(path, out, at);
    assert_int_equal(open_and_check(path, pub, msg, sizeof msg), ERR_CORRUPT);
    assert_non_null(strstr(msg, "unsafe path"));
    unlink(path);
}

static void extract_writes_files_modes_and_manifest(void **state)
{
    char dest[128], path[192], msg[128] = "";
    struct bundle *b;
    struct stat st;
    size_t len;
    unsigned char *text;

    (void)state;
    path_in(dest, sizeof dest, "out");
    assert_int_equal(bundle_open(good, pub, &b, msg, sizeof msg), ERR_OK);
    assert_int_equal(bundle_extract(b, dest, NULL, NULL, msg, sizeof msg),
                     ERR_OK);
    bundle_close(b);
    snprintf(path, sizeof path, "%s/bin/kiosk", dest);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0755);
    snprintf(path, sizeof path, "%s/share/notes.txt", dest);
    text = load(path, &len);
    assert_int_equal(len, strlen("服务站 notes\n"));
    assert_memory_equal(text, "服务站 notes\n", len);
    free(text);
    assert_int_equal(bundle_check_dir(dest, NULL, msg, sizeof msg), ERR_OK);

    /* A damaged installed file is found. */
    put_file(path, "服务站 notez\n", 0644);
    assert_int_equal(bundle_check_dir(dest, NULL, msg, sizeof msg),
                     ERR_CORRUPT);
    assert_non_null(strstr(msg, "share/notes.txt"));
    snprintf(path, sizeof path, "rm -rf %s", dest);
    assert_int_equal(system(path), 0);
}

static void extract_refuses_existing_destination(void **state)
{
    char msg[128] = "";
    struct bundle *b;

    (void)state;
    assert_int_equal(bundle_open(good, pub, &b, msg, sizeof msg), ERR_OK);
    assert_int_equal(bundle_extract(b, src, NULL, NULL, msg, sizeof msg),
                     ERR_IO);
    bundle_close(b);
}

static void make_refuses_symlinks(void **state)
{
    char link[192], out[128], msg[128] = "";

    (void)state;
    snprintf(link, sizeof link, "%s/share/link", src);
    assert_int_equal(symlink("/etc/passwd", link), 0);
    path_in(out, sizeof out, "sym.kb");
    assert_int_equal(bundle_make(src, "kiosk", "1.0.0", "0.0.0", priv, out,
                                 msg, sizeof msg), ERR_INVAL);
    assert_non_null(strstr(msg, "not a regular file"));
    assert_int_equal(access(out, F_OK), -1);
    unlink(link);
}

static void progress_reaches_total(void **state);

/* No ".." part, not absolute: what a manifest must never let through. */
static bool path_is_safe(const char *p)
{
    return p[0] != '/' && strcmp(p, "..") != 0 && strncmp(p, "../", 3) != 0
           && strstr(p, "/../") == NULL && strstr(p, "//") == NULL &&
           (strlen(p) < 3 || strcmp(p + strlen(p) - 3, "/..") != 0);
}

static void mutated_manifests_never_admit_unsafe_paths(void **state)
{
    static const char seed[] = HEAD "file 755 3 " H64 " bin/kiosk\n"
                                    "file 644 9 " H64 " share/a.txt\n";
    static const char alphabet[] = "./\n 0123456789abcdefkx-_";
    char text[sizeof seed + 64];
    unsigned rnd = 12345;

    (void)state;
    for (int round = 0; round < 20000; round++) {
        struct bundle_manifest *m;
        size_t len = sizeof seed - 1;

        memcpy(text, seed, len);
        for (int k = 0; k < 1 + round % 4; k++) {
            rnd = rnd * 1103515245u + 12345u;
            size_t at = (rnd >> 8) % len;
            char c = alphabet[(rnd >> 20) % (sizeof alphabet - 1)];

            if ((rnd >> 4) % 3 == 0 && len < sizeof text - 1)
                memmove(text + at + 1, text + at, len++ - at);   /* insert */
            else if ((rnd >> 4) % 3 == 1 && len > 1) {
                memmove(text + at, text + at + 1, len-- - at - 1); /* del */
                continue;
            }
            text[at] = c;
        }
        if (bundle_manifest_parse(text, len, &m, NULL, 0) != ERR_OK)
            continue;
        for (size_t i = 0; i < m->nfiles; i++) {
            if (!path_is_safe(m->files[i].path))
                fail_msg("admitted \"%s\"", m->files[i].path);
            if (i > 0)
                assert_true(strcmp(m->files[i - 1].path,
                                   m->files[i].path) < 0);
        }
        bundle_manifest_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(versions_parse_and_order),
        cmocka_unit_test(manifest_parser_refuses_bad_lines),
        cmocka_unit_test(manifest_parser_reads_good_manifest),
        cmocka_unit_test(mutated_manifests_never_admit_unsafe_paths),
        cmocka_unit_test(good_bundle_verifies),
        cmocka_unit_test(progress_reaches_total),
        cmocka_unit_test(wrong_key_is_denied),
        cmocka_unit_test(unsigned_bundle_is_denied),
        cmocka_unit_test(altered_manifest_fails_signature),
        cmocka_unit_test(altered_payload_is_corrupt),
        cmocka_unit_test(trailing_data_is_corrupt),
        cmocka_unit_test(every_truncation_is_refused),
        cmocka_unit_test(signed_unsafe_path_is_refused),
        cmocka_unit_test(extract_writes_files_modes_and_manifest),
        cmocka_unit_test(extract_refuses_existing_destination),
        cmocka_unit_test(make_refuses_symlinks),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

static void count_progress(void *ctx, uint64_t done, uint64_t total)
{
    uint64_t *last = ctx;

    assert_true(done <= total);
    assert_true(done >= *last);
    *last = done;
}

static void progress_reaches_total(void **state)
{
    char msg[128] = "";
    struct bundle *b;
    uint64_t last = 0;

    (void)state;
    assert_int_equal(bundle_open(good, pub, &b, msg, sizeof msg), ERR_OK);
    assert_int_equal(bundle_check(b, count_progress, &last, msg, sizeof msg),
                     ERR_OK);
    assert_int_equal(last, bundle_manifest(b)->total);
    bundle_close(b);
}
