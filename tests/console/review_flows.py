#!/usr/bin/env python3
"""The service review queue (/reviews) in a real browser.

Usage: review_flows.py BASE_URL SHOTS_DIR FIRST_TAP_NUMBER
Data from tests/console_review_test.sh: two pending logs of HQ0003 made
by a kiosk in script mode; the one whose note is XSS ends up rejected,
the other confirmed by a home visit (上门核实, 满意). Waits on conditions.
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import flows  # noqa: E402  (browser, login, shots, tap, wait_for)

XSS = flows.XSS + "\"><a href=\"javascript:alert(3)\">x</a>"


def rows(d):
    return d.find_elements(By.CSS_SELECTOR, "table.reviews tbody tr")


def tick(d, xss):
    """Tick the row whose note is (xss) or is not the payload."""
    for r in rows(d):
        note = r.find_elements(By.CSS_SELECTOR, "td.note")
        if note and (note[0].text == XSS) == xss:
            r.find_element(By.CSS_SELECTOR, "input[type=checkbox]").click()
            return True
    return False


def submit(d, verdict):
    d.find_element(By.CSS_SELECTOR,
                   "button[name=verdict][value=%s]" % verdict).click()
    wait_for = flows.wait_for
    wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                "p.notice")))
    return d.find_element(By.CSS_SELECTOR, "p.notice").text


def main():
    d = flows.browser()
    tap = flows.tap
    try:
        flows.login(d, "hq-sec", "hongqi-secret-1")
        link = d.find_elements(By.CSS_SELECTOR, "a.stat[href='/reviews']")
        tap(bool(link) and link[0].text.startswith("2") and
            len(d.find_elements(By.CSS_SELECTOR, "svg.chart rect")) == 14 and
            sum(int(t.text) for t in d.find_elements(
                By.CSS_SELECTOR, "svg.chart text")[0::2]) == 1,
            "dashboard: 2 logs to review, linking to the queue; the kiosk's check-in"
            " in the 14-day trend")
        flows.shots(d, "dashboard-pending")
        link[0].click()
        flows.wait_for(d, EC.presence_of_element_located(
            (By.CSS_SELECTOR, "table.reviews")))
        tap(len(rows(d)) == 2 and "HQ0003" in d.find_element(
            By.TAG_NAME, "main").text,
            "review queue: the kiosk's two pending logs are listed")
        notes = [n.text for n in d.find_elements(By.CSS_SELECTOR, "td.note")]
        tap(flows.no_alert(d) and XSS in notes and not d.find_elements(
            By.CSS_SELECTOR, "main script, main img, td.note a"),
            "XSS payload in a log's note: shown as text, no alert, no element")
        labels = [d.find_element(By.CSS_SELECTOR, "label[for=%s]" % i).text
                  for i in ("method", "rating", "reason")]
        tap(all(labels) and "确认方式" in labels[0],
            "the verdict's fields are labelled")
        flows.shots(d, "reviews")

        text = submit(d, "confirm")
        tap("请先勾选" in text, "nothing ticked: refused with a clear message")
        tick(d, True)
        text = submit(d, "reject")
        tap("须填写原因" in text and len(rows(d)) == 2,
            "a rejection without a reason: refused, nothing decided")
        flows.shots(d, "reviews-refused")

        tick(d, False)
        Select(d.find_element(By.ID, "method")).select_by_value("visit")
        Select(d.find_element(By.ID, "rating")).select_by_value("satisfied")
        text = submit(d, "confirm")
        tap("已确认" in text and len(rows(d)) == 1,
            "confirm one by a home visit: done, one log left")

        tick(d, True)
        d.find_element(By.ID, "reason").send_keys("当天未在岗")
        text = submit(d, "reject")
        tap("不予确认" in text and "没有待确认" in d.find_element(
            By.TAG_NAME, "main").text, "reject the other with a reason")
        flows.shots(d, "reviews-empty")

        d.get(flows.BASE + "/audit")
        flows.wait_for(d, EC.presence_of_element_located(
            (By.CSS_SELECTOR, "table.audit")))
        audit = d.find_element(By.TAG_NAME, "main").text
        tap("log.confirm" in audit and "log.reject" in audit,
            "both verdicts are in the audit log, under the secretary")
    finally:
        d.quit()
    return flows.failed


if __name__ == "__main__":
    flows.BASE, flows.SHOTS, flows.N = sys.argv[1], sys.argv[2], \
        int(sys.argv[3])
    sys.exit(1 if main() else 0)
