#!/usr/bin/env python3
"""The console's flows in a real browser (headless Chromium + selenium).

Usage: flows.py BASE_URL SHOTS_DIR FIRST_TAP_NUMBER
Prints TAP lines numbered from FIRST_TAP_NUMBER + 1. Accounts and data
come from tests/console_test.sh. Waits are on conditions, never fixed.
"""
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE, SHOTS, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"
BAD_LOGIN = "用户名或密码不正确"
SIZES = [(1366, 768), (390, 844)]
failed = 0


def tap(good, name):
    global N, failed
    N += 1
    print(("ok %d - %s" if good else "not ok %d - %s") % (N, name), flush=True)
    if not good:
        failed += 1


def browser():
    opts = webdriver.ChromeOptions()
    opts.add_argument("--headless=new")
    if os.geteuid() == 0:
        opts.add_argument("--no-sandbox")
    opts.add_argument("--disable-dev-shm-usage")
    opts.add_argument("--lang=zh-CN")
    opts.add_argument("--font-render-hinting=none")
    # The hub's certificate is signed by its own CA.
    opts.set_capability("acceptInsecureCerts", True)
    d = webdriver.Chrome(options=opts)
    d.set_window_size(*SIZES[0])
    return d


def wait_for(d, cond, secs=10):
    return WebDriverWait(d, secs).until(cond)


# Screenshots cost a whole-page render each: taken only when asked
# (`make console-shots` sets CONSOLE_SHOTS=1), to refresh the references
# in docs/console/; the flows' checks run either way.
SHOTS_ON = bool(os.environ.get("CONSOLE_SHOTS"))


def shots(d, name):
    """The page at both sizes; the window goes back to the laptop's."""
    if not SHOTS_ON:
        return
    for w, h in SIZES:
        d.set_window_size(w, h)
        height = d.execute_script(
            "return document.documentElement.scrollHeight")
        # A whole-page shot: as tall as the page, at least the screen.
        d.set_window_size(w, max(h, min(int(height) + 120, 2400)))
        d.save_screenshot(os.path.join(SHOTS, "%s-%dx%d.png" % (name, w, h)))
    d.set_window_size(*SIZES[0])


def shot(d, name):
    """The window as it is, as SHOTS/name.png (when shots are asked)."""
    if SHOTS_ON:
        d.save_screenshot(os.path.join(SHOTS, name + ".png"))


def login(d, name, pw):
    d.get(BASE + "/login")
    wait_for(d, EC.presence_of_element_located((By.ID, "name")))
    d.find_element(By.ID, "name").clear()
    d.find_element(By.ID, "name").send_keys(name)
    d.find_element(By.ID, "password").send_keys(pw)
    d.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait_for(d, lambda x: x.find_elements(By.ID, "login-error") or
             x.find_elements(By.CSS_SELECTOR, "nav"))


def no_alert(d):
    try:
        d.switch_to.alert
        return False
    except NoAlertPresentException:
        return True


def main():
    d = browser()
    try:
        d.get(BASE + "/login")
        wait_for(d, EC.presence_of_element_located((By.ID, "name")))
        label = d.find_element(By.CSS_SELECTOR, "label[for=name]").text
        tap(label == "用户名", "login page in zh_CN with labelled fields")
        shots(d, "login")

        login(d, "hq-sec", "hongqi-secret-1")
        tap(bool(d.find_elements(By.CSS_SELECTOR, "nav")) and
            "hq-sec" in d.find_element(By.CSS_SELECTOR, ".who").text,
            "log in: the header shows the user")
        body = d.find_element(By.TAG_NAME, "main").text
        tap("sq-hongqi" in body and "sq-dongfeng" not in body,
            "the dashboard lists only the secretary's own station")
        shots(d, "dashboard")

        d.get(BASE + "/members/HQ0666")
        wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR, "dl")))
        dd = d.find_elements(By.CSS_SELECTOR, "dl.facts dd")
        tap(no_alert(d), "XSS payload in a member's name: no alert")
        tap(dd and dd[0].text == XSS,
            "... it shows as the literal text")
        tap(not d.find_elements(By.CSS_SELECTOR, "main img, main script"),
            "... and makes no element")
        shots(d, "member")

        d.get(BASE + "/members/DF0001")
        wait_for(d, EC.presence_of_element_located((By.TAG_NAME, "h1")))
        other = d.find_element(By.TAG_NAME, "main").text
        d.get(BASE + "/members/NO-SUCH")
        wait_for(d, EC.presence_of_element_located((By.TAG_NAME, "h1")))
        none = d.find_element(By.TAG_NAME, "main").text
        tap("李建国" not in other and "未找到" in other and other == none,
            "another community's member by id: the same page as no member")
        shots(d, "not-found")

        d.get(BASE + "/")
        wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                    "form[action='/logout']")))
        # The logout form without its hidden token.
        d.execute_script(
            "var f = document.querySelector(\"form[action='/logout']\");"
            "f.querySelector('input[name=csrf]').remove(); f.submit();")
        wait_for(d, lambda x: "/logout" in x.current_url)
        refused = d.find_element(By.TAG_NAME, "main").text
        tap("表单已过期或来源不明" in refused,
            "a form without its CSRF token is refused with a clear page")
        shots(d, "refused")
        d.get(BASE + "/")
        tap(bool(d.find_elements(By.CSS_SELECTOR, "nav")),
            "... and it changed nothing (still logged in)")

        d.get(BASE + "/audit")
        wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                    "table.audit")))
        audit = d.find_element(By.TAG_NAME, "main").text
        tap("station:sq-hongqi" in audit and "sq-dongfeng" not in audit,
            "the audit log shows the secretary's scope only")
        shots(d, "audit")

        # Keyboard: the first Tab reaches the skip link.
        d.find_element(By.TAG_NAME, "body").send_keys("\ue004")
        focused = d.switch_to.active_element
        tap(focused.get_attribute("class") == "skip",
            "keyboard: Tab first reaches the skip link")

        d.find_element(By.CSS_SELECTOR, "a.lang").click()
        wait_for(d, lambda x: x.find_element(By.TAG_NAME, "html")
                 .get_attribute("lang") == "en")
        tap("Audit log" in d.find_element(By.TAG_NAME, "h1").text,
            "the language switch keeps the page, in English")
        shots(d, "audit-en")
        d.get(BASE + "/")
        shots(d, "dashboard-en")
        d.find_element(By.CSS_SELECTOR, "a.lang").click()
        wait_for(d, lambda x: x.find_element(By.TAG_NAME, "html")
                 .get_attribute("lang") == "zh-CN")

        d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        wait_for(d, EC.presence_of_element_located((By.ID, "name")))
        d.get(BASE + "/")
        tap(bool(d.find_elements(By.ID, "name")),
            "log out: the session is gone")

        login(d, "admin", "admin-secret-12")
        d.get(BASE + "/users")
        wait_for(d, EC.presence_of_element_located((By.ID, "new-name")))
        tap("lockme" in d.find_element(By.TAG_NAME, "main").text,
            "an administrator sees the accounts")
        shots(d, "users")
        d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        wait_for(d, EC.presence_of_element_located((By.ID, "name")))

        # Five wrong passwords lock the account; the right one then fails
        # with the same words, and an unknown name gets them too.
        texts = []
        for i in range(5):
            login(d, "lockme", "wrong-password-%d" % i)
            texts.append(d.find_element(By.ID, "login-error").text)
        tap(all(BAD_LOGIN in t for t in texts),
            "five wrong passwords: each refused")
        shots(d, "login-error")
        login(d, "lockme", "lockme-secret-1")
        tap(bool(d.find_elements(By.ID, "login-error")) and
            not d.find_elements(By.CSS_SELECTOR, "nav"),
            "... then the right password fails too (locked)")
        same = d.find_element(By.ID, "login-error").text
        login(d, "nobody-here", "whatever-123")
        tap(d.find_element(By.ID, "login-error").text == same == texts[0],
            "unknown user, wrong password and locked: the same words")

        # Roster, notices, fleet (tests/console/pages2.py).
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import pages2
        pages2.run(d, BASE, tap, shots, login, wait_for, no_alert)
    finally:
        d.quit()
    return failed


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
