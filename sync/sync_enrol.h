/* sync/sync_enrol.h - enrol this kiosk with a hub: make (or keep) the
 * kiosk's own P-256 key, send a certificate request with the one-time
 * code over TLS (the hub's CA pinned; no client certificate yet), and
 * store the certificate the hub returns. The private key never leaves
 * the kiosk. For the technician screen and kioskctl. */
#ifndef SYNC_ENROL_H
#define SYNC_ENROL_H

#include <stddef.h>

#include "base/err.h"

struct sync_enrol_opts {
    const char *host;
    int         port;
    const char *ca_file;        /* the hub's CA, installed beforehand */
    const char *code;           /* from `hubctl enrol-code` */
    const char *key_file;       /* made here (0600) if missing */
    const char *cert_file;      /* written on success */
    int         timeout_ms;
};

/* station and device get what the hub enrolled us as. ERR_DENIED: the
 * hub refused the code; ERR_TLS: the hub is not who the CA says;
 * ERR_NET/ERR_TIMEOUT: no hub. */
err_code sync_enrol(const struct sync_enrol_opts *o, char *station,
                    size_t scap, char *device, size_t dcap);

#endif
