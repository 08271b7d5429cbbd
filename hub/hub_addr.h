/* hub/hub_addr.h - what hubd knows of each peer address while it has
 * connections from it: how many are idle without having shown a client
 * certificate (the ones a flood is made of, capped per address), and what
 * went wrong with its connections lately, counted and written as one log
 * line per address per interval, within a budget of lines per minute for
 * all addresses together: a flood from one address costs a few lines
 * that name it, not a line per connection.
 *
 * Used by the server's event loop thread only: not thread safe. */
#ifndef HUB_ADDR_H
#define HUB_ADDR_H

#include <stdint.h>

#define HUB_ADDR_LOG_EVERY_MS 10000  /* one line per address per 10 s */
#define HUB_ADDR_LINES        20     /* lines per minute, all addresses */

enum hub_addr_event {
    HUB_ADDR_EVICTED,        /* idle unauthenticated, over a cap: closed */
    HUB_ADDR_REFUSED,        /* no room at all: closed at once */
    HUB_ADDR_TIMED_OUT,      /* idle past the timeout before a request */
    HUB_ADDR_FAILED,         /* handshake failed */
    HUB_ADDR_NEVENTS
};

struct hub_addr {
    char     name[64];
    int      conns;          /* open connections from it */
    int      idle_unauth;    /* of those, idle and not authenticated */
    unsigned count[HUB_ADDR_NEVENTS];  /* since its last line */
    char     last_failure[96];
    int64_t  since_ms;       /* the first event counted; 0: none */
    int64_t  logged_ms;      /* its last line; 0: never */
    struct hub_addr *next;   /* hash chain */
};

struct hub_addrs;

struct hub_addrs *hub_addrs_create(void);
void hub_addrs_destroy(struct hub_addrs *t);            /* NULL: no-op */
/* The record of name, made on first use. */
struct hub_addr *hub_addrs_get(struct hub_addrs *t, const char *name);
/* Drop a record nothing refers to any more (no connections, nothing
 * left to log). */
void hub_addrs_release(struct hub_addrs *t, struct hub_addr *a);
/* Count an event of a (why: the handshake's failure, or NULL); logs at
 * once if the address's line is due. */
void hub_addrs_note(struct hub_addrs *t, struct hub_addr *a,
                    enum hub_addr_event ev, const char *why, int64_t now_ms);
/* Write the lines that have come due (call about once a second). */
void hub_addrs_flush(struct hub_addrs *t, int64_t now_ms);
/* Lines written so far (for tests). */
unsigned hub_addrs_lines(const struct hub_addrs *t);

#endif
