/* hub/hub_input.h - reading hubctl's input files (rosters, boards):
 * whole, capped, NUL-terminated. */
#ifndef HUB_INPUT_H
#define HUB_INPUT_H

#include <stddef.h>

#include "base/err.h"

#define HUB_FILE_MAX (16 * 1024 * 1024)

/* The file at path into *out (malloc'd, NUL-terminated; *len bytes).
 * ERR_IO: unreadable; ERR_INVAL: over HUB_FILE_MAX bytes. */
err_code hub_input_read(const char *path, char **out, size_t *len);

#endif
