/* firmware/techpin.h - the technician PIN, until technician credentials
 * land: stored in the config (kiosk.tech_pin_hash) as
 * "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>", never in clear. */
#ifndef TECHPIN_H
#define TECHPIN_H

#include <stddef.h>

#include "base/err.h"

#define TECHPIN_ITER_DEFAULT 100000
#define TECHPIN_ITER_MAX     10000000
#define TECHPIN_HASH_MAX     160      /* bytes of the stored form */
#define TECHPIN_PIN_MAX      32

/* Hash pin with a fresh random salt into out (TECHPIN_HASH_MAX bytes).
 * ERR_INVAL: empty or over-long PIN, iterations out of range; ERR_IO: no
 * randomness. */
err_code techpin_make(const char *pin, int iterations, char *out, size_t cap);

/* ERR_OK when pin matches stored; ERR_DENIED when it does not; ERR_INVAL
 * when stored is empty or malformed (technician mode is then closed). */
err_code techpin_verify(const char *stored, const char *pin);

#endif
