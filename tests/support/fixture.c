/* tests/support/fixture.c - temp dirs, demo stores and stamps for tests. */
#define _XOPEN_SOURCE 700     /* nftw */
#include "tests/support/fixture.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "firmware/demo.h"
#include "base/log.h"
#include "base/xmalloc.h"

static int rm_one(const char *p, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

void fixture_rmrf(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

struct stamp fixture_at(int y, int mon, int d, int h, int min)
{
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mon - 1, .tm_mday = d,
                     .tm_hour = h, .tm_min = min };
    struct stamp s = { .clock_trusted = true };

    s.wall_ms = ((int64_t)timegm(&tm) - 8 * 3600) * 1000;
    s.mono_ms = s.wall_ms;
    str_copy(s.boot_id, sizeof s.boot_id, "boot-a");
    return s;
}

struct stamp fixture_plus(struct stamp t, int minutes)
{
    t.wall_ms += (int64_t)minutes * 60000;
    t.mono_ms += (int64_t)minutes * 60000;
    return t;
}

struct fixture *fixture_new(int with_demo, const struct stamp *now)
{
    struct fixture *f = xcalloc(1, sizeof *f);

    log_set_level(LOG_LVL_ERROR);
    snprintf(f->dir, sizeof f->dir, "%s/kiosk-test-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(f->dir) == NULL)
        abort();
    snprintf(f->db_path, sizeof f->db_path, "%s/kiosk.db", f->dir);
    config_defaults(&f->cfg);
    str_copy(f->cfg.state_dir, sizeof f->cfg.state_dir, f->dir);
    if (store_open(f->db_path, &f->store) != ERR_OK)
        abort();
    if (with_demo &&
        demo_load(f->store, "assets/demo", f->cfg.utc_offset_minutes, now)
        != ERR_OK)
        abort();
    return f;
}

void fixture_free(struct fixture *f)
{
    if (f == NULL)
        return;
    store_close(f->store);
    fixture_rmrf(f->dir);
    free(f);
}
