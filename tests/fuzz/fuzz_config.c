/* tests/fuzz/fuzz_config.c - libFuzzer target for the kiosk's INI file
 * (firmware/config.c over inih): the input is the file, handed to
 * config_load through an in-memory file. No input may crash, and a file
 * that loads must dump (config_dump) to a file that loads to the same
 * configuration: what `--dump-config` prints is what the kiosk runs. */
#define _GNU_SOURCE             /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/log.h"
#include "firmware/config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_LVL_ERROR);
    fd = memfd_create("fuzz-config", 0);
    if (fd < 0)
        abort();
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return 0;
}

static void put(const void *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 ||
        (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct config a, b;
    static char dump[16384], again[16384];
    char msg[512];

    put(data, size);
    msg[0] = '\0';
    if (config_load(path, &a, msg, sizeof msg) != ERR_OK) {
        if (msg[0] == '\0' || strlen(msg) >= sizeof msg)
            abort();                  /* a refusal always says why */
        return 0;
    }
    config_dump(&a, dump, sizeof dump);
    put(dump, strlen(dump));
    if (config_load(path, &b, msg, sizeof msg) != ERR_OK)
        abort();
    /* Compared as dumps: a key given twice leaves old bytes past the
     * string's end, which are not configuration. */
    config_dump(&b, again, sizeof again);
    if (strcmp(dump, again) != 0)
        abort();
    return 0;
}
