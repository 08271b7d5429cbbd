#!/usr/bin/env python3
"""The boards (/boards/posts, /boards/duty, /boards/contacts) and the
claims queue (/claims) in a real browser.

Usage: boards_flows.py BASE_URL SHOTS_DIR FIRST_TAP_NUMBER
Data from tests/console_boards_test.sh: the demo boards published to
sq-hongqi-01, a pending claim of 郑丽华 (HQ0003) on P01 made at a kiosk.
Waits on conditions, never fixed sleeps.
"""
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import flows  # noqa: E402  (browser, login, shots, tap, wait_for)

XSS = flows.XSS + "\"><a href=\"javascript:alert(3)\">x</a>"
XSS_PHONE = "javascript:alert(4)"
INERT = "main script, main img, main b, main a[href^=javascript]"


def main_text(d):
    return d.find_element(By.TAG_NAME, "main").text


def go(d, path, css):
    d.get(flows.BASE + path)
    flows.wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def set_value(d, el, value):
    """Type-free set (fast, any characters), as a user's paste."""
    d.execute_script("arguments[0].value = arguments[1];", el, value)


def open_details(d, text):
    """Open the <details> whose summary holds text; its form."""
    for det in d.find_elements(By.CSS_SELECTOR, "details.edit"):
        s = det.find_element(By.TAG_NAME, "summary")
        if text in s.text:
            s.click()
            return det.find_element(By.TAG_NAME, "form")
    raise AssertionError("no details " + text)


def submit_and_wait(d, form, css):
    form.find_element(By.CSS_SELECTOR, "button.primary").click()
    flows.wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def publish(d):
    d.find_element(By.CSS_SELECTOR, "form.actions button.primary").click()
    flows.wait_for(d, lambda x: "published=1" in x.current_url)


def contacts(d, tap):
    go(d, "/boards/contacts", "section.building")
    text = main_text(d)
    tap("侯志远" in text and "网格长" in text and "1号楼" in text,
        "contacts: the published ones grouped by building, role by name")
    flows.shots(d, "contacts")
    # A new contact made of XSS payloads in every field.
    f = open_details(d, "新增联系方式")
    for name, v in (("id", "C900"), ("name", XSS), ("building", XSS),
                    ("unit", XSS), ("phone", XSS_PHONE), ("duties", XSS)):
        set_value(d, f.find_element(By.NAME, name), v)
    submit_and_wait(d, f, "ul.diff li.added")
    li = d.find_element(By.CSS_SELECTOR, "ul.diff li.added")
    tels = [a.get_attribute("href") for a in li.find_elements(
        By.CSS_SELECTOR, "a.phone")]
    tap(flows.no_alert(d) and XSS in li.text and
        not d.find_elements(By.CSS_SELECTOR, INERT) and
        all(t.startswith("tel:") for t in tels),
        "contact diff: XSS in every field shown as text, inert; phone only tel:")
    publish(d)
    li = d.find_element(By.ID, "contact-C900")
    tels = [a.get_attribute("href") for a in d.find_elements(
        By.CSS_SELECTOR, "a.phone")]
    tap(flows.no_alert(d) and XSS in li.text and
        not d.find_elements(By.CSS_SELECTOR, INERT) and
        tels and all(t.startswith("tel:") for t in tels) and
        li.find_element(By.CSS_SELECTOR, "a.phone").get_attribute("href")
        == "tel:4",
        "published: the XSS contact inert on the page, its phone link tel:4")
    # A real change: 王福生's place goes to 李春梅, a new phone.
    f = open_details(d, "王福生")
    set_value(d, f.find_element(By.NAME, "name"), "李春梅")
    set_value(d, f.find_element(By.NAME, "phone"), "13900001234")
    submit_and_wait(d, f, "ul.diff li.changed")
    ch = d.find_element(By.CSS_SELECTOR, "ul.diff li.changed")
    old = ch.find_element(By.CSS_SELECTOR, ".old").text
    new = ch.find_element(By.CSS_SELECTOR, ".new").text
    tap("王福生" in old and "李春梅" in new and "13900001234" in new and
        len(d.find_elements(By.CSS_SELECTOR, "ul.diff li")) == 1,
        "contact diff: one change, before and after side by side")
    publish(d)
    tap("李春梅" in main_text(d) and "王福生" not in main_text(d),
        "published: the changed contact is listed")


def duty(d, tap):
    go(d, "/boards/duty", "table.duty")
    today = d.find_elements(By.CSS_SELECTOR, "table.duty th.today")
    cells = d.find_elements(By.CSS_SELECTOR, "table.duty td.today .who")
    rows = d.find_elements(By.CSS_SELECTOR, "table.duty tbody tr")
    tap(len(today) == 1 and today[0].get_attribute("aria-current") == "date"
        and len(cells) == 4 and len(rows) >= 2,
        "duty: the published week as a grid, today's column marked, "
        "4 on duty today")
    flows.shots(d, "duty")
    # Add a shift today: HQ0003 in the morning.
    d.find_element(By.ID, "d-shift").send_keys("晚上 18:00-20:00")
    d.find_element(By.ID, "d-member").send_keys("HQ0003")
    submit_and_wait(d, d.find_element(By.ID, "d-member").find_element(
        By.XPATH, "ancestor::form"), "ul.diff li.added")
    tap(len(d.find_elements(By.CSS_SELECTOR, "ul.diff li")) == 1 and
        "郑丽华" in d.find_element(By.CSS_SELECTOR, "ul.diff li.added").text,
        "duty diff: the added shift, by name")
    publish(d)
    tap(any("郑丽华" in c.text for c in d.find_elements(
        By.CSS_SELECTOR, "table.duty td.today")),
        "published: the new shift in today's column")
    d.find_element(By.CSS_SELECTOR, "nav.week a[rel=next]").click()
    flows.wait_for(d, lambda x: "week=" in x.current_url)
    tap(not d.find_elements(By.CSS_SELECTOR, "table.duty th.today"),
        "next week: no column marked today")


def posts(d, tap):
    go(d, "/boards/posts", "table.posts")
    row = d.find_element(By.ID, "post-P01")
    tap("财务监督岗" in row.text and "认领中" in row.text and
        "每30分钟2分" in row.text and "最多8分" in row.text,
        "posts: P01 with its holders, open for claiming, its points rule")
    flows.shots(d, "posts")
    # Two heads: refused by the same rule hubctl applies.
    f = open_details(d, "服务监督岗")
    el = f.find_element(By.NAME, "head")
    set_value(d, el, el.get_attribute("value") + " HQ0001")
    submit_and_wait(d, f, "table.bad")
    tap("须有且只有一名岗长" in d.find_element(By.CSS_SELECTOR,
                                          "table.bad").text and
        not d.find_elements(By.CSS_SELECTOR, "form.actions"),
        "a post with two heads: refused with the reason, nothing to publish")


def claims(d, tap):
    go(d, "/claims", "table.claims")
    row = d.find_element(By.CSS_SELECTOR, "table.claim tbody tr")
    tap("郑丽华" in row.text and "财务监督岗" in row.text,
        "claims: 郑丽华's claim on 财务监督岗 is pending")
    flows.shots(d, "claims")
    row.find_element(By.CSS_SELECTOR,
                     "button[value=decline]").click()
    flows.wait_for(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "p.notice.error")))
    tap("须填写理由" in d.find_element(By.CSS_SELECTOR,
                                  "p.notice.error").text and
        d.find_elements(By.CSS_SELECTOR, "table.claim tbody tr"),
        "a decline without a reason: refused, the claim still pending")
    sw = d.find_element(By.CSS_SELECTOR, "table.swap tbody tr")
    tap("彭凤英" in sw.text and "财务监督岗" in sw.text and
        "服务监督岗" in sw.text,
        "swaps: 彭凤英's swap from 财务监督岗 onto 服务监督岗 is pending")
    sw.find_element(By.CSS_SELECTOR, "input[name=reason]").send_keys(
        "岗长不宜调换")
    sw.find_element(By.CSS_SELECTOR, "button[value=decline]").click()
    flows.wait_for(d, lambda x: "done=declined" in x.current_url)
    tap("已标为不通过" in main_text(d) and not d.find_elements(
        By.CSS_SELECTOR, "table.swap"), "the swap declined with a reason")
    d.find_element(By.CSS_SELECTOR, "table.claim tbody tr "
                   "button[value=approve]").click()
    flows.wait_for(d, lambda x: "done=approved" in x.current_url)
    tap("已通过" in main_text(d) and not d.find_elements(
        By.CSS_SELECTOR, "table.claim"), "approved: nothing pending")
    go(d, "/boards/posts", "table.posts")
    tap("郑丽华" in d.find_element(By.ID, "post-P01").text,
        "the post board shows the new holder")
    go(d, "/audit", "table.audit")
    tap("claim.approve" in main_text(d) and "swap.decline" in main_text(d),
        "the approval and the decline are in the audit log")


def english(d, tap):
    d.get(flows.BASE + "/lang/en?next=/boards/duty")
    flows.wait_for(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "table.duty")))
    tap("Duty roster" in d.find_element(By.TAG_NAME, "h1").text,
        "the duty grid in English")
    flows.shot(d, "duty-en-1366x768")
    d.get(flows.BASE + "/lang/zh?next=/")


def main():
    d = flows.browser()
    tap = flows.tap
    try:
        flows.login(d, "hq-sec", "hongqi-secret-1")
        contacts(d, tap)
        duty(d, tap)
        posts(d, tap)
        claims(d, tap)
        english(d, tap)
    finally:
        d.quit()
    return flows.failed


if __name__ == "__main__":
    flows.BASE, flows.SHOTS, flows.N = sys.argv[1], sys.argv[2], \
        int(sys.argv[3])
    sys.exit(1 if main() else 0)
