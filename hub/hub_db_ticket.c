/* hub/hub_db_ticket.c - see hub_db_ticket.h. Keys are kept as hex text:
 * the same column on both engines (SQLite's BLOB and PostgreSQL's bytea
 * bind differently). */
#include "hub/hub_db_ticket.h"

#include <string.h>

#include "hub/hub_db_int.h"

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[b[i] >> 4];
        out[2 * i + 1] = hx[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool from_hex(const char *s, struct hub_ticket_key *k)
{
    size_t n = strlen(s);
    if (n == 0 || n % 2 || n / 2 > sizeof k->key)
        return false;
    for (size_t i = 0; i < n / 2; i++) {
        int hi = nibble(s[2 * i]), lo = nibble(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        k->key[i] = (unsigned char)(hi << 4 | lo);
    }
    k->len = n / 2;
    return true;
}

err_code hub_db_ticket_key_put(struct hub_db *db, const unsigned char *key,
                               size_t len, int64_t now,
                               struct hub_ticket_key *out)
{
    char hex[2 * HUB_TICKET_KEY_MAX + 1];
    if (len == 0 || len > HUB_TICKET_KEY_MAX)
        return ERR_INVAL;
    to_hex(key, len, hex);
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO ticket_keys(key,"
                                      " created_ms) VALUES(?, ?)"
                                      " RETURNING id");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, hex);
    sql_bind_int(st, 2, now);
    err_code e = hub_db_step_one(db, st, "ticket key put");
    if (e == ERR_OK && out) {
        out->id = sql_col_int(st, 0);
        out->created_ms = now;
        out->len = len;
        memcpy(out->key, key, len);
    }
    /* RETURNING ends after its row: step to the end to finish it. */
    if (e == ERR_OK && sql_step(st) != SQL_DONE)
        e = ERR_DB;
    sql_finalize(st);
    return e == ERR_NOTFOUND ? ERR_DB : e;
}

err_code hub_db_ticket_keys_get(struct hub_db *db, struct hub_ticket_key *out,
                                size_t max, size_t *n)
{
    *n = 0;
    struct sql_stmt *st = hub_db_prep(db, "SELECT id, created_ms, key"
                                      " FROM ticket_keys ORDER BY id DESC"
                                      " LIMIT ?");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, (int64_t)max);
    enum sql_rc rc;
    err_code e = ERR_OK;
    while ((rc = sql_step(st)) == SQL_ROW && *n < max) {
        struct hub_ticket_key *k = &out[*n];
        k->id = sql_col_int(st, 0);
        k->created_ms = sql_col_int(st, 1);
        if (!from_hex(hub_db_col_text(st, 2), k)) {
            e = ERR_CORRUPT;
            break;
        }
        (*n)++;
    }
    if (e == ERR_OK && rc != SQL_ROW)
        e = hub_db_rows_end(db, rc, "ticket keys");
    sql_finalize(st);
    return e;
}

err_code hub_db_ticket_keys_prune(struct hub_db *db, int64_t before)
{
    struct sql_stmt *st = hub_db_prep(db, "DELETE FROM ticket_keys"
                                      " WHERE created_ms < ?");
    if (!st)
        return ERR_DB;
    sql_bind_int(st, 1, before);
    return hub_db_done(db, st, "ticket keys prune");
}
