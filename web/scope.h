/* web/scope.h - the stations of the user's scope (for the pages that
 * work on one station: roster, boards, fleet). */
#ifndef WEB_SCOPE_H
#define WEB_SCOPE_H

#include <stddef.h>

#include "web/web.h"

struct scope_station {
    char id[64], name[128];
};
/* The stations the user may see (want HUB_SEE) or change (HUB_CHANGE),
 * as a malloc'd array (free it); *n gets how many. */
struct scope_station *scope_stations(struct web_req *req,
                                     enum hub_access want, size_t *n);
/* A <select> of them named "station" with its label; cur selected. */
void scope_select(struct web_req *req, FILE *o, const char *label,
                  const struct scope_station *v, size_t n, const char *cur);
/* A short notice paragraph (cls "notice", "notice error"). */
void scope_notice(FILE *o, const char *cls, const char *role,
                  const char *text);

#endif
