/* tests/fuzz/fuzz_proto.c - libFuzzer target for the small decoders of
 * sync/proto.c, each given the same input: the events upload (the hub's
 * widest input), the ack, the enrolment request and reply, a string
 * member, and the Kiosk-Status header. No input may crash or overrun a
 * cap, and an upload that decodes must come back the same through the
 * kiosk's encoder: what the hub stores is what was sent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/event.h"
#include "base/log.h"
#include "sync/proto.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PEM_MAX 4096           /* the callers' PKI_PEM_MAX */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_LVL_ERROR);
    return 0;
}

static void to_event(const struct proto_event *p, struct event *e)
{
    memset(e, 0, sizeof *e);
    e->seq = p->seq;
    e->kind = event_kind_parse(p->kind);
    memcpy(e->member_no, p->member_no, sizeof e->member_no);
    e->at.wall_ms = p->wall_ms;
    e->at.clock_trusted = p->clock_trusted;
    memcpy(e->at.boot_id, p->boot_id, sizeof e->at.boot_id);
    e->at.mono_ms = p->mono_ms;
    memcpy(e->data, p->data, sizeof e->data);
}

static bool same(const struct proto_event *a, const struct proto_event *b)
{
    return a->seq == b->seq && strcmp(a->kind, b->kind) == 0 &&
           strcmp(a->member_no, b->member_no) == 0 &&
           a->wall_ms == b->wall_ms && a->clock_trusted == b->clock_trusted &&
           strcmp(a->boot_id, b->boot_id) == 0 && a->mono_ms == b->mono_ms &&
           strcmp(a->data, b->data) == 0;
}

/* Decoded events re-encoded by the kiosk's encoder decode the same. */
static void events_round_trip(const struct proto_event *evs, size_t n,
                              const char *station)
{
    struct event *kev = calloc(n + 1, sizeof *kev);
    struct proto_event *back;
    char st2[64], *json;
    size_t len, n2;

    for (size_t i = 0; i < n; i++) {
        to_event(&evs[i], &kev[i]);
        if (kev[i].kind == 0)
            abort();                  /* decoded a kind it does not know */
    }
    proto_events_encode(kev, n, station, &json, &len);
    if (proto_events_decode(json, len, &back, &n2, st2, sizeof st2)
        != ERR_OK || n2 != n || strcmp(st2, station) != 0)
        abort();
    for (size_t i = 0; i < n; i++)
        if (!same(&evs[i], &back[i]))
            abort();
    free(back);
    free(json);
    free(kev);
}

static void decode_events(const char *json, size_t len)
{
    struct proto_event *evs;
    char station[64];
    size_t n;

    if (proto_events_decode(json, len, &evs, &n, station, sizeof station)
        != ERR_OK)
        return;
    if (n > PROTO_BATCH_MAX || strlen(station) >= sizeof station)
        abort();
    events_round_trip(evs, n, station);
    free(evs);
}

static void decode_small(const char *json, size_t len)
{
    static char code[32], csr[PEM_MAX], cert[PEM_MAX], station[64],
                device[64], name[128];
    uint64_t acked;
    int64_t hub_ms;

    if (proto_ack_decode(json, len, &acked, &hub_ms) == ERR_OK &&
        hub_ms < 0)
        abort();
    if (proto_enrol_decode(json, len, code, sizeof code, csr, sizeof csr)
        == ERR_OK && (strlen(code) >= sizeof code || strlen(csr) >= PEM_MAX))
        abort();
    if (proto_enrol_reply_decode(json, len, cert, sizeof cert, station,
                                 sizeof station, device, sizeof device)
        == ERR_OK && strlen(device) >= sizeof device)
        abort();
    (void)proto_get_string(json, len, "version", name, sizeof name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_status st;
    char *text = malloc(size + 1);

    memcpy(text, data, size);
    text[size] = '\0';
    decode_events((const char *)data, size);
    decode_small((const char *)data, size);
    /* The header arrives NUL-terminated from sync/http.c. */
    if (proto_status_parse(text, &st) == ERR_OK &&
        (strlen(st.version) >= sizeof st.version ||
         strlen(st.boot_id) >= sizeof st.boot_id))
        abort();
    free(text);
    return 0;
}
