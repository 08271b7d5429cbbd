/* sync/sync_enrol.c - kiosk-side enrolment (see sync_enrol.h). */
#include "sync/sync_enrol.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "sync/pki.h"
#include "sync/proto.h"
#include "sync/sync_link.h"

static err_code exchange(const struct sync_enrol_opts *o, const char *csr,
                         char *cert, size_t ccap, char *station, size_t scap,
                         char *device, size_t dcap)
{
    struct sync_link_opts lo = { .host = o->host, .port = o->port,
                                 .ca_file = o->ca_file,
                                 .timeout_ms = o->timeout_ms,
                                 .max_reply = 64 * 1024 };
    struct sync_link *l = NULL;
    err_code e = sync_link_create(&lo, &l);
    if (e != ERR_OK)
        return e;
    char *body = NULL;
    proto_enrol_encode(o->code, csr, &body);
    struct http_msg resp;
    e = sync_link_request(l, "POST", "/v1/enrol", "", body, strlen(body),
                          &resp);
    free(body);
    if (e == ERR_OK && resp.status != 200) {
        log_warn("enrol: hub answered %d %.120s", resp.status, resp.body);
        e = resp.status < 500 ? ERR_DENIED : ERR_BUSY;
    } else if (e == ERR_OK) {
        e = proto_enrol_reply_decode(resp.body, resp.body_len, cert, ccap,
                                     station, scap, device, dcap);
    }
    http_msg_free(&resp);
    sync_link_destroy(l);
    return e;
}

err_code sync_enrol(const struct sync_enrol_opts *o, char *station,
                    size_t scap, char *device, size_t dcap)
{
    err_code e = ERR_OK;
    if (access(o->key_file, R_OK) != 0)
        e = pki_key_new(o->key_file);
    char csr[PKI_PEM_MAX], cert[PKI_PEM_MAX];
    if (e == ERR_OK)
        e = pki_csr_new(o->key_file, "CN=kiosk", csr, sizeof csr);
    if (e == ERR_OK)
        e = exchange(o, csr, cert, sizeof cert, station, scap, device, dcap);
    if (e == ERR_OK && strncmp(cert, "-----BEGIN CERTIFICATE-----", 27) != 0)
        e = ERR_PROTO;
    if (e == ERR_OK)
        e = pki_file_write(o->cert_file, cert, strlen(cert), 0644);
    return e;
}
