#!/bin/sh
# End-to-end through the programs a release manager and a unit use:
# kiosk-bundle keygen/make/verify/install and kiosk-launch, with shell
# scripts standing in for the kiosk. Given the build tree as $1; prints TAP.
set -u
build=${1:-build}
bundle="$build/kiosk-bundle"
launch="$build/kiosk-launch"
t=$(mktemp -d /tmp/update-cli.XXXXXX)
trap 'rm -rf "$t"' EXIT
n=0
check() {    # check NAME CMD...: one TAP line
    name=$1
    shift
    n=$((n + 1))
    if "$@" >>"$t/out.log" 2>&1; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name"
        tail -5 "$t/out.log" | sed 's/^/# /'
    fi
}
# version NAME VERSION BEHAVIOUR: a source tree whose bin/kiosk logs its
# start and then reports healthy (good), exits 3 (crash) or hangs (hang).
version() {
    mkdir -p "$t/$1/bin"
    case $3 in
    good)  tail='[ -n "${KIOSK_HEALTH_FD:-}" ] && echo ok >&3; exit 0' ;;
    crash) tail='exit 3' ;;
    hang)  tail='exec sleep 30' ;;
    esac
    printf '#!/bin/sh\necho %s >> "%s/starts"\n%s\n' "$2" "$t" "$tail" \
        >"$t/$1/bin/kiosk"
    chmod 755 "$t/$1/bin/kiosk"
}
refused() {  # refused BUNDLE TEXT: install fails, says TEXT, changes nothing
    before=$(cd "$t/root" && find . -exec ls -ld {} + | sort | md5sum)
    ! "$bundle" install --key "$t/rel.pub" --root "$t/root" "$1" \
        2>"$t/err" || return 1
    grep -q "$2" "$t/err" || return 1
    after=$(cd "$t/root" && find . -exec ls -ld {} + | sort | md5sum)
    [ "$before" = "$after" ]
}
current() { "$bundle" status --root "$t/root" | grep -q "version $1 "; }
starts() { [ "$(grep -c "^$1\$" "$t/starts")" -eq "$2" ]; }

if [ ! -x "$bundle" ] || [ ! -x "$launch" ]; then
    echo "not ok 1 - $bundle and $launch are built"
    exit 1
fi
version v1 1.0.0 good
version v2 1.1.0 good
version v3 1.2.0 crash
version v4 1.2.0 hang
version v5 1.3.0 good
check "keygen makes a key pair" "$bundle" keygen "$t/rel.pem" "$t/rel.pub"
check "keygen never overwrites a key" \
    sh -c "! '$bundle' keygen '$t/rel.pem' '$t/x.pub'"
"$bundle" keygen "$t/other.pem" "$t/other.pub" >/dev/null
for v in v1:1.0.0 v2:1.1.0 v3:1.2.0 v4:1.2.0 v5:1.3.0; do
    "$bundle" make --key "$t/rel.pem" --version "${v#*:}" "$t/${v%%:*}" \
        "$t/${v%%:*}.kb" >>"$t/out.log"
done
"$bundle" make --key "$t/other.pem" --version 1.3.0 "$t/v2" "$t/alien.kb" \
    >>"$t/out.log"
check "verify accepts a signed bundle" \
    "$bundle" verify --key "$t/rel.pub" "$t/v2.kb"
check "verify refuses another key's bundle" \
    sh -c "! '$bundle' verify --key '$t/rel.pub' '$t/alien.kb'"
check "first install" "$bundle" install --key "$t/rel.pub" --root "$t/root" \
    "$t/v1.kb"
check "trial start reports healthy and is kept" "$launch" --root "$t/root"
check "upgrade installs and runs" sh -c "'$bundle' install --key \
'$t/rel.pub' --root '$t/root' '$t/v2.kb' && '$launch' --root '$t/root'"
check "current is 1.1.0" current 1.1.0
check "older bundle refused, nothing changes" refused "$t/v1.kb" "not newer"
check "foreign bundle refused, nothing changes" refused "$t/alien.kb" \
    "release key"
head -c 300 "$t/v2.kb" >"$t/cut.kb"
check "truncated bundle refused, nothing changes" refused "$t/cut.kb" \
    "truncated"
check "crashing 1.2.0 installs" "$bundle" install --key "$t/rel.pub" \
    --root "$t/root" "$t/v3.kb"
check "status shows the trial" sh -c "'$bundle' status --root '$t/root' | \
    grep -q 'on trial: 0 of 3'"
check "launcher rolls the crashing version back" "$launch" --root "$t/root"
check "crashing version started 3 times" starts 1.2.0 3
check "back on 1.1.0" current 1.1.0
check "hanging 1.2.0 installs" "$bundle" install --key "$t/rel.pub" \
    --root "$t/root" "$t/v4.kb"
check "launcher rolls the hanging version back" \
    "$launch" --root "$t/root" --trial-ms 300
check "still on 1.1.0" current 1.1.0
check "rollbacks recorded for the hub" \
    test "$(wc -l <"$t/root/rollbacks.log")" -eq 2
check "status counts unreported rollbacks" sh -c "'$bundle' status \
    --root '$t/root' | grep -q '^2 rollback'"
mkdir "$t/usb"
cp "$t/v1.kb" "$t/usb/kiosk-1.0.0.kbundle"
cp "$t/v5.kb" "$t/usb/kiosk-1.3.0.kbundle"
cp "$t/alien.kb" "$t/usb/kiosk-9.9.9.kbundle"
check "install from a USB directory takes its newest signed bundle" sh -c \
    "'$bundle' install --key '$t/rel.pub' --root '$t/root' '$t/usb' && \
     '$launch' --root '$t/root'"
check "now on 1.3.0" current 1.3.0
echo "1..$n"
