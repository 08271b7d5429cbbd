/* ui/screen_desk.h - the duty desk (来访登记): the form the member on
 * duty fills for each visitor (screen_desk.c) and the day's desk log for
 * staff in technician mode (screen_desklog.c). firmware/desk.h decides
 * who may open it and stores what is logged. */
#ifndef SCREEN_DESK_H
#define SCREEN_DESK_H

#include "ui/app.h"

extern const struct screen_ops screen_desk_ops, screen_desklog_ops;

/* The desk, asking for the duty member's card. */
void screen_desk_open(struct app *a);
/* The desk for member_no, identified (a card, or a number and its
 * PIN): the form when they may open it, else the refusal and why. */
void screen_desk_member(struct app *a, const char *member_no);
/* Today's visitors at this kiosk (technician mode). */
void screen_desklog_open(struct app *a);

#endif
