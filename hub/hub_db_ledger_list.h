/* hub/hub_db_ledger_list.h - the ledger's lists for staff pages (the
 * console's /ledger and the dashboard): tickets filtered in SQL by the
 * user's stations, one station, kind, state (or "open", "overdue") and
 * the filing period, newest first and a page at a time; the counts by
 * state for the same filters; and the overdue tickets per station as
 * one COUNT query. "Overdue" here is hub_ledger_overdue's rule written
 * in SQL (not answered or closed, a deadline, and past it): the test
 * (tests/test_ledger_list.c) checks the two agree. */
#ifndef HUB_DB_LEDGER_LIST_H
#define HUB_DB_LEDGER_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "hub/hub_db.h"
#include "hub/hub_db_ledger.h"

/* Tables' indexes (hub_db_open runs it). */
err_code hub_db_ledger_list_migrate(struct hub_db *db);

struct hub_ledger_filter {
    /* The stations the caller may see: n_stations of them; stations
     * NULL means every station (an administrator). An empty list (not
     * NULL, n 0) matches nothing. */
    const char *const *stations;
    size_t             n_stations;
    const char        *station;     /* one station, or NULL */
    int                kind;        /* enum ledger_kind, 0: any */
    /* NULL or "": any; "open": not closed; "overdue"; or a state's
     * name (ledger_state_name). */
    const char        *state;
    int64_t            from_ms, to_ms;  /* filed in [from, to); 0: open */
    int64_t            now_ms;          /* for overdue */
    int                limit, offset;   /* the page; limit 0: 50 */
};

/* The tickets matching f, newest first (filed_ms, then ticket, both
 * descending), the page of f->limit from f->offset, to fn; *total: how
 * many match in all. The ticket's phone and PIN hash are not read.
 * ERR_INVAL: an unknown state word. */
err_code hub_db_ledger_search(struct hub_db *db,
                              const struct hub_ledger_filter *f,
                              void (*fn)(void *ctx,
                                         const struct hub_ticket *t),
                              void *ctx, int64_t *total);

/* For f's stations, station, kind and period (its state ignored): how
 * many tickets in each state (by_state[LEDGER_REGISTERED ..
 * LEDGER_REOPENED]) and how many overdue. */
err_code hub_db_ledger_counts(struct hub_db *db,
                              const struct hub_ledger_filter *f,
                              int64_t by_state[LEDGER_REOPENED + 1],
                              int64_t *overdue);

/* The overdue tickets at now_ms of every station that has any: one
 * row a station. */
err_code hub_db_ledger_overdue_count(struct hub_db *db, int64_t now_ms,
                                     void (*fn)(void *ctx,
                                                const char *station,
                                                int64_t n),
                                     void *ctx);

#endif
