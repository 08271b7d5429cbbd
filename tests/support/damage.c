/* tests/support/damage.c - see damage.h. dbstat finds the pages; plain
 * writes overwrite them, with no connection open. */
#include "tests/support/damage.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

/* Up to cap page numbers of table's leaf pages after skip; -1 on error. */
static int leaf_pages(const char *path, const char *table, int skip,
                      int *pages, int cap, int *page_size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT pageno, (SELECT page_size FROM"
                           " pragma_page_size) FROM dbstat WHERE name = ?"
                           " AND pagetype = 'leaf' ORDER BY pageno"
                           " LIMIT ? OFFSET ?", -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, cap);
    sqlite3_bind_int(st, 3, skip);
    n = 0;
    while (n < cap && sqlite3_step(st) == SQLITE_ROW) {
        pages[n++] = sqlite3_column_int(st, 0);
        *page_size = sqlite3_column_int(st, 1);
    }
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

int damage_table_pages(const char *path, const char *table, int skip,
                       int count)
{
    int pages[64], page_size = 4096, n, fd;
    char junk[65536];

    if (count > 64)
        count = 64;
    n = leaf_pages(path, table, skip, pages, count, &page_size);
    if (n <= 0 || page_size > (int)sizeof junk)
        return -1;
    memset(junk, 'X', sizeof junk);
    fd = open(path, O_WRONLY);
    if (fd < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (pwrite(fd, junk, (size_t)page_size,
                   (off_t)(pages[i] - 1) * page_size) != page_size)
            n = -1;
    close(fd);
    return n;
}
