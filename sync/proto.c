/* sync/proto.c - sync protocol v1 JSON, built and read with cJSON. Knows
 * the shapes of messages, not where they travel. */
#include "sync/proto.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/log.h"
#include "base/xmalloc.h"

/* cJSON keeps numbers as doubles, exact up to 2^53, but prints them
 * exactly only below 2^52 (its %1.15g shortcut tolerates an error of one
 * unit above that): the cap, so what is decoded re-encodes the same. */
#define JSON_INT_MAX 4503599627370496.0

static cJSON *event_json(const struct event *ev)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "seq", (double)ev->seq);
    cJSON_AddStringToObject(o, "kind", event_kind_name(ev->kind));
    cJSON_AddStringToObject(o, "member_no", ev->member_no);
    cJSON_AddNumberToObject(o, "wall_ms", (double)ev->at.wall_ms);
    cJSON_AddBoolToObject(o, "clock_trusted", ev->at.clock_trusted);
    cJSON_AddStringToObject(o, "boot_id", ev->at.boot_id);
    cJSON_AddNumberToObject(o, "mono_ms", (double)ev->at.mono_ms);
    cJSON *data = cJSON_Parse(ev->data[0] ? ev->data : "{}");
    if (!data || !cJSON_IsObject(data)) {
        /* Our own store wrote it; keep the text rather than lose it. */
        log_warn("proto: event %" PRIu64 " has malformed data", ev->seq);
        cJSON_Delete(data);
        data = cJSON_CreateObject();
        cJSON_AddStringToObject(data, "unparsed", ev->data);
    }
    cJSON_AddItemToObject(o, "data", data);
    return o;
}

err_code proto_events_encode(const struct event *evs, size_t n,
                             const char *station, char **json, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    if (station && station[0])
        cJSON_AddStringToObject(root, "station", station);
    cJSON *arr = cJSON_AddArrayToObject(root, "events");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, event_json(&evs[i]));
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();                             /* out of memory */
    *len = strlen(*json);
    return ERR_OK;
}

static bool get_int(const cJSON *o, const char *name, int64_t lo, int64_t hi,
                    int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
        fabs(v->valuedouble) > JSON_INT_MAX)
        return false;
    double d = v->valuedouble;
    if (d < (double)lo || d > (double)hi)
        return false;
    *out = (int64_t)d;
    return true;
}

static bool get_str(const cJSON *o, const char *name, char *out, size_t cap,
                    bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v) {
        out[0] = '\0';
        return !required;
    }
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
        return false;
    memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
    return true;
}

static bool kind_known(const char *k)
{
    return strcmp(k, "check_in") == 0 || strcmp(k, "check_out") == 0 ||
           strcmp(k, "service_log") == 0 || strcmp(k, "registration") == 0 ||
           strcmp(k, "rollback") == 0;
}

static bool event_from(const cJSON *o, struct proto_event *ev)
{
    int64_t seq, wall, mono;
    if (!cJSON_IsObject(o) || !get_int(o, "seq", 1, INT64_MAX, &seq) ||
        !get_int(o, "wall_ms", 0, INT64_MAX, &wall) ||
        !get_int(o, "mono_ms", 0, INT64_MAX, &mono))
        return false;
    ev->seq = (uint64_t)seq;
    ev->wall_ms = wall;
    ev->mono_ms = mono;
    if (!get_str(o, "kind", ev->kind, sizeof ev->kind, true) ||
        !kind_known(ev->kind) ||
        !get_str(o, "member_no", ev->member_no, sizeof ev->member_no, true) ||
        !get_str(o, "boot_id", ev->boot_id, sizeof ev->boot_id, false))
        return false;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "clock_trusted");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "data");
    if (!cJSON_IsBool(t) || (d && !cJSON_IsObject(d)))
        return false;
    ev->clock_trusted = cJSON_IsTrue(t);
    if (!d) {
        strcpy(ev->data, "{}");
        return true;
    }
    return cJSON_PrintPreallocated((cJSON *)d, ev->data, sizeof ev->data,
                                   0) != 0;
}

err_code proto_events_decode(const char *json, size_t len,
                             struct proto_event **out, size_t *n,
                             char *station, size_t station_cap)
{
    *out = NULL;
    *n = 0;
    station[0] = '\0';
    if (len > PROTO_BODY_MAX)
        return ERR_PROTO;
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "events");
    int count = cJSON_GetArraySize(arr);
    if (!cJSON_IsObject(root) || !cJSON_IsArray(arr) || count < 0 ||
        count > PROTO_BATCH_MAX ||
        !get_str(root, "station", station, station_cap, false)) {
        cJSON_Delete(root);
        return ERR_PROTO;
    }
    struct proto_event *evs = xcalloc((size_t)count + 1, sizeof *evs);
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (!event_from(it, &evs[i])) {
            free(evs);
            cJSON_Delete(root);
            return ERR_PROTO;
        }
        i++;
    }
    cJSON_Delete(root);
    *out = evs;
    *n = i;
    return ERR_OK;
}

err_code proto_ack_encode(uint64_t acked, int64_t hub_ms, char *out,
                          size_t cap)
{
    int n = snprintf(out, cap, "{\"acked\":%" PRIu64 ",\"hub_time_ms\":%"
                     PRId64 "}", acked, hub_ms);
    return n > 0 && (size_t)n < cap ? ERR_OK : ERR_INVAL;
}

err_code proto_ack_decode(const char *json, size_t len, uint64_t *acked,
                          int64_t *hub_ms)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    int64_t a, t;
    bool ok = cJSON_IsObject(root) &&
              get_int(root, "acked", 0, INT64_MAX, &a) &&
              get_int(root, "hub_time_ms", 0, INT64_MAX, &t);
    cJSON_Delete(root);
    if (!ok)
        return ERR_PROTO;
    *acked = (uint64_t)a;
    *hub_ms = t;
    return ERR_OK;
}

err_code proto_page_peek(const char *json, size_t len, char *cursor,
                         size_t cap, bool *more, int64_t *hub_ms)
{
    if (len > PROTO_PAGE_MAX)
        return ERR_PROTO;
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "more");
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(root, "changes");
    bool ok = cJSON_IsObject(root) && cJSON_IsArray(ch) && cJSON_IsBool(m) &&
              get_str(root, "cursor", cursor, cap, true) &&
              get_int(root, "hub_time_ms", 0, INT64_MAX, hub_ms);
    if (ok)
        *more = cJSON_IsTrue(m);
    cJSON_Delete(root);
    return ok ? ERR_OK : ERR_PROTO;
}

void proto_status_format(const struct proto_status *st, char *out,
                         size_t cap)
{
    snprintf(out, cap, "v=%s;q=%" PRIu64 ";off=%" PRId64 ";boot=%s;mono=%"
             PRId64 ";wall=%" PRId64, st->version, st->queue, st->offset_ms,
             st->boot_id, st->mono_ms, st->wall_ms);
}

static bool status_field(struct proto_status *st, const char *k,
                         const char *v)
{
    if (strcmp(k, "v") == 0)
        return str_copy(st->version, sizeof st->version, v) == 0;
    if (strcmp(k, "boot") == 0)
        return str_copy(st->boot_id, sizeof st->boot_id, v) == 0;
    int64_t *num = strcmp(k, "off") == 0    ? &st->offset_ms
                 : strcmp(k, "mono") == 0 ? &st->mono_ms
                 : strcmp(k, "wall") == 0 ? &st->wall_ms : NULL;
    bool queue = strcmp(k, "q") == 0;
    if (!num && !queue)
        return true;              /* unknown keys: a newer kiosk */
    char *end = NULL;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || (queue && n < 0))
        return false;
    if (queue)
        st->queue = (uint64_t)n;
    else
        *num = n;
    return true;
}

err_code proto_status_parse(const char *s, struct proto_status *st)
{
    memset(st, 0, sizeof *st);
    char buf[256];
    if (str_copy(buf, sizeof buf, s) != 0)
        return ERR_PROTO;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ";", &save); tok;
         tok = strtok_r(NULL, ";", &save)) {
        while (*tok == ' ')
            tok++;
        char *eq = strchr(tok, '=');
        if (!eq)
            return ERR_PROTO;
        *eq = '\0';
        if (!status_field(st, tok, eq + 1))
            return ERR_PROTO;
    }
    return ERR_OK;
}

err_code proto_enrol_encode(const char *code, const char *csr, char **json)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "code", code);
    cJSON_AddStringToObject(root, "csr", csr);
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();
    return ERR_OK;
}

err_code proto_enrol_decode(const char *json, size_t len, char *code,
                            size_t code_cap, char *csr, size_t csr_cap)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    bool ok = cJSON_IsObject(root) &&
              get_str(root, "code", code, code_cap, true) &&
              get_str(root, "csr", csr, csr_cap, true);
    cJSON_Delete(root);
    return ok ? ERR_OK : ERR_PROTO;
}

err_code proto_enrol_reply_encode(const char *cert, const char *station,
                                  const char *device, char **json)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "cert", cert);
    cJSON_AddStringToObject(root, "station", station);
    cJSON_AddStringToObject(root, "device", device);
    *json = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!*json)
        abort();
    return ERR_OK;
}

err_code proto_enrol_reply_decode(const char *json, size_t len, char *cert,
                                  size_t cert_cap, char *station,
                                  size_t scap, char *device, size_t dcap)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    bool ok = cJSON_IsObject(root) &&
              get_str(root, "cert", cert, cert_cap, true) &&
              get_str(root, "station", station, scap, true) &&
              get_str(root, "device", device, dcap, true);
    cJSON_Delete(root);
    return ok ? ERR_OK : ERR_PROTO;
}

void proto_error(const char *why, char *out, size_t cap)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "error", why);
    if (!cJSON_PrintPreallocated(root, out, (int)cap, 0))
        str_copy(out, cap, "{\"error\":\"?\"}");
    cJSON_Delete(root);
}

err_code proto_get_string(const char *json, size_t len, const char *name,
                          char *out, size_t cap)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);
    err_code e = ERR_OK;
    if (!cJSON_IsString(v))
        e = ERR_NOTFOUND;
    else if (str_copy(out, cap, v->valuestring) != 0)
        e = ERR_INVAL;
    cJSON_Delete(root);
    return e;
}
