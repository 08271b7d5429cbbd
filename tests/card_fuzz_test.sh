#!/bin/sh
# The card payload fuzzer (tests/fuzz/fuzz_card.c) for a short, bounded
# time on the seed corpus; `make fuzz` runs it long. $1 is the build tree:
# each tree runs FUZZ_TEST_SECONDS (default 12) so the pair stays near 25 s.
set -u
tree=${1:-build}
bin="$tree/fuzz/fuzz_card"
secs=${FUZZ_TEST_SECONDS:-12}
echo "1..2"
if [ ! -x "$bin" ]; then
    echo "not ok 1 - fuzz target built ($bin missing)"
    echo "not ok 2 - fuzz card parser"
    exit 0
fi
echo "ok 1 - fuzz target built"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The seeds must pass alone first: a regression there is not luck.
if "$bin" -runs=0 tests/fuzz/corpus_card >"$work/seeds.log" 2>&1 &&
   "$bin" -max_total_time="$secs" -max_len=256 -dict=tests/fuzz/card.dict \
       -print_final_stats=1 -artifact_prefix="$work/" \
       "$work" tests/fuzz/corpus_card >"$work/fuzz.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/fuzz.log")
    echo "ok 2 - fuzz card parser ${secs}s, ${runs:-?} inputs, no crash"
else
    echo "not ok 2 - fuzz card parser found a crash or failed"
    tail -30 "$work/fuzz.log" "$work/seeds.log" 2>/dev/null | sed 's/^/# /'
    for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
        [ -f "$a" ] && echo "# input: $(od -An -c "$a" | head -5)"
    done
fi
