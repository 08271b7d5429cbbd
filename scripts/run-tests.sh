#!/bin/sh
# Run every test in each build tree given (e.g. build build/san) and end
# with one line "N passed, N failed". Tests speak TAP: cmocka binaries
# (build/tests/test_*) through CMOCKA_MESSAGE_OUTPUT=TAP, and the scripted
# tests (tests/*_test.sh, given the build tree as $1) by printing
# "ok N - name" / "not ok N - name" themselves. A binary that exits non-zero
# without reporting a failure (a crash, a sanitizer report) counts as one
# failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-offscreen}"
export SDL_AUDIODRIVER=dummy
logdir="$top/build/test-logs"
mkdir -p "$logdir"

passed=0
failed=0
skipped=0
failures=""

# run_one LABEL CMD...: runs, counts TAP lines, prints a line per test file.
run_one() {
    label=$1
    shift
    log="$logdir/$(echo "$label" | tr '/ ' '__').log"
    t0=$(date +%s)
    "$@" >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - t0 ))
    ok=$(grep -c '^ok ' "$log")
    sk=$(grep -c '^ok .*# [Ss][Kk][Ii][Pp]' "$log")
    bad=$(grep -c '^not ok ' "$log")
    ok=$((ok - sk))
    if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
        bad=1
        echo "not ok - $label exited with status $rc" >>"$log"
    fi
    passed=$((passed + ok))
    failed=$((failed + bad))
    skipped=$((skipped + sk))
    if [ "$bad" -gt 0 ]; then
        failures="$failures $log"
        printf '%-44s %3d passed, %d FAILED %4ds (%s)\n' "$label" "$ok" "$bad" "$secs" "$log"
    else
        printf '%-44s %3d passed %4ds\n' "$label" "$ok" "$secs"
    fi
}

for tree in "$@"; do
    for t in "$tree"/tests/test_*; do
        [ -x "$t" ] || continue
        run_one "$tree/$(basename "$t")" "$t"
    done
    for s in tests/*_test.sh; do
        [ -f "$s" ] || continue
        run_one "$tree/$(basename "$s")" sh "$s" "$tree"
    done
done

for log in $failures; do
    echo "---- $log"
    grep -v '^ok ' "$log" | tail -40
done
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
