/* hub/hub_xlsx_mem.c - an XLSX workbook through a temporary file. */
#include "hub/hub_xlsx_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub/hub_xlsx.h"

err_code hub_xlsx_bytes(const struct hub_book *b, char **out, size_t *len,
                        char *msg, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    *out = NULL;
    *len = 0;
    snprintf(path, sizeof path, "%s/hub-xlsx-XXXXXX",
             dir && dir[0] ? dir : "/tmp");
    /* mkstemp makes the name ours (0600, O_EXCL); the writer replaces
     * it through path.tmp and a rename. */
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(msg, cap, "cannot make a temporary file in %s",
                 dir && dir[0] ? dir : "/tmp");
        return ERR_IO;
    }
    close(fd);
    err_code e = hub_xlsx_write(path, b, msg, cap);
    if (e == ERR_OK) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            e = ERR_IO;
        } else {
            size_t got = 0, room = 64 * 1024;
            char *buf = malloc(room);
            size_t k;
            while (buf && (k = fread(buf + got, 1, room - got, f)) > 0) {
                got += k;
                if (got == room) {
                    char *nb = realloc(buf, room * 2);
                    if (!nb) {
                        free(buf);
                        buf = NULL;
                        break;
                    }
                    buf = nb;
                    room *= 2;
                }
            }
            if (!buf || ferror(f)) {
                free(buf);
                e = ERR_IO;
            } else {
                *out = buf;
                *len = got;
            }
            fclose(f);
        }
        if (e != ERR_OK)
            snprintf(msg, cap, "cannot read the workbook back");
    }
    unlink(path);
    return e;
}
