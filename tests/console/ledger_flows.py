#!/usr/bin/env python3
"""The ledger pages (/ledger, /tickets/ID, /desk-log) in a real browser.

Usage: ledger_flows.py BASE_URL SHOTS_DIR FIRST_TAP_NUMBER TICKET
Data from tests/console_ledger_test.sh: TICKET, a request a kiosk in
script mode filed (registered; its script clock's day is days ago, so it
is overdue until assigned with a new deadline); HQ01-1-9001, overdue,
whose description
is an XSS payload; DF01-1-0001 of the other community; two visitors of
today at the duty desk (one passed on to TICKET, the other's matter and
reason XSS). The secretary accepts, assigns and answers TICKET. Waits on
conditions, never a fixed time.
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import flows  # noqa: E402  (browser, login, shots, tap, wait_for)

XSS = flows.XSS + "\"><a href=\"javascript:alert(3)\">x</a>"
TICKET = sys.argv[4]


def main_text(d):
    return d.find_element(By.TAG_NAME, "main").text


def inert(d):
    """No alert, and no element the payload could have made."""
    return flows.no_alert(d) and not d.find_elements(
        By.CSS_SELECTOR, "main script, main img, td.words a, "
        "blockquote a, a[href^='javascript']")


def go(d, path, css):
    d.get(flows.BASE + path)
    flows.wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def step(d, name, fill=None, button="button.primary"):
    """Submit the step form `name` (fill: {field id: text}); the notice."""
    form = d.find_element(By.CSS_SELECTOR,
                          "form.step:has(input[name=step][value=%s])" % name)
    for k, v in (fill or {}).items():
        f = form.find_element(By.ID, k)
        f.clear()
        f.send_keys(v)
    form.find_element(By.CSS_SELECTOR, button).click()
    flows.wait_for(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "main p.notice")))
    return d.find_element(By.CSS_SELECTOR, "main p.notice").text


def state(d):
    return d.find_element(By.CSS_SELECTOR, "dl.facts dd").text


def main():
    d = flows.browser()
    tap = flows.tap
    try:
        flows.login(d, "hq-sec", "hongqi-secret-1")
        link = d.find_elements(By.CSS_SELECTOR,
                               "a.stat[href='/ledger?state=overdue']")
        tap(bool(link) and link[0].text.startswith("2"),
            "dashboard: two overdue tickets, linking to the ledger")

        go(d, "/ledger", "table.ledger")
        rows = d.find_elements(By.CSS_SELECTOR, "table.ledger tbody tr")
        ids = [r.find_element(By.CSS_SELECTOR, "th").text for r in rows]
        tap(ids == [TICKET, "HQ01-1-9001", "HQ01-1-9002"],
            "/ledger: the station's three tickets, newest first, not the "
            "other community's")
        tap(d.find_element(By.CSS_SELECTOR, "p.showing").text ==
            "共 3 条，显示第 1 至 3 条",
            "/ledger: says how many it shows of how many")
        words = [w.text for w in d.find_elements(By.CSS_SELECTOR,
                                                 "table.ledger td.words")]
        tap(XSS in words and inert(d),
            "/ledger: the XSS description shown as text, nothing run")
        late = d.find_elements(By.CSS_SELECTOR, "table.ledger tr.warn th")
        tap([r.text for r in late] == [TICKET, "HQ01-1-9001"] and
            "超期" in late[1].find_element(By.XPATH, "..").text,
            "/ledger: the overdue tickets marked 超期")
        labels = [d.find_element(By.CSS_SELECTOR, "label[for=%s]" % i).text
                  for i in ("station", "kind", "state", "from", "to")]
        tap(all(labels), "/ledger: every filter labelled")
        flows.shots(d, "ledger")

        go(d, "/ledger?state=overdue", "table.ledger")
        ids = [r.text for r in d.find_elements(
            By.CSS_SELECTOR, "table.ledger tbody th")]
        go(d, "/ledger?kind=wish", "table.ledger")
        wishes = [r.text for r in d.find_elements(
            By.CSS_SELECTOR, "table.ledger tbody th")]
        go(d, "/ledger?state=closed", "table.ledger")
        tap(ids == [TICKET, "HQ01-1-9001"] and wishes == ["HQ01-1-9002"] and
            "没有符合条件的事项" in main_text(d),
            "/ledger: filtered by overdue, by kind, by state (none closed)")

        go(d, "/tickets/HQ01-1-9002", "form.step")
        text = step(d, "claim", {"to": "HQ9999"})
        tap("党员编号" in text and state(d) == "待认领",
            "a wish claimed for an unknown member: refused with the reason")
        text = step(d, "claim", {"to": "HQ0003"})
        tap("已保存" in text and state(d) == "已认领" and
            "HQ0003" in main_text(d),
            "a wish claimed for member HQ0003: 已认领")

        go(d, "/tickets/HQ01-1-9001", "dl.facts")
        quote = d.find_element(By.CSS_SELECTOR, "blockquote.words").text
        tap(quote == XSS and inert(d),
            "/tickets/ID: the XSS description shown as text, nothing run")
        go(d, "/tickets/DF01-1-0001", "main h1")
        tap(d.find_elements(By.CSS_SELECTOR, "dl.facts") == [] and
            "东风" not in main_text(d),
            "/tickets/ID of another community: the page of no such thing")

        go(d, "/ledger", "table.ledger")
        d.find_element(By.LINK_TEXT, TICKET).click()
        flows.wait_for(d, EC.presence_of_element_located(
            (By.CSS_SELECTOR, "table.trail")))
        trail = d.find_elements(By.CSS_SELECTOR, "table.trail tbody tr")
        tap(state(d) == "已登记 超期" and len(trail) == 1 and
            "红旗社区党群服务站" in main_text(d) and
            d.find_elements(By.CSS_SELECTOR, "form.step"),
            "/tickets/ID: registered, its station, the filing in the trail, "
            "the next step's form")
        flows.shots(d, "ticket")

        text = step(d, "accept")
        tap("已保存" in text and state(d) == "已受理 超期",
            "accept: saved, 已受理")
        text = step(d, "assign", {"to": "王师傅", "days": "3"})
        tap("已保存" in text and state(d) == "已交办" and
            "王师傅" in main_text(d),
            "assign to 王师傅 in 3 days: 已交办, no longer overdue")
        text = step(d, "answer", {"text": "已联系物业，明天上午维修"})
        trail = d.find_elements(By.CSS_SELECTOR, "table.trail tbody tr")
        tap("已保存" in text and state(d) == "已答复" and len(trail) == 4 and
            "hq-sec" in trail[3].text,
            "answer: 已答复, four steps in the trail, each with who")
        signoff = d.find_elements(By.CSS_SELECTOR,
                                  "form.step:has(input[value=signoff])")
        tap(bool(signoff) and "首诉人" in signoff[0].text,
            "the sign-off form says the reporter's word closes it (销号制)")
        flows.shots(d, "ticket-answered")
        # Not satisfied needs the reporter's reason: refused without.
        text = step(d, "signoff", button="button[name=satisfied][value='0']")
        tap("原因" in text and state(d) == "已答复",
            "not satisfied without a reason: refused, nothing changed")

        go(d, "/desk-log", "table.desk")
        rows = d.find_elements(By.CSS_SELECTOR, "table.desk tbody tr")
        words = [w.text for w in d.find_elements(By.CSS_SELECTOR,
                                                 "table.desk td.words")]
        tap(len(rows) == 2 and words.count(XSS) == 2 and inert(d),
            "/desk-log: today's two visitors, XSS matter and reason inert")
        tap(bool(d.find_elements(By.CSS_SELECTOR,
                                 "table.desk a[href='/tickets/%s']" % TICKET))
            and "转办" in rows[0].text and "不能办理" in rows[1].text,
            "/desk-log: the visitor passed on links to the ticket")
        flows.shots(d, "desk-log")

        d.get(flows.BASE + "/lang/en?next=/ledger")
        flows.wait_for(d, EC.presence_of_element_located(
            (By.CSS_SELECTOR, "table.ledger")))
        tap("Showing 1 to 3 of 3" in main_text(d),
            "/ledger in English")
        d.set_window_size(1366, 768)
        flows.shot(d, "ledger-en-1366x768")
        go(d, "/tickets/" + TICKET, "table.trail")
        flows.shot(d, "ticket-en-1366x768")
        d.get(flows.BASE + "/lang/zh?next=/")

        d.delete_all_cookies()
        flows.login(d, "hq-view", "hongqi-viewer-1")
        go(d, "/tickets/" + TICKET, "table.trail")
        tap(not d.find_elements(By.CSS_SELECTOR, "form.step"),
            "a viewer: the ticket without any step's form")

        # Another community's ticket by its id typed into the URL: the
        # same page as a ticket that does not exist.
        d.get(flows.BASE + "/tickets/DF01-1-0001")
        flows.wait_for(d, EC.presence_of_element_located((By.TAG_NAME, "h1")))
        other = main_text(d)
        d.get(flows.BASE + "/tickets/DF01-1-9999")
        flows.wait_for(d, EC.presence_of_element_located((By.TAG_NAME, "h1")))
        none = main_text(d)
        tap("未找到" in other and other == none and "DF01" not in other,
            "another community's ticket by its id in the URL: the same page"
            " as no ticket")
    finally:
        d.quit()
    return flows.failed


if __name__ == "__main__":
    flows.BASE, flows.SHOTS, flows.N = sys.argv[1], sys.argv[2], \
        int(sys.argv[3])
    sys.exit(1 if main() else 0)
