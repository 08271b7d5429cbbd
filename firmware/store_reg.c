/* firmware/store_reg.c - work units, hub settings and registrations in
 * the kiosk's store (firmware/store_reg.h). */
#include "firmware/store_int.h"
#include "firmware/store_reg.h"

#include <stdio.h>
#include <string.h>

static bool is_setting(const char *key)
{
    return strncmp(key, CHANGE_SETTING_PREFIX,
                   strlen(CHANGE_SETTING_PREFIX)) == 0;
}

/* "setting/NAME" to the meta row's key. */
static void setting_key(const char *key, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s", STORE_HUB_SETTING,
             key + strlen(CHANGE_SETTING_PREFIX));
}

err_code store_work_unit_apply(struct store *s, const struct change *c)
{
    const struct change_work_unit *w = &c->u.work_unit;
    char mk[CHANGE_KEY_MAX + 16];

    if (is_setting(c->key)) {
        setting_key(c->key, mk, sizeof mk);
        return store_meta_set(s, mk, w->on ? "on" : "off");
    }
    sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO work_units"
        "(code, name, paired_community) VALUES(?, ?, ?)");
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, c->key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, w->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, w->paired_community, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "work unit put");
}

err_code store_work_unit_del(struct store *s, const char *key)
{
    char mk[CHANGE_KEY_MAX + 16];
    sqlite3_stmt *st;

    if (is_setting(key)) {
        setting_key(key, mk, sizeof mk);
        st = store_stmt(s, "DELETE FROM meta WHERE key = ?");
        key = mk;
    } else {
        st = store_stmt(s, "DELETE FROM work_units WHERE code = ?");
    }
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    return store_step_done(s, st, "work unit delete");
}

err_code store_work_unit_get(struct store *s, const char *code,
                             struct work_unit *out)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT code, name, paired_community"
                                  " FROM work_units WHERE code = ?");
    int rc;

    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(st, 0, out->code, sizeof out->code);
        store_col_text(st, 1, out->name, sizeof out->name);
        store_col_text(st, 2, out->paired_community,
                       sizeof out->paired_community);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return ERR_OK;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, "work unit");
}

err_code store_hub_setting(struct store *s, const char *name, bool *on)
{
    char key[96], val[8];
    snprintf(key, sizeof key, "%s%s", STORE_HUB_SETTING, name);
    err_code e = store_meta_get(s, key, val, sizeof val);

    *on = e == ERR_OK && strcmp(val, "on") == 0;
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

err_code store_registered_ms(struct store *s, const char *member_no,
                             int64_t *ms)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT wall_ms FROM events"
        " WHERE kind = 4 AND member_no = ? ORDER BY seq LIMIT 1");
    int rc;

    *ms = 0;
    if (st == NULL)
        return ERR_DB;
    sqlite3_bind_text(st, 1, member_no, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *ms = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return ERR_OK;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_err(s, rc, "registered");
}
