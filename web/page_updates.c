/* web/page_updates.c - /fleet/updates: publishing an update bundle, a
 * pilot station first, then every station (hub/hub_bundle_pilot.h has
 * why the bundle comes from DIR/incoming rather than a browser upload).
 *
 * Who: publishing to a pilot station needs HUB_CHANGE on that station
 * (an administrator, or an editor of it); publishing to every station
 * reaches stations beyond any one scope, so it is an administrator's,
 * and only once a pilot kiosk reports the bundle's version with no
 * rollback from it (hub_bundle_pilot_ok) - or with a ticked override.
 * Others see the bundles and the pilot's kiosks of their stations. */
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "hub/hub_bundle_pilot.h"
#include "hub/hub_db_report.h"
#include "hub/hub_db_users.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/scope.h"

enum { F_DEV, F_STATION, F_SEEN, F_AGE, F_VER, F_QUEUE, F_OFFSET, F_ACKED,
       F_STATE, F_ROLLBACK, F_N };

struct brow {
    struct hub_bundle_info info;
    char    scope[64];
    int64_t published_ms;
};

struct kiosk {
    char dev[64], station[64], version[24], rollback[200];
};

struct state {
    struct web_req *req;
    struct brow    *b;
    size_t          nb;
    struct kiosk   *k;
    size_t          nk;
};

static void bundle_row(void *ctx, const struct hub_bundle_row *r)
{
    struct state *s = ctx;
    s->b = xrealloc(s->b, (s->nb + 1) * sizeof *s->b);
    struct brow *b = &s->b[s->nb++];
    b->info = r->info;
    snprintf(b->scope, sizeof b->scope, "%s", r->scope);
    b->published_ms = r->published_ms;
}

static void kiosk_row(void *ctx, int n, const char *const *c)
{
    struct state *s = ctx;
    if (n < F_N || strcmp(c[F_STATE], "enrolled") != 0)
        return;
    s->k = xrealloc(s->k, (s->nk + 1) * sizeof *s->k);
    struct kiosk *k = &s->k[s->nk++];
    snprintf(k->dev, sizeof k->dev, "%s", c[F_DEV]);
    snprintf(k->station, sizeof k->station, "%s", c[F_STATION]);
    snprintf(k->version, sizeof k->version, "%s", c[F_VER]);
    snprintf(k->rollback, sizeof k->rollback, "%s", c[F_ROLLBACK]);
}

/* The bundles and (one query) every kiosk's report. */
static err_code load(struct state *s)
{
    err_code e = hub_db_bundle_each(s->req->db, bundle_row, s);
    if (e == ERR_OK)
        e = hub_db_report_fleet(s->req->db, kiosk_row, s);
    return e;
}

static void unload(struct state *s)
{
    free(s->b);
    free(s->k);
}

static bool offered_to_all(const struct state *s, const char *name)
{
    for (size_t i = 0; i < s->nb; i++)
        if (!s->b[i].scope[0] && strcmp(s->b[i].info.name, name) == 0)
            return true;
    return false;
}

/* Whether a kiosk of a pilot station of bundle `b` runs it cleanly. */
static bool gate_open(const struct state *s, const char *name)
{
    for (size_t i = 0; i < s->nb; i++) {
        const struct brow *b = &s->b[i];
        if (!b->scope[0] || strcmp(b->info.name, name) != 0)
            continue;
        for (size_t j = 0; j < s->nk; j++)
            if (strcmp(s->k[j].station, b->scope) == 0 &&
                hub_bundle_pilot_ok(b->info.version, s->k[j].version,
                                    s->k[j].rollback))
                return true;
    }
    return false;
}

static void station_cell(struct web_req *req, FILE *o, const char *id)
{
    char name[128] = "";
    hub_db_station_name(req->db, id, name, sizeof name);
    html_text(o, name[0] ? name : id);
}

static void size_text(FILE *o, unsigned long long size)
{
    if (size < 1024 * 1024)
        html_raw(o, "%.1f KB", (double)size / 1024.0);
    else
        html_raw(o, "%.1f MB", (double)size / (1024.0 * 1024.0));
}

struct incoming {
    FILE *o;
    int   n;
};

static void incoming_option(void *ctx, const char *name, long long size)
{
    struct incoming *in = ctx;
    html_raw(in->o, "<option value=\"");
    html_attr(in->o, name);
    html_raw(in->o, "\">");
    html_text(in->o, name);
    html_raw(in->o, " (");
    size_text(in->o, (unsigned long long)size);
    html_raw(in->o, ")</option>");
    in->n++;
}

static void pilot_section(struct web_req *req, FILE *o,
                          const struct state *s, const struct brow *b)
{
    bool admin = hub_user_is_admin(&req->user);
    html_raw(o, "<section class=\"card pilot\"><h2>");
    html_text(o, b->info.name);
    html_raw(o, " · ");
    html_text(o, web_t(req, S_PILOT_STATION));
    html_raw(o, "：");
    station_cell(req, o, b->scope);
    html_raw(o, "</h2><div class=\"table-wrap\"><table><thead><tr>");
    static const enum web_str heads[] = { S_DEVICE, S_VERSION,
                                          S_LAST_ROLLBACK, S_STATE };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        html_raw(o, "<th scope=\"col\">");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    int shown = 0;
    for (size_t j = 0; j < s->nk; j++) {
        const struct kiosk *k = &s->k[j];
        if (strcmp(k->station, b->scope) != 0)
            continue;
        shown++;
        bool ok = hub_bundle_pilot_ok(b->info.version, k->version,
                                      k->rollback);
        bool rolled = !ok && strcmp(k->version, b->info.version) != 0 &&
                      k->rollback[0] && strstr(k->rollback, b->info.version);
        html_raw(o, "<tr><th scope=\"row\">");
        html_text(o, k->dev);
        html_raw(o, "</th><td class=\"nowrap\">");
        html_text(o, k->version[0] ? k->version : "—");
        html_raw(o, "</td><td>");
        html_text(o, k->rollback);
        html_raw(o, "</td><td><span class=\"tag%s\">",
                 ok ? " ok" : rolled ? " warn" : "");
        html_text(o, web_t(req, ok ? S_PILOT_OK : rolled ? S_PILOT_ROLLED
                                                         : S_PILOT_WAIT));
        html_raw(o, "</span></td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (shown == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_KIOSKS_PILOT));
    bool open = gate_open(s, b->info.name);
    if (!open)
        scope_notice(o, "notice", "status", web_t(req, S_GATE_CLOSED));
    if (admin) {
        html_form_begin(req, o, "/fleet/updates", "publish-all");
        html_raw(o, "<input type=\"hidden\" name=\"action\" value=\"all\">"
                 "<input type=\"hidden\" name=\"bundle\" value=\"");
        html_attr(o, b->info.name);
        html_raw(o, "\">");
        if (!open) {
            html_raw(o, "<div class=\"field check\"><label for=\"override-");
            html_attr(o, b->info.name);
            html_raw(o, "\"><input type=\"checkbox\" id=\"override-");
            html_attr(o, b->info.name);
            html_raw(o, "\" name=\"override\" value=\"1\"> ");
            html_text(o, web_t(req, S_OVERRIDE));
            html_raw(o, "</label></div>");
        }
        html_raw(o, "<div class=\"actions\">");
        html_submit(o, web_t(req, S_PUBLISH_ALL), open ? "primary" : NULL);
        html_raw(o, "</div>");
        html_form_end(o);
    }
    html_raw(o, "</section>");
}

static void updates_page(struct web_req *req, struct web_resp *resp,
                         const char *notice, bool error)
{
    struct state s = { .req = req };
    if (load(&s) != ERR_OK) {
        unload(&s);
        web_error(req, resp, 503, web_t(req, S_ERROR));
        return;
    }
    FILE *o = resp->out;
    size_t n_chg = 0;
    struct scope_station *chg = scope_stations(req, HUB_CHANGE, &n_chg);
    html_page_begin(req, resp, web_t(req, S_UPDATES));
    html_raw(o, "<p class=\"hint lead\">");
    html_text(o, web_t(req, S_UPDATES_HINT));
    html_raw(o, "</p>");
    if (notice)
        scope_notice(o, error ? "notice error" : "notice",
                     error ? "alert" : "status", notice);

    if (n_chg > 0) {
        struct incoming in = { .o = o };
        html_raw(o, "<section class=\"card narrow\"><h2>");
        html_text(o, web_t(req, S_PUBLISH_PILOT));
        html_raw(o, "</h2>");
        html_form_begin(req, o, "/fleet/updates", "publish-pilot");
        html_raw(o, "<input type=\"hidden\" name=\"action\" value=\"pilot\">"
                 "<div class=\"field\"><label for=\"bundle\">");
        html_text(o, web_t(req, S_BUNDLE_FILE));
        html_raw(o, "</label><select id=\"bundle\" name=\"bundle\">");
        hub_bundle_incoming(req->hub_dir ? req->hub_dir : ".",
                            incoming_option, &in);
        html_raw(o, "</select></div>");
        if (in.n == 0)
            scope_notice(o, "notice", "status", web_t(req, S_NO_INCOMING));
        scope_select(req, o, web_t(req, S_PILOT_STATION), chg, n_chg, NULL);
        html_raw(o, "<div class=\"actions\">");
        html_submit(o, web_t(req, S_PUBLISH_PILOT), "primary");
        html_raw(o, "</div>");
        html_form_end(o);
        html_raw(o, "</section>");
    }

    /* Bundles offered to a pilot and not yet to everyone. */
    for (size_t i = 0; i < s.nb; i++) {
        const struct brow *b = &s.b[i];
        if (b->scope[0] && web_may(req, b->scope, HUB_SEE) &&
            !offered_to_all(&s, b->info.name))
            pilot_section(req, o, &s, b);
    }

    html_raw(o, "<h2>");
    html_text(o, web_t(req, S_BUNDLES_PUBLISHED));
    html_raw(o, "</h2><div class=\"table-wrap\"><table class=\"bundles\">"
             "<thead><tr>");
    static const enum web_str heads[] = { S_BUNDLE, S_VERSION,
                                          S_PUBLISHED_TO, S_TIME, S_SIZE };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        html_raw(o, "<th scope=\"col\"%s>", heads[i] == S_SIZE
                 ? " class=\"n\"" : "");
        html_text(o, web_t(req, heads[i]));
        html_raw(o, "</th>");
    }
    html_raw(o, "</tr></thead><tbody>");
    int shown = 0;
    for (size_t i = 0; i < s.nb; i++) {
        const struct brow *b = &s.b[i];
        if (b->scope[0] && !web_may(req, b->scope, HUB_SEE))
            continue;
        shown++;
        html_raw(o, "<tr><th scope=\"row\">");
        html_text(o, b->info.name);
        html_raw(o, "</th><td>");
        html_text(o, b->info.version);
        html_raw(o, "</td><td>");
        if (b->scope[0])
            station_cell(req, o, b->scope);
        else
            html_text(o, web_t(req, S_ALL_STATIONS));
        html_raw(o, "</td><td class=\"nowrap\">");
        html_time(o, req, b->published_ms);
        html_raw(o, "</td><td class=\"n\">");
        size_text(o, (unsigned long long)b->info.size);
        html_raw(o, "</td></tr>");
    }
    html_raw(o, "</tbody></table></div>");
    if (shown == 0)
        scope_notice(o, "notice", "status", web_t(req, S_NO_ROWS));
    html_page_end(req, resp);
    free(chg);
    unload(&s);
}

void page_updates(struct web_req *req, struct web_resp *resp)
{
    char v[4];
    updates_page(req, resp, web_query(req, "done", v, sizeof v)
                            ? web_t(req, S_BUNDLE_DONE) : NULL, false);
}

static void refuse(struct web_req *req, struct web_resp *resp, err_code e,
                   const char *msg)
{
    char text[400];
    const char *why = strstr(msg, "release key") ? web_t(req, S_NO_RELEASE_KEY)
                      : req->lang == WEB_EN ? msg : web_t(req, S_ERROR);
    if (e == ERR_DENIED && req->lang == WEB_ZH)
        why = web_t(req, S_BUNDLE_SIG_BAD);
    else if (e == ERR_CORRUPT && req->lang == WEB_ZH)
        why = web_t(req, S_BUNDLE_DAMAGED);
    snprintf(text, sizeof text, "%s%s", web_t(req, S_BUNDLE_BAD), why);
    resp->status = 400;
    updates_page(req, resp, text, true);
}

void page_updates_post(struct web_req *req, struct web_resp *resp)
{
    char action[8] = "", bundle[80] = "", station[64] = "", v[4];
    web_form(req, "action", action, sizeof action);
    web_form(req, "bundle", bundle, sizeof bundle);
    web_form(req, "station", station, sizeof station);
    const char *dir = req->hub_dir ? req->hub_dir : ".";
    struct hub_bundle_info bi;
    char msg[256];
    err_code e;
    if (strcmp(action, "pilot") == 0) {
        if (!station[0] || !web_may(req, station, HUB_CHANGE)) {
            web_not_found(req, resp);
            return;
        }
        e = hub_bundle_publish_audited(req->db, dir, bundle, station,
                                       req->user.name, &bi, msg, sizeof msg);
    } else if (strcmp(action, "all") == 0) {
        if (!hub_user_is_admin(&req->user)) {
            web_not_found(req, resp);
            return;
        }
        struct state s = { .req = req };
        bool open = load(&s) == ERR_OK && gate_open(&s, bundle);
        unload(&s);
        if (!open && !(web_form(req, "override", v, sizeof v) &&
                       strcmp(v, "1") == 0)) {
            resp->status = 400;
            updates_page(req, resp, web_t(req, S_OVERRIDE_NEEDED), true);
            return;
        }
        e = hub_bundle_publish_audited(req->db, dir, bundle, NULL,
                                       req->user.name, &bi, msg, sizeof msg);
    } else {
        resp->status = 400;
        updates_page(req, resp, web_t(req, S_INPUT_BAD), true);
        return;
    }
    if (e != ERR_OK) {
        refuse(req, resp, e, msg);
        return;
    }
    web_redirect(resp, "/fleet/updates?done=1");
}
