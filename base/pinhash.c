/* base/pinhash.c - PBKDF2-HMAC-SHA256 (base/sig_mbedtls) for the
 * technician PIN and members' PINs. Comparison is constant-time; the stored
 * form is parsed with hard caps, since it comes from a config file or the
 * hub's feed. */
#include "base/pinhash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/sig_mbedtls.h"

#define SALT_LEN 16
#define KEY_LEN  32
#define PREFIX   "pbkdf2-sha256$"

static err_code derive(const char *pin, const unsigned char *salt,
                       size_t salt_len, int iter, unsigned char key[KEY_LEN])
{
    return sig_pbkdf2_sha256(pin, salt, salt_len, (unsigned)iter, key,
                             KEY_LEN);
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly n bytes of hex from s up to stop; false otherwise. */
static int from_hex(const char *s, const char *stop, unsigned char *out,
                    size_t n)
{
    if ((size_t)(stop - s) != 2 * n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int hi = hex_val(s[2 * i]), lo = hex_val(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return 0;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 1;
}

static int pin_ok(const char *pin)
{
    size_t n = strnlen(pin, PINHASH_PIN_MAX + 1);

    return n > 0 && n <= PINHASH_PIN_MAX;
}

err_code pinhash_make(const char *pin, int iterations, char *out, size_t cap)
{
    unsigned char salt[SALT_LEN], key[KEY_LEN];
    char salt_hex[2 * SALT_LEN + 1], key_hex[2 * KEY_LEN + 1];
    FILE *f;
    err_code e;

    if (!pin_ok(pin) || iterations < 1 || iterations > PINHASH_ITER_MAX ||
        cap < PINHASH_HASH_MAX)
        return ERR_INVAL;
    f = fopen("/dev/urandom", "rb");
    if (f == NULL || fread(salt, 1, SALT_LEN, f) != SALT_LEN) {
        if (f)
            fclose(f);
        return ERR_IO;
    }
    fclose(f);
    e = derive(pin, salt, SALT_LEN, iterations, key);
    if (e != ERR_OK)
        return e;
    to_hex(salt, SALT_LEN, salt_hex);
    to_hex(key, KEY_LEN, key_hex);
    snprintf(out, cap, PREFIX "%d$%s$%s", iterations, salt_hex, key_hex);
    return ERR_OK;
}

err_code pinhash_verify(const char *stored, const char *pin)
{
    unsigned char salt[SALT_LEN], want[KEY_LEN], got[KEY_LEN], diff = 0;
    const char *p, *d1, *d2;
    char *end;
    long iter;

    if (stored == NULL || strncmp(stored, PREFIX, strlen(PREFIX)) != 0 ||
        strnlen(stored, PINHASH_HASH_MAX) >= PINHASH_HASH_MAX)
        return ERR_INVAL;
    p = stored + strlen(PREFIX);
    iter = strtol(p, &end, 10);
    if (end == p || *end != '$' || iter < 1 || iter > PINHASH_ITER_MAX)
        return ERR_INVAL;
    d1 = end + 1;
    d2 = strchr(d1, '$');
    if (d2 == NULL || !from_hex(d1, d2, salt, SALT_LEN) ||
        !from_hex(d2 + 1, d2 + 1 + strlen(d2 + 1), want, KEY_LEN))
        return ERR_INVAL;
    if (!pin_ok(pin))
        return ERR_DENIED;
    if (derive(pin, salt, SALT_LEN, (int)iter, got) != ERR_OK)
        return ERR_UNSUPPORTED;
    for (size_t i = 0; i < KEY_LEN; i++)
        diff |= got[i] ^ want[i];
    return diff == 0 ? ERR_OK : ERR_DENIED;
}
