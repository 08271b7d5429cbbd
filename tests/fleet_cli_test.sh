#!/bin/sh
# The fleet side of updates as an operator and a technician see it, with
# the real programs: a bundle published with `hubctl bundle publish`
# (a tampered one refused with --key), `kioskctl update hub` installing it
# from hubd and then finding nothing newer; a crashing version rolled back
# by kiosk-launch, queued with `kioskctl rollbacks`, uploaded, shown by
# `hubctl fleet` and `hubctl events`, and not reported twice; `hubctl
# bundle list` shows what is published.
# Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/fleet_cli.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"
KB="$B/kiosk-bundle"

$H init >/dev/null && $H add-station sq-hongqi-01 "HQ" >/dev/null
"$B/hubd" -d "$T/hub" --port 0 --port-file "$T/port" \
    2>"$T/hubd.log" &
HUB=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(cat "$T/port")
mkdir -p "$T/k" && cp "$T/hub/ca.crt" "$T/k/hub-ca.crt"
K="$B/kioskctl --set kiosk.state_dir=$T/k --set hub.host=127.0.0.1
   --set hub.port=$PORT --set station.id=sq-hongqi-01
   --set kiosk.device_id=kiosk-1 --set update.root=$T/root
   --set update.release_key=$T/rel.pub --set update.factory=$T/factory"
$K enrol "$($H enrol-code sq-hongqi-01 kiosk-1)" >/dev/null
check $? 0 "kiosk enrolled"

# Versions: the factory 1.1.0, a good 1.2.0 and a 1.3.0 that crashes.
$KB keygen "$T/rel.pem" "$T/rel.pub" >/dev/null
mkdir -p "$T/factory/bin" "$T/v120/bin" "$T/v130/bin"
echo 1.1.0 >"$T/factory/VERSION"
printf '#!/bin/sh\nexit 0\n' >"$T/factory/bin/kiosk"
printf '#!/bin/sh\necho ok >&3\nexit 0\n' >"$T/v120/bin/kiosk"
printf '#!/bin/sh\nexit 3\n' >"$T/v130/bin/kiosk"
chmod 755 "$T"/*/bin/kiosk
head -c 300000 /dev/urandom >"$T/v120/bin/data"
$KB make --key "$T/rel.pem" --version 1.2.0 "$T/v120" "$T/v120.kbundle" \
    >/dev/null
$KB make --key "$T/rel.pem" --version 1.3.0 "$T/v130" "$T/v130.kbundle" \
    >/dev/null

cp "$T/v120.kbundle" "$T/bad.kbundle"
# Change one byte (to a value it does not already have) in the payload.
old=$(dd if="$T/bad.kbundle" bs=1 skip=200000 count=1 2>/dev/null | od -An -tu1)
printf "\\$(printf %03o $(( (old + 1) % 256 )))" |
    dd of="$T/bad.kbundle" bs=1 seek=200000 conv=notrunc 2>/dev/null
cmp -s "$T/v120.kbundle" "$T/bad.kbundle"
check $? 1 "the copy differs in one byte"
$H bundle publish "$T/bad.kbundle" --key "$T/rel.pub" 2>"$T/err.txt"
check $? 1 "a tampered bundle is refused with --key"
check "$(grep -c altered "$T/err.txt")" 1 "the refusal says why"
$H bundle publish "$T/v120.kbundle" --key "$T/rel.pub" >"$T/pub.txt"
check $? 0 "bundle published"
check "$(cut -d' ' -f2 "$T/pub.txt")" kiosk-1.2.0 "named after its version"
check "$($H bundle list --csv | head -1)" "name,version,station,size,published" \
    "bundle list --csv: header"
size=$(stat -c %s "$T/v120.kbundle")
check "$($H bundle list --csv | tail -n +2 | cut -d, -f1-4)" \
    "\"kiosk-1.2.0\",\"1.2.0\",\"all\",$size" \
    "bundle list --csv: the published bundle (text quoted, size bare)"
$H bundle list --csv | tail -1 | csv_fields | cut -d'|' -f5 |
    grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
check $? 0 "bundle list: published time in UTC"

check "$($K update hub | tail -1)" \
    "version 1.2.0 installed; it starts on trial at the next restart" \
    "kioskctl update hub installs the hub's bundle"
check "$(grep -c 'GET /v1/bundles/kiosk-1.2.0 206' "$T/hubd.log")" 2 \
    "downloaded in two ranged answers"
$B/kiosk-launch --root "$T/root" --factory "$T/factory" --trial-ms 3000 \
    2>/dev/null
check "$($KB status --root "$T/root" --factory "$T/factory" | head -1)" \
    "version 1.2.0 in $T/root/slots/a" "the new version committed"
check "$($K update hub | tail -1)" \
    "the hub offers 1.2.0; 1.2.0 runs already: nothing to do" \
    "nothing newer: nothing downloaded"

# 1.3.0 crashes on trial: the launcher rolls it back to 1.2.0.
$KB install --key "$T/rel.pub" --root "$T/root" --factory "$T/factory" \
    "$T/v130.kbundle" >/dev/null
$B/kiosk-launch --root "$T/root" --factory "$T/factory" --trial-ms 3000 \
    2>/dev/null
check "$($K rollbacks 2>/dev/null)" "1 rollback record(s) queued as events" \
    "rollback queued as an event"
check "$($K rollbacks 2>/dev/null)" "0 rollback record(s) queued as events" \
    "and only once"
$K sync >/dev/null
check "$($H events kiosk-1 | grep -c ',"rollback",')" 1 "the hub holds it once"
check "$($H fleet | csv_fields | tail -1 | cut -d'|' -f10 | cut -d' ' -f2-)" \
    "1.3.0->1.2.0 (exited 3 times before reporting healthy)" \
    "hubctl fleet shows the last rollback"

# One station's bundle next to every station's: listed newest first,
# aligned for reading.
$H bundle publish "$T/v130.kbundle" --station sq-hongqi-01 >/dev/null
$H bundle list >"$T/list.txt"
check "$(awk '{print $1, $2, $3}' "$T/list.txt" | tr '\n' ' ')" \
    "name version station kiosk-1.3.0 1.3.0 sq-hongqi-01 kiosk-1.2.0 1.2.0 all " \
    "bundle list: newest first, the station or all"
check "$(awk '{print index($0, $5)}' "$T/list.txt" | sort -u | wc -l)" 1 \
    "bundle list: columns aligned"
$H bundle list extra 2>"$T/err.txt"
check "$?:$(tail -1 "$T/err.txt" | awk '{print $1, $2}')" "2:list [--csv]" \
    "bundle list with an argument: the usage line"
echo "1..$n"
