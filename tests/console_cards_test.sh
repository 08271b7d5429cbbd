#!/bin/sh
# run-tests: once, sanitizers
# The console's cards and update publishing end to end: a real hubd with
# its console and a kiosk in script mode synced to it. In a real browser
# (tests/console/cards_flows.py) the community secretary issues a member
# card, prints it (the QR image loads; read back with zbarimg it is the
# card), the kiosk checks in with it; she voids it (a reason that is an
# XSS payload, a confirm step), the kiosk syncs and refuses it; a whole
# station's roster is issued and printed (a member's name that is an
# XSS payload shown inert). An administrator publishes a
# test-signed bundle to the pilot station and sees "publish to all"
# gated until the pilot kiosk reports the version. curl: another
# community's secretary gets 404 for the card's page, its QR and sheet,
# and cannot POST an issue or a void for it. Given the build tree as $1;
# prints TAP.
set -u
B=${1:-build}
T=$(mktemp -d /tmp/console-cards.XXXXXX)
HUB=""
. tests/support/tap.sh
. tests/support/console.sh
export SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy
H="$B/hubctl -d $T/hub"
conf=$T/station.ini
cp assets/demo/station.ini "$conf"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if ! "$PY" -c 'import selenium' 2>/dev/null ||
   ! command -v chromedriver >/dev/null || ! command -v zbarimg >/dev/null
then
    echo "ok 1 # SKIP selenium, chromium-driver or zbar-tools not installed"
    echo "1..1"
    exit 0
fi

console_two_communities &&
    echo 'admin-secret-12' | $H user add admin --role admin &&
    echo 'district-view-1' | $H user add qu-view --role district \
        --scope qu-1 &&
    $H card init >/dev/null 2>&1
check $? 0 "hub, two communities, their secretaries, an admin, a card key"

# A release key beside the hub (DIR/release.pub) and a signed bundle
# waiting in DIR/incoming, as a technician leaves them.
mkdir -p "$T/src/bin" "$T/hub/incoming"
printf '#!/bin/sh\nexit 0\n' >"$T/src/bin/kiosk"
chmod 755 "$T/src/bin/kiosk"
"$B/kiosk-bundle" keygen "$T/rel.pem" "$T/hub/release.pub" >/dev/null &&
    "$B/kiosk-bundle" make --key "$T/rel.pem" --version 9.0.0 "$T/src" \
        "$T/hub/incoming/kiosk-9.0.0.kbundle" >/dev/null
check $? 0 "a test-signed bundle 9.0.0 in the hub's incoming folder"

console_start_hub

sets() {
    echo "--set kiosk.state_dir=$T/k1 --set hub.host=127.0.0.1"
    echo "--set hub.port=$PORT --set station.id=sq-hongqi-01"
    echo "--set kiosk.device_id=kiosk-1 --set kiosk.ticket_device=1"
    echo "--set station.ticket_prefix=HQ01 --set station.member_prefix=HQ"
}
mkdir -p "$T/k1" && cp "$T/hub/ca.crt" "$T/k1/hub-ca.crt"
"$B/kioskctl" --config "$conf" $(sets) \
    enrol "$($H enrol-code sq-hongqi-01 kiosk-1)" >/dev/null 2>&1 &&
    "$B/kioskctl" --config "$conf" $(sets) sync >/dev/null 2>&1
check $? 0 "a kiosk of the pilot station enrolled and synced"

# What the browser flow runs at the kiosk: sync, then scan CARD at the
# kiosk program in script mode and expect TEXT on its screen.
cat >"$T/kiosk.sh" <<EOF
#!/bin/sh
cd "$PWD"
"$B/kioskctl" --config "$conf" $(sets | tr '\n' ' ') sync >/dev/null 2>&1 || exit 2
printf '%s\n' "expect screen home" "scan \$1" "screenshot \${3:-scan}" "expect text \$2" \
    >"$T/scan.txt"
"$B/kiosk" --config "$conf" $(sets | tr '\n' ' ') --set kiosk.board=sim \
    --set "board.printer=$T/printer.bin" --script "$T/scan.txt" --shots "$T" \
    >>"$T/k1.log" 2>&1
EOF
cat >"$T/seen.sh" <<EOF
#!/bin/sh
# The pilot kiosk reports a version (as its sync's status would).
sqlite3 "$T/hub/hub.db-fleet" "UPDATE seen SET version = '\$1'
    WHERE device = 'kiosk-1'"
EOF

# A member's name no import would take, written where the roster lands:
# the print sheet must show it inert.
# (Names are 63 bytes at most: cards_flows.py's NAME_XSS.)
xss='<script>alert(2)</script>"><img src=x onerror=alert(1)>'
sqlite3 "$T/hub/hub.db" "UPDATE members SET name = '$xss'
    WHERE member_no = 'HQ0002'"
check $? 0 "one member's name is an XSS payload"

mkdir -p "$B/console-shots"
"$PY" tests/console/cards_flows.py "$U" "$B/console-shots" "$n" "$T" \
    >"$T/flows.tap" 2>"$T/flows.err"
rc=$?
cat "$T/flows.tap"
n=$((n + $(grep -c '^\(not \)\?ok ' "$T/flows.tap")))
check "$rc" 0 "the browser flows ran to the end"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/flows.err" | tail -20
grep -h 'ERROR\|script line' "$T/k1.log" 2>/dev/null | head -5 |
    sed 's/^/# /'

# The audit log: the issue and the void by hq-sec, the publishes by admin.
check "$(sqlite3 "$T/hub/hub.db" "SELECT actor || ' ' || action || ' ' ||
    object FROM audit_log WHERE action IN ('card.revoke', 'bundle.publish')
    ORDER BY id" | tr '\n' ';')" \
    "hq-sec card.revoke member:HQ0001;admin bundle.publish station:sq-hongqi-01;admin bundle.publish all;" \
    "audited: card.revoke member:HQ0001, bundle.publish station: then all"
check "$(sqlite3 "$T/hub/hub.db" "SELECT count(*) FROM audit_log
    WHERE action = 'card.issue' AND actor = 'hq-sec'")" \
    "$(sqlite3 "$T/hub/hub.db" "SELECT count(*) FROM cards_issued")" \
    "every card issued has its card.issue line"

# Another community's secretary, by id: the card's page, its QR, its
# sheet, and POSTs to issue for the member or void the card: all 404.
curl -sk -c "$T/jar" "$U/login" >/dev/null
pre=$(awk '$6 == "pre" { print $7 }' "$T/jar")
curl -sk -b "$T/jar" -c "$T/jar" -o /dev/null \
    --data "csrf=$pre&name=df-sec&password=dongfeng-secret" "$U/login"
page=$(curl -sk -b "$T/jar" "$U/cards")
tok=$(echo "$page" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 |
      sed 's/.*value="//; s/"//')
check "$(echo "$page" | grep -c 'HQ0001')" 0 \
    "another community's secretary sees none of sq-hongqi-01's cards"
live=$(sqlite3 "$T/hub/hub.db" "SELECT card_id FROM cards_issued
    WHERE revoked_ms = 0 ORDER BY card_id LIMIT 1")
st() { curl -sk -b "$T/jar" -o /dev/null -w '%{http_code}' "$@"; }
check "$(st "$U/cards/c/M.HQ0001.1")|$(st "$U/cards/c/$live")|$(st \
    "$U/cards/qr/$live.png")|$(st "$U/cards/sheet?id=$live")|$(st \
    "$U/cards/sheet?station=sq-hongqi-01&batch=1")" "404|404|404|404|404" \
    "... gets 404 for the card's page, its QR, its print sheet"
before=$(sqlite3 "$T/hub/hub.db" "SELECT count(*) FROM cards_issued")
check "$(st --data "csrf=$tok&kind=M&holder=HQ0001&from=2026-01-01&to=2026-12-31" \
    "$U/cards/issue")|$(st --data "csrf=$tok&card=$live&reason=x&confirm=1" \
    "$U/cards/revoke")|$(st --data "csrf=$tok&station=sq-hongqi-01&kind=M&from=2026-01-01&to=2026-12-31" \
    "$U/cards/roster")|$(sqlite3 "$T/hub/hub.db" "SELECT count(*) FROM
    cards_issued")|$(sqlite3 "$T/hub/hub.db" "SELECT revoked_ms FROM
    cards_issued WHERE card_id = '$live'")" "404|404|404|$before|0" \
    "... and POSTing an issue, a roster or a void for it: 404, nothing done"
check "$(st --data "csrf=$tok&action=pilot&bundle=kiosk-9.0.0.kbundle&station=sq-hongqi-01" \
    "$U/fleet/updates")|$(st --data "csrf=$tok&action=all&bundle=kiosk-9.0.0&override=1" \
    "$U/fleet/updates")" "404|404" \
    "... publishing to another community's station, or to all: 404"
# A card signed by hubctl on this hub is recorded too: the console lists it.
$H card issue M HQ0010 sq-hongqi-01 >/dev/null
check "$(sqlite3 "$T/hub/hub.db" "SELECT count(*) FROM cards_issued c
    JOIN audit_log a ON a.object = 'member:HQ0010' AND a.action =
    'card.issue' AND a.actor = c.issued_by WHERE c.card_id = 'M.HQ0010.2'
    AND c.issued_by LIKE 'hubctl:%'")" 1 \
    "hubctl card issue: recorded in the store with its audit line"

# A district viewer (read-only): sees the cards, no forms, no QR, and a
# POST is refused.
rm -f "$T/jar"
curl -sk -c "$T/jar" "$U/login" >/dev/null
pre=$(awk '$6 == "pre" { print $7 }' "$T/jar")
curl -sk -b "$T/jar" -c "$T/jar" -o /dev/null \
    --data "csrf=$pre&name=qu-view&password=district-view-1" "$U/login"
page=$(curl -sk -b "$T/jar" "$U/cards")
tok=$(echo "$page" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 |
      sed 's/.*value="//; s/"//')
check "$(echo "$page" | grep -c 'M.HQ0001.1')|$(echo "$page" |
    grep -c 'action="/cards/\(issue\|roster\|sheet\)"')" "1|0" \
    "a district viewer sees the cards but no issue, roster or print form"
counts() {
    sqlite3 "$T/hub/hub.db" "SELECT count(*) || ' ' || sum(revoked_ms <> 0)
        FROM cards_issued"
}
before=$(counts)
check "$(st "$U/cards/qr/$live.png")|$(st --data \
    "csrf=$tok&kind=M&holder=HQ0003&from=2026-01-01&to=2026-12-31" \
    "$U/cards/issue")|$(st --data "csrf=$tok&card=$live&reason=x&confirm=1" \
    "$U/cards/revoke")|$(counts)" "404|404|404|$before" \
    "... gets no QR, and an issue or a void POSTed: refused, nothing done"
[ -n "${KEEP:-}" ] && echo "# kept $T"
echo "1..$n"
