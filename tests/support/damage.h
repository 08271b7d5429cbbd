/* tests/support/damage.h - damage a closed SQLite file on purpose, the way
 * a failing SD card or disk does: whole pages overwritten with junk. */
#ifndef DAMAGE_H
#define DAMAGE_H

/* Overwrite `count` leaf pages of `table` (its b-tree, or an index's
 * name), skipping its first `skip` leaf pages, in the database file at
 * path (no connection may have it open). Returns how many pages were
 * overwritten, -1 on error. */
int damage_table_pages(const char *path, const char *table, int skip,
                       int count);

#endif
