#!/bin/sh
# kioskctl's technician commands as a technician uses them on a unit:
# enrol against a real hubd (the ids the hub assigned written into the
# config file, every other line kept), status (with the build's version),
# export of a diagnostics bundle to a "USB stick" directory (its database
# copy passes integrity_check), and decommission (refused without --yes,
# while events are queued and while another process has the database
# open; the kiosk service stopped first; then key, certificate, CA and
# database gone). A stand-in for systemctl records what kioskctl asks of
# it (KIOSK_SYSTEMCTL). Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/kioskctl.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"

$H init >/dev/null && $H add-station sq-hongqi-01 "红旗社区党群服务站" &&
    $H import assets/demo/roster.csv >/dev/null
check $? 0 "hub set up"
"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" 2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")

S="$T/state"
# The unit's config as a technician finds it: placeholder ids, comments,
# a key with an inline comment, keys the enrolment must not touch.
cat >"$T/kiosk.ini" <<INI
; the station's kiosk
[station]
id = change-me   ; set by kioskctl enrol
name = 红旗社区党群服务站

[kiosk]
# the unit's name at the hub
device_id = change-me
state_dir = $S

[hub]
host = 127.0.0.1
port = $PORT
INI
chmod 640 "$T/kiosk.ini"
sed -e 's/^id = change-me /id = sq-hongqi-01 /' \
    -e 's/^device_id = change-me$/device_id = kiosk-1/' \
    "$T/kiosk.ini" >"$T/want.ini"
K="$B/kioskctl --config $T/kiosk.ini --set update.root=$T/app
   --set update.factory=$T/factory"
# One command table: help lists it, a wrong argument count prints that
# command's usage line, the text session runs its lines through it.
listed='^  \(status\|sync \[--rounds\|enrol CODE\|shell\|decommission\)'
"$B/kioskctl" help >"$T/out"
check "$?/$(grep -c "$listed" "$T/out")" 0/5 "help lists the commands"
$K in >/dev/null 2>"$T/out"
check "$?/$(grep -c '^  in NO ' "$T/out")" 2/1 \
    "a wrong argument count shows that command's usage"
printf 'status\nbogus\nhelp\nquit\nstatus\n' | $K shell >"$T/out" 2>"$T/err"
check "$(grep -c '^station: change-me$' "$T/out")/$(grep -c \
    'unknown command: bogus' "$T/err")/$(grep -c '^  record NO ' "$T/out")" \
    1/1/1 "the text session runs lines through the table until quit"

CODE=$($H enrol-code sq-hongqi-01 kiosk-1)
$K enrol "$CODE" >"$T/out" 2>&1
check $? 1 "enrol refused without the hub's CA"
grep -q "hub-ca.crt" "$T/out" && ok "the message names the CA file" ||
    bad "the message names the CA file"
cp "$T/hub/ca.crt" "$S/hub-ca.crt"
$K enrol "$CODE" >"$T/out" 2>&1
check $? 0 "enrolled with a one-time code"
check "$(stat -c %a "$S/kiosk.key")" 600 "key made on the unit, owner only"
cmp -s "$T/kiosk.ini" "$T/want.ini"
check $? 0 "the hub's ids written into the config, every other line kept"
check "$($K config | grep -c '^id = sq-hongqi-01$\|^device_id = kiosk-1$')" 2 \
    "the config reads back with the hub's ids"
check "$(stat -c %a "$T/kiosk.ini")" 640 "the config keeps its mode"
check "$(ls -A "$T" | grep -c '^\.kiosk\.ini')" 0 "no temporary file left"
check "$($K status | grep '^enrolled:')" "enrolled: yes" "status: enrolled"
check "$($K status | grep -c '^epoch_changed: [0-9]* enrolled$')" 1 \
    "enrolment started a new sequence epoch, shown by status"
version=$($K status | sed -n 's/^version: //p')
[ -n "$version" ] && [ "$version" != dev ] &&
    ok "status shows the build's version ($version)" ||
    bad "status shows the build's version (got '$version')"

# A unit whose config lacks the keys gets them under their sections; one
# enrolled without a config file is told where to put them.
S2="$T/state2"
mkdir -p "$S2" && cp "$T/hub/ca.crt" "$S2/hub-ca.crt"
printf '; unit 2\n[station]\nname = two\n\n[hub]\nhost = 127.0.0.1\n' \
    >"$T/k2.ini"
"$B/kioskctl" --config "$T/k2.ini" --set "kiosk.state_dir=$S2" \
    --set "hub.port=$PORT" enrol "$($H enrol-code sq-hongqi-01 kiosk-2)" \
    >/dev/null 2>&1
check "$(grep -A1 '^\[station\]' "$T/k2.ini" | tail -1)/$(grep -A1 \
    '^\[kiosk\]' "$T/k2.ini" | tail -1)" \
    "id = sq-hongqi-01/device_id = kiosk-2" \
    "missing keys added under their sections"
check "$("$B/kioskctl" --config "$T/k2.ini" --set "kiosk.state_dir=$S2" \
    config | grep -c '^name = two$\|^host = 127.0.0.1$')" 2 \
    "and the rest kept"
S3="$T/state3"
mkdir -p "$S3" && cp "$T/hub/ca.crt" "$S3/hub-ca.crt"
"$B/kioskctl" --set "kiosk.state_dir=$S3" --set hub.host=127.0.0.1 \
    --set "hub.port=$PORT" enrol "$($H enrol-code sq-hongqi-01 kiosk-3)" \
    >"$T/out" 2>&1
check "$?/$(grep -c '^note: .*id = sq-hongqi-01.*device_id = kiosk-3' \
    "$T/out")" 0/1 "without --config the note says where the ids go"
$K enrol "$CODE" >/dev/null 2>&1
check $? 1 "a used code is refused"
$B/kioskctl --set kiosk.state_dir=$S enrol "$CODE" >/dev/null 2>&1
check $? 1 "enrol refused without a hub configured"

$K sync >/dev/null
check $? 0 "forced sync"
check "$($K status | sed -n 's/^members: //p')" 60 "roster arrived"
check "$($K status | sed -n 's/^last_sync_ms: \([0-9]\).*/\1/p' | wc -c)" 2 \
    "last sync recorded"
$K in HQ0001 >/dev/null
check "$($K status | sed -n 's/^queue: //p')" 1 "queue counts the check-in"

mkdir "$T/usb"
$K --set 'kiosk.tech_pin_hash=pbkdf2-sha256$1000$c2FsdA$aGFzaA' \
    export "$T/usb" >"$T/out"
check $? 0 "export"
X=$(ls -d "$T/usb"/kiosk-1-* 2>/dev/null | head -1)
[ -n "$X" ] && [ -s "$X/status.txt" ] && ok "bundle has status.txt" ||
    bad "bundle has status.txt"
check "$(sqlite3 "$X/kiosk.db" 'PRAGMA integrity_check')" ok \
    "database copy passes integrity_check"
check "$(sqlite3 "$X/kiosk.db" 'SELECT count(*) FROM events')" 1 \
    "database copy holds the queued event"
check "$(grep -c '^queue: 1$\|^database: ok$\|^\[config\]$\|^free_storage: ' \
    "$X/status.txt")" 4 "status.txt has queue, database, storage, config"
check "$(grep -c 'pbkdf2' "$X/status.txt")/$(grep -c 'not exported' \
    "$X/status.txt")" 0/1 "no PIN hash exported"
check "$(stat -c %a "$X/kiosk.db")" 600 "database copy owner only"
$K export "$T/no/such/dir" >/dev/null 2>&1
check $? 1 "export to a missing stick fails"

# The stand-in for systemctl: it records its arguments; `is-active`
# answers from $T/active; `stop` fails while $T/stop-fails exists, else
# ends the "kiosk" (the holder of the database) and, like systemctl,
# returns once it is gone.
cat >"$T/systemctl" <<'SH'
#!/bin/sh
echo "$*" >>"$T_DIR/systemctl.log"
case "$1" in
is-active) exit "$(cat "$T_DIR/active")" ;;
stop)
    [ -e "$T_DIR/stop-fails" ] && exit 1
    pid=$(cat "$T_DIR/holder.pid" 2>/dev/null) || exit 0
    kill "$pid" 2>/dev/null
    end=$(( $(date +%s) + 60 ))
    while ls -l "/proc/$pid/fd" 2>/dev/null | grep -q kiosk.db &&
          [ "$(date +%s)" -lt "$end" ]; do
        sleep 0.05
    done ;;
esac
exit 0
SH
chmod 755 "$T/systemctl"
export T_DIR="$T" KIOSK_SYSTEMCTL="$T/systemctl"
echo 3 >"$T/active"                 # systemctl's "inactive"
# A kiosk running without systemd: a process with the database open,
# waited for until it has it open.
hold_db() {
    sh -c 'exec 3<"$1"; exec sleep 600' holder "$S/kiosk.db" &
    echo $! >"$T/holder.pid"
    end=$(( $(date +%s) + 60 ))
    until ls -l "/proc/$!/fd" 2>/dev/null | grep -q kiosk.db ||
          [ "$(date +%s)" -ge "$end" ]; do
        sleep 0.05
    done
}
trap 'kill "$(cat "$T/holder.pid" 2>/dev/null)" 2>/dev/null; cleanup' EXIT
# How many of the key, certificate, CA and database are still there.
kept() {
    for f in kiosk.key kiosk.crt hub-ca.crt kiosk.db; do
        [ -e "$S/$f" ] && echo "$f"
    done | wc -l
}

$K decommission >"$T/out" 2>&1
check $? 1 "decommission refused without --yes"
[ -f "$S/kiosk.key" ] && [ -f "$S/kiosk.db" ] && ok "nothing wiped" ||
    bad "nothing wiped"
$K decommission --yes >"$T/out" 2>&1
check $? 1 "decommission refused while events are queued"
grep -q "1 events" "$T/out" && ok "warning names the queue" ||
    bad "warning names the queue"
$K sync >/dev/null
hold_db
$K decommission --yes >"$T/out" 2>&1
check $? 1 "decommission refused while a kiosk has the database open"
check "$(grep -c "process $(cat "$T/holder.pid") (sleep) has .*kiosk.db open" \
    "$T/out")" 1 "the refusal names the process"
check "$(kept)" 4 "nothing wiped"
check "$(cat "$T/systemctl.log")" "is-active --quiet kiosk.service" \
    "systemd asked whether kiosk.service runs"
echo 0 >"$T/active"
: >"$T/stop-fails"
: >"$T/systemctl.log"
$K decommission --yes >"$T/out" 2>&1
check $? 1 "decommission refused when kiosk.service does not stop"
check "$(kept)" 4 "nothing wiped"
rm "$T/stop-fails"
: >"$T/systemctl.log"
$K decommission --yes >"$T/out" 2>&1
check $? 0 "decommission after the queue is acknowledged"
check "$(tr '\n' '|' <"$T/systemctl.log")" \
    "is-active --quiet kiosk.service|stop kiosk.service|" \
    "kiosk.service stopped first"
ls -l "/proc/$(cat "$T/holder.pid")/fd" 2>/dev/null | grep -q kiosk.db
check $? 1 "the kiosk is gone"
check "$(kept)" 0 "key, certificate, CA and database removed"
echo 3 >"$T/active"
$K load-demo assets/demo >/dev/null && $K in HQ0002 >/dev/null 2>&1
check "$($K status | sed -n 's/^queue: //p')" 1 "a fresh event queued"
hold_db
$K decommission --yes --force >"$T/out" 2>&1
check $? 0 "--force decommissions with a queue and the database open"
check "$(grep -c '^warning: process' "$T/out")/$(kept)" 1/0 \
    "with a warning naming the process"
echo "1..$n"
