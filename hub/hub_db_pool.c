/* hub/hub_db_pool.c - a fixed set of read-only connections handed out
 * one thread at a time (hub_db_pool.h). */
#include "hub/hub_db_pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/xmalloc.h"

struct hub_db_pool {
    pthread_mutex_t lock;
    pthread_cond_t  freed;
    int             n, n_free;
    struct hub_db **all;
    struct hub_db **free;           /* a stack of n_free */
};

err_code hub_db_pool_open(const char *path, int n, struct hub_db_pool **out)
{
    struct hub_db_pool *p = xcalloc(1, sizeof *p);
    *out = NULL;
    if (n < 1)
        n = HUB_DB_READERS;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->freed, NULL);
    p->all = xcalloc((size_t)n, sizeof *p->all);
    p->free = xcalloc((size_t)n, sizeof *p->free);
    for (int i = 0; i < n; i++) {
        err_code e = hub_db_open_reader(path, &p->all[i]);
        if (e != ERR_OK) {
            hub_db_pool_close(p);
            return e;
        }
        p->n = i + 1;
        p->free[p->n_free++] = p->all[i];
    }
    *out = p;
    return ERR_OK;
}

void hub_db_pool_close(struct hub_db_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        hub_db_close(p->all[i]);
    free(p->all);
    free(p->free);
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

struct hub_db *hub_db_pool_take(struct hub_db_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->n_free == 0)
        pthread_cond_wait(&p->freed, &p->lock);
    struct hub_db *db = p->free[--p->n_free];
    pthread_mutex_unlock(&p->lock);
    return db;
}

void hub_db_pool_give(struct hub_db_pool *p, struct hub_db *db)
{
    pthread_mutex_lock(&p->lock);
    p->free[p->n_free++] = db;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}
