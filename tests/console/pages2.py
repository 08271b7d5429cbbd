"""Browser flows of the roster, notices and fleet pages (run from
flows.py with its helpers). Data from tests/console_test.sh: members
HQ0001 and HQ0666 (an XSS name) at sq-hongqi, DF0001 at sq-dongfeng,
kiosk-7 enrolled at sq-hongqi. Waits are on conditions, never fixed."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"
NOTICE_TITLE = "关于冬季供暖报修的通知"
NOTICE_BODY = "供暖期间如暖气不热，请拨打物业电话或到服务站登记，工作人员将在两日内上门查看。"
XSS_TITLE = "<script>alert(3)</script>\"><b>标题</b>"
XSS_BODY = "<img src=x onerror=alert(4)><a href=\"javascript:alert(5)\">点我</a>"

BAD_CSV = """member_no,name,phone,community,station
HQ0001,吴桂芳,13800000001,红旗社区,sq-hongqi
HQ0002,张明,1380000,红旗社区,sq-hongqi
DF0009,李四,13800000009,东风社区,sq-dongfeng
HQ0003,=HYPERLINK("x"),13800000004,红旗社区,sq-hongqi
"""
GOOD_CSV = """member_no,name,phone,community,station
HQ0001,吴桂芳,13800000001,红旗社区,sq-hongqi
HQ0666,%s,13800000002,红旗社区,sq-hongqi
HQ0003,王秀英,13800000005,红旗社区,sq-hongqi
""" % XSS


def run(d, base, tap, shots, login, wait_for, no_alert):
    def main_text():
        return d.find_element(By.TAG_NAME, "main").text

    def set_value(el_id, text):
        # Long text through JS: send_keys types slowly.
        d.execute_script("document.getElementById(arguments[0]).value ="
                         " arguments[1];", el_id, text)

    login(d, "hq-sec", "hongqi-secret-1")
    d.get(base + "/roster")
    wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                "table.roster")))
    rows = [r.text for r in d.find_elements(By.CSS_SELECTOR,
                                            "table.roster tbody tr")]
    tap(any("HQ0001" in r for r in rows) and
        any(XSS in r for r in rows) and
        not any("DF0001" in r for r in rows) and no_alert(d) and
        not d.find_elements(By.CSS_SELECTOR, "main img, main script"),
        "roster: the station's members, an XSS name as text, no other"
        " community's")
    shots(d, "roster")

    d.get(base + "/roster/import")
    wait_for(d, EC.presence_of_element_located((By.ID, "csv")))
    set_value("csv", BAD_CSV)
    d.find_element(By.CSS_SELECTOR, "form[action='/roster/import']"
                   " button.primary").click()
    wait_for(d, EC.presence_of_element_located((By.ID, "bad-lines")))
    bad = [r.text for r in d.find_elements(By.CSS_SELECTOR,
                                           "table.bad tbody tr")]
    tap(len(bad) == 3 and bad[0].startswith("3") and "11位数字" in bad[0]
        and bad[1].startswith("4") and "管辖范围" in bad[1] and
        bad[2].startswith("5") and "公式" in bad[2],
        "roster import: each bad line listed by its number and reason")
    tap(not d.find_elements(By.CSS_SELECTOR, "input[name=confirm]"),
        "... and nothing can be confirmed until they are fixed")
    shots(d, "roster-import-bad")

    set_value("csv", GOOD_CSV)
    d.find_element(By.CSS_SELECTOR, "form.card[action='/roster/import']"
                   " button.primary").click()
    wait_for(d, EC.presence_of_element_located((By.ID, "plan-a")))
    added = d.find_element(By.CSS_SELECTOR, "#plan-a + .table-wrap").text
    tap("HQ0003" in added and "王秀英" in added and no_alert(d),
        "roster import preview: who would be added")
    shots(d, "roster-import-preview")
    # The roster in another tab (going back would post the form again).
    first = d.current_window_handle
    d.switch_to.new_window("tab")
    d.get(base + "/roster")
    wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                "table.roster")))
    tap("HQ0003" not in main_text(), "... the preview changed nothing")
    d.close()
    d.switch_to.window(first)
    d.find_element(By.CSS_SELECTOR, "form.actions button.primary").click()
    wait_for(d, lambda x: "imported=1" in x.current_url)
    tap("HQ0003" in main_text() and "名册已导入" in main_text(),
        "confirmed: the new member is on the roster")

    d.get(base + "/members/HQ0003")
    wait_for(d, EC.presence_of_element_located((By.ID, "m-active")))
    shots(d, "member-edit")
    d.find_element(By.ID, "m-active").click()
    d.find_element(By.CSS_SELECTOR, "form[action='/members/edit']"
                   " button.primary").click()
    wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                "form.actions")))
    tap("王秀英" in main_text() and "不在册" in main_text(),
        "deactivating a member shows who first")
    shots(d, "member-deactivate")
    d.find_element(By.CSS_SELECTOR, "form.actions button.primary").click()
    wait_for(d, lambda x: "/members/HQ0003" in x.current_url)
    d.get(base + "/roster?q=HQ0003")
    wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                "table.roster")))
    tap("不在册" in d.find_element(By.CSS_SELECTOR, "table.roster").text,
        "... confirmed: inactive in the roster")

    # Notices: an XSS one first, then the one the kiosk must show.
    for nid, title, body, days in (("N-X", XSS_TITLE, XSS_BODY, "2"),
                                   ("N-HEAT", NOTICE_TITLE, NOTICE_BODY,
                                    "0")):
        d.get(base + "/boards/notices")
        wait_for(d, EC.presence_of_element_located((By.ID, "n-id")))
        d.find_element(By.ID, "n-id").send_keys(nid)
        set_value("n-days", days)
        set_value("n-title", title)
        set_value("n-body", body)
        d.find_element(By.ID, "n-body").submit()
        wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                    "ul.diff")))
        prev = d.find_element(By.CSS_SELECTOR, "ul.diff li.added")
        kt = prev.find_element(By.CSS_SELECTOR, ".k-title").text
        kb = prev.find_element(By.CSS_SELECTOR, ".k-body").text
        if nid == "N-X":
            tap(kt == XSS_TITLE and kb == XSS_BODY and no_alert(d) and
                not d.find_elements(By.CSS_SELECTOR,
                                    "main script, main img, main b,"
                                    " main a[href^=javascript]"),
                "notice preview: XSS title and body shown as text, inert")
        else:
            tap(kt == NOTICE_TITLE and NOTICE_BODY in kb,
                "notice preview: drawn as the kiosk shows it")
            shots(d, "notice-preview")
        d.find_element(By.CSS_SELECTOR, "form.actions button.primary").click()
        wait_for(d, lambda x: "published=1" in x.current_url)
    table = d.find_element(By.CSS_SELECTOR, "table.notices").text
    tap(NOTICE_TITLE in table and XSS_TITLE in table and no_alert(d),
        "both notices published and listed")
    shots(d, "notices")

    d.get(base + "/boards/notices?station=sq-dongfeng")
    wait_for(d, EC.presence_of_element_located((By.TAG_NAME, "h1")))
    tap("未找到" in main_text(),
        "another community's station's notices: not found")

    d.get(base + "/fleet")
    wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                "table.fleet")))
    fleet = d.find_element(By.CSS_SELECTOR, "table.fleet").text
    tap("kiosk-7" in fleet and "kiosk-9" not in fleet,
        "fleet: the station's kiosk, not another community's")
    shots(d, "fleet")
    d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
    wait_for(d, EC.presence_of_element_located((By.ID, "name")))
