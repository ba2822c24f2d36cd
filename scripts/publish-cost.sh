#!/usr/bin/env bash
# What one publish of a replica's samples costs in a fleet (docs/fleet.md#what-a-publish-costs):
# runs the JMH benchmark PublishBenchmark against the tests' throwaway PostgreSQL (Debian's
# binaries, `apt-get install -y postgresql`; as root it runs the cluster as `postgres`) and writes
# the figures to docs/benchmarks/<date>-publish.md (or the directory given as the first argument).
#   scripts/publish-cost.sh [DIR]
#   REPORT_ONLY=1 scripts/publish-cost.sh [DIR]   rewrite the report from the last run's results
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
OUT_DIR="${1:-$ROOT/docs/benchmarks}"
DAY=$(date -u +%F)
REPORT="$OUT_DIR/$DAY-publish.md"

if [[ -z "${REPORT_ONLY:-}" ]]; then
	rm -f "$BENCH_DIR/publish-bytes.tsv" "$BENCH_DIR/jmh-publish.json"
	build_bench_if_needed
	"$ROOT/scripts/jmh.sh" PublishBenchmark -rf json -rff "$BENCH_DIR/jmh-publish.json"
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
cores=$(nproc)
java_version=$(java -version 2>&1 | head -1)
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
{
	echo "# What a publish costs, $DAY"
	echo
	echo "Written by \`scripts/publish-cost.sh\` on $DAY: JMH (\`PublishBenchmark\`, 1 fork, 3 warm-up and"
	echo "5 measured iterations of 2 s) against a PostgreSQL $pg_version cluster on loopback (the tests'"
	echo "\`TestPostgres\`, default settings, one connection), on $cores cores ($cpu), $java_version."
	echo "Other work may have shared the machine: read the figures as an order of magnitude."
	echo
	echo "| benchmark | samples per window | ms per operation | error (99.9%) |"
	echo "|---|---:|---:|---:|"
	jq -r '.[] | "| `\(.benchmark | split(".") | last)` | \(.params.samples) | \(.primaryMetric.score * 1000 | round / 1000) | ± \(.primaryMetric.scoreError * 1000 | round / 1000) |"' \
		"$BENCH_DIR/jmh-publish.json"
	echo
	echo "- \`publish\`: one full publish, both rows of the replica replaced by one upsert."
	echo "- \`renew\`: a publish when nothing changed since the last one (only \`published_at\`)."
	echo "- \`readOneReplica\`: what a pooled check adds per other live replica (the select, both rows,"
	echo "  decoded to milliseconds)."
	echo
	echo "Stored size after the trial (\`pg_column_size\`, bytes; TOAST may compress):"
	echo
	echo "| role | samples | latency_nanos | whole row |"
	echo "|---|---:|---:|---:|"
	# one line per trial: the same rows three times (one trial per benchmark)
	sort -u -t$'\t' -k2,2n -k1,1 "$BENCH_DIR/publish-bytes.tsv" |
		awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
} >"$REPORT"
echo "Wrote $REPORT"
