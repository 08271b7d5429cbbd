/* base/phone.c - see phone.h. */
#include "base/phone.h"

#include <stdio.h>
#include <string.h>

void phone_mask(const char *phone, char out[PHONE_MASKED])
{
    size_t n = phone ? strlen(phone) : 0;

    if (n < 7 || n > 20) {
        out[0] = '\0';
        return;
    }
    snprintf(out, PHONE_MASKED, "%.3s****%s", phone, phone + n - 4);
}
