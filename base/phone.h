/* base/phone.h - members' phone numbers are never shown whole on a
 * shared screen: one masking rule for the hub's feed and the demo loader. */
#ifndef PHONE_H
#define PHONE_H

#define PHONE_MASKED 24

/* "13800000001" -> "138****0001"; "" for anything not 7-20 bytes long
 * (or NULL), so a malformed number is hidden, not shown. */
void phone_mask(const char *phone, char out[PHONE_MASKED]);

#endif
