/* hub/hub_input.c - reading an input file whole, capped. */
#include "hub/hub_input.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/xmalloc.h"

err_code hub_input_read(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (!f)
        return ERR_IO;
    char *buf = xmalloc(HUB_FILE_MAX + 1);
    size_t n = fread(buf, 1, HUB_FILE_MAX + 1, f);
    fclose(f);
    if (n > HUB_FILE_MAX) {
        free(buf);
        return ERR_INVAL;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return ERR_OK;
}
