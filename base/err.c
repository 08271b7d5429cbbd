/* base/err.c - names of error codes, for logs only. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>

const char *err_str(err_code e)
{
    switch (e) {
    case ERR_OK:          return "ok";
    case ERR_IO:          return "i/o error";
    case ERR_DB:          return "database error";
    case ERR_BUSY:        return "busy";
    case ERR_NET:         return "network error";
    case ERR_TLS:         return "tls error";
    case ERR_PROTO:       return "protocol error";
    case ERR_TIMEOUT:     return "timeout";
    case ERR_NOTFOUND:    return "not found";
    case ERR_INVAL:       return "invalid input";
    case ERR_UNSUPPORTED: return "unsupported";
    case ERR_DENIED:      return "denied";
    case ERR_CORRUPT:     return "corrupt data";
    }
    return "unknown error";
}

err_code err_msg(char *msg, size_t cap, err_code e, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (cap > 0)
        vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return e;
}
