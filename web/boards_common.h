/* web/boards_common.h - what the boards pages (notices, posts, duty,
 * contacts) share: the station they work on, the whole list in
 * `hubctl publish KIND`'s JSON format, and publishing in two steps
 * through hub_publish_items (the same path and checks as hubctl): the
 * POST without confirm=1 shows the diff (added, changed, removed) or the
 * bad items, nothing changed; with confirm=1 it publishes, audited
 * (board.publish), and redirects to the page. Each page gives how one
 * item is drawn in the diff and its own forms. Names start "boards_":
 * "board_" is the kiosk's hardware layer (board/), which the layer check
 * (tests/layers_test.sh) keeps out of hubd by that prefix. */
#ifndef WEB_BOARDS_COMMON_H
#define WEB_BOARDS_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "web/web.h"

#define BOARD_ZONE_MIN (8 * 60)           /* the stations' UTC+8 */
#define BOARD_DAY_MS   (24LL * 3600 * 1000)

struct boards_page {
    const char   *kind;     /* hubctl's word: "notices", "posts", ... */
    const char   *type;     /* the published change type: "notice" ... */
    const char   *path;     /* "/boards/notices" */
    enum web_str  title;
    /* One item's published data (JSON) in the diff: what is added or
     * removed, or one side of a change. */
    void (*draw)(struct web_req *req, FILE *o, const char *key,
                 const char *json);
    /* Optional: after an added or changed item (the notices' kiosk
     * preview). */
    void (*after)(struct web_req *req, FILE *o, const char *key,
                  const char *json);
    /* The page's edit forms under a preview, for `list` (the JSON text
     * being previewed). */
    void (*forms)(struct web_req *req, FILE *o, const char *station,
                  const char *list);
};

/* The station named (may be "") that the user may see or change (want),
 * or the first of the scope; false: none (404 when one was named). */
bool boards_pick_station(struct web_req *req, const char *named,
                        enum hub_access want, char *out, size_t cap);
/* The page's GET prologue: the station from ?station=, 404 for one out
 * of scope, a page saying there is none; then the frame, the
 * "published" notice after a publication and the station selector.
 * false: the answer is complete. */
bool boards_get_begin(struct web_req *req, struct web_resp *resp,
                     const struct boards_page *p, char *station, size_t cap);

/* The current items of the station as the publish format's array, each
 * made by conv from its key and published data (NULL: leave it out). */
cJSON *boards_current(struct web_req *req, const char *station,
                     const char *type,
                     cJSON *(*conv)(struct web_req *req, const char *key,
                                    const cJSON *data));

/* The "whole list" form: the publish JSON in a labelled textarea. */
void boards_json_form(struct web_req *req, FILE *o, const char *path,
                     const char *station, const char *list);
/* <input type=hidden name=NAME value=VALUE>. */
void boards_hidden(FILE *o, const char *name, const char *value);

/* The list as the hidden field "items", compact (a form's body is at
 * most WEB_BODY_MAX, and every CJK character costs 9 bytes in it). */
void boards_items_hidden(FILE *o, const char *list);

/* The POST's end: arr (owned, may be NULL: not a list) previewed or, with
 * confirm=1, published to station; the whole answer written. The
 * preview's "publish" button carries the list itself, or, when replay
 * names the form's fields (NULL-terminated), those fields again: an edit
 * made from the page (which sent no list) is made again on what is
 * published when confirmed, so a large board never has to travel
 * whole. */
void boards_post_finish(struct web_req *req, struct web_resp *resp,
                       const struct boards_page *p, const char *station,
                       cJSON *arr, const char *const *replay);
/* The POST's start: the station from the form, checked for HUB_CHANGE
 * (false: 404 written). */
bool boards_post_station(struct web_req *req, struct web_resp *resp,
                        char *station, size_t cap);
/* The "items" field (the whole list) when the form sent one, parsed;
 * NULL when absent. *sent says whether it was there. */
cJSON *boards_items_field(struct web_req *req, bool *sent);

/* A cell's label shown only on a phone, where a table row becomes a
 * card without its header ("岗长："). */
void boards_cell_label(struct web_req *req, FILE *o, enum web_str label);

/* A string member of a JSON object, or "". */
/* The opening of an item's folding edit form: <details><summary> with
 * "修改", its name and id; open when it is the item just edited (the
 * form's `field` names its id). Close it with "</details>". */
void boards_edit_open(struct web_req *req, FILE *o, const cJSON *item,
                      const char *field);
/* The end of an item's edit form (posts, contacts): its duties as a
 * labelled textarea, a "remove" box when the item exists, the preview
 * button, and the form's close. pfx: the form's id prefix. */
void boards_form_end(struct web_req *req, FILE *o, const char *pfx,
                     enum web_str duties_label, const char *duties,
                     bool existing);
const char *boards_jstr(const cJSON *o, const char *k);
/* The local day number (UTC+8) of a time. */
long boards_day(int64_t ms);

#endif
