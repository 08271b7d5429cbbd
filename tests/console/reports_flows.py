#!/usr/bin/env python3
"""Points, stars, awards, registration and reports in a real browser.

Usage: reports_flows.py BASE_URL SHOTS_DIR FIRST_TAP_NUMBER
Data from tests/console_reports_test.sh: 红旗社区 (sq-c1, station
sq-hongqi-01) with 4 check-ins this month, 东风社区 (sq-c2, sq-dongfeng)
with 2; HQ0901's name is an XSS payload, HQ0902's is "=1+2". The
secretary hq-sec sees her community only; the admin boss changes a rule
and computes the awards. Downloads are fetched with the browser's
session cookie and read back (zipfile + the sheet XML). Waits are on
conditions, never fixed.
"""
import datetime
import io
import re
import ssl
import sys
import urllib.error
import urllib.request
import zipfile
from xml.etree import ElementTree

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import flows  # noqa: E402  (browser, login, shots, tap, wait_for)

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def main_text(d):
    return d.find_element(By.TAG_NAME, "main").text


def go(d, path, css="main"):
    d.get(flows.BASE + path)
    flows.wait_for(d, EC.presence_of_element_located((By.CSS_SELECTOR,
                                                      css)))


def fetch(d, href):
    """GET href with the browser's session: (status, headers, bytes)."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    sid = d.get_cookie("sid")["value"]
    url = href if href.startswith("http") else flows.BASE + href
    req = urllib.request.Request(url, headers={"Cookie": "sid=" + sid})
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def page_rows(section):
    """A report table's rows as lists of cell texts."""
    out = []
    for tr in section.find_elements(By.CSS_SELECTOR, "tbody tr"):
        out.append([c.text for c in tr.find_elements(By.CSS_SELECTOR,
                                                     "th, td")])
    return out


def xlsx_rows(data, sheet=1):
    """The rows of a sheet as lists of values (str or float)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        sst = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
        for si in sst.findall("m:si", NS):
            strings.append("".join(t.text or "" for t in si.iter(
                "{%s}t" % NS["m"])))
    ws = ElementTree.fromstring(z.read("xl/worksheets/sheet%d.xml" % sheet))
    rows = []
    for row in ws.iter("{%s}row" % NS["m"]):
        vals = []
        for c in row.findall("m:c", NS):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            idx = ord(col[-1]) - ord("A")
            while len(vals) < idx:
                vals.append("")
            v = c.find("m:v", NS)
            if c.get("t") == "s":
                vals.append(strings[int(v.text)])
            elif c.get("t") == "inlineStr":
                vals.append("".join(t.text or "" for t in c.iter(
                    "{%s}t" % NS["m"])))
            else:
                vals.append(float(v.text) if v is not None else "")
        rows.append(vals)
    return rows


def no_xss(d):
    return flows.no_alert(d) and not d.find_elements(
        By.CSS_SELECTOR, "main img, main script")


def main():
    d = flows.browser()
    tap = flows.tap
    try:
        flows.login(d, "hq-sec", "hongqi-secret-1")
        go(d, "/reports", "table.report")
        orgs = [o.get_attribute("value") for o in
                d.find_elements(By.CSS_SELECTOR, "#org option")]
        tap(sorted(orgs) == ["sq-c1", "sq-hongqi-01"],
            "reports: the area list holds only her community and station")
        sec = d.find_elements(By.CSS_SELECTOR, "section.report")
        rows = page_rows(sec[0])
        ids = [r[0] for r in rows]
        hq = [r for r in rows if r[0] == "sq-hongqi-01"]
        tap(ids == ["sq-hongqi-01", "*"] and hq and hq[0][3] == "4" and
            "东风" not in main_text(d) and "sq-dongfeng" not in
            d.page_source,
            "reports: check-ins of her station only (4 this month), a total")
        labels = [d.find_element(By.CSS_SELECTOR, "label[for=%s]" % i).text
                  for i in ("report", "org", "month", "from", "to")]
        tap(all(labels), "reports: every field is labelled")
        tap(no_xss(d) and flows.XSS in main_text(d),
            "reports: the XSS member name is shown as text, inert")
        flows.shots(d, "reports")

        # The XLSX the page offers: its numbers are the page's.
        href = d.find_element(By.CSS_SELECTOR,
                              ".downloads a").get_attribute("href")
        st, hdr, data = fetch(d, href)
        disp = hdr.get("Content-Disposition", "")
        x = xlsx_rows(data) if st == 200 else []
        xr = [r for r in x if r and r[0] == "sq-hongqi-01"]
        tap(st == 200 and "attachment" in disp and
            re.search(r'filename="checkins_sq-c1_\d{4}-\d\d-01_'
                      r'\d{4}-\d\d-\d\d\.xlsx"', disp) is not None,
            "XLSX: an attachment with a meaningful name")
        tap(bool(xr) and [int(v) for v in xr[0][2:6]] ==
            [int(v) for v in hq[0][2:6]] and
            abs(xr[0][6] * 100 - float(hq[0][6].rstrip("%"))) < 0.06 and
            not [r for r in x if r and r[0] == "sq-dongfeng"],
            "XLSX read back: the station's numbers match the page's")
        # The per-member CSV: a BOM, and the formula-like name defused.
        links = d.find_elements(By.CSS_SELECTOR, ".report-head a")
        st, hdr, data = fetch(d, links[1].get_attribute("href"))
        text = data.decode("utf-8", "replace")
        tap(st == 200 and data.startswith(b"\xef\xbb\xbf") and
            "\"'=1+2\"" in text and "DF0001" not in text,
            "CSV: a UTF-8 BOM, '=1+2' prefixed with ', nothing of the"
            " other community")

        # Another period by the form: this quarter, then from-to today.
        d.find_element(By.CSS_SELECTOR,
                       "input[name=period][value=quarter]").click()
        d.find_element(By.CSS_SELECTOR, "form.report-form button").click()
        flows.wait_for(d, lambda x: "period=quarter" in x.current_url)
        sec = d.find_elements(By.CSS_SELECTOR, "section.report")
        q = [r for r in page_rows(sec[0]) if r[0] == "sq-hongqi-01"]
        tap(bool(q) and q[0][3] == "4", "reports: this quarter, 4 too")
        # The service report of her station picked in the area list.
        go(d, "/reports?report=service&org=sq-hongqi-01", "table.report")
        s = [r for r in page_rows(d.find_elements(
            By.CSS_SELECTOR, "section.report")[0]) if r[0] == "sq-hongqi-01"]
        tap(bool(s) and "sq-dongfeng" not in d.page_source,
            "reports: the service report of her station")

        # Another community in the query string: the page of no page.
        for bad in ("/reports?org=sq-c2", "/reports?org=jd-1&report=ledger"):
            go(d, bad, "h1")
            tap(not d.find_elements(By.CSS_SELECTOR, "table.report") and
                "sq-dongfeng" not in d.page_source and
                "东风" not in d.page_source,
                "reports: %s shows nothing of it (404)" % bad)
        st, _, data = fetch(d, "/reports.xlsx?org=sq-c2")
        tap(st == 404, "XLSX of the other community: 404")

        go(d, "/registration", "table.report")
        text = main_text(d)
        tap("红旗社区" in text and "东风社区" not in text and
            "DF0002" not in text and "HQ0901" in text and no_xss(d),
            "registration: her community's rate and unregistered members"
            " only, the XSS name inert")
        flows.shots(d, "registration")

        go(d, "/stars", "section.board")
        boards = {b.find_element(By.TAG_NAME, "h2").text: b.text
                  for b in d.find_elements(By.CSS_SELECTOR,
                                           "section.board")}
        sec_board = boards.get("治安维稳之星", "")
        tap(len(boards) == 6 and "HQ0001" in sec_board and
            "HQ0901" in sec_board and "DF0001" not in sec_board and
            no_xss(d),
            "stars: six boards; 治安维稳之星 ranks her patrol members")
        flows.shots(d, "stars")

        go(d, "/points", "table.rules")
        tap(not d.find_elements(By.ID, "per30") and
            "只能查看" in main_text(d),
            "points: the secretary reads the rules, no form")

        go(d, "/lang/en?next=/reports", "table.report")
        tap("Check-ins" in main_text(d), "reports in English")
        # The English page at the laptop's size only.
        flows.shot(d, "reports-en-1366x768")
        go(d, "/lang/zh?next=/", "main")

        # The admin: a rule, the awards.
        d.delete_all_cookies()
        flows.login(d, "boss", "admin-secret-01")
        go(d, "/points", "form.card")
        from selenium.webdriver.support.ui import Select
        Select(d.find_element(By.ID, "scope")).select_by_value("mediation")
        d.find_element(By.ID, "per30").clear()
        d.find_element(By.ID, "per30").send_keys("3")
        d.find_element(By.ID, "satisfied").clear()
        d.find_element(By.ID, "satisfied").send_keys("abc")
        d.find_element(By.CSS_SELECTOR, "form.card button").click()
        flows.wait_for(d, EC.presence_of_element_located(
            (By.CSS_SELECTOR, "p.notice.error")))
        tap(d.find_element(By.ID, "satisfied").get_attribute("value") ==
            "abc", "points: a bad multiplier refused, the form kept")
        d.find_element(By.ID, "satisfied").clear()
        d.find_element(By.ID, "satisfied").send_keys("1.5")
        d.find_element(By.CSS_SELECTOR, "form.card button").click()
        flows.wait_for(d, lambda x: "done=1" in x.current_url)
        row = [r for r in d.find_elements(By.CSS_SELECTOR,
                                          "table.rules tbody tr")
               if r.text.startswith("邻里调解")]
        tap(bool(row) and " 3 1.50" in row[0].text,
            "points: the admin sets mediation at 3 per 30 minutes")
        flows.shots(d, "points")
        go(d, "/audit", "table.audit")
        tap("points.rule" in main_text(d), "the rule change is audited")

        year = datetime.datetime.utcnow().year
        go(d, "/awards?year=%d" % year, "form.card")
        d.find_element(By.CSS_SELECTOR, "form.card button").click()
        flows.wait_for(d, lambda x: "done=1" in x.current_url)
        text = main_text(d)
        tap("优秀党员" in text and "HQ0901" in text and "DF0001" in text and
            no_xss(d), "awards: computed and published by the admin")
        flows.shots(d, "awards")

        d.delete_all_cookies()
        flows.login(d, "hq-sec", "hongqi-secret-1")
        go(d, "/awards?year=%d" % year, "table.awards")
        text = main_text(d)
        tap("HQ0001" in text and "DF0001" not in text and
            not d.find_elements(By.CSS_SELECTOR, "form.card"),
            "awards: the secretary sees her station's, no action")
    finally:
        d.quit()
    return flows.failed


if __name__ == "__main__":
    flows.BASE, flows.SHOTS, flows.N = sys.argv[1], sys.argv[2], \
        int(sys.argv[3])
    sys.exit(1 if main() else 0)
