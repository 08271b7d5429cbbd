# Benchmark programs: built by `make bench`, never by `make test`.
BENCH_SRCS := $(wildcard bench/bench_*.c)
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

$(BUILD)/bench/%: $(OBJ)/bench/%.o $(ARCHIVES)
	@mkdir -p $(@D)
	$(LINK_ALL)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@sh scripts/run-bench.sh build

# The change feed on a year-old hub alone (bench/bench_feed.c).
.PHONY: bench-feed
bench-feed: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench/bench_feed
	@$(BUILD)/bench/bench_feed

# `make bench-hub`: the hub under load from a separate driver process
# (bench/bench_hub.c): a simulated year of history, 500 to 20,000 kiosks,
# a restart storm and a flood. Takes several minutes; never part of
# `make bench` or `make test`. BENCH_HUB_* variables: see the source;
# BENCH_HUB_STORE=pg runs it on a throwaway PostgreSQL cluster (and
# again with two hubds on it).
.PHONY: bench-hub
bench-hub: deps
	@$(MAKE) --no-print-directory $(BUILD)/hubd $(BUILD)/bench/bench_hub
	$(BUILD)/bench/bench_hub

# The console's dashboard and review queue on a year-old hub
# (bench/bench_console.c): median and p95 beside an empty page's.
.PHONY: bench-console
bench-console: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench/bench_console
	@$(BUILD)/bench/bench_console
