/* hub/hub_fresh.c - the star boards kept fresh on a timer, in their own
 * thread (hub_fresh.h). */
#include "hub/hub_fresh.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "hub/hub_db.h"
#include "hub/hub_stars.h"

struct hub_fresh {
    struct hub_fresh_opts o;
    char                  path[1024];
    pthread_t             th;
    pthread_mutex_t       lock;
    pthread_cond_t        wake;
    bool                  stop;
    int                   recomputed;
    int                   runs;
};

/* Wait ms on the monotonic clock, or less when stopped; true: stopped. */
static bool wait_ms(struct hub_fresh *f, int64_t ms)
{
    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_sec += ms / 1000;
    at.tv_nsec += (ms % 1000) * 1000000;
    if (at.tv_nsec >= 1000000000) {
        at.tv_sec++;
        at.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&f->lock);
    while (!f->stop &&
           pthread_cond_timedwait(&f->wake, &f->lock, &at) == 0) {
    }
    bool stop = f->stop;
    pthread_mutex_unlock(&f->lock);
    return stop;
}

static void *fresh_main(void *arg)
{
    struct hub_fresh *f = arg;
    struct hub_db *db = NULL;
    /* The first check at once: a hubd started after decisions were made
     * while it was down sends their points without waiting. */
    int64_t next = 0;
    while (!wait_ms(f, next)) {
        next = f->o.every_ms;
        int n = 0;
        err_code e = db ? ERR_OK : hub_db_open(f->path, &db);
        if (e == ERR_OK)
            e = hub_stars_refresh(db, hub_now_ms(), f->o.utc_offset_minutes,
                                  stderr, &n);
        if (e != ERR_OK) {
            /* A busy store is retried at the next tick; a broken
             * connection is opened anew. */
            log_warn("hub: star boards not refreshed: %s; again later",
                     err_str(e));
            hub_db_close(db);
            db = NULL;
        }
        pthread_mutex_lock(&f->lock);
        f->recomputed += n;
        f->runs++;
        pthread_mutex_unlock(&f->lock);
    }
    hub_db_close(db);
    return NULL;
}

err_code hub_fresh_start(const struct hub_fresh_opts *o,
                         struct hub_fresh **out)
{
    struct hub_fresh *f = xcalloc(1, sizeof *f);
    pthread_condattr_t ca;
    f->o = *o;
    str_copy(f->path, sizeof f->path, o->db_path);
    f->o.db_path = f->path;
    pthread_mutex_init(&f->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&f->wake, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&f->th, NULL, fresh_main, f) != 0) {
        pthread_cond_destroy(&f->wake);
        pthread_mutex_destroy(&f->lock);
        free(f);
        *out = NULL;
        return ERR_IO;
    }
    *out = f;
    return ERR_OK;
}

int hub_fresh_recomputed(struct hub_fresh *f)
{
    pthread_mutex_lock(&f->lock);
    int n = f->recomputed;
    pthread_mutex_unlock(&f->lock);
    return n;
}

int hub_fresh_runs(struct hub_fresh *f)
{
    pthread_mutex_lock(&f->lock);
    int n = f->runs;
    pthread_mutex_unlock(&f->lock);
    return n;
}

void hub_fresh_stop(struct hub_fresh *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->lock);
    f->stop = true;
    pthread_cond_signal(&f->wake);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->th, NULL);
    pthread_cond_destroy(&f->wake);
    pthread_mutex_destroy(&f->lock);
    free(f);
}
