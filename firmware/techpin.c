/* firmware/techpin.c - the technician PIN: the PBKDF2 form of
 * base/pinhash.h, kept in the config. */
#include "firmware/techpin.h"

#include "base/pinhash.h"

err_code techpin_make(const char *pin, int iterations, char *out, size_t cap)
{
    return pinhash_make(pin, iterations, out, cap);
}

err_code techpin_verify(const char *stored, const char *pin)
{
    return pinhash_verify(stored, pin);
}
