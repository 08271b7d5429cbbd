#!/bin/sh
# tests/fuzz/run.sh TREE SECONDS RUNS TARGET...: `make fuzz`. Runs each
# target in turn (never in parallel: the machine is shared) on its seeds
# plus build/fuzz-corpus/TARGET/, which keeps what it finds between runs:
# for RUNS inputs when RUNS is given, else for SECONDS. Crashes go to
# build/fuzz-artifacts/TARGET/. Ends with one summary line per target and
# a non-zero status if any target failed.
set -u
tree=$1 secs=$2 runs=$3
shift 3
summary=""
status=0
for t in "$@"; do
    bin="$tree/fuzz/fuzz_$t"
    corpus="build/fuzz-corpus/$t"
    arts="build/fuzz-artifacts/$t"
    log="build/fuzz-logs/$t.log"
    mkdir -p "$corpus" "$arts" build/fuzz-logs
    set -- -print_final_stats=1 -artifact_prefix="$arts/"
    if [ -n "$runs" ]; then
        set -- "$@" -runs="$runs"
    else
        set -- "$@" -max_total_time="$secs"
    fi
    [ -f "tests/fuzz/$t.dict" ] && set -- "$@" -dict="tests/fuzz/$t.dict"
    [ -f "tests/fuzz/$t.options" ] &&
        set -- "$@" $(cat "tests/fuzz/$t.options")
    echo "== fuzz $t ($*)"
    start=$(date +%s)
    "$bin" "$@" "$corpus" "tests/fuzz/corpus_$t" >"$log" 2>&1
    rc=$?
    took=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1)
    line="$t: ${execs:-?} inputs in ${took}s"
    [ "$took" -gt 0 ] && [ -n "$execs" ] &&
        line="$line ($((execs / took))/s)"
    line="$line, ${cov:-cov: ?}, ${ft:-ft: ?}"
    if [ "$rc" -ne 0 ]; then
        status=1
        line="$line, FAILED (status $rc, see $log)"
        grep -h '^artifact_prefix\|Test unit written to' "$log"
    fi
    echo "$line"
    summary="$summary$line
"
done
echo "== summary"
printf '%s' "$summary"
exit $status
