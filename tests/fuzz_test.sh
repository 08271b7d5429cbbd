#!/bin/sh
# Every libFuzzer target (tests/fuzz/fuzz_*.c, built by tests/fuzz/fuzz.mk)
# for a short, bounded time on its seed corpus: one TAP line per target.
# `make fuzz` runs them long. $1 is the build tree; each target runs
# FUZZ_TEST_SECONDS (default 2) so a tree stays under 40 s. A crash
# fails the line and leaves the input in $1/fuzz-artifacts/TARGET/; one
# before libFuzzer reports INITED is a seed's, which is no bad luck.
set -u
tree=${1:-build}
secs=${FUZZ_TEST_SECONDS:-2}
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
    # A fixed seed (FUZZ_SEED to change it): the same inputs every run, so
    # a failure here is a regression anyone can replay, not the luck of a
    # CI run; `make fuzz` explores with random seeds.
    if "$bin" "$@" -seed="${FUZZ_SEED:-1}" -max_total_time="$secs" \
           "$work/$t" "$seeds" \
           >"$work/$t.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
               "$work/$t.log")
        echo "ok $n - fuzz $t ${secs}s, ${runs:-?} inputs, no crash"
    else
        what="found a crash or failed"
        grep -q INITED "$work/$t.log" || what="failed on a seed"
        echo "not ok $n - fuzz $t $what"
        tail -30 "$work/$t.log" | sed 's/^/# /'
        for a in "$arts"/*; do
            [ -f "$a" ] && echo "# input: $a"
        done
    fi
done
