/* hub/hub_publish.h - `hubctl publish`: the boards kiosks show, from
 * files of the demo format (the JSON files in assets/demo). Publishing compares
 * with what was published before and sends the kiosks only the
 * differences (put / del); a refused input changes nothing. */
#ifndef HUB_PUBLISH_H
#define HUB_PUBLISH_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "hub/hub_db.h"

/* Publish one board file: kind is posts, duty, contacts, notices or
 * stars; station NULL publishes to every station. utc_offset_minutes
 * places duty days and notice times. *changes gets how many changes the
 * kiosks will receive. */
err_code hub_publish_board(struct hub_db *db, const char *kind,
                           const char *path, const char *station,
                           int utc_offset_minutes, FILE *err, int *changes);

struct hub_publish_opts {
    const char *label;            /* names the input in messages */
    FILE       *err;              /* where bad items are reported */
    int         utc_offset_minutes;
    /* The console: dry_run changes nothing and tells diff each item that
     * would be added ('+', old NULL), changed ('~') or removed ('-', new
     * NULL), as JSON data; a notice's published_ms alone is no change.
     * bad (may be NULL) gets each bad item by its index (1 on) and
     * reason. actor (NULL: none) gets the audit line "board.publish",
     * object station:ID (board:all for every station), in the
     * publication's transaction. */
    bool        dry_run;
    const char *actor;
    void       *ctx;
    void      (*diff)(void *ctx, char what, const char *key,
                      const char *old_json, const char *new_json);
    void      (*bad)(void *ctx, int index, const char *why);
};
/* The same for items already parsed (a JSON array), e.g. a computed
 * star board. */
err_code hub_publish_items(struct hub_db *db, const char *kind,
                           const cJSON *arr, const char *station,
                           const struct hub_publish_opts *o, int *changes);

#endif
