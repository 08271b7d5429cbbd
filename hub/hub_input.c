/* hub/hub_input.c - reading an input file whole, capped. */
#include "hub/hub_input.h"

#include "base/file.h"

err_code hub_input_read(const char *path, char **out, size_t *len)
{
    err_code e = file_read_capped(path, HUB_FILE_MAX, out, len);

    return e == ERR_NOTFOUND ? ERR_IO : e;
}
