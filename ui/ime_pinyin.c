/* ui/ime_pinyin.c - librime behind a small C interface (ime_pinyin.h).
 * Rime keeps one engine per process, so this file keeps one flag for it
 * (the only mutable file-scope state in ui/, mirroring the library's
 * own): started or not. Keys are fed as X11 keysyms, as rime expects.
 * Must not be called from the frame loop before ime_pinyin_create: the
 * first create waits for the deployment. */
#include "ui/ime_pinyin.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rime_api.h>

#include "base/file.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define XK_BACKSPACE 0xff08
#define XK_PAGE_UP   0xff55
#define XK_PAGE_DOWN 0xff56

struct ime_pinyin {
    RimeApi      *api;
    RimeSessionId id;
};

static struct {
    bool started, joined;
    char user_dir[512], shared_dir[512];
} engine;

/* Only our schema; a page of IME_PINYIN_PAGE; no learning. */
static const char default_patch[] =
    "patch:\n"
    "  schema_list:\n"
    "    - schema: " IME_PINYIN_SCHEMA "\n"
    "  menu/page_size: 6\n";
static const char schema_patch[] =
    "patch:\n"
    "  translator/enable_user_dict: false\n"
    "  translator/enable_sentence: true\n";

/* Written only when different: a newer file makes rime deploy again. */
static err_code write_patch(const char *dir, const char *name,
                            const char *text)
{
    char path[600], *old = NULL;
    size_t len = 0;
    bool same;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    same = file_read_capped(path, 4096, &old, &len) == ERR_OK &&
           len == strlen(text) && memcmp(old, text, len) == 0;
    free(old);
    return same ? ERR_OK : file_write_atomic(path, text, strlen(text), 0600);
}

/* librime is opened on first use, not linked: it and what it loads
 * (boost, ICU, glog, leveldb, yaml-cpp, opencc...) cost the kiosk's first
 * frame about 9 ms of loading and relocation, and text entry starts only
 * after that frame (textentry_warm_up). NULL: no librime installed. */
static RimeApi *loaded_api;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *lib = dlopen("librime.so.1", RTLD_NOW | RTLD_LOCAL);
    RimeApi *(*get)(void);

    if (lib == NULL) {
        log_error("pinyin: %s", dlerror());
        return;
    }
    *(void **)&get = dlsym(lib, "rime_get_api");
    loaded_api = get ? get() : NULL;
}

static RimeApi *rime(void)
{
    pthread_once(&load_once, load);
    return loaded_api;
}

static void stop(void)
{
    if (engine.started)
        rime()->finalize();
    engine.started = false;
}

/* mkdir -p for a directory given by config or a test. */
static err_code make_dirs(const char *dir)
{
    char path[512];

    if (str_copy(path, sizeof path, dir))
        return ERR_INVAL;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return ERR_IO;
        *p = '/';
    }
    return mkdir(path, 0700) == 0 || errno == EEXIST ? ERR_OK : ERR_IO;
}

static err_code prepare(const char *dir)
{
    if (make_dirs(dir) != ERR_OK) {
        log_error("ime: %s: %s", dir, strerror(errno));
        return ERR_IO;
    }
    if (write_patch(dir, "default.custom.yaml", default_patch) != ERR_OK ||
        write_patch(dir, IME_PINYIN_SCHEMA ".custom.yaml", schema_patch) !=
            ERR_OK)
        return ERR_IO;
    return ERR_OK;
}

/* Rime cannot be finalised and initialised again in one process (librime
 * 1.8 frees its registry twice at the next finalise), so a later start
 * keeps the first directory; if that has gone (a test's temporary
 * state), it is made again and deployed again. */
static err_code restart(RimeApi *api)
{
    char schema[600];

    snprintf(schema, sizeof schema, "%s/build/%s.schema.yaml",
             engine.user_dir, IME_PINYIN_SCHEMA);
    if (access(schema, R_OK) == 0)
        return ERR_OK;
    if (!engine.joined)
        api->join_maintenance_thread();
    if (prepare(engine.user_dir) != ERR_OK)
        return ERR_IO;
    api->start_maintenance(True);
    engine.joined = false;
    return ERR_OK;
}

err_code ime_pinyin_start(const char *shared_dir, const char *user_dir)
{
    RimeApi *api = rime();
    RIME_STRUCT(RimeTraits, tr);

    if (api == NULL)
        return ERR_UNSUPPORTED;
    if (engine.started)
        return restart(api);
    if (prepare(user_dir) != ERR_OK)
        return ERR_IO;
    str_copy(engine.user_dir, sizeof engine.user_dir, user_dir);
    str_copy(engine.shared_dir, sizeof engine.shared_dir, shared_dir);
    tr.shared_data_dir = engine.shared_dir;
    tr.user_data_dir = engine.user_dir;
    tr.distribution_name = "kiosk";
    tr.distribution_code_name = "kiosk";
    tr.distribution_version = "1";
    tr.app_name = "rime.kiosk";
    tr.min_log_level = 2;           /* errors only, to stderr */
    tr.log_dir = "";
    api->setup(&tr);
    api->initialize(&tr);
    /* Deploys in rime's thread: start-up does not wait. Not a full
     * check: rime compares the data's versions and timestamps, and our
     * patches are rewritten only when they change. */
    api->start_maintenance(False);
    engine.started = true;
    atexit(stop);
    return ERR_OK;
}

static bool ready(RimeApi *api)
{
    if (!engine.joined) {
        api->join_maintenance_thread();
        engine.joined = true;
    }
    return engine.started;
}

err_code ime_pinyin_create(struct ime_pinyin **out)
{
    RimeApi *api = rime();
    struct ime_pinyin *p;
    char schema[64] = "";

    *out = NULL;
    if (!engine.started || !ready(api))
        return ERR_UNSUPPORTED;
    p = xcalloc(1, sizeof *p);
    p->api = api;
    p->id = api->create_session();
    if (p->id == 0 ||
        !api->get_current_schema(p->id, schema, sizeof schema) ||
        strcmp(schema, IME_PINYIN_SCHEMA) != 0) {
        log_error("ime: schema %s not deployed (have '%s')",
                  IME_PINYIN_SCHEMA, schema);
        ime_pinyin_destroy(p);
        return ERR_UNSUPPORTED;
    }
    *out = p;
    return ERR_OK;
}

void ime_pinyin_destroy(struct ime_pinyin *p)
{
    if (p == NULL)
        return;
    if (p->id)
        p->api->destroy_session(p->id);
    free(p);
}

void ime_pinyin_letter(struct ime_pinyin *p, char c)
{
    if ((c >= 'a' && c <= 'z') || c == '\'')
        p->api->process_key(p->id, c, 0);
}

bool ime_pinyin_composing(struct ime_pinyin *p)
{
    const char *in = p->api->get_input(p->id);

    return in && in[0];
}

bool ime_pinyin_backspace(struct ime_pinyin *p)
{
    if (!ime_pinyin_composing(p))
        return false;
    p->api->process_key(p->id, XK_BACKSPACE, 0);
    return true;
}

void ime_pinyin_clear(struct ime_pinyin *p)
{
    p->api->clear_composition(p->id);
}

void ime_pinyin_page(struct ime_pinyin *p, bool next)
{
    p->api->process_key(p->id, next ? XK_PAGE_DOWN : XK_PAGE_UP, 0);
}

static bool take_commit(struct ime_pinyin *p, char *out, size_t cap)
{
    RIME_STRUCT(RimeCommit, c);
    bool got = false;

    if (p->api->get_commit(p->id, &c)) {
        got = c.text && c.text[0];
        if (got)
            str_copy(out, cap, c.text);
        p->api->free_commit(&c);
    }
    return got;
}

bool ime_pinyin_choose(struct ime_pinyin *p, int i, char *out, size_t cap)
{
    if (i < 0 || !p->api->select_candidate_on_current_page(p->id, (size_t)i))
        return false;
    return take_commit(p, out, cap);
}

bool ime_pinyin_commit_raw(struct ime_pinyin *p, char *out, size_t cap)
{
    const char *in = p->api->get_input(p->id);
    bool got = in && in[0];

    if (got)
        str_copy(out, cap, in);
    ime_pinyin_clear(p);
    return got;
}

void ime_pinyin_view(struct ime_pinyin *p, struct ime_pinyin_view *v)
{
    RIME_STRUCT(RimeContext, ctx);

    memset(v, 0, sizeof *v);
    v->last_page = true;
    if (!p->api->get_context(p->id, &ctx))
        return;
    if (ctx.composition.preedit)
        str_copy(v->preedit, sizeof v->preedit, ctx.composition.preedit);
    v->page = ctx.menu.page_no;
    v->last_page = ctx.menu.is_last_page;
    for (int i = 0; i < ctx.menu.num_candidates && i < IME_PINYIN_PAGE; i++)
        str_copy(v->cand[v->n_cand++], IME_PINYIN_CAND_BYTES,
                 ctx.menu.candidates[i].text);
    p->api->free_context(&ctx);
}
