#!/usr/bin/env python3
"""Cards (/cards) and update publishing (/fleet/updates) in a real browser.

Usage: cards_flows.py BASE_URL SHOTS_DIR FIRST_TAP_NUMBER TMP_DIR
Data from tests/console_cards_test.sh: the demo roster, a card key, a
kiosk of sq-hongqi-01 (TMP_DIR/kiosk.sh CARD TEXT syncs it and scans the
card in script mode, expecting TEXT), a signed bundle 9.0.0 waiting in
the hub's incoming folder (TMP_DIR/seen.sh VERSION makes the pilot kiosk
report a version). Waits on conditions, never fixed sleeps.
"""
import os
import ssl
import subprocess
import sys
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import flows  # noqa: E402  (browser, login, shots, tap, wait_for)

TMP = sys.argv[4]
XSS = flows.XSS + "\"><a href=\"javascript:alert(3)\">x</a>"
NAME_XSS = "<script>alert(2)</script>\"><img src=x onerror=alert(1)>"


def main_text(d):
    return d.find_element(By.TAG_NAME, "main").text


def submit(d, form_css):
    d.find_element(By.CSS_SELECTOR, form_css + " button[type=submit]").click()


def wait_url(d, part):
    flows.wait_for(d, lambda x: part in x.current_url)


def imgs_loaded(d):
    flows.wait_for(d, lambda x: x.execute_script(
        "return Array.from(document.images).every(i => i.complete)"), 20)
    return d.execute_script(
        "return Array.from(document.images).map(i => i.naturalWidth)")


def fetch(d, path):
    """GET path with the browser's session cookie (the QR's bytes)."""
    sid = d.get_cookie("sid")["value"]
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    rq = urllib.request.Request(flows.BASE + path,
                                headers={"Cookie": "sid=" + sid})
    with urllib.request.urlopen(rq, context=ctx, timeout=10) as r:
        return r.read()


def kiosk(card, text, shot):
    """Sync the kiosk, scan card in script mode, expect text on screen;
    its screenshot goes to SHOTS_DIR/shot.png."""
    ok = subprocess.run(["sh", os.path.join(TMP, "kiosk.sh"), card, text,
                         shot], timeout=120).returncode == 0
    try:
        with open(os.path.join(TMP, shot + ".png"), "rb") as f, \
                open(os.path.join(flows.SHOTS, shot + ".png"), "wb") as g:
            g.write(f.read())
    except OSError:
        pass
    return ok


def logout(d):
    d.find_element(By.CSS_SELECTOR, "header form button").click()
    flows.wait_for(d, EC.presence_of_element_located((By.ID, "name")))


def cards_part(d):
    tap = flows.tap
    flows.login(d, "hq-sec", "hongqi-secret-1")
    d.get(flows.BASE + "/cards")
    flows.wait_for(d, EC.presence_of_element_located((By.ID, "issue-holder")))
    labels = [d.find_element(By.CSS_SELECTOR, "label[for=%s]" % i).text
              for i in ("issue-kind", "issue-holder", "issue-from",
                        "issue-to", "station", "roster-kind")]
    tap(all(labels) and "卡类" in labels[0] and
        not d.find_elements(By.ID, "issue-scope") and
        "技术员卡" not in d.find_element(By.ID, "issue-kind").text,
        "cards page in zh_CN: labelled forms, no technician cards for a"
        " community secretary")

    d.find_element(By.ID, "issue-holder").send_keys("HQ0001")
    # The simulated kiosk's clock stands at 2026-11-23 (a trusted clock
    # refuses a card before its first day): valid from November.
    d.execute_script("arguments[0].value = '2026-11-01'",
                     d.find_element(By.ID, "issue-from"))
    submit(d, "form.issue")
    wait_url(d, "/cards/c/M.HQ0001.1")
    tap("卡已签发" in main_text(d) and "吴桂芳" in main_text(d),
        "a member card issued for HQ0001: its page, serial M.HQ0001.1")
    flows.shots(d, "card")

    d.find_element(By.CSS_SELECTOR, "a.button.primary").click()
    wait_url(d, "/cards/sheet")
    widths = imgs_loaded(d)
    tap(len(widths) == 1 and widths[0] > 0 and "吴桂芳" in main_text(d),
        "print sheet: the card's QR image loads (naturalWidth > 0)")
    flows.shots(d, "cards-sheet")

    png = os.path.join(TMP, "qr.png")
    with open(png, "wb") as f:
        f.write(fetch(d, "/cards/qr/M.HQ0001.1.png"))
    card = subprocess.run(["zbarimg", "--quiet", "--raw", png],
                          capture_output=True, text=True).stdout.strip()
    tap(card.startswith("KC1.M.HQ0001.sq-hongqi-01."),
        "the printed QR reads back as the signed card")
    tap(kiosk(card, "签到成功", "kiosk-card-checkin"),
        "the kiosk, synced, checks the member in with the printed card")

    d.get(flows.BASE + "/cards")
    rows = d.find_elements(By.CSS_SELECTOR, "table.cards tbody tr")
    tap(len(rows) == 1 and "M.HQ0001.1" in rows[0].text and
        "有效" in rows[0].text, "the list shows the card, valid")
    flows.shots(d, "cards")

    # Void: a reason is required; the confirm step changes nothing.
    d.get(flows.BASE + "/cards/c/M.HQ0001.1")
    flows.wait_for(d, EC.presence_of_element_located((By.ID, "reason")))
    d.find_element(By.ID, "reason").send_keys(XSS)
    submit(d, "form.void")
    flows.wait_for(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "input[name=confirm]")))
    tap(flows.no_alert(d) and "不能恢复" in main_text(d) and
        XSS in main_text(d) and not d.find_elements(
            By.CSS_SELECTOR, "main script, main img, main p a"),
        "void asks to confirm; the reason (an XSS payload) shown as text")
    flows.shots(d, "card-void-confirm")
    d.find_element(By.CSS_SELECTOR, "form.actions button.primary").click()
    wait_url(d, "voided=1")
    tap(flows.no_alert(d) and "已作废" in main_text(d) and
        XSS in main_text(d) and not d.find_elements(
            By.CSS_SELECTOR, "main script, main img, dl a"),
        "the card is voided; its page shows the reason inert")
    tap(kiosk(card, "此卡已挂失作废", "kiosk-card-voided"),
        "after a sync the kiosk refuses the voided card")

    # A whole station's roster, then its sheet.
    d.get(flows.BASE + "/cards")
    flows.wait_for(d, EC.presence_of_element_located((By.ID, "roster-kind")))
    submit(d, "form.roster")
    wait_url(d, "batch=")
    widths = imgs_loaded(d)
    n = len(d.find_elements(By.CSS_SELECTOR, ".pcard"))
    tap(n > 10 and len(widths) == n and min(widths) > 0 and
        ("%d 张卡已签发" % n) in main_text(d),
        "the roster issued: %d cards on one sheet, every QR loaded" % n)
    tap(flows.no_alert(d) and NAME_XSS in main_text(d) and
        not d.find_elements(By.CSS_SELECTOR,
                            "main script, .pcard a, .pcard p img"),
        "a member name that is an XSS payload: on the sheet as text")
    flows.shots(d, "cards-sheet-roster")
    d.get(flows.BASE + "/lang/en?next=/cards")
    flows.wait_for(d, lambda x: "Cards" in x.title)
    flows.shot(d, "cards-en-1366x768")
    d.get(flows.BASE + "/lang/zh?next=/cards")
    flows.wait_for(d, lambda x: "证卡管理" in x.title)
    logout(d)


def updates_part(d):
    tap = flows.tap
    flows.login(d, "admin", "admin-secret-12")
    d.get(flows.BASE + "/fleet")
    d.find_element(By.CSS_SELECTOR, "a[href='/fleet/updates']").click()
    flows.wait_for(d, EC.presence_of_element_located((By.ID, "bundle")))
    Select(d.find_element(By.ID, "bundle")).select_by_value(
        "kiosk-9.0.0.kbundle")
    Select(d.find_element(By.ID, "station")).select_by_value("sq-hongqi-01")
    submit(d, "form.publish-pilot")
    wait_url(d, "done=1")
    pilot = d.find_elements(By.CSS_SELECTOR, "section.pilot")
    tap(len(pilot) == 1 and "kiosk-1" in pilot[0].text and
        "尚未报告新版本" in pilot[0].text and
        "暂不能发布到全部服务站" in pilot[0].text,
        "published to the pilot station: its kiosk listed, not yet on"
        " 9.0.0; publishing to all gated")
    flows.shots(d, "updates")
    submit(d, "form.publish-all")
    flows.wait_for(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "p.notice.error")))
    tap("请先勾选确认" in main_text(d) and "全部服务站" not in
        d.find_element(By.CSS_SELECTOR, "table.bundles").text,
        "publish to all before the pilot reports: refused without the"
        " override")

    subprocess.run(["sh", os.path.join(TMP, "seen.sh"), "9.0.0"], check=True)
    d.get(flows.BASE + "/fleet/updates")
    flows.wait_for(d, EC.presence_of_element_located(
        (By.CSS_SELECTOR, "section.pilot")))
    tap("已升级，无回退" in d.find_element(
        By.CSS_SELECTOR, "section.pilot").text and
        not d.find_elements(By.CSS_SELECTOR, "input[name=override]"),
        "the pilot kiosk reports 9.0.0 with no rollback: the gate opens")
    submit(d, "form.publish-all")
    wait_url(d, "done=1")
    tap("全部服务站" in d.find_element(By.CSS_SELECTOR, "table.bundles").text
        and not d.find_elements(By.CSS_SELECTOR, "section.pilot"),
        "published to every station")
    flows.shots(d, "updates-all")


def main():
    d = flows.browser()
    try:
        cards_part(d)
        updates_part(d)
    finally:
        d.quit()
    return 1 if flows.failed else 0


if __name__ == "__main__":
    flows.BASE, flows.SHOTS, flows.N = sys.argv[1], sys.argv[2], \
        int(sys.argv[3])
    sys.exit(main())
