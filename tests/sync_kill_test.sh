#!/bin/sh
# hubd and a kiosk sync process (`kioskctl sync --rounds`) killed with
# SIGKILL mid-sync, again and
# again, while the kiosk keeps making events and the hub keeps
# publishing; afterwards the hub holds every event exactly once, the
# kiosk's acknowledged seq and cursor are consistent, and both
# databases pass an integrity check. Real processes over TLS on
# 127.0.0.1 with certificates made by `hubctl init`. Usage: $0 BUILD_DIR
set -u
B=${1:-build}
T=$(mktemp -d /tmp/sync_kill.XXXXXX)
HUB=""
KS=""
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else bad "$3 (got '$1', want '$2')"; fi; }
cleanup() {
    [ -n "$KS" ] && kill -9 "$KS" 2>/dev/null
    [ -n "$HUB" ] && kill -9 "$HUB" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
rnd() { echo $(( $(od -An -N2 -tu2 /dev/urandom) % $1 )); }
ms() { printf '0.%03d' "$1"; }
# Waits poll their condition for up to a minute: the machine may be slow.
CEILING=60
deadline() { echo $(( $(date +%s) + CEILING )); }
before() { [ "$(date +%s)" -lt "$1" ]; }

# hubd writes its port file once it listens. The file is removed first,
# so a restart waits for the new hub, not the old hub's file; a hub that
# died (the port taken) ends the wait at once.
start_hub() {
    rm -f "$T/port"
    "$B/hubd" -d "$T/hub" --port "${PORT:-0}" --port-file "$T/port" --quiet \
        2>>"$T/hubd.log" &
    HUB=$!
    end=$(deadline)
    while [ ! -s "$T/port" ] && kill -0 "$HUB" 2>/dev/null && before "$end"
    do
        sleep 0.05
    done
    [ -s "$T/port" ] || { echo "# hubd did not start"; cat "$T/hubd.log"; }
    PORT=$(cat "$T/port" 2>/dev/null)
}

"$B/hubctl" -d "$T/hub" init >/dev/null &&
"$B/hubctl" -d "$T/hub" add-station sq-hongqi-01 HQ &&
"$B/hubctl" -d "$T/hub" import assets/demo/roster.csv >/dev/null
start_hub
mkdir -p "$T/k" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
CODE=$("$B/hubctl" -d "$T/hub" enrol-code sq-hongqi-01 kiosk-1)
# The kiosk's side (a restarted hub keeps its port). A plain command, not
# a function: `$K ... &` must give the pid of kioskctl itself to kill.
K="$B/kioskctl --set kiosk.state_dir=$T/k --set station.id=sq-hongqi-01
   --set kiosk.device_id=kiosk-1 --set update.root=$T/app
   --set hub.host=127.0.0.1 --set hub.port=$PORT"
$K enrol "$CODE" >/dev/null
check $? 0 "kiosk enrolled"
$K sync >/dev/null

notices=0
publish() {
    notices=$((notices + 1))
    {
        echo "["
        i=1
        while [ $i -le $notices ]; do
            [ $i -gt 1 ] && echo ","
            printf '{"id":"K%d","title":"kill %d","body":"%0300d",' $i $i $i
            printf '"published_days_ago":0}'
            i=$((i + 1))
        done
        echo "]"
    } >"$T/notices.json"
    "$B/hubctl" -d "$T/hub" publish notices "$T/notices.json" \
        --station sq-hongqi-01 >/dev/null
}

member=1
kills_hub=0
kills_kiosk=0
round=0
while [ $round -lt 12 ]; do
    round=$((round + 1))
    j=0
    while [ $j -lt 8 ]; do
        $K log "$(printf 'HQ%04d' $member)" patrol 30 >/dev/null
        member=$((member % 60 + 1))
        j=$((j + 1))
    done
    publish
    $K sync --rounds 100000 --batch 2 --pause-ms 1 >/dev/null 2>&1 &
    KS=$!
    # Random kill points, not waits: whatever the sync has reached then.
    sleep "$(ms $(( $(rnd 150) + 20 )))"
    if [ $((round % 2)) -eq 0 ]; then
        kill -9 "$HUB"; wait "$HUB" 2>/dev/null
        kills_hub=$((kills_hub + 1))
        start_hub
        sleep "$(ms $(( $(rnd 100) + 10 )))"
    fi
    kill -9 "$KS"; wait "$KS" 2>/dev/null
    KS=""
    kills_kiosk=$((kills_kiosk + 1))
done

# Settle: plain rounds until one succeeds.
settled=no
end=$(deadline)
while before "$end"; do
    $K sync >/dev/null 2>&1 && { settled=yes; break; }
    sleep 0.1
done
check "$settled" yes \
    "a clean round after $kills_kiosk kiosk and $kills_hub hub kills"

show=$($K show)
last=$(echo "$show" | sed -n 's/.*last_seq=\([0-9]*\).*/\1/p')
acked=$(echo "$show" | sed -n 's/.* acked=\([0-9]*\).*/\1/p')
kn=$(echo "$show" | sed -n 's/.* notices=\([0-9]*\).*/\1/p')
"$B/hubctl" -d "$T/hub" events kiosk-1 >"$T/events.csv"
held=$(tail -n +2 "$T/events.csv" | wc -l)
distinct=$(tail -n +2 "$T/events.csv" | cut -d, -f1 | sort -un | wc -l)
maxseq=$(tail -n +2 "$T/events.csv" | cut -d, -f1 | sort -n | tail -1)
check "$last" "$((12 * 8))" "kiosk made every event"
check "$held" "$last" "hub holds as many events as the kiosk made"
check "$distinct" "$held" "each seq once at the hub"
check "$maxseq" "$last" "hub holds seq 1..$last"
check "$acked" "$last" "kiosk acknowledged seq matches"
check "$kn" "$notices" "kiosk has every published notice (cursor consistent)"
cur=$(echo "$show" | sed -n 's/.*cursor=\([0-9]*\).*/\1/p')
hubmax=$(sqlite3 "$T/hub/hub.db" "SELECT max(id) FROM changes")
check "$cur" "$hubmax" "kiosk cursor is the hub's last change"
check "$(sqlite3 "$T/k/kiosk.db" 'PRAGMA integrity_check')" ok \
    "kiosk database intact"
check "$(sqlite3 "$T/hub/hub.db" 'PRAGMA integrity_check')" ok \
    "hub database intact"
