#!/usr/bin/env bash
# Load benchmark of POST /predict against a bare Spring Boot MVC endpoint (docs/performance.md).
#
# Builds the service, the benchmarks and the baseline app (./mvnw -Pbench package) when stale,
# installs Debian's wrk if it is missing, then starts the service on a free loopback port (timing
# startup to ready), checks its heap after 10,000 predictions and warms it up until the JIT has
# settled; starts the baseline app (src/bench/baseline) beside it the same way; and runs wrk with
# varied feature vectors (scripts/bench/predict.lua) at each connection count in three conditions:
# stable only, a canary at 10%, and a canary at 10% with the slowdown on, each service run followed by
# the same run against the baseline. Stable-routed and canary-routed latencies come from the
# service's own request timer (histogram deltas over each measured run). Then it checks the heap
# again after BENCH_MEMORY_REQUESTS predictions in all, and times startup with Spring's AOT
# processing and a class data sharing archive. It prints a markdown table with the ratios
# service/baseline and writes it, with a JSON file of every figure, to target/bench/; a full run
# (not --quick) also writes it to docs/benchmarks/YYYY-MM-DD.md, with the commit, the machine, the
# JDK and the load average, to be committed when the run is worth keeping.
#
#   scripts/bench.sh            the whole run (about 7 minutes)
#   scripts/bench.sh --quick    short runs at 1 and 32 connections, 100,000 predictions (about 3 minutes)
#
# Environment (defaults of the whole run; --quick changes the first four):
#   BENCH_WARMUP=5              seconds of load before each measured run (and at least this long at
#                               start, where the load goes on until the JIT settles)
#   BENCH_WARMUP_MAX=120        at most this long at start (--quick: 20)
#   BENCH_DURATION=10           seconds of each measured run
#   BENCH_CONNECTIONS="1 32 128"
#   BENCH_MEMORY_REQUESTS=1000000  predictions before the second heap check
#   BENCH_WRK_THREADS=2         wrk threads (at most one per connection)
#   BENCH_JAVA_OPTS=""          JVM options for both apps, e.g. "-XX:+UseParallelGC"
#   BENCH_SERVICE_ARGS=""       extra arguments for the service, e.g. "--server.tomcat.threads.max=16"
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/bench/apps.sh
source "$ROOT/scripts/bench/apps.sh"
cd "$ROOT"   # the service reads its models from ./models

QUICK=false
if [[ "${1:-}" == "--quick" ]]; then
	QUICK=true
elif [[ $# -gt 0 ]]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
if $QUICK; then
	WARMUP="${BENCH_WARMUP:-2}" DURATION="${BENCH_DURATION:-4}" WARMUP_MAX="${BENCH_WARMUP_MAX:-20}"
	CONNECTIONS="${BENCH_CONNECTIONS:-1 32}" MEMORY_REQUESTS="${BENCH_MEMORY_REQUESTS:-100000}"
else
	WARMUP="${BENCH_WARMUP:-5}" DURATION="${BENCH_DURATION:-10}" WARMUP_MAX="${BENCH_WARMUP_MAX:-120}"
	CONNECTIONS="${BENCH_CONNECTIONS:-1 32 128}" MEMORY_REQUESTS="${BENCH_MEMORY_REQUESTS:-1000000}"
fi
WRK_THREADS="${BENCH_WRK_THREADS:-2}"
MAX_CONNECTIONS=$(tr ' ' '\n' <<< "$CONNECTIONS" | sort -n | tail -n 1)
read -r -a JAVA_OPTS <<< "${BENCH_JAVA_OPTS:-}"
read -r -a SERVICE_ARGS <<< "${BENCH_SERVICE_ARGS:-}"
OUT="$BENCH_DIR"
RESULTS="$OUT/results.tsv"   # one line per measured run, turned into the table at the end
CLOCK_TICKS=$(getconf CLK_TCK)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-bench.XXXXXX")"

# shellcheck disable=SC2317  # invoked by the traps below
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop_all_apps
	if [[ $status -eq 0 ]]; then
		rm -rf "$WORK"
	else
		echo "bench: failed; logs kept in $WORK" >&2
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

admin() {
	curl -fsS -X POST "$BASE/admin/$1" -H 'Content-Type: application/json' ${2:+-d "$2"} > /dev/null
}

metrics() {
	curl -fsS "$BASE/actuator/prometheus"
}

# Predictions served so far (all versions and roles).
predictions() {
	metrics | awk '/^canary_predictions_total\{/ { n += $NF } END { printf "%d\n", n }'
}

# p50 (ms), mean (ms) and count of the service's request timer for one role, from the histogram
# buckets of status-200 requests between two scrapes, interpolated linearly inside the bucket.
role_latency() {
	local before=$1 after=$2 role=$3
	awk -v role="$role" '
		function key(line) { match(line, /[{,]le="[^"]*"/); return substr(line, RSTART + 5, RLENGTH - 6) }
		/^canary_request_duration_seconds_bucket\{/ && $0 ~ "role=\"" role "\"" && /status="200"/ {
			le = key($0); if (le == "+Inf") le = 1e30
			if (FILENAME == ARGV[1]) old[le] += $NF; else cum[le] += $NF
		}
		/^canary_request_duration_seconds_(count|sum)\{/ && $0 ~ "role=\"" role "\"" && /status="200"/ {
			name = ($1 ~ /_count/) ? "count" : "sum"
			if (FILENAME == ARGV[1]) oldTotal[name] += $NF; else total[name] += $NF
		}
		END {
			n = 0
			for (le in cum) { bounds[++n] = le + 0; delta[le + 0] = cum[le] - old[le] }
			# sort bounds ascending (insertion sort: a few hundred buckets)
			for (i = 2; i <= n; i++) { v = bounds[i]; for (j = i - 1; j > 0 && bounds[j] > v; j--) bounds[j + 1] = bounds[j]; bounds[j + 1] = v }
			count = total["count"] - oldTotal["count"]
			if (count <= 0) { print "null null 0"; exit }
			half = count / 2; lower = 0; below = 0
			for (i = 1; i <= n; i++) {
				c = delta[bounds[i]]
				if (c >= half) { upper = bounds[i]; if (upper >= 1e30) upper = lower; break }
				lower = bounds[i]; below = c
			}
			p50 = lower + (upper - lower) * (half - below) / (c - below)
			printf "%.4f %.4f %d\n", p50 * 1000, (total["sum"] - oldTotal["sum"]) / count * 1000, count
		}' "$before" "$after"
}

# measure APP CONDITION CONNECTIONS: warm up, run, and append one line to $RESULTS.
measure() {
	local app=$1 condition=$2 connections=$3 before="$WORK/before.prom" after="$WORK/after.prom" result
	wrk_run "$connections" "$WARMUP" > /dev/null
	[[ $app == service ]] && metrics > "$before"
	local ticks
	ticks=$(cpu_ticks)
	result=$(wrk_run "$connections" "$DURATION")
	ticks=$(( $(cpu_ticks) - ticks ))
	local stable="null null 0" canary="null null 0"
	if [[ $app == service ]]; then
		metrics > "$after"
		stable=$(role_latency "$before" "$after" stable)
		canary=$(role_latency "$before" "$after" canary)
	fi
	local errors
	errors=$(sed -n 's/.*"errors":{\(.*\)}}/\1/p' <<< "$result" | tr ',' '\n' | awk -F: '{ n += $2 } END { print n + 0 }')
	local requests cpu_us
	requests=$(json_field "$result" requests)
	cpu_us=$(awk -v t="$ticks" -v hz="$CLOCK_TICKS" -v n="$requests" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$app" "$condition" "$connections" \
		"$(json_field "$result" rps)" "$(json_field "$result" p50_ms)" "$(json_field "$result" p99_ms)" \
		"$errors" "$stable" "$canary" "$requests" "$cpu_us" "$(date -u +%FT%TZ)" >> "$RESULTS"
	log "$app $condition c=$connections: $(json_field "$result" rps) req/s, p50 $(json_field "$result" p50_ms) ms, p99 $(json_field "$result" p99_ms) ms, $cpu_us µs CPU per request, errors $errors; stable p50/mean/n: $stable; canary: $canary"
}

# heap_after_gc NAME: heap used (KB) after a full GC, and RSS (KB), of APP_PID; the largest classes
# on the heap go to target/bench/heap-NAME.txt, to see what grew.
heap_after_gc() {
	jcmd "$APP_PID" GC.run > /dev/null
	jcmd "$APP_PID" GC.class_histogram | head -n 30 > "$OUT/heap-$1.txt"
	local heap rss
	heap=$(jcmd "$APP_PID" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }')
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$APP_PID/status")
	echo "$heap $rss"
}

# predict_until N: sends predictions until the service has served at least N in all, at the highest
# connection count of the run: Tomcat keeps a processor with its buffers per connection it has seen
# (about 60 KB each), so the heap grows with concurrency once, and the first heap check should
# already include that, leaving traffic as the only difference between the two checks.
predict_until() {
	local target=$1 served left
	served=$(predictions)
	left=$(( target - served ))
	(( left <= 0 )) && return
	local threads=$WRK_THREADS
	(( threads > MAX_CONNECTIONS )) && threads=$MAX_CONNECTIONS
	BENCH_REQUESTS=$(( (left + threads - 1) / threads )) wrk -t"$threads" -c"$MAX_CONNECTIONS" -d3600s \
		-s "$LUA" "$BASE" > /dev/null &
	local wrk_pid=$!
	while (( $(predictions) < target )); do
		sleep 0.2
	done
	kill "$wrk_pid" 2>/dev/null || true
	wait "$wrk_pid" 2>/dev/null || true
}

# --- main -------------------------------------------------------------------------------------

STARTED_AT="$(date -u +%FT%TZ)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
UNCOMMITTED=false
[[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]] && UNCOMMITTED=true
build_bench_if_needed
install_wrk
mkdir -p "$OUT"
: > "$RESULTS"
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem/ { print $2 }') GiB"
JAVA_VERSION="$(java -version 2>&1 | sed -n 2p)"
log "Machine: $MACHINE; $JAVA_VERSION; load average $LOAD_START at the start; commit $COMMIT$($UNCOMMITTED && echo ' with uncommitted changes')"
log "Runs: ${WARMUP} s warm-up + ${DURATION} s measured, connections $CONNECTIONS, $WRK_THREADS wrk threads"

# A geometric set of request-timer buckets (10 µs to 1 s, 8% apart), so that the per-role p50 from
# the histogram is exact to a few percent. Only this run of the service gets them.
SLO=$(awk 'BEGIN { v = 10; while (v < 1e6) { printf "%s%dus", sep, v; sep = ","; v = v * 1.08 + 0.5 } }')

start_app service "$JAR" --canary.state-dir="$WORK/state" \
	--management.metrics.distribution.slo.canary.request.duration="$SLO" "${SERVICE_ARGS[@]}"
SERVICE_STARTUP_MS=$STARTUP_MS SERVICE_SPRING_S=$SPRING_STARTED
predict_until 10000
read -r HEAP_10K RSS_10K <<< "$(heap_after_gc first)"
COUNT_10K=$(predictions)
log "After $COUNT_10K predictions: heap after full GC $HEAP_10K KB, RSS $RSS_10K KB"
warm_up

# The baseline runs beside the service (an idle JVM costs nothing), and each service run is paired
# with a baseline run right after it, so that a change in the machine's load between the two
# halves of the benchmark cannot pass for a difference between the apps.
start_app baseline "$BENCH_DIR/baseline.jar"
BASELINE_STARTUP_MS=$STARTUP_MS BASELINE_SPRING_S=$SPRING_STARTED
warm_up

for condition in stable canary10 canary10-slowdown; do
	use_app service
	case $condition in
		canary10) admin deploy-canary '{"version":"v2","weight":0.1}' ;;
		canary10-slowdown) admin toggle-slowdown ;;
	esac
	for c in $CONNECTIONS; do
		use_app service
		measure service "$condition" "$c"
		use_app baseline
		measure baseline "$condition" "$c"
	done
done
stop_app baseline
use_app service
admin toggle-slowdown
admin rollback-canary
predict_until "$MEMORY_REQUESTS"
read -r HEAP_1M RSS_1M <<< "$(heap_after_gc second)"
COUNT_1M=$(predictions)
log "After $COUNT_1M predictions: heap after full GC $HEAP_1M KB, RSS $RSS_1M KB"
stop_app service

# Fast startup: Spring's ahead-of-time processing (the build runs process-aot; -Dspring.aot.enabled=true
# uses it) and class data sharing: the jar extracted (CDS needs plain jars on the class path), one
# training run that exits once the context is refreshed and dumps the loaded classes, then a start
# from that archive (Spring Boot's documented recipe; the JVM stays Java 17 compatible).
CDS_DIR="$OUT/cds"
rm -rf "$CDS_DIR"
java -Djarmode=tools -jar "$JAR" extract --destination "$CDS_DIR" > /dev/null
java -Dspring.aot.enabled=true -XX:ArchiveClassesAtExit="$CDS_DIR/ml-canary.jsa" -Dspring.context.exit=onRefresh \
	-jar "$CDS_DIR/ml-canary.jar" --canary.state-dir="$WORK/cds-state" --server.port=0 > "$WORK/cds-training.log" 2>&1
JAVA_OPTS+=(-Dspring.aot.enabled=true -XX:SharedArchiveFile="$CDS_DIR/ml-canary.jsa")
start_app service-cds "$CDS_DIR/ml-canary.jar" --canary.state-dir="$WORK/cds-state"
SERVICE_CDS_STARTUP_MS=$STARTUP_MS SERVICE_CDS_SPRING_S=$SPRING_STARTED
stop_app service-cds
unset 'JAVA_OPTS[${#JAVA_OPTS[@]}-1]' 'JAVA_OPTS[${#JAVA_OPTS[@]}-2]'

LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
export MACHINE JAVA_VERSION WARMUP DURATION WRK_THREADS QUICK SERVICE_STARTUP_MS SERVICE_SPRING_S \
	SERVICE_CDS_STARTUP_MS SERVICE_CDS_SPRING_S \
	BASELINE_STARTUP_MS BASELINE_SPRING_S HEAP_10K RSS_10K COUNT_10K HEAP_1M RSS_1M COUNT_1M \
	STARTED_AT COMMIT UNCOMMITTED LOAD_START LOAD_END
DATED_DIR="$ROOT/docs/benchmarks"
$QUICK && DATED_DIR=""   # short runs are a smoke test, not figures to keep
DATED=$("$ROOT/scripts/bench/report.sh" "$RESULTS" "$OUT/bench.md" "$OUT/bench.json" ${DATED_DIR:+"$DATED_DIR"})
cat "$OUT/bench.md"
log "Wrote $OUT/bench.md and $OUT/bench.json${DATED:+, and $DATED}"
