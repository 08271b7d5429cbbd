#!/bin/sh
# run-arm64-tests.sh BUILD: run the arm64 cmocka binaries in BUILD/tests
# under qemu-aarch64 user emulation, with the arm64 multiarch libraries
# of this machine (-L /), and end with "N passed, N failed" like
# scripts/run-tests.sh. The scripted tests (tests/*_test.sh) start the
# build's programs directly, so they run here only when binfmt_misc
# hands arm64 programs to qemu.
set -u
build=${1:-build/arm64}
qemu=$(command -v qemu-aarch64 || command -v qemu-aarch64-static || true)
if [ -z "$qemu" ]; then
    echo "test-arm64: no qemu-aarch64; run 'sh scripts/deps-arm64.sh'"
    exit 2
fi
export CMOCKA_MESSAGE_OUTPUT=TAP
export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-offscreen}"
export SDL_AUDIODRIVER=dummy
export QEMU_LD_PREFIX=/
logdir="$build/test-logs"
mkdir -p "$logdir"
passed=0
failed=0

count() {    # count LABEL LOG RC
    ok=$(grep -c '^ok ' "$2")
    bad=$(grep -c '^not ok ' "$2")
    [ "$3" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1
    passed=$((passed + ok))
    failed=$((failed + bad))
    printf '%-44s %3d passed%s\n' "$1" "$ok" \
        "$([ "$bad" -gt 0 ] && echo ", $bad FAILED ($2)")"
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    log="$logdir/$(basename "$t").log"
    "$qemu" -L / "$t" >"$log" 2>&1
    count "arm64/$(basename "$t")" "$log" $?
done
if "$build/kiosk-bundle" >/dev/null 2>&1 || [ $? -eq 2 ]; then
    for s in tests/*_test.sh; do
        [ -f "$s" ] || continue
        log="$logdir/$(basename "$s").log"
        sh "$s" "$build" >"$log" 2>&1
        count "arm64/$(basename "$s")" "$log" $?
    done
else
    echo "(no binfmt_misc for arm64: scripted tests skipped)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
