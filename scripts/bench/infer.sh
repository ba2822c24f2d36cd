#!/usr/bin/env bash
# Rows per second of the Open Inference Protocol (docs/inference-protocol.md#the-benchmark): POST
# /v2/models/churn/infer at BENCH_CONNECTIONS connections with batches of each of BENCH_BATCHES rows
# (scripts/bench/infer.lua), with a canary at 10%, after a warm-up. Builds the jar if it is stale,
# starts the service on a free loopback port with its own state directory, and writes the figures to
# docs/benchmarks/YYYY-MM-DD-infer.md (or to the directory given as the first argument).
#   scripts/bench/infer.sh [DIR]
# Environment: BENCH_WARMUP_START=30 (s of load over every batch size before the first run: the JIT
#   on two busy cores needs that long), BENCH_WARMUP=10 (s before each run), BENCH_DURATION=10 (s),
#   BENCH_CONNECTIONS=32, BENCH_BATCHES="1 10 100", BENCH_WRK_THREADS=2
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/bench/apps.sh
source "$ROOT/scripts/bench/apps.sh"
cd "$ROOT"   # the service reads its models from ./models

OUT_DIR="${1:-$ROOT/docs/benchmarks}"
WARMUP_START="${BENCH_WARMUP_START:-30}" WARMUP="${BENCH_WARMUP:-10}" DURATION="${BENCH_DURATION:-10}" CONNECTIONS="${BENCH_CONNECTIONS:-32}"
BATCHES="${BENCH_BATCHES:-1 10 100}" WRK_THREADS="${BENCH_WRK_THREADS:-2}"
JAVA_OPTS=()
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-infer.XXXXXX")"
trap 'stop_all_apps; rm -rf "$WORK"' EXIT

if jar_is_stale; then
	log "Building the jar ..."
	./mvnw -B -q -DskipTests package
fi
install_wrk
STARTED_AT="$(date -u +%FT%TZ)" LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
COMMIT="$(git rev-parse --short HEAD)"
start_app service "$JAR" --canary.state-dir="$WORK/state"
curl -fsS -X POST "$BASE/admin/deploy-canary" -H 'Content-Type: application/json' \
	-d '{"version":"v2","weight":0.1}' > /dev/null

infer_run() {   # infer_run ROWS SECONDS: one wrk run; prints its BENCH_RESULT json
	BENCH_ROWS=$1 wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2s" --timeout 10s -s "$ROOT/scripts/bench/infer.lua" "$BASE" \
		| sed -n 's/^BENCH_RESULT //p'
}

per_size=$(( WARMUP_START / $(wc -w <<< "$BATCHES") + 1 ))
log "Warming up: ${per_size} s at each batch size ..."
ONE_ROW_REQUESTS=0   # every 1-row request sent, warm-ups included: each adds one latency sample
count_one_row() {   # count_one_row ROWS JSON
	[[ $1 == 1 ]] && ONE_ROW_REQUESTS=$(( ONE_ROW_REQUESTS + $(jq .requests <<< "$2") ))
	return 0
}
for rows in $BATCHES; do
	count_one_row "$rows" "$(infer_run "$rows" "$per_size")"
done
ROWS_TABLE=""
for rows in $BATCHES; do
	count_one_row "$rows" "$(infer_run "$rows" "$WARMUP")"
	result=$(infer_run "$rows" "$DURATION")
	count_one_row "$rows" "$result"
	errors=$(jq '[.errors[]] | add' <<< "$result")
	log "batch of $rows: $(jq -r '"\(.rows_per_s) rows/s, \(.rps) req/s, p50 \(.p50_ms) ms, p99 \(.p99_ms) ms"' <<< "$result"), errors $errors"
	ROWS_TABLE+=$(jq -r --arg rows "$rows" --arg errors "$errors" \
		'"| \($rows) | \(.rows_per_s | round) | \(.rps | round) | \(.p50_ms * 1000 | round / 1000) | \(.p99_ms * 1000 | round / 1000) | \(.requests) | \($errors) |"' \
		<<< "$result")$'\n'
done
# What the health check saw: batches of more than one row add no latency sample.
RECORDED=$(curl -fsS "$BASE/admin/status" | jq '.stable_request_count + .canary_request_count')
stop_app service
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

DAY="${STARTED_AT%%T*}"
REPORT="$OUT_DIR/$DAY-infer.md"
mkdir -p "$OUT_DIR"
{
	echo "# Open Inference Protocol: rows per second, $DAY"
	echo
	echo "Written by \`scripts/bench/infer.sh\` at $STARTED_AT on commit \`$COMMIT\`: \`POST /v2/models/churn/infer\`"
	echo "with wrk ($WRK_THREADS threads, $CONNECTIONS connections, loopback), a canary at 10%; ${WARMUP_START} s of warm-up over"
	echo "all batch sizes, then per batch size ${WARMUP} s warm-up and"
	echo "${DURATION} s measured per batch size; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')),"
	echo "$(java -version 2>&1 | head -1). Load average (1, 5, 15 min): $LOAD_START at the start, $LOAD_END at the end;"
	echo "other builds may have shared the machine, so read the figures as an order of magnitude."
	echo
	echo "| rows per request | rows/s | requests/s | p50 ms | p99 ms | requests | errors |"
	echo "|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s' "$ROWS_TABLE"
	echo
	echo "Latency samples recorded in all (\`stable_request_count + canary_request_count\` of \`/admin/status\`): $RECORDED;"
	echo "1-row requests answered, warm-ups included: $ONE_ROW_REQUESTS. Batches of more than one row add none, so the two"
	echo "agree (up to requests wrk counted as cut off at the end of a run)."
} > "$REPORT"
log "Wrote $REPORT"
