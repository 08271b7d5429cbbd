/* tests/test_file.c - capped whole-file reads and crash-safe replacement:
 * after any failure the old content is still there and no temporary is
 * left behind. Failures are made real (a directory in the way, a file
 * size limit that stops a write half-way), since the tests run as root
 * and permissions would not stop them. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/file.h"
#include "base/log.h"
#include "tests/support/fixture.h"

struct tmp {
    char dir[64];
};

/* dir/name; a ring of buffers so a test can hold several at once. */
static const char *at(struct tmp *t, const char *name)
{
    static char ring[16][128];
    static unsigned next;
    char *p = ring[next++ % 16];

    snprintf(p, sizeof ring[0], "%s/%s", t->dir, name);
    return p;
}

static void put(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void assert_content(const char *path, const char *want)
{
    char *data;
    size_t len;

    assert_int_equal(file_read_capped(path, 1 << 20, &data, &len), ERR_OK);
    assert_int_equal(len, strlen(want));
    assert_string_equal(data, want);
    free(data);
}

static mode_t mode_of(const char *path)
{
    struct stat st;

    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode & 07777;
}

/* Names in the test's directory that look like a left-over temporary. */
static int temporaries(struct tmp *t)
{
    DIR *d = opendir(t->dir);
    struct dirent *de;
    int n = 0;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL)
        n += strstr(de->d_name, ".tmp") != NULL;
    closedir(d);
    return n;
}

static int setup(void **state)
{
    struct tmp *t = calloc(1, sizeof *t);

    snprintf(t->dir, sizeof t->dir, "/tmp/test_file.XXXXXX");
    if (mkdtemp(t->dir) == NULL)
        return -1;
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    struct tmp *t = *state;

    fixture_rmrf(t->dir);
    free(t);
    return 0;
}

static void read_gives_whole_file_nul_terminated(void **state)
{
    struct tmp *t = *state;
    char *data;
    size_t len;

    put(at(t, "a"), "hello\nworld\n", 0644);
    assert_int_equal(file_read_capped(at(t, "a"), 100, &data, &len), ERR_OK);
    assert_int_equal(len, 12);
    assert_int_equal(data[12], '\0');
    assert_string_equal(data, "hello\nworld\n");
    free(data);
}

static void read_accepts_exactly_cap_and_refuses_one_more(void **state)
{
    struct tmp *t = *state;
    char *data = (char *)1;
    size_t len;

    put(at(t, "a"), "0123456789", 0644);
    assert_int_equal(file_read_capped(at(t, "a"), 10, &data, &len), ERR_OK);
    assert_int_equal(len, 10);
    assert_string_equal(data, "0123456789");
    free(data);
    assert_int_equal(file_read_capped(at(t, "a"), 9, &data, &len), ERR_INVAL);
    assert_null(data);
}

static void read_of_empty_file_is_empty_string(void **state)
{
    struct tmp *t = *state;
    char *data;
    size_t len = 99;

    put(at(t, "a"), "", 0644);
    assert_int_equal(file_read_capped(at(t, "a"), 10, &data, &len), ERR_OK);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
}

static void read_of_missing_file_is_notfound(void **state)
{
    struct tmp *t = *state;
    char *data = (char *)1;
    size_t len;

    assert_int_equal(file_read_capped(at(t, "none"), 10, &data, &len),
                     ERR_NOTFOUND);
    assert_null(data);
    assert_int_equal(file_read_capped(t->dir, 10, &data, &len), ERR_IO);
    assert_null(data);
}

/* /proc files report size 0; the cap must hold without trusting stat. */
static void read_caps_files_that_report_no_size(void **state)
{
    char *data;
    size_t len;

    (void)state;
    assert_int_equal(file_read_capped("/proc/self/maps", 8, &data, &len),
                     ERR_INVAL);
    assert_null(data);
    assert_int_equal(file_read_capped("/proc/self/maps", 1 << 22, &data,
                                      &len), ERR_OK);
    assert_true(len > 8);
    assert_int_equal(strlen(data), len);
    free(data);
}

/* The mode as open(2) would apply it: the umask may narrow it. */
static void write_creates_file_with_mode_less_umask(void **state)
{
    struct tmp *t = *state;
    mode_t old = umask(022);

    assert_int_equal(file_write_atomic(at(t, "a"), "abc", 3, 0644), ERR_OK);
    umask(077);
    assert_int_equal(file_write_atomic(at(t, "b"), "abc", 3, 0644), ERR_OK);
    umask(old);
    assert_content(at(t, "a"), "abc");
    assert_int_equal(mode_of(at(t, "a")), 0644);
    assert_int_equal(mode_of(at(t, "b")), 0600);
    assert_int_equal(temporaries(t), 0);
}

static void write_replaces_content_and_mode(void **state)
{
    struct tmp *t = *state;

    put(at(t, "key"), "old old old", 0644);
    assert_int_equal(file_write_atomic(at(t, "key"), "new", 3, 0600), ERR_OK);
    assert_content(at(t, "key"), "new");
    assert_int_equal(mode_of(at(t, "key")), 0600);
    assert_int_equal(temporaries(t), 0);
}

/* A config edited by a tool keeps its exact mode (and owner), whatever the
 * umask; a missing file is not created. */
static void replace_same_keeps_mode_despite_umask(void **state)
{
    struct tmp *t = *state;
    mode_t old = umask(077);

    put(at(t, "kiosk.ini"), "[kiosk]\n", 0640);
    assert_int_equal(file_replace_same(at(t, "kiosk.ini"), "x", 1), ERR_OK);
    umask(old);
    assert_content(at(t, "kiosk.ini"), "x");
    assert_int_equal(mode_of(at(t, "kiosk.ini")), 0640);
    assert_int_equal(file_replace_same(at(t, "none.ini"), "x", 1),
                     ERR_NOTFOUND);
    assert_int_equal(temporaries(t), 0);
}

/* A file size limit makes the write fail half-way, as a full disk would. */
static void write_failing_half_way_keeps_old_content(void **state)
{
    struct tmp *t = *state;
    struct rlimit was, small;
    char big[4096];
    err_code e;

    memset(big, 'x', sizeof big);
    put(at(t, "a"), "old", 0640);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
    small = was;
    small.rlim_cur = 100;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    e = file_write_atomic(at(t, "a"), big, sizeof big, 0600);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_int_equal(e, ERR_IO);
    assert_content(at(t, "a"), "old");
    assert_int_equal(mode_of(at(t, "a")), 0640);
    assert_int_equal(temporaries(t), 0);
}

/* The rename fails (a non-empty directory holds the name): nothing of the
 * attempt stays, and what held the name is untouched. */
static void write_over_a_directory_fails_cleanly(void **state)
{
    struct tmp *t = *state;

    assert_int_equal(mkdir(at(t, "d"), 0755), 0);
    put(at(t, "d/inside"), "kept", 0644);
    assert_int_equal(file_write_atomic(at(t, "d"), "new", 3, 0644), ERR_IO);
    assert_content(at(t, "d/inside"), "kept");
    assert_int_equal(temporaries(t), 0);
}

static void write_into_missing_directory_fails(void **state)
{
    struct tmp *t = *state;

    assert_int_equal(file_write_atomic(at(t, "no/a"), "x", 1, 0644), ERR_IO);
    assert_int_equal(access(at(t, "no"), F_OK), -1);
}

static void write_new_refuses_existing_file(void **state)
{
    struct tmp *t = *state;

    put(at(t, "key"), "secret", 0600);
    assert_int_equal(file_write_new(at(t, "key"), "other", 5, 0600), ERR_IO);
    assert_content(at(t, "key"), "secret");
    assert_int_equal(temporaries(t), 0);
    assert_int_equal(file_write_new(at(t, "pub"), "public", 6, 0644), ERR_OK);
    assert_content(at(t, "pub"), "public");
    assert_int_equal(mode_of(at(t, "pub")), 0644);
    assert_int_equal(temporaries(t), 0);
}

static void write_new_failing_leaves_no_name(void **state)
{
    struct tmp *t = *state;
    struct rlimit was, small;
    char big[4096] = { 0 };
    err_code e;

    assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
    small = was;
    small.rlim_cur = 100;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    e = file_write_new(at(t, "key"), big, sizeof big, 0600);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_int_equal(e, ERR_IO);
    assert_int_equal(access(at(t, "key"), F_OK), -1);
    assert_int_equal(temporaries(t), 0);
}

static void pieces_appear_only_on_commit(void **state)
{
    struct tmp *t = *state;
    struct file_atomic *f;

    put(at(t, "a"), "old", 0644);
    assert_int_equal(file_atomic_open(at(t, "a"), 0600, &f), ERR_OK);
    assert_int_equal(file_atomic_write(f, "ne", 2), ERR_OK);
    assert_int_equal(file_atomic_write(f, "w!", 2), ERR_OK);
    assert_content(at(t, "a"), "old");
    assert_int_equal(file_atomic_commit(f), ERR_OK);
    assert_content(at(t, "a"), "new!");
    assert_int_equal(mode_of(at(t, "a")), 0600);
    assert_int_equal(temporaries(t), 0);
}

static void abort_keeps_old_content(void **state)
{
    struct tmp *t = *state;
    struct file_atomic *f;

    put(at(t, "a"), "old", 0644);
    assert_int_equal(file_atomic_open(at(t, "a"), 0644, &f), ERR_OK);
    assert_int_equal(file_atomic_write(f, "new", 3), ERR_OK);
    assert_int_equal(temporaries(t), 1);
    file_atomic_abort(f);
    file_atomic_abort(NULL);
    assert_content(at(t, "a"), "old");
    assert_int_equal(temporaries(t), 0);
}

/* One failed write spoils the copy: commit refuses it. */
static void failed_piece_makes_commit_fail(void **state)
{
    struct tmp *t = *state;
    struct file_atomic *f;
    struct rlimit was, small;
    char big[4096] = { 0 };
    err_code e;

    put(at(t, "a"), "old", 0644);
    assert_int_equal(file_atomic_open(at(t, "a"), 0644, &f), ERR_OK);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
    small = was;
    small.rlim_cur = 100;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    e = file_atomic_write(f, big, sizeof big);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_int_equal(e, ERR_IO);
    assert_int_equal(file_atomic_write(f, "x", 1), ERR_IO);
    assert_int_equal(file_atomic_commit(f), ERR_IO);
    assert_content(at(t, "a"), "old");
    assert_int_equal(temporaries(t), 0);
}

/* The `current` swap: a new symlink renamed over the old one. */
static void rename_swaps_a_symlink(void **state)
{
    struct tmp *t = *state;
    char target[32];
    ssize_t n;

    assert_int_equal(symlink("slots/a", at(t, "current")), 0);
    assert_int_equal(symlink("slots/b", at(t, "current.new")), 0);
    assert_int_equal(file_rename(at(t, "current.new"), at(t, "current")),
                     ERR_OK);
    n = readlink(at(t, "current"), target, sizeof target - 1);
    assert_true(n > 0);
    target[n] = '\0';
    assert_string_equal(target, "slots/b");
    assert_int_equal(access(at(t, "current.new"), F_OK), -1);
}

static void rename_moves_across_directories(void **state)
{
    struct tmp *t = *state;

    assert_int_equal(mkdir(at(t, "in"), 0755), 0);
    assert_int_equal(mkdir(at(t, "out"), 0755), 0);
    put(at(t, "in/x"), "x", 0644);
    assert_int_equal(file_rename(at(t, "in/x"), at(t, "out/y")), ERR_OK);
    assert_content(at(t, "out/y"), "x");
    assert_int_equal(file_rename(at(t, "in/x"), at(t, "out/z")), ERR_IO);
}

static void sync_dir_needs_a_directory(void **state)
{
    struct tmp *t = *state;

    put(at(t, "f"), "", 0644);
    assert_int_equal(file_sync_dir(t->dir), ERR_OK);
    assert_int_equal(file_sync_dir(at(t, "missing")), ERR_IO);
    assert_int_equal(file_sync_dir(at(t, "f")), ERR_IO);
}

/* A bare name lives in the current directory, and that one is flushed. */
static void write_with_bare_name_uses_current_directory(void **state)
{
    struct tmp *t = *state;
    char cwd[256];

    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(t->dir), 0);
    assert_int_equal(file_write_atomic("bare", "b", 1, 0644), ERR_OK);
    assert_int_equal(chdir(cwd), 0);
    assert_content(at(t, "bare"), "b");
    assert_int_equal(temporaries(t), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(read_gives_whole_file_nul_terminated),
        T(read_accepts_exactly_cap_and_refuses_one_more),
        T(read_of_empty_file_is_empty_string),
        T(read_of_missing_file_is_notfound),
        T(read_caps_files_that_report_no_size),
        T(write_creates_file_with_mode_less_umask),
        T(write_replaces_content_and_mode),
        T(replace_same_keeps_mode_despite_umask),
        T(write_failing_half_way_keeps_old_content),
        T(write_over_a_directory_fails_cleanly),
        T(write_into_missing_directory_fails),
        T(write_new_refuses_existing_file),
        T(write_new_failing_leaves_no_name),
        T(pieces_appear_only_on_commit),
        T(abort_keeps_old_content),
        T(failed_piece_makes_commit_fail),
        T(rename_swaps_a_symlink),
        T(rename_moves_across_directories),
        T(sync_dir_needs_a_directory),
        T(write_with_bare_name_uses_current_directory),
    };

    log_set_level(LOG_LVL_ERROR);
    umask(022);                         /* modes below assume the usual */
    return cmocka_run_group_tests(tests, NULL, NULL);
}
