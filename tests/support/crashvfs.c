/* tests/support/crashvfs.c - the power-cut VFS (see crashvfs.h). Files
 * are written through; each tracked file (a node, by path, outliving its
 * handles) keeps the content its unsynced sectors had at the last sync,
 * so a cut can put any subset of them back. */
#include "tests/support/crashvfs.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#define SECT       512            /* tearing granularity */
#define PAGE_SECTS 8              /* 4096-byte pages for the page mode */

struct cv_sector {
    int64_t       idx;
    unsigned char data[SECT];     /* as last synced (zeros past its size) */
};

struct cv_node {
    char             *path;
    char             *dir;
    bool              exists;          /* the name is there now */
    bool              durable_exists;  /* ...as of the last directory sync */
    unsigned char    *ghost;           /* deleted since: its synced bytes */
    int64_t           ghost_len;
    bool              has_ghost;
    int64_t           synced_size;
    unsigned char    *bits;            /* which sectors are captured */
    size_t            n_bytes;
    struct cv_sector *sect;
    size_t            n_sect, cap_sect;
    int               open_count;
    struct cv_node   *next;
};

struct cv_file {
    sqlite3_file    base;
    sqlite3_file   *real;          /* the unix VFS's file, right after us */
    struct cv_node *node;          /* NULL: not tracked (temp files) */
    bool            dirsync;       /* the first xSync syncs the directory */
};

static sqlite3_vfs    *root;
static sqlite3_vfs     cv_vfs;
static struct cv_node *nodes;
static uint64_t        ops, cut_at, cut_seed;
static enum crashvfs_mode cut_how;

static void *cv_alloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (p == NULL)
        abort();
    return p;
}

static uint64_t mix(uint64_t x)              /* splitmix64 */
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* ---- nodes and their captured sectors ---------------------------------- */

static int64_t disk_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

static void node_clear(struct cv_node *n)
{
    for (size_t i = 0; i < n->n_sect; i++) {
        int64_t s = n->sect[i].idx;
        n->bits[s / 8] &= (unsigned char)~(1u << (s % 8));
    }
    n->n_sect = 0;
}

static void node_drop_ghost(struct cv_node *n)
{
    free(n->ghost);
    n->ghost = NULL;
    n->ghost_len = 0;
    n->has_ghost = false;
}

static struct cv_node *node_find(const char *path)
{
    for (struct cv_node *n = nodes; n; n = n->next)
        if (strcmp(n->path, path) == 0)
            return n;
    return NULL;
}

static struct cv_node *node_new(const char *path)
{
    struct cv_node *n = cv_alloc(sizeof *n);
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) : 0;

    n->path = cv_alloc(strlen(path) + 1);
    strcpy(n->path, path);
    n->dir = cv_alloc(dl + 1);
    memcpy(n->dir, path, dl);
    n->exists = n->durable_exists = access(path, F_OK) == 0;
    n->synced_size = n->exists ? disk_size(path) : 0;
    n->next = nodes;
    nodes = n;
    return n;
}

static bool captured(const struct cv_node *n, int64_t s)
{
    return (size_t)(s / 8) < n->n_bytes && (n->bits[s / 8] >> (s % 8) & 1);
}

static void capture_one(struct cv_node *n, int64_t s, const unsigned char *d)
{
    if ((size_t)(s / 8) >= n->n_bytes) {
        size_t want = (size_t)(s / 8 + 1) * 2 + 8;
        unsigned char *b = realloc(n->bits, want);
        if (b == NULL)
            abort();
        memset(b + n->n_bytes, 0, want - n->n_bytes);
        n->bits = b;
        n->n_bytes = want;
    }
    if (n->n_sect == n->cap_sect) {
        n->cap_sect = n->cap_sect ? n->cap_sect * 2 : 64;
        n->sect = realloc(n->sect, n->cap_sect * sizeof *n->sect);
        if (n->sect == NULL)
            abort();
    }
    struct cv_sector *c = &n->sect[n->n_sect++];
    c->idx = s;
    memcpy(c->data, d, SECT);
    /* Past the synced size the disk held nothing: a dropped write there
     * reads back as zeros. */
    int64_t base = s * SECT;
    if (base + SECT > n->synced_size) {
        int64_t keep = n->synced_size > base ? n->synced_size - base : 0;
        memset(c->data + keep, 0, (size_t)(SECT - keep));
    }
    n->bits[s / 8] |= (unsigned char)(1u << (s % 8));
}

/* Remember the synced content of every sector in [from, to) not yet
 * captured since the last sync, read before anything overwrites it. */
static int capture(struct cv_file *f, int64_t from, int64_t to)
{
    struct cv_node *n = f->node;
    int64_t first = from / SECT, last = (to - 1) / SECT;
    bool all = true;

    if (to <= from)
        return SQLITE_OK;
    for (int64_t s = first; s <= last && all; s++)
        all = captured(n, s);
    if (all)
        return SQLITE_OK;
    size_t len = (size_t)(last - first + 1) * SECT;
    unsigned char *buf = cv_alloc(len);
    int rc = f->real->pMethods->xRead(f->real, buf, (int)len, first * SECT);
    if (rc == SQLITE_OK || rc == SQLITE_IOERR_SHORT_READ) {
        rc = SQLITE_OK;
        for (int64_t s = first; s <= last; s++)
            if (!captured(n, s))
                capture_one(n, s, buf + (s - first) * SECT);
    }
    free(buf);
    return rc;
}

/* The unix VFS fsyncs the directory here: every entry in it is durable. */
static void dir_sync(const char *dir)
{
    for (struct cv_node *n = nodes; n; n = n->next) {
        if (strcmp(n->dir, dir) != 0)
            continue;
        n->durable_exists = n->exists;
        node_drop_ghost(n);
    }
}

/* ---- the cut ------------------------------------------------------------ */

static enum crashvfs_mode cut_mode(void)
{
    unsigned r = (unsigned)(mix(cut_seed) % 100);

    if (cut_how != CRASHVFS_RANDOM)
        return cut_how;
    return r < 20 ? CRASHVFS_DROP : r < 30 ? CRASHVFS_KEEP
         : r < 65 ? CRASHVFS_PAGES : CRASHVFS_SECTORS;
}

/* Does this unsynced unit (a sector, or a choice about the file) make it
 * to the disk? */
static bool survives(enum crashvfs_mode m, unsigned node_i, uint64_t what)
{
    if (m == CRASHVFS_DROP || m == CRASHVFS_KEEP)
        return m == CRASHVFS_KEEP;
    return mix(cut_seed ^ mix(((uint64_t)node_i << 48) ^ what)) & 1;
}

static void write_ghost(const struct cv_node *n)
{
    int fd = open(n->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return;                         /* its directory is gone */
    if (write(fd, n->ghost, (size_t)n->ghost_len) != n->ghost_len)
        abort();
    close(fd);
}

/* Put the file at last synced size and content plus a subset of what was
 * written since, on the disk. */
static void damage_content(const struct cv_node *n, enum crashvfs_mode m,
                           unsigned ni)
{
    int fd = open(n->path, O_RDWR);
    struct stat st;

    if (fd < 0)
        return;                         /* removed outside the shim */
    if (fstat(fd, &st) != 0)
        abort();
    int64_t cur = st.st_size, fin = cur;
    if (cur != n->synced_size && !survives(m, ni, UINT64_MAX))
        fin = n->synced_size;
    if (fin > cur && ftruncate(fd, fin) != 0)
        abort();
    for (size_t i = 0; i < n->n_sect; i++) {
        const struct cv_sector *c = &n->sect[i];
        int64_t base = c->idx * SECT;
        if (base >= fin)
            continue;
        /* A truncation undone brings the old bytes back. */
        bool forced = fin > cur && base + SECT > cur;
        uint64_t unit = m == CRASHVFS_PAGES ? (uint64_t)c->idx / PAGE_SECTS
                                       : (uint64_t)c->idx;
        if (!forced && survives(m, ni, unit))
            continue;
        size_t len = (size_t)(fin - base < SECT ? fin - base : SECT);
        if (pwrite(fd, c->data, len, base) != (ssize_t)len)
            abort();
    }
    if (fin < cur && ftruncate(fd, fin) != 0)
        abort();
    close(fd);
}

static void damage(const struct cv_node *n, enum crashvfs_mode m, unsigned ni)
{
    bool pending = n->exists != n->durable_exists || n->has_ghost;

    if (pending && !survives(m, ni, UINT64_MAX - 1)) {
        /* The directory as last synced. */
        if (n->has_ghost) {
            write_ghost(n);
            return;
        }
        if (!n->durable_exists) {
            unlink(n->path);
            return;
        }
    }
    if (n->exists)
        damage_content(n, m, ni);
}

static void power_cut(void)
{
    enum crashvfs_mode m = cut_mode();
    unsigned ni = 0;

    for (struct cv_node *n = nodes; n; n = n->next)
        damage(n, m, ni++);
    _exit(CRASHVFS_EXIT);
}

static void count_op(void)
{
    if (++ops == cut_at)
        power_cut();
}

/* ---- io methods -------------------------------------------------------- */

#define REAL(f) (((struct cv_file *)(f))->real)
#define RM(f)   (REAL(f)->pMethods)

static int cv_close(sqlite3_file *pf)
{
    struct cv_file *f = (struct cv_file *)pf;
    if (f->node)
        f->node->open_count--;
    return RM(pf)->xClose(REAL(pf));
}

static int cv_read(sqlite3_file *pf, void *buf, int amt, sqlite3_int64 off)
{
    return RM(pf)->xRead(REAL(pf), buf, amt, off);
}

static int cv_write(sqlite3_file *pf, const void *buf, int amt,
                    sqlite3_int64 off)
{
    struct cv_file *f = (struct cv_file *)pf;
    int rc = SQLITE_OK;

    if (f->node)
        rc = capture(f, off, off + amt);
    if (rc == SQLITE_OK)
        rc = RM(pf)->xWrite(REAL(pf), buf, amt, off);
    if (f->node)
        count_op();
    return rc;
}

static int cv_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
    struct cv_file *f = (struct cv_file *)pf;
    sqlite3_int64 cur = 0;
    int rc = SQLITE_OK;

    if (f->node) {
        rc = RM(pf)->xFileSize(REAL(pf), &cur);
        if (cur > f->node->synced_size)
            cur = f->node->synced_size;
        if (rc == SQLITE_OK)
            rc = capture(f, size, cur);
    }
    if (rc == SQLITE_OK)
        rc = RM(pf)->xTruncate(REAL(pf), size);
    if (f->node)
        count_op();
    return rc;
}

/* Nothing is flushed for real: the shim decides what a sync made durable. */
static int cv_sync(sqlite3_file *pf, int flags)
{
    struct cv_file *f = (struct cv_file *)pf;
    sqlite3_int64 size = 0;

    (void)flags;
    if (f->node == NULL)
        return SQLITE_OK;
    count_op();                       /* a cut here: this sync never was */
    int rc = RM(pf)->xFileSize(REAL(pf), &size);
    if (rc != SQLITE_OK)
        return rc;
    node_clear(f->node);
    f->node->synced_size = size;
    if (f->dirsync) {
        dir_sync(f->node->dir);
        f->dirsync = false;
    }
    return SQLITE_OK;
}

static int cv_file_size(sqlite3_file *pf, sqlite3_int64 *size)
{
    return RM(pf)->xFileSize(REAL(pf), size);
}

static int cv_lock(sqlite3_file *pf, int lk)
{
    return RM(pf)->xLock(REAL(pf), lk);
}

static int cv_unlock(sqlite3_file *pf, int lk)
{
    return RM(pf)->xUnlock(REAL(pf), lk);
}

static int cv_check_reserved(sqlite3_file *pf, int *out)
{
    return RM(pf)->xCheckReservedLock(REAL(pf), out);
}

static int cv_file_control(sqlite3_file *pf, int op, void *arg)
{
    return RM(pf)->xFileControl(REAL(pf), op, arg);
}

static int cv_sector_size(sqlite3_file *pf)
{
    return RM(pf)->xSectorSize(REAL(pf));
}

static int cv_device_chars(sqlite3_file *pf)
{
    return RM(pf)->xDeviceCharacteristics(REAL(pf));
}

static int cv_shm_map(sqlite3_file *pf, int pg, int sz, int extend,
                      void volatile **out)
{
    return RM(pf)->xShmMap(REAL(pf), pg, sz, extend, out);
}

static int cv_shm_lock(sqlite3_file *pf, int off, int n, int flags)
{
    return RM(pf)->xShmLock(REAL(pf), off, n, flags);
}

static void cv_shm_barrier(sqlite3_file *pf)
{
    RM(pf)->xShmBarrier(REAL(pf));
}

static int cv_shm_unmap(sqlite3_file *pf, int del)
{
    return RM(pf)->xShmUnmap(REAL(pf), del);
}

/* Version 2: no xFetch, so SQLite never reads or writes through mmap. */
static const sqlite3_io_methods cv_methods = {
    2, cv_close, cv_read, cv_write, cv_truncate, cv_sync, cv_file_size,
    cv_lock, cv_unlock, cv_check_reserved, cv_file_control, cv_sector_size,
    cv_device_chars, cv_shm_map, cv_shm_lock, cv_shm_barrier, cv_shm_unmap,
    NULL, NULL,
};

/* ---- the vfs ----------------------------------------------------------- */

/* A file (re)appearing as SQLite opens it. */
static void node_opened(struct cv_node *n, bool existed)
{
    if (existed && !n->exists) {            /* made outside the shim */
        n->exists = n->durable_exists = true;
        n->synced_size = disk_size(n->path);
        node_clear(n);
    } else if (!existed) {                  /* a new, empty inode */
        if (n->exists)                      /* removed outside the shim */
            n->durable_exists = false;
        n->exists = true;
        n->synced_size = 0;
        node_clear(n);
    }
    n->open_count++;
}

static int cv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *pf,
                   int flags, int *out_flags)
{
    struct cv_file *f = (struct cv_file *)pf;
    int type = flags & 0x0FFF00;
    bool existed = name && access(name, F_OK) == 0;

    (void)vfs;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)&f[1];
    int rc = root->xOpen(root, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods)
            f->real->pMethods->xClose(f->real);
        pf->pMethods = NULL;
        return rc;
    }
    pf->pMethods = &cv_methods;
    if (name == NULL || (flags & SQLITE_OPEN_DELETEONCLOSE))
        return SQLITE_OK;
    f->node = node_find(name);
    if (f->node == NULL) {
        f->node = node_new(name);
        f->node->exists = f->node->durable_exists = existed;
    }
    node_opened(f->node, existed);
    f->dirsync = (flags & SQLITE_OPEN_CREATE) &&
                 (type == SQLITE_OPEN_WAL ||
                  type == SQLITE_OPEN_MAIN_JOURNAL ||
                  type == SQLITE_OPEN_SUPER_JOURNAL);
    return SQLITE_OK;
}

/* The file's content as last synced, for a deletion that may be undone. */
static void make_ghost(struct cv_node *n)
{
    int fd = open(n->path, O_RDONLY);
    int64_t len = n->synced_size;

    n->ghost = cv_alloc((size_t)len);
    n->ghost_len = len;
    n->has_ghost = true;
    if (fd >= 0) {
        ssize_t got = pread(fd, n->ghost, (size_t)len, 0);
        (void)got;                      /* short: the rest stays zero */
        close(fd);
    }
    for (size_t i = 0; i < n->n_sect; i++) {
        int64_t base = n->sect[i].idx * SECT;
        if (base < len)
            memcpy(n->ghost + base, n->sect[i].data,
                   (size_t)(len - base < SECT ? len - base : SECT));
    }
}

static int cv_delete(sqlite3_vfs *vfs, const char *name, int dirsync)
{
    struct cv_node *n = node_find(name);

    (void)vfs;
    if (n && n->exists) {
        if (n->durable_exists && !n->has_ghost)
            make_ghost(n);
        node_clear(n);
        n->exists = false;
        n->synced_size = 0;
    }
    int rc = root->xDelete(root, name, dirsync);
    if (n && dirsync && rc == SQLITE_OK)
        dir_sync(n->dir);
    if (n)
        count_op();
    return rc;
}

static int cv_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return root->xAccess(root, name, flags, out);
}

static int cv_full_pathname(sqlite3_vfs *v, const char *name, int n,
                            char *out)
{
    (void)v;
    return root->xFullPathname(root, name, n, out);
}

static void *cv_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return root->xDlOpen(root, name);
}

static void cv_dlerror(sqlite3_vfs *v, int n, char *msg)
{
    (void)v;
    root->xDlError(root, n, msg);
}

static void (*cv_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return root->xDlSym(root, h, sym);
}

static void cv_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    root->xDlClose(root, h);
}

static int cv_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return root->xRandomness(root, n, out);
}

static int cv_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return root->xSleep(root, us);
}

static int cv_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return root->xCurrentTime(root, out);
}

static int cv_last_error(sqlite3_vfs *v, int n, char *msg)
{
    (void)v;
    return root->xGetLastError(root, n, msg);
}

static int cv_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return root->xCurrentTimeInt64(root, out);
}

int crashvfs_install(void)
{
    if (root)
        return 0;
    root = sqlite3_vfs_find(NULL);
    if (root == NULL || root->iVersion < 2)
        return -1;
    cv_vfs = (sqlite3_vfs){
        .iVersion = 2, .szOsFile = (int)sizeof(struct cv_file) +
                                   root->szOsFile,
        .mxPathname = root->mxPathname, .zName = "crashvfs",
        .xOpen = cv_open, .xDelete = cv_delete, .xAccess = cv_access,
        .xFullPathname = cv_full_pathname, .xDlOpen = cv_dlopen,
        .xDlError = cv_dlerror, .xDlSym = cv_dlsym, .xDlClose = cv_dlclose,
        .xRandomness = cv_randomness, .xSleep = cv_sleep,
        .xCurrentTime = cv_current_time, .xGetLastError = cv_last_error,
        .xCurrentTimeInt64 = cv_current_time64,
    };
    return sqlite3_vfs_register(&cv_vfs, 1) == SQLITE_OK ? 0 : -1;
}

void crashvfs_arm(uint64_t at, uint64_t seed, enum crashvfs_mode mode)
{
    ops = 0;
    cut_at = at;
    cut_seed = seed;
    cut_how = mode;
}

uint64_t crashvfs_ops(void)
{
    return ops;
}

void crashvfs_reboot(void)
{
    cut_at = 0;
    for (struct cv_node *n = nodes; n; n = n->next) {
        if (n->open_count != 0)
            abort();                    /* a handle lived through the cut */
        node_clear(n);
        node_drop_ghost(n);
        n->exists = n->durable_exists = access(n->path, F_OK) == 0;
        n->synced_size = n->exists ? disk_size(n->path) : 0;
    }
}
