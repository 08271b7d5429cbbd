/* base/ledger_pin.c - a ticket PIN's hash (base/ledger.h), apart from
 * the rules so that what only parses needs no hashing. */
#include "base/ledger.h"

#include <stdio.h>

#include "base/sig_mbedtls.h"

void ledger_pin_hash(const char *ticket, const char *pin,
                     char out[LEDGER_PIN_HASH])
{
    char buf[LEDGER_TICKET + 32];
    uint8_t h[SIG_HASH_LEN];
    int n = snprintf(buf, sizeof buf, "ledger-pin:%s:%s", ticket, pin);
    sig_sha256(buf, (size_t)n, h);
    for (size_t i = 0; i < SIG_HASH_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}
