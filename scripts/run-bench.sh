#!/bin/sh
# Run every benchmark program built in the tree given ($1, default build)
# and print their figures. Benchmarks are never part of `make test`.
set -u
tree=${1:-build}
cd "$(dirname "$0")/.." || exit 2
for b in "$tree"/bench/bench_*; do
    [ -x "$b" ] || continue
    # The hub's load driver runs for minutes: `make bench-hub`.
    [ "$(basename "$b")" = bench_hub ] && continue
    echo "== $(basename "$b")"
    "$b" || echo "($(basename "$b") exited with status $?)"
done
