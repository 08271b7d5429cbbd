#!/bin/sh
# run-tests: once, sanitizers
# The web console end to end: a real hubd with --console-port on a free
# port, accounts and the hierarchy made with hubctl, and a real browser
# (headless Chromium driven by selenium, tests/console/flows.py) logging
# in, locking an account out, sending a form without its CSRF token,
# opening another community's member by id, and showing an XSS payload
# as text. curl checks the status codes the browser does not show.
# Screenshots of each page at 1366x768 and 390x844 go to
# BUILD/console-shots/. Usage: $0 BUILD_DIR; prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/console_test.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"

# Debian's python3 (python3-selenium is its package), not another first
# in PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import selenium' 2>/dev/null ||
   ! command -v chromedriver >/dev/null; then
    echo "ok 1 # SKIP selenium or chromium-driver not installed"
    echo "1..1"
    exit 0
fi

$H init >/dev/null && $H add-station sq-hongqi "红旗社区党群服务站" &&
    $H add-station sq-dongfeng "东风社区党群服务站" &&
    $H org add district qu-1 "城关区" &&
    $H org add street jd-1 "新华街道" --parent qu-1 &&
    $H org add community sq-c1 "红旗社区" --parent jd-1 &&
    $H org add community sq-c2 "东风社区" --parent jd-1 &&
    $H station place sq-hongqi sq-c1 && $H station place sq-dongfeng sq-c2
check $? 0 "hub, stations and hierarchy ready"
cat >"$T/roster.csv" <<'CSV'
member_no,name,phone,community,station
HQ0001,吴桂芳,13800000001,红旗社区,sq-hongqi
HQ0666,<img src=x onerror=alert(1)><script>alert(2)</script>,13800000002,红旗社区,sq-hongqi
DF0001,李建国,13800000003,东风社区,sq-dongfeng
CSV
$H import "$T/roster.csv" >/dev/null
check $? 0 "roster imported (one name is an XSS payload)"
echo 'hongqi-secret-1' | $H user add hq-sec --role community --scope sq-c1 &&
    echo 'admin-secret-12' | $H user add admin --role admin &&
    echo 'lockme-secret-1' | $H user add lockme --role station \
        --scope sq-dongfeng
check $? 0 "hubctl user add: a community secretary, an admin, a station user"
echo 'bad-secret-12' | $H user add bad --role community --scope sq-hongqi \
    2>"$T/err"
check "$?|$(grep -c 'must name a community' "$T/err")" "1|1" \
    "a role scoped to a node of the wrong level is refused"

"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" --console-port 0 \
    --console-port-file "$T/cport" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/cport" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
CP=$(cat "$T/cport")
U="https://127.0.0.1:$CP"
check "$(curl -sk -o /dev/null -w '%{http_code}' "$U/")" 303 \
    "a page without a session sends to the login"

# A session for curl: the login form's token comes with its cookie.
curl -sk -c "$T/jar" "$U/login" >/dev/null
pre=$(awk '$6 == "pre" { print $7 }' "$T/jar")
curl -sk -b "$T/jar" -c "$T/jar" -o /dev/null \
    --data "csrf=$pre&name=hq-sec&password=hongqi-secret-1" "$U/login"
code() { curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' "$@"; }
check "$(code "$U/members/HQ0001")" 200 "own community's member: 200"
check "$(code "$U/members/DF0001")|$(code "$U/members/NOPE")" "404|404" \
    "another community's member answers 404, like one that does not exist"
check "$(code "$U/users")" 404 "the accounts page is not there for a secretary"
check "$(code --data 'x=1' "$U/logout")" 403 "a POST without its token: 403"
check "$(code "$U/")" 200 "... and the session is still there"
check "$(curl -sk -D - -o /dev/null -b "$T/jar" "$U/" |
         grep -ci -e "^content-security-policy: default-src 'self'" \
                  -e '^x-frame-options: deny' -e '^cache-control: no-store')" 3 \
    "CSP, X-Frame-Options and no-store on pages"

# A kiosk at sq-hongqi (and one at sq-dongfeng, out of the secretary's
# scope) enrolled and synced once, for the fleet page and, after the
# browser publishes a notice, for the kiosk's own screenshot of it.
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
PORT=$(cat "$T/port")
sed "s|^assets_dir *=.*|assets_dir = $(pwd)/assets|" assets/demo/station.ini \
    >"$T/station.ini"
kiosk_args() {   # DEVICE STATION
    echo "--config $T/station.ini --set kiosk.state_dir=$T/$1"\
         "--set hub.host=127.0.0.1 --set hub.port=$PORT"\
         "--set station.id=$2 --set kiosk.device_id=$1"\
         "--set update.root=$T/$1/app --set update.factory=$T/$1/factory"
}
for k in "kiosk-7 sq-hongqi" "kiosk-9 sq-dongfeng"; do
    set -- $k
    mkdir -p "$T/$1" && cp "$T/hub/ca.crt" "$T/$1/hub-ca.crt"
    # shellcheck disable=SC2046
    "$B/kioskctl" $(kiosk_args "$1" "$2") enrol \
        "$($H enrol-code "$2" "$1")" >/dev/null &&
        "$B/kioskctl" $(kiosk_args "$1" "$2") sync >/dev/null 2>&1
    check $? 0 "$1 enrolled at $2 and synced"
done

mkdir -p "$B/console-shots"
"$PY" tests/console/flows.py "$U" "$B/console-shots" "$n" >"$T/flows.tap" \
    2>"$T/flows.err"
rc=$?
cat "$T/flows.tap"
n=$((n + $(grep -c '^\(not \)\?ok ' "$T/flows.tap")))
check "$rc" 0 "the browser flows ran to the end"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/flows.err" | tail -20

# The notice the browser published reaches the kiosk: its sync, then its
# own notice screen in script mode, with a screenshot.
"$B/kioskctl" $(kiosk_args kiosk-7 sq-hongqi) sync >/dev/null 2>&1
cat >"$T/notice.txt" <<'SCRIPT'
expect screen home
tap boards
tap board.2
tap notice.0
expect text 关于冬季供暖报修的通知
screenshot kiosk-notice
SCRIPT
# shellcheck disable=SC2046
mkdir -p "$T/kshots"
"$B/kiosk" $(kiosk_args kiosk-7 sq-hongqi) --script "$T/notice.txt" \
    --shots "$T/kshots" >"$T/kiosk.log" 2>&1
rc=$?
check "$rc" 0 "the notice published in the console is on the kiosk's screen"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/kiosk.log" | tail -8
[ -f "$T/kshots/kiosk-notice.png" ] &&
    cp "$T/kshots/kiosk-notice.png" "$B/console-shots/kiosk-notice.png"
check "$(code "$U/boards/notices?station=sq-dongfeng")" 404 \
    "another community's notices answer 404"

check "$($H user list | awk '$1 == "lockme" { print $5 }')" locked \
    "hubctl user list shows the account locked"
$H user passwd lockme <<'PW' >/dev/null
lockme-secret-2
PW
check "$($H user list | awk '$1 == "lockme" { print $5 }')" active \
    "a new password lifts the lock"
csv=$(curl -sk -b "$T/jar" "$U/audit.csv" | csv_fields)
check "$(echo "$csv" | grep -c '|station.place|station:sq-hongqi|')" 1 \
    "the audit CSV holds the secretary's station's changes"
check "$(echo "$csv" | grep -c 'sq-dongfeng')" 0 \
    "... and not another community's"
# Kiosks behind: kiosk-9 (another community's) reports a newer version
# than kiosk-7; the secretary's dashboard counts kiosk-7 as behind, and
# the other community's kiosk not at all.
sqlite3 "$T/hub/hub.db-fleet" "UPDATE seen SET version = '99.0.0'
    WHERE device = 'kiosk-9'"
behind=$(curl -sk -b "$T/jar" "$U/" |
         grep -o '<span class="num">[0-9]*</span><span class="lbl">版本落后的终端' |
         sed 's/.*"num">\([0-9]*\)<.*/\1/')
check "$behind" 1 "the dashboard counts the secretary's kiosk behind the newest version"

# A flood: 300 connections from 127.0.0.1 that never send a byte. Another
# address (127.0.0.2, the office) still gets its page; the flood costs a
# few log lines, not one per connection; once it ends, 127.0.0.1 is served
# again.
CP=$(cat "$T/cport")
lines0=$(grep -c 'hub: 127.0.0.1:' "$T/hubd.log")
"$PY" - "$CP" "$T/flood.up" "$T/flood.end" <<'PYEOF' &
import os, socket, sys, time
port, up, end = int(sys.argv[1]), sys.argv[2], sys.argv[3]
socks = []
for _ in range(300):
    s = socket.socket()
    s.connect(("127.0.0.1", port))
    socks.append(s)
open(up, "w").close()
t = time.time()
while not os.path.exists(end) and time.time() - t < 120:
    time.sleep(0.05)
PYEOF
FLOOD=$!
i=0
while [ ! -f "$T/flood.up" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
check "$(curl -sk --interface 127.0.0.2 --max-time 20 -o /dev/null \
         -w '%{http_code}' "$U/login")" 200 \
    "during a flood of 300 idle connections from one address, another address is served"
touch "$T/flood.end"
wait "$FLOOD"
i=0
while [ "$(curl -sk --max-time 5 -o /dev/null -w '%{http_code}' "$U/login")" != 200 ] &&
      [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
check "$(curl -sk --max-time 20 -o /dev/null -w '%{http_code}' "$U/login")" 200 \
    "after the flood, its address is served again"
flood_lines=$(( $(grep -c 'hub: 127.0.0.1:' "$T/hubd.log") - lines0 ))
check "$([ "$flood_lines" -ge 1 ] && [ "$flood_lines" -le 4 ] && echo few)" few \
    "the flood cost a few log lines naming its address ($flood_lines)"
echo "1..$n"
