/* ui/screen_served.h - 服务确认 at the terminal: the resident who opened
 * their ticket with its PIN confirms, one by one, the members' pending
 * service logs that name the ticket (firmware/served.h), then goes back
 * to the ticket. */
#ifndef SCREEN_SERVED_H
#define SCREEN_SERVED_H

#include <stdbool.h>

#include "ui/app.h"

extern const struct screen_ops screen_served_ops;

/* Whether logs naming ticket wait for its resident here. */
bool screen_served_pending(struct app *a, const char *ticket);
/* Ask about them, with the PIN just checked; back to the ticket screen
 * when done. */
void screen_served_open(struct app *a, const char *ticket, const char *pin);

#endif
