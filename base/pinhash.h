/* base/pinhash.h - a PIN kept as "pbkdf2-sha256$<iterations>$<salt hex>$
 * <hash hex>", never in clear: the technician PIN in the kiosk's config
 * (firmware/techpin.h) and members' PINs, which the hub hashes
 * (`hubctl member-pin`) and sends in the roster feed. */
#ifndef PINHASH_H
#define PINHASH_H

#include <stddef.h>

#include "base/err.h"

#define PINHASH_ITER_MAX     10000000
#define PINHASH_HASH_MAX     160      /* bytes of the stored form */
#define PINHASH_PIN_MAX      32

/* Hash pin with a fresh random salt into out (PINHASH_HASH_MAX bytes).
 * ERR_INVAL: empty or over-long PIN, iterations out of range; ERR_IO: no
 * randomness. */
err_code pinhash_make(const char *pin, int iterations, char *out, size_t cap);

/* ERR_OK when pin matches stored; ERR_DENIED when it does not; ERR_INVAL
 * when stored is empty or malformed. */
err_code pinhash_verify(const char *stored, const char *pin);

#endif
