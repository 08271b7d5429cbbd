/* web/page_member.c - /members/NO: a member's name, number, station and
 * community. A number outside the user's scope answers 404 exactly as
 * an unknown one does (web_may). */
#include <string.h>

#include "hub/hub_db_roster.h"
#include "hub/hub_db_users.h"
#include "web/html.h"
#include "web/pages.h"

static void dl_row(FILE *o, const struct web_req *req, enum web_str label,
                   const char *value)
{
    html_raw(o, "<dt>");
    html_text(o, web_t(req, label));
    html_raw(o, "</dt><dd>");
    html_text(o, value);
    html_raw(o, "</dd>");
}

void page_member(struct web_req *req, struct web_resp *resp)
{
    char no[64];
    struct hub_member m;
    if (!web_path_arg(req, "/members/", no, sizeof no) ||
        hub_db_member_get(req->db, no, &m) != ERR_OK ||
        !web_may(req, m.station, HUB_SEE)) {
        web_not_found(req, resp);
        return;
    }
    char sname[128] = "", place[64] = "";
    hub_db_station_name(req->db, m.station, sname, sizeof sname);
    hub_db_station_place_get(req->db, m.station, place, sizeof place);
    struct hub_org_row org;
    const char *community = m.community;
    if (place[0] && hub_db_org_get(req->db, place, &org) == ERR_OK)
        community = org.name;
    FILE *o = resp->out;
    html_page_begin(req, resp, web_t(req, S_MEMBER));
    html_raw(o, "<dl class=\"card facts\">");
    dl_row(o, req, S_NAME, m.name);
    dl_row(o, req, S_MEMBER_NO, m.member_no);
    dl_row(o, req, S_STATION, sname[0] ? sname : m.station);
    dl_row(o, req, S_COMMUNITY, community);
    html_raw(o, "</dl>");
    roster_member_form(req, o, &m);
    html_page_end(req, resp);
}
