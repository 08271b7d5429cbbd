/* base/bundle.h - signed update bundles.
 *
 * A bundle is one file:
 *   "KSKBNDL1"  u32 manifest length (big-endian)  u16 signature length
 *   manifest text   signature (DER ECDSA P-256 over SHA-256 of the text)
 *   the files' bytes, one after another in manifest order, nothing after.
 * The manifest is plain text, one item a line:
 *   kiosk-bundle 1
 *   product kiosk
 *   version 1.2.0            (MAJOR.MINOR.PATCH, each 0..65535)
 *   min_version 1.0.0        (the oldest installed version it upgrades)
 *   file 755 123456 <sha256 hex> bin/kiosk      (paths in strictly
 *   ...                                          increasing byte order)
 * The signature is checked before the manifest is parsed, and every
 * file's hash before anything is written (see docs/updates.md).
 * Functions that refuse a bundle put a sentence for the technician in msg;
 * ERR_DENIED: unsigned or not signed by the release key; ERR_CORRUPT:
 * truncated, altered or malformed. */
#ifndef BUNDLE_H
#define BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "base/sig_mbedtls.h"

#define BUNDLE_MAGIC        "KSKBNDL1"
#define BUNDLE_MAGIC_LEN    8
#define BUNDLE_HEADER_LEN   14              /* magic, u32, u16 */
#define BUNDLE_MANIFEST_MAX (256 * 1024)
#define BUNDLE_MAX_FILES    2048
#define BUNDLE_PATH_MAX     192
#define BUNDLE_FILE_MAX     ((uint64_t)256 << 20)
#define BUNDLE_TOTAL_MAX    ((uint64_t)1 << 30)
#define BUNDLE_VERSION_MAX  24
#define BUNDLE_MANIFEST_NAME "MANIFEST"     /* kept in an installed slot */

struct bundle_file {
    char     path[BUNDLE_PATH_MAX];
    unsigned mode;                          /* 0644 or 0755 */
    uint64_t size;
    uint8_t  sha256[SIG_HASH_LEN];
};

struct bundle_manifest {
    char     product[32];
    char     version[BUNDLE_VERSION_MAX];
    uint64_t version_num;                   /* comparable, see below */
    char     min_version[BUNDLE_VERSION_MAX];
    uint64_t min_version_num;
    size_t   nfiles, files_cap;
    struct bundle_file *files;
    uint64_t total;                         /* sum of file sizes */
    char    *text;                          /* the manifest as signed */
    size_t   text_len;
};

/* "1.2.3" -> a number that orders like the version; ERR_INVAL if not
 * three dot-separated numbers 0..65535. */
err_code bundle_version_parse(const char *s, uint64_t *out);

/* Parse manifest text strictly (paths relative, no "..", no duplicates). */
err_code bundle_manifest_parse(const char *text, size_t len,
                               struct bundle_manifest **out,
                               char *msg, size_t cap);
void     bundle_manifest_free(struct bundle_manifest *m);   /* NULL ok */

/* Called as work advances: done of total bytes in the current pass. */
typedef void (*bundle_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct bundle;

/* Open a bundle file: reads the header, checks the signature against the
 * public key PEM at pub_key, parses the manifest and checks the file's
 * size. The files' contents are checked by bundle_check. */
err_code bundle_open(const char *path, const char *pub_key,
                     struct bundle **out, char *msg, size_t cap);
void     bundle_close(struct bundle *b);                     /* NULL ok */
const struct bundle_manifest *bundle_manifest(const struct bundle *b);

/* Hash every file in the bundle against the manifest. Writes nothing. */
err_code bundle_check(struct bundle *b, bundle_progress_fn fn, void *ctx,
                      char *msg, size_t cap);

/* Write the files and the MANIFEST into dest (which must not exist),
 * hashing them again on the way (the medium may change between passes),
 * and flush them to disk. On failure dest may hold a partial tree: the
 * caller removes it. */
err_code bundle_extract(struct bundle *b, const char *dest,
                        bundle_progress_fn fn, void *ctx,
                        char *msg, size_t cap);

/* Check an installed tree against its MANIFEST; *out (optional) gets the
 * manifest, which the caller frees. */
err_code bundle_check_dir(const char *dir, struct bundle_manifest **out,
                          char *msg, size_t cap);

/* Make a signed bundle of every regular file under src_dir (symlinks and
 * special files refused), signed with the private key PEM at priv_key. */
err_code bundle_make(const char *src_dir, const char *product,
                     const char *version, const char *min_version,
                     const char *priv_key, const char *out_path,
                     char *msg, size_t cap);

#endif
