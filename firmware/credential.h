/* firmware/credential.h - what a scanned line or typed number means.
 * Today a card carries "KSK1:<kind>:<id>"; the signed-credential work
 * replaces the inside of credential_parse with signature checks and keeps
 * this interface. */
#ifndef CREDENTIAL_H
#define CREDENTIAL_H

#include <stddef.h>

#include "firmware/config.h"
#include "firmware/err.h"

enum credential_kind {
    CRED_MEMBER_CARD,       /* check in / out */
    CRED_REGISTRATION,      /* 报到 with this community */
    CRED_TECHNICIAN,        /* opens technician mode */
    CRED_MEMBER_NUMBER,     /* typed or a bare number scanned */
};

enum credential_refusal {
    CRED_OK = 0,
    CRED_UNREADABLE,        /* not a credential at all */
    CRED_NUMBER_NOT_ALLOWED,/* plain numbers are off at this station */
};

#define CREDENTIAL_ID 32
#define CREDENTIAL_LINE_MAX 512     /* a scanner line longer is garbage */

struct credential {
    enum credential_kind kind;
    char                 id[CREDENTIAL_ID];   /* member or technician id */
};

/* ERR_INVAL with *why set when the line is unreadable; ERR_DENIED when
 * it is a plain number and the station does not take those. */
err_code credential_parse(const struct config *cfg, const char *line,
                          struct credential *out,
                          enum credential_refusal *why);

#endif
