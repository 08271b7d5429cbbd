#!/bin/sh
# Every libFuzzer target (tests/fuzz/fuzz_*.c, built by tests/fuzz/fuzz.mk)
# for a short, bounded time on its seed corpus: one TAP line per target.
# `make fuzz` runs them long. $1 is the build tree; each target runs
# FUZZ_TEST_SECONDS (default 3) so a tree stays well under 40 s. A crash
# fails the line and leaves the input in $1/fuzz-artifacts/TARGET/.
set -u
tree=${1:-build}
secs=${FUZZ_TEST_SECONDS:-3}
targets=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
echo "1..$(echo "$targets" | wc -l)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
for t in $targets; do
    n=$((n + 1))
    bin="$tree/fuzz/fuzz_$t"
    seeds="tests/fuzz/corpus_$t"
    arts="$tree/fuzz-artifacts/$t"
    if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
        echo "not ok $n - fuzz $t: $bin or $seeds missing"
        continue
    fi
    rm -rf "$arts"
    mkdir -p "$arts" "$work/$t"
    set -- -print_final_stats=1 -artifact_prefix="$arts/"
    [ -f "tests/fuzz/$t.dict" ] && set -- "$@" -dict="tests/fuzz/$t.dict"
    [ -f "tests/fuzz/$t.options" ] &&
        set -- "$@" $(cat "tests/fuzz/$t.options")
    # The seeds must pass alone first: a regression there is not luck.
    if "$bin" "$@" -runs=0 "$seeds" >"$work/$t.seeds" 2>&1 &&
       "$bin" "$@" -max_total_time="$secs" "$work/$t" "$seeds" \
           >"$work/$t.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
               "$work/$t.log")
        echo "ok $n - fuzz $t ${secs}s, ${runs:-?} inputs, no crash"
    else
        echo "not ok $n - fuzz $t found a crash or failed"
        tail -30 "$work/$t.seeds" "$work/$t.log" 2>/dev/null | sed 's/^/# /'
        for a in "$arts"/*; do
            [ -f "$a" ] && echo "# input: $a"
        done
    fi
done
