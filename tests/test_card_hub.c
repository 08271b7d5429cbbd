/* tests/test_card_hub.c - the hub's card office (hub_card): serials,
 * state that survives a restart, rotation overlap, the change entries it
 * publishes, and the printed QR images and sheet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "base/log.h"
#include "hub/hub_card.h"
#include "tests/support/fixture.h"

static int64_t day_of(const char *ymd)
{
    int64_t d = 0;

    assert_int_equal(card_parse_ymd(ymd, &d), ERR_OK);
    return d;
}

static void issue(struct hub_card *h, const char *id, const char *to,
                  struct card *c, char *text)
{
    struct hub_card_request rq = { CARD_MEMBER, id, "st-1",
                                   day_of("2026-11-01"), day_of(to) };

    assert_int_equal(hub_card_issue(h, &rq, text, CARD_TEXT_MAX + 1, c),
                     ERR_OK);
}

static char *tmpdir(void)
{
    static char dir[64];

    strcpy(dir, "/tmp/test_card_hub.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void state_survives_a_restart(void **state)
{
    char *dir = tmpdir(), kid[CARD_KID_MAX + 1], kid2[CARD_KID_MAX + 1];
    char text[CARD_TEXT_MAX + 1], *changes;
    struct hub_card *h;
    struct card c;

    (void)state;
    assert_int_equal(hub_card_open(dir, &h), ERR_OK);
    assert_int_equal(hub_card_issue(h, &(struct hub_card_request){
        CARD_MEMBER, "HQ1", "st-1", day_of("2026-11-01"),
        day_of("2026-12-01") }, text, sizeof text, &c), ERR_NOTFOUND);
    assert_int_equal(hub_card_init_key(h, kid), ERR_OK);
    issue(h, "HQ1", "2026-12-01", &c, text);
    assert_int_equal(c.serial, 1);
    issue(h, "HQ1", "2026-12-01", &c, text);
    assert_int_equal(c.serial, 2);
    assert_int_equal(hub_card_revoke(h, "M.HQ1.1", 1000), ERR_OK);
    hub_card_close(h);
    assert_int_equal(hub_card_open(dir, &h), ERR_OK);
    assert_int_equal(hub_card_init_key(h, kid2), ERR_OK);
    assert_string_equal(kid, kid2);             /* the same key, reloaded */
    issue(h, "HQ1", "2026-12-01", &c, text);
    assert_int_equal(c.serial, 3);
    assert_string_equal(c.kid, kid);
    changes = hub_card_changes_json(h);
    assert_non_null(strstr(changes, "\"type\":\"revocation\",\"op\":\"put\","
                                    "\"key\":\"M.HQ1.1\""));
    assert_non_null(strstr(changes, "\"type\":\"credential_key\""));
    free(changes);
    hub_card_close(h);
    fixture_rmrf(dir);
}

/* Without an explicit overlap the old key stays published until the
 * last card it signed has expired. */
/* A state file that is there but cannot be read is refused, never taken
 * for an empty office whose first save would overwrite it. */
static void unreadable_state_refused_and_kept(void **state)
{
    char *dir = tmpdir(), path[128];
    struct hub_card *h = NULL;
    struct stat st;
    FILE *f;

    (void)state;
    snprintf(path, sizeof path, "%s/cards.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), (off_t)65 << 20), 0);   /* sparse */
    fclose(f);
    assert_int_not_equal(hub_card_open(dir, &h), ERR_OK);
    assert_null(h);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, (off_t)65 << 20);
    unlink(path);
    rmdir(dir);
}

static void rotation_overlap_covers_old_cards(void **state)
{
    char *dir = tmpdir(), kid[CARD_KID_MAX + 1], kid2[CARD_KID_MAX + 1];
    char text[CARD_TEXT_MAX + 1], *page;
    struct hub_card *h;
    struct card c;
    cJSON *root, *ch;
    int keys = 0;

    (void)state;
    assert_int_equal(hub_card_open(dir, &h), ERR_OK);
    assert_int_equal(hub_card_init_key(h, kid), ERR_OK);
    issue(h, "HQ1", "2027-03-01", &c, text);
    issue(h, "HQ2", "2027-01-01", &c, text);
    assert_int_equal(hub_card_rotate(h, 0, -1, kid2), ERR_OK);
    assert_string_not_equal(kid, kid2);
    page = hub_card_page_json(h, "c9", 5);
    root = cJSON_Parse(page);
    assert_non_null(root);
    cJSON_ArrayForEach(ch, cJSON_GetObjectItem(root, "changes")) {
        const char *key = cJSON_GetObjectItem(ch, "key")->valuestring;
        double na = cJSON_GetNumberValue(cJSON_GetObjectItem(
            cJSON_GetObjectItem(ch, "data"), "not_after_ms"));

        keys++;
        if (strcmp(key, kid) == 0)
            assert_true((int64_t)na == (day_of("2027-03-01") + 2) *
                        HUB_CARD_DAY_MS);
        else
            assert_true(na > 4e12);             /* the active key */
    }
    assert_int_equal(keys, 2);
    cJSON_Delete(root);
    free(page);
    hub_card_close(h);
    fixture_rmrf(dir);
}

static void cards_print_as_png_and_sheet(void **state)
{
    char *dir = tmpdir(), kid[CARD_KID_MAX + 1], text[CARD_TEXT_MAX + 1];
    char png[128], html[128], buf[4096];
    struct hub_card *h;
    struct card c;
    FILE *f;
    size_t n;

    (void)state;
    assert_int_equal(hub_card_open(dir, &h), ERR_OK);
    assert_int_equal(hub_card_init_key(h, kid), ERR_OK);
    issue(h, "HQ1", "2027-03-01", &c, text);
    snprintf(png, sizeof png, "%s/HQ1.png", dir);
    assert_int_equal(hub_card_qr_png(text, 4, png), ERR_OK);
    f = fopen(png, "rb");
    assert_non_null(f);
    n = fread(buf, 1, 8, f);
    fclose(f);
    assert_int_equal(n, 8);
    assert_memory_equal(buf, "\x89PNG\r\n\x1a\n", 8);
    snprintf(html, sizeof html, "%s/sheet.html", dir);
    assert_int_equal(hub_card_sheet_html(html, "Cards", &(struct
        hub_card_print){ "HQ1", "吴<b>芳", "HQ1.png", &c }, 1), ERR_OK);
    f = fopen(html, "r");
    assert_non_null(f);
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "吴&lt;b&gt;芳"));
    assert_non_null(strstr(buf, "src=\"HQ1.png\""));
    assert_non_null(strstr(buf, "2027-03-01"));
    hub_card_close(h);
    fixture_rmrf(dir);
}

struct feed {
    char types[8][24], keys[8][48];
    int  n;
};

static err_code collect(void *ctx, const char *type, const char *key,
                        const char *data)
{
    struct feed *f = ctx;

    assert_true(f->n < 8);
    assert_non_null(strchr(data, '{'));
    snprintf(f->types[f->n], sizeof f->types[0], "%s", type);
    snprintf(f->keys[f->n], sizeof f->keys[0], "%s", key);
    f->n++;
    return ERR_OK;
}

/* `hubctl card revoke` hands the feed every key and revocation. */
static void cli_publishes_keys_and_revocations(void **state)
{
    char *dir = tmpdir();
    char a0[] = "init", a1[] = "revoke", a2[] = "M.HQ1.1", a3[] = "--days";
    char a4[] = "0";
    char *init[] = { a0 }, *revoke[] = { a1, a2 }, *bad[] = { a0, a3, a4 };
    struct feed f = { .n = 0 };

    (void)state;
    assert_int_equal(hub_card_cli(dir, 1, init, collect, &f), 0);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.types[0], "credential_key");
    f.n = 0;
    assert_int_equal(hub_card_cli(dir, 2, revoke, collect, &f), 0);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.types[1], "revocation");
    assert_string_equal(f.keys[1], "M.HQ1.1");
    assert_int_equal(hub_card_cli(dir, 3, bad, collect, &f), 2);
    fixture_rmrf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(state_survives_a_restart),
        cmocka_unit_test(unreadable_state_refused_and_kept),
        cmocka_unit_test(rotation_overlap_covers_old_cards),
        cmocka_unit_test(cards_print_as_png_and_sheet),
        cmocka_unit_test(cli_publishes_keys_and_revocations),
    };

    log_set_level(LOG_LVL_ERROR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
