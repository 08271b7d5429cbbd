/* tests/test_ui_ctx.h - a kiosk UI over a fresh store for the UI tests:
 * headless (offscreen video, software renderer), fixture page decoded and
 * applied as the sync worker does (page_apply), scripted clock. Included
 * by the test_ui_* files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "board/board.h"
#include "base/card.h"
#include "base/file.h"
#include "base/log.h"
#include "firmware/techpin.h"
#include "base/xmalloc.h"
#include "hub/hub_card.h"
#include "ui/app.h"
#include "test_ui_fixture.h"
#include "test_ui_fixture_points.h"
#include "tests/support/page.h"

#define UI_TEST_PIN "2468"

#define UI_CARDS 16

struct ui_ctx {
    char             dir[64];
    struct store    *store;
    struct board    *board;
    struct app      *app;
    struct config    cfg;
    struct hub_card *hub;           /* signs the cards the scripts scan */
    struct {
        char token[48];             /* "KSK1:M:M1001" in a script */
        char text[CARD_TEXT_MAX + 1];
    } cards[UI_CARDS];
    int n_cards;
};

struct ui_variant {
    const char *lang;
    bool        large, allow_number, sim_board;
    int         w, h;
};

static void ui_set(struct config *cfg, const char *sec, const char *key,
                   const char *val)
{
    char msg[256];

    if (config_set(cfg, sec, key, val, msg, sizeof msg) != ERR_OK)
        fail_msg("config %s.%s: %s", sec, key, msg);
}

/* A card key made by the hub's own code, its public half synced to the
 * kiosk's store as the hub's change feed sends it. */
static void ui_cards_init(struct ui_ctx *c)
{
    char dir[128], kid[CARD_KID_MAX + 1], *page;

    snprintf(dir, sizeof dir, "%s/cards", c->dir);
    assert_int_equal(hub_card_open(dir, &c->hub), ERR_OK);
    assert_int_equal(hub_card_init_key(c->hub, kid), ERR_OK);
    page = hub_card_page_json(c->hub, "cards-1", 1763861400000LL);
    assert_non_null(page);
    assert_int_equal(page_apply(c->store, page, strlen(page), "cards-1"),
                     ERR_OK);
    free(page);
}

/* The signed card a script's "KSK1:<kind>:<id>" stands for, valid for
 * this station around the scripted date (2026-11-23); the same token
 * gives the same card within a test. */
static const char *ui_card(struct ui_ctx *c, const char *token)
{
    struct hub_card_request rq = { (enum card_kind)token[5], token + 7,
                                   c->cfg.station_id, 0, 0 };
    struct card card;
    int64_t today;

    for (int i = 0; i < c->n_cards; i++)
        if (strcmp(c->cards[i].token, token) == 0)
            return c->cards[i].text;
    assert_true(c->n_cards < UI_CARDS);
    assert_int_equal(clock_parse_ymd("2026-11-23", &today), ERR_OK);
    rq.issued_day = today - 10;
    rq.expires_day = today + 300;
    str_copy(c->cards[c->n_cards].token, sizeof c->cards[0].token, token);
    assert_int_equal(hub_card_issue(c->hub, &rq, c->cards[c->n_cards].text,
                                    sizeof c->cards[0].text, &card), ERR_OK);
    return c->cards[c->n_cards++].text;
}

/* The script with every "KSK1:K:ID" token replaced by its signed card. */
static char *ui_with_cards(struct ui_ctx *c, const char *script)
{
    size_t cap = strlen(script) * 4 + 4096, n = 0;
    char *out = malloc(cap), token[48];

    assert_non_null(out);
    while (*script) {
        size_t len = 0;
        if (strncmp(script, "FORGED:", 7) == 0) {
            /* The same card with one signature character changed. */
            char tok[48];
            size_t tl = 7 + strspn(script + 7, "MRT:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "abcdefghijklmnopqrstuvwxyz0123456789-");
            assert_true(tl < sizeof tok);
            snprintf(tok, sizeof tok, "KSK1:%.*s", (int)(tl - 7), script + 7);
            const char *text = ui_card(c, tok);
            size_t tn = strlen(text);
            assert_true(n + tn < cap);
            memcpy(out + n, text, tn);
            out[n + tn - 10] = text[tn - 10] == 'A' ? 'B' : 'A';
            n += tn;
            script += tl;
            continue;
        }
        if (strncmp(script, "KSK1:", 5) == 0 && script[5] && script[6] == ':') {
            len = 7 + strspn(script + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "abcdefghijklmnopqrstuvwxyz0123456789-");
            assert_true(len < sizeof token);
            memcpy(token, script, len);
            token[len] = '\0';
            const char *text = ui_card(c, token);
            assert_true(n + strlen(text) < cap);
            memcpy(out + n, text, strlen(text));
            n += strlen(text);
            script += len;
            continue;
        }
        assert_true(n + 1 < cap);
        out[n++] = *script++;
    }
    out[n] = '\0';
    return out;
}

/* Faces, drawn (generated silhouettes, made small by hubctl photo), for
 * two members, 张伟 (M1001) and 李娜 (M1003), and building 1's 楼栋长
 * 叶卫东 (contact C2); the others show their initial, so the boards and
 * the building page show both. */
static void ui_faces(struct store *s)
{
    static const char *const faces[][2] = {
        { "member/M1001", "tests/data/face_b.png" },
        { "member/M1003", "tests/data/face_a.png" },
        { "contact/C2", "tests/data/face_a.png" },
    };
    for (size_t i = 0; i < sizeof faces / sizeof faces[0]; i++) {
        char *png = NULL, *b64, *page;
        size_t len = 0;
        assert_int_equal(file_read_capped(faces[i][1], CHANGE_PHOTO_MAX, &png,
                                          &len), ERR_OK);
        b64 = xmalloc(len / 3 * 4 + 8);
        card_b64url_encode((const uint8_t *)png, len, b64, len / 3 * 4 + 8);
        page = xmalloc(strlen(b64) + 256);
        sprintf(page, "{\"changes\":[{\"type\":\"photo\",\"op\":\"put\","
                "\"key\":\"%s\",\"data\":{\"png\":\"%s\"}}],\"cursor\":"
                "\"f%zu\",\"more\":false,\"hub_time_ms\":1763800000000}",
                faces[i][0], b64, i);
        assert_int_equal(page_apply(s, page, strlen(page), NULL), ERR_OK);
        free(page);
        free(b64);
        free(png);
    }
}

static void ui_ctx_open(struct ui_ctx *c, const struct ui_variant *v)
{
    char path[128], hash[TECHPIN_HASH_MAX], num[16];
    struct ui_opts uo = { .width = v->w, .height = v->h, .software = true,
                          .hidden = true };

    memset(c, 0, sizeof *c);
    setenv("SDL_VIDEODRIVER", "offscreen", 0);
    log_set_level(LOG_LVL_WARN);
    strcpy(c->dir, "/tmp/ui-test-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    snprintf(path, sizeof path, "%s/kiosk.db", c->dir);
    assert_int_equal(store_open(path, &c->store), ERR_OK);
    assert_int_equal(page_apply(c->store, ui_fixture, sizeof ui_fixture - 1,
                                "c1"), ERR_OK);
    assert_int_equal(page_apply(c->store, ui_fixture_points,
                                sizeof ui_fixture_points - 1, "c1p"), ERR_OK);
    ui_faces(c->store);
    config_defaults(&c->cfg);
    ui_cards_init(c);
    ui_set(&c->cfg, "station", "name", "红旗社区党群服务站");
    ui_set(&c->cfg, "station", "member_prefix", "M");
    ui_set(&c->cfg, "station", "allow_member_number",
           v->allow_number ? "true" : "false");
    ui_set(&c->cfg, "kiosk", "language", v->lang);
    ui_set(&c->cfg, "kiosk", "large_text", v->large ? "true" : "false");
    ui_set(&c->cfg, "kiosk", "state_dir", c->dir);
    snprintf(num, sizeof num, "%d", v->w);
    ui_set(&c->cfg, "kiosk", "width", num);
    snprintf(num, sizeof num, "%d", v->h);
    ui_set(&c->cfg, "kiosk", "height", num);
    /* Few iterations: the test checks the scheme, not its cost. */
    assert_int_equal(techpin_make(UI_TEST_PIN, 10, hash, sizeof hash),
                     ERR_OK);
    ui_set(&c->cfg, "kiosk", "tech_pin_hash", hash);
    if (v->sim_board) {
        ui_set(&c->cfg, "kiosk", "board", "sim");
        assert_int_equal(board_open(&c->cfg, &c->board), ERR_OK);
    }
    assert_int_equal(app_create(&c->cfg, c->board, c->store, &uo, &c->app),
                     ERR_OK);
}

static void ui_ctx_close(struct ui_ctx *c)
{
    char cmd[128];

    app_destroy(c->app);
    hub_card_close(c->hub);
    store_close(c->store);
    board_close(c->board);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    assert_int_equal(system(cmd), 0);
}

/* Run script lines; a failed expect fails the test with its line. */
static void ui_run(struct ui_ctx *c, const char *script, const char *shots)
{
    char msg[512], *real = ui_with_cards(c, script);
    err_code e = app_script_text(c->app, real, shots, msg, sizeof msg);

    free(real);
    if (e != ERR_OK)
        fail_msg("%s", msg);
}
