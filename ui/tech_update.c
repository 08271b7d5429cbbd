/* ui/tech_update.c - the USB update worker (tech_update.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/xmalloc.h"
#include "ui/tech_update.h"

struct tech_update {
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    pthread_t       thread;
    char dir[CONFIG_STR], root[CONFIG_STR], key[CONFIG_STR];
    char factory[CONFIG_STR];
    bool hold, held, abandoned;
    int  last_phase;                /* -1 before the first report */
    struct tech_update_view v;
};

/* Where each phase sits on the one bar: verifying reads everything,
 * copying writes it, switching is three renames. */
static int overall(enum update_phase p, uint64_t done, uint64_t total)
{
    static const int from[] = { 0, 450, 900, 1000 }, to[] = { 450, 900,
                                                               1000, 1000 };
    int span = to[p] - from[p];

    if (total == 0)
        return p == UPDATE_DONE ? 1000 : from[p];
    if (done > total)
        done = total;
    return from[p] + (int)((uint64_t)span * done / total);
}

/* Under mu: stop here until stepped (test hold), unless abandoned. */
static void hold_here(struct tech_update *u)
{
    u->held = true;
    pthread_cond_broadcast(&u->cv);
    while (u->held && u->hold && !u->abandoned)
        pthread_cond_wait(&u->cv, &u->mu);
    u->held = false;
}

static void on_progress(void *ctx, enum update_phase phase, uint64_t done,
                        uint64_t total)
{
    struct tech_update *u = ctx;

    pthread_mutex_lock(&u->mu);
    u->v.finding = false;
    u->v.phase = phase;
    u->v.done = done;
    u->v.total = total;
    u->v.permille = overall(phase, done, total);
    if (u->hold && (int)phase != u->last_phase && phase != UPDATE_DONE)
        hold_here(u);
    u->last_phase = (int)phase;
    pthread_mutex_unlock(&u->mu);
}

static err_code run(struct tech_update *u, char *msg, size_t cap)
{
    struct update_opts o = { .root = u->root, .pub_key = u->key,
                             .factory = u->factory[0] ? u->factory : NULL };
    char path[UPDATE_PATH_MAX];
    struct update_status st;
    err_code e;

    e = update_find_bundle(u->dir, u->key, path, sizeof path, msg, cap);
    if (e != ERR_OK)
        return e;
    e = update_install(&o, path, on_progress, u, msg, cap);
    if (e == ERR_OK) {
        update_status_read(&o, &st);
        str_copy(msg, cap, st.version);
    }
    return e;
}

static void *worker(void *arg)
{
    struct tech_update *u = arg;
    char msg[sizeof u->v.msg] = "";
    err_code e = run(u, msg, sizeof msg);
    bool gone;

    pthread_mutex_lock(&u->mu);
    u->v.finished = true;
    u->v.result = e;
    str_copy(u->v.msg, sizeof u->v.msg, msg);
    if (e == ERR_OK)
        u->v.permille = 1000;
    pthread_cond_broadcast(&u->cv);
    gone = u->abandoned;
    pthread_mutex_unlock(&u->mu);
    if (gone) {                     /* nobody will join: clean up here */
        pthread_mutex_destroy(&u->mu);
        pthread_cond_destroy(&u->cv);
        free(u);
    }
    return NULL;
}

err_code tech_update_start(const struct config *cfg, bool hold,
                           struct tech_update **out)
{
    struct tech_update *u = xcalloc(1, sizeof *u);

    pthread_mutex_init(&u->mu, NULL);
    pthread_cond_init(&u->cv, NULL);
    str_copy(u->dir, sizeof u->dir, cfg->usb_dir);
    str_copy(u->root, sizeof u->root, cfg->update_root);
    str_copy(u->key, sizeof u->key, cfg->release_key);
    str_copy(u->factory, sizeof u->factory, cfg->factory_dir);
    u->hold = hold;
    u->last_phase = -1;
    u->v.finding = true;
    if (pthread_create(&u->thread, NULL, worker, u) != 0) {
        pthread_mutex_destroy(&u->mu);
        pthread_cond_destroy(&u->cv);
        free(u);
        return ERR_IO;
    }
    *out = u;
    return ERR_OK;
}

void tech_update_view(struct tech_update *u, struct tech_update_view *v)
{
    pthread_mutex_lock(&u->mu);
    *v = u->v;
    pthread_mutex_unlock(&u->mu);
}

void tech_update_step(struct tech_update *u)
{
    pthread_mutex_lock(&u->mu);
    u->held = false;
    pthread_cond_broadcast(&u->cv);
    pthread_mutex_unlock(&u->mu);
}

bool tech_update_wait(struct tech_update *u, int timeout_ms)
{
    struct timespec until;
    bool ok;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&u->mu);
    while (!u->held && !u->v.finished &&
           pthread_cond_timedwait(&u->cv, &u->mu, &until) == 0)
        ;
    ok = u->held || u->v.finished;
    pthread_mutex_unlock(&u->mu);
    return ok;
}

void tech_update_destroy(struct tech_update *u)
{
    bool finished;

    if (u == NULL)
        return;
    pthread_mutex_lock(&u->mu);
    finished = u->v.finished;
    u->abandoned = true;
    pthread_cond_broadcast(&u->cv);     /* a held job goes on */
    pthread_mutex_unlock(&u->mu);
    if (!finished) {
        pthread_detach(u->thread);
        return;
    }
    pthread_join(u->thread, NULL);
    pthread_mutex_destroy(&u->mu);
    pthread_cond_destroy(&u->cv);
    free(u);
}
