#!/usr/bin/env bash
# A/B load runs of several warmed-up apps, alternating, to judge one change (docs/performance.md).
#
#   scripts/bench/ab.sh [options] NAME=JAR[,ARG...] NAME=JAR[,ARG...] ...
#
# Starts every variant on its own loopback port (a canary v2 at 10% is deployed on each that has
# /admin), warms each up at 32 connections until the JIT settles, then runs ROUNDS rounds; in each
# round every variant gets the same wrk run (5 s warm-up, DURATION s measured) in turn, so that the
# noise of other processes falls on all of them alike. Prints req/s and CPU µs per request for each
# run, and the median of each variant. Arguments of a variant are separated by commas, e.g.
#   scripts/bench/ab.sh before=/tmp/before.jar after=target/ml-canary.jar \
#       base=target/bench/baseline.jar keepalive=target/ml-canary.jar,--server.tomcat.max-keep-alive-requests=-1
# An argument env:KEY=VALUE sets the variant's environment instead, e.g.
#   pg=target/ml-canary.jar,env:CANARY_STORE=postgres,env:SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/canary
#
# Takes about 2 minutes per variant to warm up, then 15 s per variant and round.
# Options (environment): AB_ROUNDS=3, AB_DURATION=10, AB_CONNECTIONS=32, AB_JAVA_OPTS="",
# AB_WARMUP_MAX=120 (the longest warm-up per variant, seconds).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/bench/apps.sh
source "$ROOT/scripts/bench/apps.sh"
cd "$ROOT"
if [[ $# -lt 1 ]]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
ROUNDS="${AB_ROUNDS:-3}" DURATION="${AB_DURATION:-10}" CONNECTIONS="${AB_CONNECTIONS:-32}"
WRK_THREADS=2 WARMUP=5 WARMUP_MAX="${AB_WARMUP_MAX:-120}"
read -r -a JAVA_OPTS <<< "${AB_JAVA_OPTS:-}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-ab.XXXXXX")"
CLOCK_TICKS=$(getconf CLK_TCK)
NAMES=()

# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
	stop_all_apps
	rm -rf "$WORK"
}
trap cleanup EXIT

install_wrk
for spec in "$@"; do
	name=${spec%%=*}
	IFS=, read -r -a args <<< "${spec#*=}"
	start_app "$name" "${args[0]}" --canary.state-dir="$WORK/$name-state" "${args[@]:1}"
	NAMES+=("$name")
	status=$(curl -sS -o "$WORK/$name.deploy" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-d '{"version":"v2","weight":0.1}' "$BASE/admin/deploy-canary")
	case $status in
		200) setup="canary v2 at 10%" ;;
		404) setup="no /admin here (the baseline?): no canary" ;;
		*) echo "ab: deploying the canary on $name answered $status: $(cat "$WORK/$name.deploy")" >&2; exit 3 ;;
	esac
	warm_up
	echo "$name: ${args[*]}; $setup; $WARM_UP_SUMMARY" >&2
	printf '%s\t%s\t%s\n' "$name" "$setup" "$WARM_UP_SUMMARY" >> "${AB_SETUP_OUT:-/dev/null}"
done

for round in $(seq 1 "$ROUNDS"); do
	for name in "${NAMES[@]}"; do
		use_app "$name"
		wrk_run "$CONNECTIONS" 5 > /dev/null
		ticks=$(cpu_ticks)
		rps=$(json_field "$(wrk_run "$CONNECTIONS" "$DURATION")" rps)
		ticks=$(( $(cpu_ticks) - ticks ))
		cpu=$(awk -v t="$ticks" -v hz="$CLOCK_TICKS" -v r="$rps" -v d="$DURATION" \
			'BEGIN { printf "%.1f", t * 1e6 / hz / (r * d) }')
		printf 'round %d\t%s\t%s req/s\t%s µs CPU/req\n' "$round" "$name" "$rps" "$cpu"
		printf '%s\t%s\t%s\n' "$name" "$rps" "$cpu" >> "$WORK/results.tsv"
	done
done
echo "medians (req/s, µs CPU per request), $CONNECTIONS connections, load average $(cut -d' ' -f1-3 /proc/loadavg):"
for name in "${NAMES[@]}"; do
	rps=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$WORK/results.tsv" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	cpu=$(awk -F'\t' -v n="$name" '$1 == n { print $3 }' "$WORK/results.tsv" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
	printf '  %-12s %8.0f req/s  %6.1f µs CPU/req\n' "$name" "$rps" "$cpu"
done
