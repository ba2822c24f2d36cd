#!/usr/bin/env bash
# JMH micro benchmarks of the hot path, the analysis and the power analysis (src/bench/java).
# Builds them with the bench profile when needed, then runs JMH.
#   scripts/jmh.sh             the whole set: hot path on 1 and 2 threads with the gc profiler, the
#                              analysis at 10k, 100k and 1M samples, the power analysis
#   scripts/jmh.sh --quick     the same with fewer and shorter iterations (about 3 minutes)
#   scripts/jmh.sh ARGS...     anything else goes to JMH itself, e.g. scripts/jmh.sh HotPath -t 2 -prof gc
# Results: target/bench/jmh-*.json (and the console).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"   # the benchmarks read the bundled models from ./models

build_bench_if_needed
CLASSPATH="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$BENCH_DIR/classpath.txt")"
jmh() {
	java -cp "$CLASSPATH" org.openjdk.jmh.Main "$@"
}

if [[ $# -gt 0 && "$1" != "--quick" ]]; then
	jmh "$@"
	exit
fi

iterations=()
if [[ "${1:-}" == "--quick" ]]; then
	iterations=(-wi 2 -w 500ms -i 3 -r 500ms)
fi
for threads in 1 2; do
	jmh HotPathBenchmark -t "$threads" -prof gc "${iterations[@]}" -rf json -rff "$BENCH_DIR/jmh-hotpath-${threads}t.json"
done
jmh 'AnalysisBenchmark|PowerAnalysisBenchmark' "${iterations[@]}" -rf json -rff "$BENCH_DIR/jmh-analysis.json"
