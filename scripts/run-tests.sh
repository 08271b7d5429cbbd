#!/bin/sh
# Run every test in each build tree given (e.g. build build/san) and end
# with one line "N passed, N failed". Tests speak TAP: cmocka binaries
# (build/tests/test_*) through CMOCKA_MESSAGE_OUTPUT=TAP, and the scripted
# tests (tests/*_test.sh, given the build tree as $1) by printing
# "ok N - name" / "not ok N - name" themselves. A binary that exits non-zero
# without reporting a failure (a crash, a sanitizer report) counts as one
# failure.
#
# Time: `make test` must stay within 10 minutes on 2 cores, so it runs
# the tests in one tree (the sanitized one: Makefile), and
# - test files run TEST_JOBS at a time (default: the cores plus one):
#   about half of their time they wait on processes, TLS and fsync, not
#   on the CPU. Every test makes its own temporary directory and asks for
#   port 0, so they do not meet;
# - a script with the line "# run-tests: once" runs in the first tree
#   only (the PostgreSQL cluster, the build's own layer checks: their time
#   is the server's or the compiler's; the same C code runs under the
#   sanitizers in the other tests), and one with "# run-tests: once,
#   sanitizers" in the last only (the real browser: most of its time is
#   Chromium's, and the console's code runs there under the sanitizers);
# - the longest files start first (a rough order: the scripts, then the
#   screenshot tests), so the last one to start is a short one.
# Each file's line carries its time in seconds. TEST_ONLY=PATTERN runs
# only the files whose label matches (e.g. TEST_ONLY=console).
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

# One test file: `run-tests.sh --one LABEL CMD...` runs it, prints its
# line and leaves "ok skipped bad" in LOG.result.
if [ "${1:-}" = "--one" ]; then
    label=$2
    shift 2
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
    echo "$ok $sk $bad" >"$log.result"
    if [ "$bad" -gt 0 ]; then
        printf '%-44s %3d passed, %d FAILED %4ds (%s)\n' "$label" "$ok" \
            "$bad" "$secs" "$log"
    else
        printf '%-44s %3d passed %4ds\n' "$label" "$ok" "$secs"
    fi
    exit 0
fi

jobs=${TEST_JOBS:-$(( $(nproc 2>/dev/null || echo 2) + 1 ))}
list="$logdir/list"
: >"$list"
first=${1:-build}
# The list, longest first: the run-once scripts, the other scripts, then the screenshot tests, then the
# other binaries; one line "LABEL<TAB>CMD..." each.
for tree in "$@"; do last=$tree; done
for s in $(grep -l '^# run-tests: once$' tests/*_test.sh); do
    printf '%s\tsh %s %s\n' "$first/$(basename "$s")" "$s" "$first"
done >>"$list"
for s in $(grep -l '^# run-tests: once, sanitizers' tests/*_test.sh); do
    printf '%s\tsh %s %s\n' "$last/$(basename "$s")" "$s" "$last"
done >>"$list"
for tree in "$@"; do
    for s in tests/*_test.sh; do
        [ -f "$s" ] || continue
        grep -q '^# run-tests: once' "$s" && continue
        printf '%s\tsh %s %s\n' "$tree/$(basename "$s")" "$s" "$tree"
    done
done >>"$list"
for pat in 'test_ui_*' 'test_*'; do
    for tree in "$@"; do
        for t in "$tree"/tests/$pat; do
            [ -x "$t" ] || continue
            grep -q "^$tree/$(basename "$t")	" "$list" && continue
            printf '%s\t%s\n' "$tree/$(basename "$t")" "$t"
        done
    done >>"$list"
done
# TEST_ONLY=PATTERN (grep): only the files whose label matches.
if [ -n "${TEST_ONLY:-}" ]; then
    grep -e "$TEST_ONLY" "$list" >"$list.only"
    mv "$list.only" "$list"
fi
rm -f "$logdir"/*.result
# xargs runs them; each line's label and command are split by the shell
# of `sh -c` (paths here hold no blanks).
tr '\t' ' ' <"$list" |
    xargs -r -P "$jobs" -L 1 sh "$top/scripts/run-tests.sh" --one

passed=0
failed=0
skipped=0
failures=""
while IFS='	' read -r label cmd; do
    log="$logdir/$(echo "$label" | tr '/ ' '__').log"
    if [ ! -f "$log.result" ]; then
        failed=$((failed + 1))
        failures="$failures $log"
        echo "not ok - $label did not run" >>"$log"
        continue
    fi
    read -r ok sk bad <"$log.result"
    passed=$((passed + ok))
    skipped=$((skipped + sk))
    failed=$((failed + bad))
    [ "$bad" -gt 0 ] && failures="$failures $log"
done <"$list"

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
