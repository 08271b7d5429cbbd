/* tests/fuzz/fuzz_page.c - libFuzzer target for a page of the hub's
 * change feed as the kiosk takes it (sync.c): proto_page_peek, then
 * store_hub_apply on a fresh store in a temporary directory. No input
 * may crash; a page is applied whole with its cursor, or refused as
 * malformed (ERR_PROTO) with nothing changed. Kept small: the page API
 * is being reworked into typed records. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    char cursor[PROTO_CURSOR_MAX], stored[PROTO_CURSOR_MAX + 1];
    struct store *s;
    int64_t hub_ms;
    bool more;
    err_code e;

    if (proto_page_peek((const char *)data, size, cursor, sizeof cursor,
                        &more, &hub_ms) != ERR_OK)
        return 0;
    remove_db();
    if (store_open(path, &s) != ERR_OK)
        abort();
    e = store_hub_apply(s, (const char *)data, size, cursor);
    if (e != ERR_OK && e != ERR_PROTO)
        abort();
    /* Whole or nothing: the cursor moves only with the page. */
    if ((store_meta_get(s, "changes_cursor", stored, sizeof stored)
         == ERR_OK) != (e == ERR_OK) ||
        (e == ERR_OK && strcmp(stored, cursor) != 0))
        abort();
    store_close(s);
    return 0;
}
