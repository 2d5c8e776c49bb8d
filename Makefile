# vconform: the README's two commands.
#   make run    install what is missing, build, run the golden suite against the model
#               (human report on the terminal; JSON, JUnit, TAP and pcap in out/)
#   make test   install what is missing, build and run every test suite
# Also: make build, make bench (codec, suite, fuzzing and tshark-with-the-dissector benchmarks),
# make format, make clean, and fuzzing (docs/fuzzing.md):
#   make fuzz FUZZ=TARGET [FUZZ_ARGS='--engine afl --minutes 30 --jobs 2']   one campaign
#   make fuzz-smoke   the two fuzz suites of make test (every target, both engines)

BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)

FUZZ      ?=
FUZZ_ARGS ?=

.PHONY: all deps run test build bench format clean fuzz fuzz-smoke

all: build

deps:
	@bash ci/install-deps.sh

build: deps
	cmake -S . -B $(BUILD)/gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD)/gcc -j $(JOBS)

run: build
	bash ci/main-job.sh $(BUILD)/gcc out

test: deps
	BUILD=$(abspath $(BUILD)) bash ci/test-all.sh

bench: build
	$(BUILD)/gcc/model/bench/vcf-bench
	bash ci/bench-suite.sh $(BUILD)/gcc
	VCF_BUILD_ROOT=$(abspath $(BUILD)) bash fuzz/bench.sh
	bash dissector/bench/bench.sh $(BUILD)/gcc

fuzz: deps
	VCF_BUILD_ROOT=$(abspath $(BUILD)) bash fuzz/campaign.sh $(FUZZ) $(FUZZ_ARGS)

fuzz-smoke: deps
	BUILD=$(abspath $(BUILD)) bash ci/test-all.sh fuzz-libfuzzer fuzz-afl

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)
