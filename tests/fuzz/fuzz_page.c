/* tests/fuzz/fuzz_page.c - libFuzzer target for a page of the hub's
 * change feed as the kiosk takes it (sync.c): proto_page_decode into
 * typed changes, then store_hub_apply on a fresh store in a temporary
 * directory. No input may crash; a page is applied whole with its
 * cursor, or refused (ERR_PROTO) with nothing changed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/change.h"
#include "base/log.h"
#include "firmware/store.h"
#include "sync/proto.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], path[128];

static void remove_db(void)
{
    static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
    char p[160];

    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

static void cleanup(void)
{
    remove_db();
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_LVL_ERROR);
    /* In memory where there is a tmpfs: each input is a new store. */
    strcpy(dir, access("/dev/shm", W_OK) == 0 ? "/dev/shm/fuzz-page.XXXXXX"
                                              : "/tmp/fuzz-page.XXXXXX");
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(path, sizeof path, "%s/kiosk.db", dir);
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char cursor[PROTO_CURSOR_MAX];
    struct change_page page = { 0 };
    struct store_sync_state ss;
    struct store *s;
    bool more;
    err_code e;

    /* As the sync worker: decoded once, whole or refused. */
    if (proto_page_decode((const char *)data, size, &page, cursor,
                          sizeof cursor, &more) != ERR_OK) {
        if (page.n != 0)                  /* a refused page is left empty */
            abort();
        change_page_free(&page);
        return 0;
    }
    remove_db();
    if (store_open(path, &s) != ERR_OK)
        abort();
    e = store_hub_apply(s, &page, cursor);
    change_page_free(&page);
    if (e != ERR_OK && e != ERR_PROTO)
        abort();
    /* Whole or nothing: the cursor moves only with the page. */
    if (store_sync_state_get(s, &ss) != ERR_OK ||
        (e == ERR_OK ? strcmp(ss.cursor, cursor) != 0 : ss.cursor[0] != 0))
        abort();
    store_close(s);
    return 0;
}
