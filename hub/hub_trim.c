/* hub/hub_trim.c - the change log's trim on a timer, in its own thread
 * (hub_trim.h). */
#include "hub/hub_trim.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "base/log.h"
#include "base/xmalloc.h"

struct hub_trim {
    struct hub_trim_opts o;
    char                 path[512];
    pthread_t            th;
    pthread_mutex_t      lock;
    pthread_cond_t       wake;
    bool                 stop;
    int                  runs;
};

/* Wait ms on the monotonic clock, or less when stopped; true: stopped. */
static bool wait_ms(struct hub_trim *t, int64_t ms)
{
    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_sec += ms / 1000;
    at.tv_nsec += (ms % 1000) * 1000000;
    if (at.tv_nsec >= 1000000000) {
        at.tv_sec++;
        at.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&t->lock);
    while (!t->stop &&
           pthread_cond_timedwait(&t->wake, &t->lock, &at) == 0) {
    }
    bool stop = t->stop;
    pthread_mutex_unlock(&t->lock);
    return stop;
}

static void *trim_main(void *arg)
{
    struct hub_trim *t = arg;
    int64_t next = t->o.first_ms;
    while (!wait_ms(t, next)) {
        struct hub_db *db = NULL;
        int64_t point = 0, gone = 0;
        err_code e = hub_db_open(t->path, &db);
        if (e == ERR_OK)
            e = hub_db_feed_trim(db, hub_now_ms(), &t->o.rule, &point, &gone);
        hub_db_close(db);
        if (e != ERR_OK)
            log_warn("hub: change log trim failed: %s; again later",
                     err_str(e));
        pthread_mutex_lock(&t->lock);
        t->runs++;
        pthread_mutex_unlock(&t->lock);
        next = t->o.every_ms;
    }
    return NULL;
}

err_code hub_trim_start(const struct hub_trim_opts *o, struct hub_trim **out)
{
    struct hub_trim *t = xcalloc(1, sizeof *t);
    pthread_condattr_t ca;
    t->o = *o;
    str_copy(t->path, sizeof t->path, o->db_path);
    t->o.db_path = t->path;
    pthread_mutex_init(&t->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->wake, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&t->th, NULL, trim_main, t) != 0) {
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->lock);
        free(t);
        *out = NULL;
        return ERR_IO;
    }
    *out = t;
    return ERR_OK;
}

int hub_trim_runs(struct hub_trim *t)
{
    pthread_mutex_lock(&t->lock);
    int n = t->runs;
    pthread_mutex_unlock(&t->lock);
    return n;
}

void hub_trim_stop(struct hub_trim *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    t->stop = true;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->th, NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    free(t);
}
