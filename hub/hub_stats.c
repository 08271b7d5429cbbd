/* hub/hub_stats.c - the period reports as tables: labels in both
 * languages, rates and hours worked out here (the queries give counts and
 * minutes), total rows, and the ledger's figures from its tickets. */
#include "hub/hub_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/ledger.h"
#include "base/xmalloc.h"
#include "hub/hub_db_ledger.h"
#include "hub/hub_db_stats.h"
#include "hub/hub_ledger.h"

#define DAY_MS (24LL * 3600 * 1000)

enum hub_stats_kind hub_stats_kind_parse(const char *name)
{
    if (strcmp(name, "checkins") == 0)
        return HUB_STATS_CHECKINS;
    if (strcmp(name, "service") == 0)
        return HUB_STATS_SERVICE;
    if (strcmp(name, "ledger") == 0)
        return HUB_STATS_LEDGER;
    return 0;
}

#define T HUB_COL_TEXT
#define I HUB_COL_INT
#define D HUB_COL_DECIMAL
#define P HUB_COL_PERCENT
#define Y HUB_COL_DATE

#define STATION_COLS \
    { "station", "站点编号", "Station ID", T, 0 }, \
    { "station_name", "站点名称", "Station", T, 0 }

static const struct hub_col checkin_station_cols[] = {
    STATION_COLS,
    { "roster_members", "在册党员", "Members on roster", I, 0 },
    { "check_ins", "签到人次", "Check-ins", I, 0 },
    { "members_checked_in", "签到人数", "Members checked in", I, 0 },
    { "roster_checked_in", "在册党员签到人数", "Roster members checked in",
      I, 0 },
    { "check_in_rate", "签到率", "Check-in rate", P, 1 },
    { "visit_hours", "在站时长（小时）", "Hours at the station", D, 1 },
};
enum { CS_ID, CS_NAME, CS_ROSTER, CS_CHECKINS, CS_MEMBERS, CS_ROSTER_IN,
       CS_RATE, CS_HOURS, CS_N };

static const struct hub_col checkin_member_cols[] = {
    { "station", "站点编号", "Station ID", T, 0 },
    { "member_no", "党员编号", "Member no.", T, 0 },
    { "name", "姓名", "Name", T, 0 },
    { "check_ins", "签到次数", "Check-ins", I, 0 },
    { "days", "签到天数", "Days", I, 0 },
    { "visit_hours", "在站时长（小时）", "Hours at the station", D, 1 },
    { "last_check_in", "最近签到日期", "Last check-in", Y, 0 },
};
enum { CM_STATION, CM_NO, CM_NAME, CM_CHECKINS, CM_DAYS, CM_HOURS, CM_LAST,
       CM_N };

/* Per station and per member share the figures after the names. */
#define SERVICE_FIGURES \
    { "logs", "服务记录", "Service logs", I, 0 }, \
    { "members", "登记人数", "Members who logged", I, 0 }, \
    { "confirmed", "已确认", "Confirmed", I, 0 }, \
    { "confirmed_hours", "已确认服务时长（小时）", "Confirmed hours", D, 1 }, \
    { "pending", "待确认", "Pending", I, 0 }, \
    { "rejected", "未通过", "Rejected", I, 0 }, \
    { "points", "积分", "Points", I, 0 }, \
    { "confirmation_rate", "确认率", "Confirmation rate", P, 1 }

static const struct hub_col service_station_cols[] = {
    STATION_COLS, SERVICE_FIGURES,
};
static const struct hub_col service_member_cols[] = {
    { "station", "站点编号", "Station ID", T, 0 },
    { "member_no", "党员编号", "Member no.", T, 0 },
    { "name", "姓名", "Name", T, 0 },
    SERVICE_FIGURES,
};
enum { SV_LOGS, SV_MEMBERS, SV_CONFIRMED, SV_HOURS, SV_PENDING, SV_REJECTED,
       SV_POINTS, SV_RATE, SV_N };

static const struct hub_col ledger_cols[] = {
    STATION_COLS,
    { "requests", "诉求件数", "Requests filed", I, 0 },
    { "wishes", "微心愿件数", "Small wishes filed", I, 0 },
    { "accepted", "已受理", "Accepted", I, 0 },
    { "answered", "已答复", "Answered", I, 0 },
    { "closed", "已销号", "Closed", I, 0 },
    { "overdue", "逾期未办结", "Overdue", I, 0 },
    { "median_days_to_close", "销号用时中位数（天）",
      "Median days to close", D, 1 },
    { "signoffs", "验收次数", "Sign-offs", I, 0 },
    { "satisfied", "满意次数", "Satisfied", I, 0 },
    { "satisfaction_rate", "满意率", "Satisfaction rate", P, 1 },
};
enum { LG_ID, LG_NAME, LG_REQUESTS, LG_WISHES, LG_ACCEPTED, LG_ANSWERED,
       LG_CLOSED, LG_OVERDUE, LG_MEDIAN, LG_SIGNOFFS, LG_SATISFIED, LG_RATE,
       LG_N };

#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))

/* ---- shared ------------------------------------------------------------ */

static const char *L(enum hub_lang lang, const char *zh, const char *en)
{
    return lang == HUB_LANG_EN ? en : zh;
}

/* "统计期间：2026-03-01 至 2026-03-31（UTC+8）；站点：全部". */
static void scope_line(struct hub_table *t, const struct hub_filter *f)
{
    bool en = t->lang == HUB_LANG_EN;
    char tz[16], *o = t->scope;
    size_t cap = sizeof t->scope, n;
    int h = f->utc_offset / 60, m = abs(f->utc_offset % 60);
    if (m)
        snprintf(tz, sizeof tz, "UTC%+d:%02d", h, m);
    else
        snprintf(tz, sizeof tz, "UTC%+d", h);
    n = (size_t)snprintf(o, cap, en ? "Period: %s to %s (%s); stations: "
                         : "统计期间：%s 至 %s（%s）；站点：", f->from, f->to,
                         tz);
    if (f->n_stations == 0) {
        snprintf(o + n, cap - n, "%s", en ? "all" : "全部");
        return;
    }
    for (size_t i = 0; i < f->n_stations; i++) {
        const char *sep = i == 0 ? "" : en ? ", " : "、";
        /* Room for this id and the "and N more" after it. */
        if (n + strlen(sep) + strlen(f->stations[i]) + 40 > cap) {
            snprintf(o + n, cap - n, en ? " and %zu more" : "等%zu个",
                     en ? f->n_stations - i : f->n_stations);
            return;
        }
        n += (size_t)snprintf(o + n, cap - n, "%s%s", sep, f->stations[i]);
    }
}

static struct hub_table *table(enum hub_lang lang, const struct hub_filter *f,
                               const char *zh_title, const char *en_title,
                               const char *zh_sheet, const char *en_sheet,
                               const struct hub_col *cols, int n)
{
    struct hub_table *t = hub_table_new(lang, L(lang, zh_title, en_title),
                                        L(lang, zh_sheet, en_sheet), cols, n);
    scope_line(t, f);
    return t;
}

static void rate(struct hub_table *t, int col, int64_t part, int64_t whole)
{
    if (whole > 0)
        hub_table_num(t, col, (double)part / (double)whole);
}

static void hours(struct hub_table *t, int col, int64_t minutes)
{
    hub_table_num(t, col, (double)minutes / 60.0);
}

/* The first columns of a total row. */
static void total_row(struct hub_table *t)
{
    hub_table_row(t);
    t->total = true;
    hub_table_text(t, 0, "*");
    hub_table_text(t, 1, L(t->lang, "合计", "Total"));
}

/* ---- check-ins --------------------------------------------------------- */

struct checkin_sum {
    struct hub_table *t;
    int64_t           roster, check_ins, members, roster_in, minutes;
};

static void checkin_station(void *ctx, const struct hub_stat_checkin_station *r)
{
    struct checkin_sum *s = ctx;
    struct hub_table *t = s->t;
    hub_table_row(t);
    hub_table_text(t, CS_ID, r->station);
    hub_table_text(t, CS_NAME, r->name);
    hub_table_int(t, CS_ROSTER, r->roster);
    hub_table_int(t, CS_CHECKINS, r->check_ins);
    hub_table_int(t, CS_MEMBERS, r->members);
    hub_table_int(t, CS_ROSTER_IN, r->roster_checked_in);
    rate(t, CS_RATE, r->roster_checked_in, r->roster);
    hours(t, CS_HOURS, r->visit_minutes);
    s->roster += r->roster;
    s->check_ins += r->check_ins;
    s->members += r->members;
    s->roster_in += r->roster_checked_in;
    s->minutes += r->visit_minutes;
}

struct member_ctx {
    struct hub_table *t;
    int               utc_offset;
};

static void checkin_member(void *ctx, const struct hub_stat_checkin_member *r)
{
    struct member_ctx *c = ctx;
    struct hub_table *t = c->t;
    hub_table_row(t);
    hub_table_text(t, CM_STATION, r->station);
    hub_table_text(t, CM_NO, r->member_no);
    hub_table_text(t, CM_NAME, r->name);
    hub_table_int(t, CM_CHECKINS, r->check_ins);
    hub_table_int(t, CM_DAYS, r->days);
    hours(t, CM_HOURS, r->visit_minutes);
    if (r->last_ms > 0)
        hub_table_date(t, CM_LAST, clock_local_day(r->last_ms,
                                                   c->utc_offset));
}

static err_code checkins(struct hub_db *db, const struct hub_filter *f,
                         enum hub_lang lang, struct hub_book *out)
{
    struct checkin_sum s = { .t = table(lang, f, "签到统计（按站点）",
        "Check-ins by station", "签到（站点）", "Check-ins by station",
        checkin_station_cols, NCOLS(checkin_station_cols)) };
    hub_book_add(out, s.t);
    err_code e = hub_db_stats_checkin_stations(db, f, checkin_station, &s);
    if (e != ERR_OK)
        return e;
    total_row(s.t);
    hub_table_int(s.t, CS_ROSTER, s.roster);
    hub_table_int(s.t, CS_CHECKINS, s.check_ins);
    hub_table_int(s.t, CS_MEMBERS, s.members);
    hub_table_int(s.t, CS_ROSTER_IN, s.roster_in);
    rate(s.t, CS_RATE, s.roster_in, s.roster);
    hours(s.t, CS_HOURS, s.minutes);
    struct member_ctx m = { table(lang, f, "签到统计（按党员）",
        "Check-ins by member", "签到（党员）", "Check-ins by member",
        checkin_member_cols, NCOLS(checkin_member_cols)), f->utc_offset };
    hub_book_add(out, m.t);
    return hub_db_stats_checkin_members(db, f, checkin_member, &m);
}

/* ---- service ----------------------------------------------------------- */

struct service_ctx {
    struct hub_table       *t;
    int                     first;      /* column of the first figure */
    struct hub_stat_service sum;
};

static void service_figures(struct hub_table *t, int c,
                            const struct hub_stat_service *r)
{
    hub_table_int(t, c + SV_LOGS, r->logs);
    hub_table_int(t, c + SV_MEMBERS, r->members);
    hub_table_int(t, c + SV_CONFIRMED, r->confirmed);
    hours(t, c + SV_HOURS, r->confirmed_minutes);
    hub_table_int(t, c + SV_PENDING, r->pending);
    hub_table_int(t, c + SV_REJECTED, r->rejected);
    hub_table_int(t, c + SV_POINTS, r->points);
    rate(t, c + SV_RATE, r->confirmed, r->confirmed + r->rejected);
}

static void service_row(void *ctx, const struct hub_stat_service *r)
{
    struct service_ctx *c = ctx;
    struct hub_table *t = c->t;
    hub_table_row(t);
    hub_table_text(t, 0, r->station);
    if (r->member_no)
        hub_table_text(t, 1, r->member_no);
    hub_table_text(t, c->first - 1, r->name);
    service_figures(t, c->first, r);
    c->sum.logs += r->logs;
    c->sum.members += r->members;
    c->sum.confirmed += r->confirmed;
    c->sum.confirmed_minutes += r->confirmed_minutes;
    c->sum.pending += r->pending;
    c->sum.rejected += r->rejected;
    c->sum.points += r->points;
}

static err_code service(struct hub_db *db, const struct hub_filter *f,
                        enum hub_lang lang, struct hub_book *out)
{
    struct service_ctx s = { .t = table(lang, f, "服务记实统计（按站点）",
        "Service by station", "服务（站点）", "Service by station",
        service_station_cols, NCOLS(service_station_cols)), .first = 2 };
    hub_book_add(out, s.t);
    err_code e = hub_db_stats_service(db, f, false, service_row, &s);
    if (e != ERR_OK)
        return e;
    total_row(s.t);
    service_figures(s.t, 2, &s.sum);
    struct service_ctx m = { .t = table(lang, f, "服务记实统计（按党员）",
        "Service by member", "服务（党员）", "Service by member",
        service_member_cols, NCOLS(service_member_cols)), .first = 3 };
    hub_book_add(out, m.t);
    return hub_db_stats_service(db, f, true, service_row, &m);
}

/* ---- ledger ------------------------------------------------------------ */

struct ledger_tally {
    char     station[64], name[128];
    int64_t  n[LG_N];            /* the whole-number columns */
    double  *days;               /* days to close of the closed tickets */
    size_t   ndays, cap;
};

struct ledger_ctx {
    struct ledger_tally *v;      /* the stations, then the total */
    size_t               n, cap;
    size_t               at;     /* where the last ticket's station was */
    int64_t              now;
};

static void ledger_station(void *ctx, const struct hub_stat_station *r)
{
    struct ledger_ctx *c = ctx;
    if (c->n == c->cap)
        c->v = xrealloc(c->v, (c->cap = c->cap ? c->cap * 2 : 16) *
                              sizeof *c->v);
    struct ledger_tally *y = &c->v[c->n++];
    memset(y, 0, sizeof *y);
    str_copy(y->station, sizeof y->station, r->id);
    str_copy(y->name, sizeof y->name, r->name);
}

static void tally(struct ledger_tally *y, const struct hub_stat_ticket *r,
                  bool overdue)
{
    bool wish = strcmp(r->kind, "wish") == 0;
    y->n[wish ? LG_WISHES : LG_REQUESTS]++;
    y->n[LG_ACCEPTED] += r->accepted_ms > 0;
    y->n[LG_ANSWERED] += r->answered_ms > 0;
    y->n[LG_OVERDUE] += overdue;
    y->n[LG_SIGNOFFS] += r->signoffs;
    y->n[LG_SATISFIED] += r->satisfied;
    if (strcmp(r->state, "closed") == 0) {
        y->n[LG_CLOSED]++;
        if (y->ndays == y->cap)
            y->days = xrealloc(y->days, (y->cap = y->cap ? y->cap * 2 : 8) *
                                        sizeof *y->days);
        y->days[y->ndays++] = (double)(r->closed_ms - r->filed_ms) / DAY_MS;
    }
}

static void ledger_ticket(void *ctx, const struct hub_stat_ticket *r)
{
    struct ledger_ctx *c = ctx;
    /* Tickets come by station: most often the last one's. */
    if (strcmp(c->v[c->at].station, r->station) != 0)
        for (c->at = 0; c->at < c->n - 1; c->at++)
            if (strcmp(c->v[c->at].station, r->station) == 0)
                break;
    if (c->at == c->n - 1)
        return;                   /* a station gone from the list */
    /* The ledger's one rule for overdue (hub_ledger_overdue). */
    struct hub_ticket *t = xcalloc(1, sizeof *t);
    t->state = ledger_state_parse(r->state);
    t->deadline_ms = r->deadline_ms;
    bool overdue = hub_ledger_overdue(t, c->now);
    free(t);
    tally(&c->v[c->at], r, overdue);
    tally(&c->v[c->n - 1], r, overdue);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void ledger_row(struct hub_table *t, struct ledger_tally *y,
                       bool total)
{
    if (total) {
        total_row(t);
    } else {
        hub_table_row(t);
        hub_table_text(t, LG_ID, y->station);
        hub_table_text(t, LG_NAME, y->name);
    }
    for (int c = LG_REQUESTS; c <= LG_SATISFIED; c++)
        if (c != LG_MEDIAN)
            hub_table_int(t, c, y->n[c]);
    if (y->ndays > 0) {
        qsort(y->days, y->ndays, sizeof *y->days, by_value);
        size_t h = y->ndays / 2;
        hub_table_num(t, LG_MEDIAN, y->ndays % 2 ? y->days[h]
                      : (y->days[h - 1] + y->days[h]) / 2);
    }
    rate(t, LG_RATE, y->n[LG_SATISFIED], y->n[LG_SIGNOFFS]);
}

static err_code ledger(struct hub_db *db, const struct hub_filter *f,
                       enum hub_lang lang, int64_t now, struct hub_book *out)
{
    struct hub_table *t = table(lang, f, "民情台账统计（按站点）",
        "Issue ledger by station", "民情台账（站点）", "Ledger by station",
        ledger_cols, NCOLS(ledger_cols));
    hub_book_add(out, t);
    struct ledger_ctx c = { .now = now };
    err_code e = hub_db_stats_stations(db, f, ledger_station, &c);
    if (e == ERR_OK) {
        struct hub_stat_station all = { "*", "" };
        ledger_station(&c, &all);
        e = hub_db_stats_tickets(db, f, ledger_ticket, &c);
    }
    for (size_t i = 0; i < c.n; i++) {
        if (e == ERR_OK)
            ledger_row(t, &c.v[i], i == c.n - 1);
        free(c.v[i].days);
    }
    free(c.v);
    return e;
}

err_code hub_stats_build(struct hub_db *db, enum hub_stats_kind kind,
                         const struct hub_filter *f, enum hub_lang lang,
                         int64_t now, struct hub_book *out, char *msg,
                         size_t cap)
{
    out->n = 0;
    for (size_t i = 0; i < f->n_stations; i++)
        if (!hub_db_station_exists(db, f->stations[i])) {
            snprintf(msg, cap, "unknown station %s", f->stations[i]);
            return ERR_NOTFOUND;
        }
    err_code e;
    switch (kind) {
    case HUB_STATS_CHECKINS:
        e = checkins(db, f, lang, out);
        break;
    case HUB_STATS_SERVICE:
        e = service(db, f, lang, out);
        break;
    case HUB_STATS_LEDGER:
        e = ledger(db, f, lang, now, out);
        break;
    default:
        snprintf(msg, cap, "unknown report");
        return ERR_INVAL;
    }
    if (e != ERR_OK) {
        snprintf(msg, cap, "the store: %s", err_str(e));
        hub_book_free(out);
    }
    return e;
}
