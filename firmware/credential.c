/* firmware/credential.c - turns a scanned line or a typed number into a
 * credential. A line is untrusted input from a USB device: bounded,
 * printable ASCII only, and anything unexpected is "unreadable". */
#include "firmware/credential.h"

#include <string.h>

#include "firmware/xmalloc.h"

#define CRED_PREFIX "KSK1:"

/* Member and technician ids: 1-31 of [A-Za-z0-9-]. */
static int id_ok(const char *id)
{
    size_t n = strlen(id);

    if (n == 0 || n >= CREDENTIAL_ID)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
              (c >= 'a' && c <= 'z') || c == '-'))
            return 0;
    }
    return 1;
}

static int kind_of(char c, enum credential_kind *kind)
{
    switch (c) {
    case 'M': *kind = CRED_MEMBER_CARD;  return 1;
    case 'R': *kind = CRED_REGISTRATION; return 1;
    case 'T': *kind = CRED_TECHNICIAN;   return 1;
    }
    return 0;
}

err_code credential_parse(const struct config *cfg, const char *line,
                          struct credential *out,
                          enum credential_refusal *why)
{
    size_t n = strnlen(line, CREDENTIAL_LINE_MAX + 1);
    const char *p = line;

    memset(out, 0, sizeof *out);
    *why = CRED_UNREADABLE;
    if (n == 0 || n > CREDENTIAL_LINE_MAX)
        return ERR_INVAL;
    if (strncmp(p, CRED_PREFIX, strlen(CRED_PREFIX)) == 0) {
        p += strlen(CRED_PREFIX);
        if (!kind_of(p[0], &out->kind) || p[1] != ':' || !id_ok(p + 2))
            return ERR_INVAL;
        str_copy(out->id, sizeof out->id, p + 2);
        *why = CRED_OK;
        return ERR_OK;
    }
    if (!id_ok(p))
        return ERR_INVAL;
    if (!cfg->allow_member_number) {
        *why = CRED_NUMBER_NOT_ALLOWED;
        return ERR_DENIED;
    }
    out->kind = CRED_MEMBER_NUMBER;
    str_copy(out->id, sizeof out->id, p);
    *why = CRED_OK;
    return ERR_OK;
}
