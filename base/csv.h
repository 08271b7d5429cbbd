/* base/csv.h - CSV that a spreadsheet opens safely, and the one CSV line
 * splitter. Every text field is quoted (RFC 4180: a quote inside is
 * doubled), so a comma or line break in a name cannot shift columns; a
 * text cell that a spreadsheet would run as a formula (first character
 * = + - @, tab or carriage return) is written with a leading apostrophe,
 * which spreadsheets show as plain text. Numbers are written bare. Rows end
 * with "\n" (every spreadsheet and `cut` read it; RFC 4180's CRLF is not
 * needed by any reader we know of). */
#ifndef CSV_H
#define CSV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One text field, quoted and neutralised; NULL is written as "". A comma
 * goes before it unless it is the row's first. */
void csv_text(FILE *out, const char *s, bool first);
void csv_int(FILE *out, int64_t v, bool first);
void csv_end(FILE *out);

/* A header row from a comma-separated list of plain names. */
void csv_header(FILE *out, const char *names);

/* Whether a spreadsheet would take the cell as a formula (its first
 * character is = + - @, tab or CR). Roster import reports such values. */
bool csv_formula_like(const char *s);

/* Split one CSV line (RFC 4180 quoting) into at most `max` fields, in
 * place: f[i] points into line. Returns the field count, max + 1 when
 * there are more, or -1 for a broken quote. */
int csv_split(char *line, char **f, int max);

#endif
