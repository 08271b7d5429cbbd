/* web/pages.h - every page's handlers, named in the route table
 * (web/routes.c). One file per page: web/page_<name>.c. */
#ifndef WEB_PAGES_H
#define WEB_PAGES_H

#include "web/web.h"

void page_login(struct web_req *req, struct web_resp *resp);
void page_login_post(struct web_req *req, struct web_resp *resp);
void page_logout(struct web_req *req, struct web_resp *resp);
void page_lang(struct web_req *req, struct web_resp *resp);
void page_css(struct web_req *req, struct web_resp *resp);
void page_dashboard(struct web_req *req, struct web_resp *resp);
void page_users(struct web_req *req, struct web_resp *resp);
void page_users_add(struct web_req *req, struct web_resp *resp);
void page_users_state(struct web_req *req, struct web_resp *resp);
void page_audit(struct web_req *req, struct web_resp *resp);
void page_audit_csv(struct web_req *req, struct web_resp *resp);
void page_member(struct web_req *req, struct web_resp *resp);
void page_roster(struct web_req *req, struct web_resp *resp);
void page_roster_import(struct web_req *req, struct web_resp *resp);
void page_roster_import_post(struct web_req *req, struct web_resp *resp);
void page_member_edit(struct web_req *req, struct web_resp *resp);
/* The edit form under a member's facts (web/page_roster.c), when the
 * user may change the member's station. */
struct hub_member;
void roster_member_form(struct web_req *req, FILE *o,
                        const struct hub_member *m);
void page_fleet(struct web_req *req, struct web_resp *resp);
void page_notices(struct web_req *req, struct web_resp *resp);
void page_notices_post(struct web_req *req, struct web_resp *resp);
void page_reviews(struct web_req *req, struct web_resp *resp);
void page_reviews_post(struct web_req *req, struct web_resp *resp);
void page_ledger(struct web_req *req, struct web_resp *resp);
void page_desk_log(struct web_req *req, struct web_resp *resp);
void page_ticket(struct web_req *req, struct web_resp *resp);
void page_ticket_post(struct web_req *req, struct web_resp *resp);
void page_posts(struct web_req *req, struct web_resp *resp);
void page_posts_post(struct web_req *req, struct web_resp *resp);
void page_duty(struct web_req *req, struct web_resp *resp);
void page_duty_post(struct web_req *req, struct web_resp *resp);
void page_contacts(struct web_req *req, struct web_resp *resp);
void page_contacts_post(struct web_req *req, struct web_resp *resp);
void page_claims(struct web_req *req, struct web_resp *resp);
void page_claims_post(struct web_req *req, struct web_resp *resp);
void page_cards(struct web_req *req, struct web_resp *resp);
void page_cards_issue(struct web_req *req, struct web_resp *resp);
void page_cards_roster(struct web_req *req, struct web_resp *resp);
void page_cards_revoke(struct web_req *req, struct web_resp *resp);
void page_cards_sheet(struct web_req *req, struct web_resp *resp);
void page_card(struct web_req *req, struct web_resp *resp);
void page_cards_qr(struct web_req *req, struct web_resp *resp);
void page_updates(struct web_req *req, struct web_resp *resp);
void page_updates_post(struct web_req *req, struct web_resp *resp);
void page_points(struct web_req *req, struct web_resp *resp);
void page_points_post(struct web_req *req, struct web_resp *resp);
void page_stars(struct web_req *req, struct web_resp *resp);
void page_stars_post(struct web_req *req, struct web_resp *resp);
void page_awards(struct web_req *req, struct web_resp *resp);
void page_awards_post(struct web_req *req, struct web_resp *resp);
void page_registration(struct web_req *req, struct web_resp *resp);
void page_reports(struct web_req *req, struct web_resp *resp);
void page_reports_csv(struct web_req *req, struct web_resp *resp);
void page_reports_xlsx(struct web_req *req, struct web_resp *resp);
/* A report table (hub/hub_table.h) as an HTML table: numbers right-
 * aligned, the total row marked (web/page_reports.c). */
struct hub_table;
void web_table_html(struct web_req *req, FILE *o, const struct hub_table *t,
                    const char *cls);

#endif
