/* hub/hub_db_desk.c - the duty desk's tables and queries
 * (hub/hub_db_desk.h). */
#include "hub/hub_db_int.h"
#include "hub/hub_db_desk.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/event.h"
#include "base/xmalloc.h"
#include "hub/hub_db_ledger.h"

static const char desk_schema[] =
    /* Keyed like the events it comes from. */
    "CREATE TABLE IF NOT EXISTS visitor_log(device TEXT NOT NULL,"
    " epoch TEXT NOT NULL, seq INTEGER NOT NULL, station TEXT NOT NULL,"
    " day TEXT NOT NULL, at_ms INTEGER NOT NULL, member_no TEXT NOT NULL,"
    " type TEXT NOT NULL, building TEXT NOT NULL, unit TEXT NOT NULL,"
    " text TEXT NOT NULL, outcome TEXT NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', ticket TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(device, epoch, seq));"
    "CREATE INDEX IF NOT EXISTS visitor_log_day ON visitor_log(day, station);"
    /* The once-a-day check of the duty desk's credit. */
    "CREATE INDEX IF NOT EXISTS service_logs_member_day"
    " ON service_logs(member_no, day, category);";

err_code hub_db_desk_migrate(struct hub_db *db)
{
    return hub_db_schema(db, desk_schema);
}

static const char *jstr(const cJSON *d, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static err_code visitor_check(struct hub_db *db, const char *station,
                              const cJSON *d, const char **why)
{
    struct hub_ticket *t;
    if (strcmp(jstr(d, "outcome"), "passed_on") != 0)
        return ERR_OK;
    t = xcalloc(1, sizeof *t);
    err_code e = hub_db_ledger_get(db, jstr(d, "ticket"), t);
    if (e == ERR_NOTFOUND)
        *why = "passed on to an unknown ticket", e = ERR_OK;
    else if (e == ERR_OK && strcmp(t->station, station) != 0)
        *why = "passed on to another station's ticket";
    free(t);
    return e;
}

static err_code duty_credit_check(struct hub_db *db, const char *station,
                                  const struct proto_event *ev,
                                  const cJSON *d, const char **why)
{
    if (strcmp(jstr(d, "category"), "duty_desk") != 0)
        return ERR_OK;
    struct sql_stmt *st = hub_db_prep(db, "SELECT 1 FROM service_logs"
        " WHERE member_no = ? AND day = ? AND category = 'duty_desk'"
        " AND station = ?");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, ev->member_no);
    hub_db_bind_text(st, 2, jstr(d, "day"));
    hub_db_bind_text(st, 3, station);
    err_code e = hub_db_step_one(db, st, "duty credit");
    sql_finalize(st);
    if (e == ERR_OK)
        *why = "duty desk already credited for that day";
    return e == ERR_NOTFOUND ? ERR_OK : e;
}

err_code hub_db_desk_check(struct hub_db *db, const char *station,
                           const struct proto_event *ev, const char **why)
{
    enum event_kind k = event_kind_parse(ev->kind);
    *why = NULL;
    if (k != EVENT_VISITOR && k != EVENT_SERVICE_LOG)
        return ERR_OK;
    cJSON *d = cJSON_Parse(ev->data);
    err_code e = k == EVENT_VISITOR ? visitor_check(db, station, d, why)
                                    : duty_credit_check(db, station, ev, d,
                                                        why);
    cJSON_Delete(d);
    return e;
}

err_code hub_db_desk_put(struct hub_db *db, const char *station,
                         const char *device, const char *epoch,
                         const struct proto_event *ev, int64_t at)
{
    if (event_kind_parse(ev->kind) != EVENT_VISITOR)
        return ERR_OK;
    struct sql_stmt *st = hub_db_prep(db, "INSERT INTO visitor_log(device,"
        " epoch, seq, station, day, at_ms, member_no, type, building, unit,"
        " text, outcome, reason, ticket) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    if (!st)
        return ERR_DB;
    cJSON *d = cJSON_Parse(ev->data);
    hub_db_bind_text(st, 1, device);
    hub_db_bind_text(st, 2, epoch);
    sql_bind_int(st, 3, (int64_t)ev->seq);
    hub_db_bind_text(st, 4, station);
    hub_db_bind_text(st, 5, jstr(d, "day"));
    sql_bind_int(st, 6, at);
    hub_db_bind_text(st, 7, ev->member_no);
    static const char *const cols[] = { "type", "building", "unit", "text",
                                        "outcome", "reason", "ticket" };
    for (int i = 0; i < 7; i++)
        hub_db_bind_text(st, 8 + i, jstr(d, cols[i]));
    err_code e = hub_db_done(db, st, "visitor put");
    cJSON_Delete(d);
    return e;
}

err_code hub_db_desk_each(struct hub_db *db, const char *station,
                          const char *day,
                          void (*fn)(void *ctx, const struct hub_visitor *v),
                          void *ctx)
{
    struct sql_stmt *st = hub_db_prep(db, "SELECT v.station, v.device,"
        " v.day, v.member_no, coalesce(m.name, ''), v.at_ms, v.type,"
        " v.building, v.unit, v.text, v.outcome, v.reason, v.ticket"
        " FROM visitor_log v LEFT JOIN members m"
        " ON m.member_no = v.member_no"
        " WHERE v.day = ?1 AND (?2 IS NULL OR v.station = ?2)"
        " ORDER BY v.station, v.at_ms, v.device, v.seq");
    if (!st)
        return ERR_DB;
    hub_db_bind_text(st, 1, day);
    hub_db_bind_text(st, 2, station);
    enum sql_rc rc;
    while ((rc = sql_step(st)) == SQL_ROW) {
        struct hub_visitor v = {
            .station = hub_db_col_text(st, 0),
            .device = hub_db_col_text(st, 1), .day = hub_db_col_text(st, 2),
            .member_no = hub_db_col_text(st, 3),
            .name = hub_db_col_text(st, 4), .at_ms = sql_col_int(st, 5),
            .type = hub_db_col_text(st, 6),
            .building = hub_db_col_text(st, 7),
            .unit = hub_db_col_text(st, 8), .text = hub_db_col_text(st, 9),
            .outcome = hub_db_col_text(st, 10),
            .reason = hub_db_col_text(st, 11),
            .ticket = hub_db_col_text(st, 12),
        };
        fn(ctx, &v);
    }
    err_code e = hub_db_rows_end(db, rc, "visitors");
    sql_finalize(st);
    return e;
}
