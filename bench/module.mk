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
