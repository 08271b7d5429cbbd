/* web/ledger_words.h - what the ledger's pages (web/page_ledger.c,
 * web/page_ticket.c) share: a state's words by kind (a wish is 已认领 and
 * 已完成 where a request is 已交办 and 已答复, as on the kiosk), the types'
 * names looked up once a page, and a ticket's building and unit. */
#ifndef WEB_LEDGER_WORDS_H
#define WEB_LEDGER_WORDS_H

#include <stdio.h>

#include "base/ledger.h"
#include "hub/hub_db_ledger.h"
#include "web/web.h"

#define LEDGER_TYPES_CACHED 32

/* The types met on one page (a few), each read once. */
struct ledger_types {
    struct hub_ledger_type v[LEDGER_TYPES_CACHED];
    int                    n;
};

enum web_str ledger_state_str(enum ledger_kind k, enum ledger_state s);
/* The type's name in the page's language, or its code when unknown. */
const char  *ledger_type_label(struct web_req *req, struct ledger_types *c,
                               const char *code);
/* Building and unit as the kiosk's pickers give them (numbers: 3号楼
 * 2单元) or as written ("5栋"). */
void         ledger_place(const struct web_req *req, FILE *o,
                          const char *building, const char *unit);
/* A local day (UTC+8 on zh_CN, UTC on en, as html_time). */
void         ledger_day(const struct web_req *req, FILE *o, int64_t ms);

#endif
