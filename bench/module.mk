# Benchmark programs: built by `make bench`, never by `make test`.
BENCH_SRCS := $(wildcard bench/bench_*.c)
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

$(BUILD)/bench/%: $(OBJ)/bench/%.o $(ARCHIVES)
	@mkdir -p $(@D)
	$(LINK_ALL)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@sh scripts/run-bench.sh build
