/* base/json.h - lenient field access on parsed cJSON objects: a
 * missing or mistyped field reads as "" or 0, so callers validate values,
 * not shapes. */
#ifndef JSON_H
#define JSON_H

#include <stdint.h>

#include <cjson/cJSON.h>

const char *json_str(const cJSON *obj, const char *key);
double      json_num(const cJSON *obj, const char *key);
/* A number in lo..hi, truncated to an integer; anything else reads as 0
 * (casting an out-of-range double is undefined behaviour). */
int64_t     json_int(const cJSON *obj, const char *key, int64_t lo,
                     int64_t hi);

#endif
