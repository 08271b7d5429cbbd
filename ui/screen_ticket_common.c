/* ui/screen_ticket_common.c - names, times and the receipt for the
 * residents' screens (ui/screen_ticket.h). */
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "firmware/receipt.h"
#include "ui/screen_ticket.h"

const char *ticket_type_name(struct app *a, const char *code)
{
    struct ledger_type t;
    if (store_ledger_type_get(a->store, code, &t) != ERR_OK)
        return app_fmt(a, "%s", code);
    /* The English name when the hub gave one; else the hub's own. */
    if (a->lang == 1 && t.name_en[0])
        return app_fmt(a, "%s", t.name_en);
    return app_fmt(a, "%s", t.name);
}

const char *ticket_state_name(struct app *a, enum ledger_kind k,
                              enum ledger_state s)
{
    const char *name = ledger_state_name(s);
    if (k == LEDGER_WISH && (s == LEDGER_ASSIGNED || s == LEDGER_ANSWERED ||
                             s == LEDGER_ACCEPTED))
        return app_s(a, app_fmt(a, "ledger.wish_state.%s", name));
    return app_s(a, app_fmt(a, "ledger.state.%s", name));
}

const char *ticket_when(struct app *a, int64_t ms)
{
    if (ms <= 0)
        return "";
    int64_t local = ms + (int64_t)a->cfg.utc_offset_minutes * 60000;
    int mins = (int)(((local % 86400000) + 86400000) % 86400000 / 60000);
    char ymd[11];
    clock_ymd(ms, a->cfg.utc_offset_minutes, ymd);
    return app_fmt(a, "%s %02d:%02d", ymd, mins / 60, mins % 60);
}

const char *ticket_place(struct app *a, const char *building,
                         const char *unit)
{
    if (!building[0])
        return app_s(a, "ledger.no_place");
    /* As the contacts screen names them: the data holds "3", "2". */
    const char *b = app_sfmt(a, "contacts.bldg", building);
    return unit[0] ? app_fmt(a, "%s %s", b,
                             app_sfmt(a, "contacts.unit_n", unit))
                   : b;
}

bool ticket_print(struct app *a, const struct ticket *t,
                  const struct ticket_filed *f)
{
    if (!a->board)
        return false;
    int dots = receipt_dots(a->cfg.printer_paper);
    if (dots == 0)
        dots = RECEIPT_DOTS_58MM;
    struct receipt_line lines[4] = {
        { app_s(a, "ledger.r_type"), ticket_type_name(a, t->type) },
        { app_s(a, "ledger.r_place"), ticket_place(a, t->building,
                                                   t->unit) },
        { app_s(a, "ledger.r_text"), t->text },
        { app_s(a, "ledger.r_pin"), f->pin },
    };
    struct receipt r = {
        .station = a->cfg.station_name,
        .title = app_s(a, t->kind == LEDGER_WISH ? "ledger.r_title_wish"
                                                 : "ledger.r_title"),
        .ticket = t->ticket,
        .when = ticket_when(a, t->filed_ms),
        .lines = lines,
        .n_lines = 4,
        .qr = t->ticket,
        .next = app_s(a, t->kind == LEDGER_WISH ? "ledger.r_next_wish"
                                                : "ledger.r_next"),
        .footer = app_s(a, "ledger.r_footer"),
    };
    uint8_t *bytes = NULL;
    size_t len = 0;
    err_code e = receipt_escpos(&r, dots, &bytes, &len);
    if (e == ERR_OK)
        e = board_print(a->board, bytes, len);
    free(bytes);
    if (e != ERR_OK)
        log_info("receipt for %s not printed: %s", t->ticket, err_str(e));
    return e == ERR_OK;
}

#define TICKET_PLACES_MAX 24

bool ticket_has_places(struct app *a)
{
    char b[TICKET_PLACES_MAX][16];
    size_t nb = 0;
    return store_buildings(a->store, b, TICKET_PLACES_MAX, &nb) == ERR_OK &&
           nb > 0;
}

int ticket_pick_building(struct app *a, int i, char *building, char *unit)
{
    char b[TICKET_PLACES_MAX][16], u[TICKET_PLACES_MAX][16];
    size_t nb = 0, nu = 0;
    if (store_buildings(a->store, b, TICKET_PLACES_MAX, &nb) != ERR_OK ||
        i < 0 || (size_t)i >= nb)
        return -1;
    str_copy(building, 16, b[i]);
    unit[0] = '\0';
    return store_units(a->store, building, u, TICKET_PLACES_MAX, &nu) ==
               ERR_OK && nu > 0;
}

bool ticket_pick_unit(struct app *a, const char *building, int i, char *unit)
{
    char u[TICKET_PLACES_MAX][16];
    size_t nu = 0;
    if (store_units(a->store, building, u, TICKET_PLACES_MAX, &nu) != ERR_OK)
        return false;
    if (i == 0)
        unit[0] = '\0';                      /* the whole building */
    else if ((size_t)i <= nu)
        str_copy(unit, 16, u[i - 1]);
    else
        return false;
    return true;
}
