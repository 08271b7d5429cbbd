/* base/json.h - lenient field access on parsed cJSON objects: a
 * missing or mistyped field reads as "" or 0, so callers validate values,
 * not shapes. */
#ifndef JSON_H
#define JSON_H

#include <cjson/cJSON.h>

const char *json_str(const cJSON *obj, const char *key);
double      json_num(const cJSON *obj, const char *key);

#endif
