/* base/err.h - the one error convention of the kiosk and the hub.
 * Anything that can fail returns err_code; results come back through
 * pointers. Library codes (SQLITE_*, MBEDTLS_ERR_*, errno) are translated
 * in the one file that calls that library, which also logs the detail. */
#ifndef ERR_H
#define ERR_H

typedef enum err_code {
    ERR_OK = 0,
    ERR_IO,           /* file, device or socket failed */
    ERR_DB,           /* sqlite refused; detail already logged */
    ERR_BUSY,         /* try later: db locked, hub busy */
    ERR_NET,          /* network unreachable or connection lost */
    ERR_TLS,          /* handshake or certificate failure */
    ERR_PROTO,        /* peer spoke nonsense */
    ERR_TIMEOUT,
    ERR_NOTFOUND,
    ERR_INVAL,        /* bad input: the caller's message says which */
    ERR_UNSUPPORTED,
    ERR_DENIED,       /* refused by policy: station, credential, permission */
    ERR_CORRUPT,      /* stored data is damaged or is not ours */
} err_code;

#include <stddef.h>

/* A short English name for logs, never shown to members. */
const char *err_str(err_code e);

/* Write a sentence for the person at the screen into msg (cap bytes, may
 * be 0) and return e: `return err_msg(msg, cap, ERR_DENIED, "...");`. */
err_code err_msg(char *msg, size_t cap, err_code e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
