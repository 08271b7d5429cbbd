/* ui/screen_ticket.h - the residents' screens: filing a request (我要反映)
 * or a small wish (微心愿) in large steps (screen_request.c), the status
 * of a ticket and the sign-off behind its PIN (screen_ticket.c), the
 * wish wall where members claim and complete wishes with their card
 * (screen_wish.c), and what they share (screen_ticket_common.c): names
 * in the shown language and the printed receipt. No resident's name and
 * no phone number is ever drawn. */
#ifndef SCREEN_TICKET_H
#define SCREEN_TICKET_H

#include <stdbool.h>
#include <stdint.h>

#include "base/ledger.h"
#include "firmware/store_ledger.h"
#include "firmware/ticket.h"
#include "ui/app.h"

extern const struct screen_ops screen_request_ops, screen_ticket_ops,
    screen_wish_ops;

/* Start filing a request or a wish. */
void screen_request_open(struct app *a, enum ledger_kind kind);
/* The status desk, with an empty number. */
void screen_ticket_open(struct app *a);
/* The wish wall. */
void screen_wish_open(struct app *a);

/* My record's part: a member's claimed wishes as rows (for the record
 * screen's list); returns how many were added. */
int wish_record_rows(struct app *a, const char *member_no,
                     struct widget_row *rows, int cap);

/* A type's name in the shown language (the hub's names), or its code. */
const char *ticket_type_name(struct app *a, const char *code);
/* "已受理" / "Accepted"; a wish's own words where they differ. */
const char *ticket_state_name(struct app *a, enum ledger_kind k,
                              enum ledger_state s);
/* "2026-11-23 09:30" in the station's time; "" for 0. */
const char *ticket_when(struct app *a, int64_t ms);
/* A building and unit as shown ("3号楼 2单元"). */
const char *ticket_place(struct app *a, const char *building,
                         const char *unit);
/* Print the receipt of a ticket just filed: true when the printer took
 * it; false when none is fitted, it is out of paper or offline (the
 * screen then asks to note the number). */
bool ticket_print(struct app *a, const struct ticket *t,
                  const struct ticket_filed *f);

/* The building and unit pickers the ledger's screens share (a request,
 * the duty desk's visitor): the station's places are its contacts'.
 * ticket_pick_building: the i-th building into building (cap 16), unit
 * cleared; -1 when i is out of range (nothing changed), 1 when the
 * building has units to pick, 0 when not. ticket_pick_unit: i 0 is the
 * whole building, i > 0 the (i-1)-th unit; false when out of range. */
bool ticket_has_places(struct app *a);
int  ticket_pick_building(struct app *a, int i, char *building, char *unit);
bool ticket_pick_unit(struct app *a, const char *building, int i,
                      char *unit);

#endif
