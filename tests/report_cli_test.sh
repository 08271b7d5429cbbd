#!/bin/sh
# hubctl's period reports as an operator runs them, over a real hubd with
# kioskctl as the kiosk: a check-in, a check-out and a service log arrive
# over TLS; `hubctl report checkins|service|ledger` gives them as CSV
# (machine headers, text quoted and neutralised) and as XLSX, read back
# here with python3's zipfile and XML reader: the sheets, the Chinese
# headers (English with --lang en), numbers as numbers, the rate as a
# percentage, the date as a date, a formula-like name as a string and
# never a formula, the frozen header. Refusals say why. Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/report_cli.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"

$H init >/dev/null
$H add-station sq-hongqi-01 "红旗社区党群服务站"
$H add-station sq-b "乙站"
{ head -4 assets/demo/roster.csv
  echo 'B001,赵六,13800000901,乙社区,sq-b'
} >"$T/roster.csv"
$H import "$T/roster.csv" >/dev/null
check $? 0 "roster imported"
# A name a spreadsheet would run, as an older roster could hold (import
# refuses such names now).
sqlite3 "$T/hub/hub.db" "UPDATE members SET
    name = '=HYPERLINK(\"http://x\",\"y\")' WHERE member_no = 'HQ0003'"

"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
mkdir -p "$T/k" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
K() {
    "$B/kioskctl" --set "kiosk.state_dir=$T/k" --set hub.host=127.0.0.1 \
        --set "hub.port=$PORT" --set station.id=sq-hongqi-01 \
        --set kiosk.device_id=kiosk-1 --set "update.root=$T/app" \
        --set "update.factory=$T/factory" "$@"
}
K enrol "$($H enrol-code sq-hongqi-01 kiosk-1)" >/dev/null
check $? 0 "kiosk enrolled"
K sync >/dev/null
K in HQ0001 >/dev/null && K out HQ0001 >/dev/null &&
    K in HQ0003 >/dev/null && K log HQ0002 patrol 90 >/dev/null
K sync >/dev/null && K sync >/dev/null
check "$($H events kiosk-1 | tail -n +2 | wc -l)" 4 "events arrived"
$H confirm kiosk-1 4 --points 3 >/dev/null
check $? 0 "service log confirmed"

# The events are today's: the default period is this month, UTC+8.
out=$($H report checkins)
check "$(echo "$out" | head -1)" \
    "station,station_name,roster_members,check_ins,members_checked_in,roster_checked_in,check_in_rate,visit_hours" \
    "CSV header: machine names"
check "$(echo "$out" | csv_fields | sed -n 2,4p | tr '\n' ' ')" \
    "sq-b|乙站|1|0|0|0|0.000|0.0 sq-hongqi-01|红旗社区党群服务站|3|2|2|2|0.667|0.0 *|合计|4|2|2|2|0.500|0.0 " \
    "check-ins per station, every station, a total"
check "$($H report checkins --station sq-hongqi-01 | wc -l)" 3 \
    "--station keeps that station (and the total)"
today=$(TZ=Asia/Shanghai date +%Y-%m-%d)
out=$($H report checkins --by member --station sq-hongqi-01)
check "$(echo "$out" | grep HQ0001 | cut -d, -f4,5,7)" "1,1,$today" \
    "per member: check-ins, days, the last one's local date"
check "$(echo "$out" | grep -c "\"'=HYPERLINK")" 1 \
    "a formula-like name neutralised in the CSV"
out=$($H report service --station sq-hongqi-01)
check "$(echo "$out" | sed -n 2p)" \
    '"sq-hongqi-01","红旗社区党群服务站",1,1,1,1.5,0,0,3,1.000' \
    "service per station: logs, confirmed hours, points, rate"
month=$(TZ=Asia/Shanghai date +%Y-%m)
check "$($H report service --month 2001-01 | sed -n 3p | cut -d, -f3)" 0 \
    "another month holds nothing"
check "$($H report ledger --month "$month" | wc -l)" 4 \
    "ledger per station, with a total"

# XLSX: every table of the report as a sheet.
$H report checkins --xlsx "$T/c.xlsx" >"$T/said.txt"
check "$?:$(cut -d: -f2 "$T/said.txt" | cut -d, -f1)" "0: 2 sheet(s)" \
    "--xlsx writes the workbook and says what"
check "$(ls "$T" | grep -c 'c.xlsx.tmp')" 0 "no temporary file left"
cat >"$T/xlsx.py" <<'PY'
import sys, zipfile, re
import xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
sst = [si.findtext(".//m:t", namespaces=ns) or ""
       for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns)]
wb = ET.fromstring(z.read("xl/workbook.xml"))
sheets = [s.get("name") for s in wb.findall(".//m:sheet", ns)]
styles = ET.fromstring(z.read("xl/styles.xml"))
fmts = {f.get("numFmtId"): f.get("formatCode")
        for f in styles.findall(".//m:numFmt", ns)}
xfs = [x.get("numFmtId") for x in styles.find("m:cellXfs", ns)]
def sheet(i):
    x = z.read("xl/worksheets/sheet%d.xml" % i).decode()
    root = ET.fromstring(x)
    cells = {}
    for c in root.iter("{%s}c" % ns["m"]):
        v = c.findtext("m:v", namespaces=ns)
        t = c.get("t")
        fmt = fmts.get(xfs[int(c.get("s") or 0)], "")
        cells[c.get("r")] = (sst[int(v)] if t == "s" else v, t or "n", fmt)
    return x, cells
what = sys.argv[2]
if what == "sheets":
    print("|".join(sheets))
elif what == "formulas":
    print(sum(len(re.findall("<f[ >]", sheet(i)[0]))
              for i in range(1, len(sheets) + 1)))
elif what == "bold":   # bold SHEET REF: 1 when the cell's font is bold
    fonts = styles.find("m:fonts", ns).findall("m:font", ns)
    x = sheet(int(sys.argv[3]))[0]
    m = re.search(r'<c r="%s"(?: s="(\d+)")?' % sys.argv[4], x)
    xf = styles.find("m:cellXfs", ns)[int(m.group(1) or 0)]
    print(int(fonts[int(xf.get("fontId") or 0)].find("m:b", ns) is not None))
elif what == "frozen":
    print(re.search(r'<pane [^>]*ySplit="(\d+)"[^>]*state="frozen"',
                    sheet(int(sys.argv[3]))[0]).group(1))
else:  # cell SHEET REF: value|type|format
    v, t, fmt = sheet(int(sys.argv[3]))[1].get(sys.argv[4], ("", "", ""))
    print("%s|%s|%s" % (v, t, fmt))
PY
X() { python3 "$T/xlsx.py" "$@"; }
check "$(X "$T/c.xlsx" sheets)" "签到（站点）|签到（党员）" "two sheets, Chinese names"
check "$(X "$T/c.xlsx" cell 1 A1 | cut -d'|' -f1)" "签到统计（按站点）" "title"
check "$(X "$T/c.xlsx" cell 1 A2 | grep -c '统计期间：.*（UTC+8）；站点：全部')" 1 \
    "period and scope under the title"
check "$(X "$T/c.xlsx" cell 1 D3)|$(X "$T/c.xlsx" cell 1 E3)|$(X "$T/c.xlsx" cell 1 G3)" \
    "签到人次|s||签到人数|s||签到率|s|" "Chinese column headers"
check "$(X "$T/c.xlsx" cell 1 D5)" "2|n|#,##0" "a count is a number"
check "$(X "$T/c.xlsx" cell 1 G5)" "0.6666666666666666|n|0.0%" "the rate is a percentage"
check "$(X "$T/c.xlsx" cell 1 H5)" "0|n|#,##0.0" "hours a decimal number"
check "$(X "$T/c.xlsx" cell 1 G4)" "0|n|0.0%" "a station with no check-in: 0 %"
check "$(X "$T/c.xlsx" cell 1 B6 | cut -d'|' -f1):$(X "$T/c.xlsx" bold 1 B6):$(X "$T/c.xlsx" bold 1 D6):$(X "$T/c.xlsx" bold 1 D5)" \
    "合计:1:1:0" "the total row, bold"
check "$(X "$T/c.xlsx" frozen 1):$(X "$T/c.xlsx" frozen 2)" "3:3" \
    "title, scope and header frozen"
# Sheet 2, by member: the formula-like name stays a string.
row=$(python3 - "$T/c.xlsx" <<'PY'
import sys, zipfile, re
x = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet2.xml").decode()
print(len(re.findall(r'<row r="(\d+)"', x)))
PY
)
name_cell=""
r=4
while [ "$r" -le "$row" ]; do
    if [ "$(X "$T/c.xlsx" cell 2 "B$r" | cut -d'|' -f1)" = HQ0003 ]; then
        name_cell=$(X "$T/c.xlsx" cell 2 "C$r")
    fi
    if [ "$(X "$T/c.xlsx" cell 2 "B$r" | cut -d'|' -f1)" = HQ0001 ]; then
        last_cell=$(X "$T/c.xlsx" cell 2 "G$r" | cut -d'|' -f2,3)
    fi
    r=$((r + 1))
done
check "$name_cell" '=HYPERLINK("http://x","y")|s|' \
    "a formula-like name is a string cell, as written"
check "$(X "$T/c.xlsx" formulas)" 0 "no formula anywhere in the workbook"
check "${last_cell:-}" "n|yyyy-mm-dd" "the last check-in is a date"
$H report service --xlsx "$T/s.xlsx" --lang en --station sq-hongqi-01 >/dev/null
check "$(X "$T/s.xlsx" sheets)" "Service by station|Service by member" \
    "--lang en: English sheets"
check "$(X "$T/s.xlsx" cell 1 I3 | cut -d'|' -f1):$(X "$T/s.xlsx" cell 1 I4 | cut -d'|' -f1)" \
    "Points:3" "English headers, the figures alike"
$H report ledger --xlsx "$T/l.xlsx" >/dev/null
check "$(X "$T/l.xlsx" sheets)" "民情台账（站点）" "the ledger: one sheet"

# Refusals.
$H report checkins --month 2026-13 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" '2:hubctl: --month takes YYYY-MM, not "2026-13"' \
    "a bad month refused"
$H report checkins --month 2026-03 --year 2026 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" \
    "2:hubctl: give one period: --from/--to, --month, --quarter or --year" \
    "two periods refused"
$H report checkins --to 2026-03-01 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" \
    "2:hubctl: --to needs --from (or give --month, --quarter or --year)" \
    "--to alone refused"
$H report service --station nope 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" "1:hubctl: report service: unknown station nope" \
    "an unknown station refused"
$H report ledger --by member 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" "2:hubctl: the ledger report is per station only" \
    "the ledger has no per-member table"
$H report checkins --xlsx "$T/c.xlsx" --lang fr 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" "2:hubctl: --lang takes zh or en" "--lang checked"
$H report checkins --xlsx "$T/no/such/dir/c.xlsx" 2>"$T/err.txt"
check "$?:$(grep -c '^hubctl: .*c.xlsx' "$T/err.txt")" "1:1" \
    "an unwritable file refused"
echo "1..$n"
