/* firmware/update_int.h - what update.c (installing) and update_launch.c
 * (the trial supervisor) share: the slot layout and the trial record.
 * Private to the update module. */
#ifndef UPDATE_INT_H
#define UPDATE_INT_H

#include <stdbool.h>

#include "base/bundle.h"
#include "firmware/update.h"

struct update_trial {
    char slot[2];                   /* "a" or "b": on trial */
    char previous[2];               /* "a", "b", or "" for the factory */
    int  boots;                     /* starts so far */
    char version[BUNDLE_VERSION_MAX];
    char from[BUNDLE_VERSION_MAX];  /* version it replaced */
};

/* The slot `current` names ("a"/"b"), or "" when it is absent or odd. */
void     update_current_slot(const char *root, char slot[2]);
/* Point `current` at slots/<slot> (or remove it for "") atomically. */
err_code update_switch(const char *root, const char *slot);
err_code update_trial_read(const char *root, struct update_trial *t);
err_code update_trial_write(const char *root, const struct update_trial *t);
err_code update_trial_clear(const char *root);
/* rm -rf; the path must be under a root we own. */
err_code update_remove_tree(const char *path);
/* Version of an installed directory (from its MANIFEST). */
err_code update_dir_version(const char *dir, char *version, size_t cap);

#endif
