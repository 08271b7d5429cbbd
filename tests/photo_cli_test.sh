#!/bin/sh
# hubctl photo as an operator uses it: a PNG and a JPEG taken in as small
# square PNGs for a member and a contact, listed, set again unchanged
# without a new change, removed; what is not an image, too big, damaged
# or nobody's is refused with a message and changes nothing.
# tests/data/portrait_a.png (300x400) and portrait_b.jpg (400x300) are
# drawn silhouettes (a circle and an ellipse), no one's likeness;
# face_a.png and face_b.png are what `hubctl photo set` made of them.
# Usage: $0 BUILD_DIR
set -u
[ -n "${DEBUG:-}" ] && set -x
B=${1:-build}
T=$(mktemp -d /tmp/photo_cli.XXXXXX)
HUB=""
. tests/support/tap.sh
H="$B/hubctl -d $T/hub"
S=sq-hongqi-01

$H init >/dev/null && $H add-station $S "红旗社区党群服务站" >/dev/null &&
    $H import assets/demo/roster.csv >/dev/null &&
    $H publish contacts assets/demo/contacts.json --station $S >/dev/null
check $? 0 "hub with the demo roster and contacts"
head_of() { $H feed stats | sed -n "s/^head: //p"; }

out=$($H photo set $S HQ0001 tests/data/portrait_a.png)
check "$?:$(echo "$out" | sed 's/: [0-9]* bytes$//')" \
    "0:photo of HQ0001 at $S" "a PNG set for a member"
bytes=$(echo "$out" | sed 's/.*: \([0-9]*\) bytes$/\1/')
[ "$bytes" -gt 100 ] && [ "$bytes" -le 24576 ] &&
    ok "made small ($bytes bytes)" || bad "made small ($bytes bytes)"
$H photo set $S HQ0002 tests/data/portrait_b.jpg >/dev/null
check $? 0 "a JPEG set for a member"
$H photo set $S C001 tests/data/portrait_b.jpg >/dev/null
check $? 0 "a JPEG set for a contact (网格长)"
check "$($H photo list $S | tr '\n' ' ')" \
    "contact/C001 member/HQ0001 member/HQ0002 " "photo list"

h=$(head_of)
$H photo set $S HQ0001 tests/data/portrait_a.png >/dev/null
check "$?:$(head_of)" "0:$h" "the same photo again: no change sent"

# Refusals: a clear line on stderr, exit 1, nothing listed or sent.
refused() {    # NAME SUBJECT FILE WANT-IN-MESSAGE
    $H photo set $S "$2" "$3" >/dev/null 2>"$T/err.txt"
    rc=$?
    if [ $rc = 1 ] && grep -q "$4" "$T/err.txt"; then ok "$1 refused"
    else bad "$1 refused (rc $rc: $(cat "$T/err.txt"))"; fi
}
refused "a text file" HQ0003 README.md "not a PNG or JPEG"
head -c 2200000 /dev/zero | tr '\0' 'x' >"$T/big.png"
refused "a file over 2 MB" HQ0003 "$T/big.png" "over 2097152 bytes"
head -c 2000 tests/data/portrait_b.jpg >"$T/cut.jpg"
refused "a cut JPEG" HQ0003 "$T/cut.jpg" "does not decode"
{ head -c 40 tests/data/portrait_a.png; head -c 400 /dev/urandom; } \
    >"$T/bad.png"
refused "a damaged PNG" HQ0003 "$T/bad.png" "does not decode"
refused "someone unknown" NOBODY tests/data/portrait_a.png "no such member"
$H photo set no-such-station HQ0003 tests/data/portrait_a.png 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" "1:unknown station no-such-station" \
    "an unknown station refused"
check "$(head_of)" "$h" "nothing sent for what was refused"

$H photo rm $S HQ0002 >/dev/null
check "$?:$($H photo list $S | tr '\n' ' ')" \
    "0:contact/C001 member/HQ0001 " "photo rm"
check "$(head_of)" "$((h + 1))" "the removal sent as one change"
$H photo rm $S HQ0002 2>"$T/err.txt"
check "$?:$(cat "$T/err.txt")" "1:HQ0002 has no photo at $S" \
    "removing a photo that is not there"
# A contact no longer published keeps its photo until it is removed.
echo '[]' >"$T/none.json"
$H publish contacts "$T/none.json" --station $S >/dev/null
$H photo rm $S C001 >/dev/null
check "$?:$($H photo list $S | tr '\n' ' ')" "0:member/HQ0001 " \
    "the photo of a contact no longer published removed"

echo "1..$n"
