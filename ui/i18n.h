/* ui/i18n.h - the string tables (assets/i18n/<lang>.txt): every word the
 * kiosk shows comes from here, so C code holds keys, never text. A file
 * is lines of "key = value" ('#' starts a comment, "\n" in a value is a
 * line break). */
#ifndef I18N_H
#define I18N_H

#include <stddef.h>

#include "base/err.h"

#define I18N_MAX_ENTRIES 1024
#define I18N_MAX_FILE    (256 * 1024)

struct i18n;

/* Load dir/<lang>.txt. ERR_IO: missing; ERR_INVAL: a malformed line
 * (logged with its number). */
err_code i18n_load(const char *dir, const char *lang, struct i18n **out);
void     i18n_destroy(struct i18n *t);              /* NULL is a no-op */

/* The text for key; the key itself when the table lacks it, so a gap
 * shows on screen instead of crashing. */
const char *i18n_get(const struct i18n *t, const char *key);
/* Whether key is present. */
int         i18n_has(const struct i18n *t, const char *key);
const char *i18n_lang(const struct i18n *t);

#endif
