/* base/json.c - see json.h. */
#include "base/json.h"

const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

double json_num(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

int64_t json_int(const cJSON *obj, const char *key, int64_t lo, int64_t hi)
{
    double d = json_num(obj, key);

    /* NaN fails both tests; (double)INT64_MAX rounds up to 2^63, which
     * does not fit, hence the last one. */
    if (!(d >= (double)lo && d <= (double)hi) || d >= 0x1p63)
        return 0;
    return (int64_t)d;
}
