/* ui/screen_claim.h - claiming a post and asking to swap (screen_claim.c). */
#ifndef SCREEN_CLAIM_H
#define SCREEN_CLAIM_H

#include <stdbool.h>

#include "ui/app.h"

extern const struct screen_ops screen_claim_ops;

/* Claim a place on post_id, or (swap) ask to swap with one of its
 * holders: starts at "scan your card". */
void screen_claim_open(struct app *a, const char *post_id, bool swap);

/* A refusal's words in the shown language (the reason as given when
 * there are none: staff's own words). */
const char *claim_why(struct app *a, const char *why);

/* My record's part: the member's claims and swaps as rows; returns how
 * many were added. */
int post_claim_record_rows(struct app *a, const char *member_no,
                           struct widget_row *rows, int cap);

#endif
