#!/usr/bin/env bash
# A/B load runs of several warmed-up apps, alternating, to judge one change (README, "Performance").
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
#
# Takes about 2 minutes per variant to warm up, then 15 s per variant and round.
# Options (environment): AB_ROUNDS=3, AB_DURATION=10, AB_CONNECTIONS=32, AB_JAVA_OPTS="".
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
cd "$ROOT"
if [[ $# -lt 1 ]]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
ROUNDS="${AB_ROUNDS:-3}" DURATION="${AB_DURATION:-10}" CONNECTIONS="${AB_CONNECTIONS:-32}"
read -r -a JAVA_OPTS <<< "${AB_JAVA_OPTS:-}"
LUA="$ROOT/scripts/bench/predict.lua"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-ab.XXXXXX")"
CLOCK_TICKS=$(getconf CLK_TCK)
declare -A PID=() BASE=()
NAMES=()

# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
	local name
	for name in "${NAMES[@]}"; do
		kill "${PID[$name]}" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

wrk_rps() {   # wrk_rps BASE SECONDS CONNECTIONS
	wrk -t2 -c"$3" -d"$2s" --timeout 10s -s "$LUA" "$1" | sed -n 's/^BENCH_RESULT .*"rps":\([0-9.]*\).*/\1/p'
}

for spec in "$@"; do
	name=${spec%%=*}
	IFS=, read -r -a args <<< "${spec#*=}"
	port=$(free_port)
	# No admin tokens, whatever the environment holds: on loopback the admin API is then open to us.
	env -u CANARY_ADMIN_TOKEN -u CANARY_ADMIN_READ_TOKEN java "${JAVA_OPTS[@]}" -jar "${args[0]}" \
		--server.address=127.0.0.1 --server.port="$port" --canary.state-dir="$WORK/$name-state" "${args[@]:1}" \
		> "$WORK/$name.log" 2>&1 &
	PID[$name]=$!
	BASE[$name]="http://127.0.0.1:$port"
	NAMES+=("$name")
	until curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"features":[0.5,1.2,0.8,0.3,1.1]}' \
		"${BASE[$name]}/predict" 2>/dev/null; do
		kill -0 "${PID[$name]}" 2>/dev/null || { tail -n 20 "$WORK/$name.log" >&2; exit 3; }
		sleep 0.1
	done
	status=$(curl -sS -o "$WORK/$name.deploy" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-d '{"version":"v2","weight":0.1}' "${BASE[$name]}/admin/deploy-canary")
	case $status in
		200) setup="canary v2 at 10%" ;;
		404) setup="no /admin here (the baseline?): no canary" ;;
		*) echo "ab: deploying the canary on $name answered $status: $(cat "$WORK/$name.deploy")" >&2; exit 3 ;;
	esac
	settled="not settled after 120 s: the first round may measure the compiler"
	for i in $(seq 1 24); do   # until fewer than 50 methods compile in 5 s, at most 2 minutes
		before=$(jstat -compiler "${PID[$name]}" | awk 'NR == 2 { print $1 }')
		wrk_rps "${BASE[$name]}" 5 32 > /dev/null
		if (( $(jstat -compiler "${PID[$name]}" | awk 'NR == 2 { print $1 }') - before < 50 )); then
			settled="JIT settled after $(( i * 5 )) s"
			break
		fi
	done
	echo "$name: ${args[*]}; $setup; $settled" >&2
done

for round in $(seq 1 "$ROUNDS"); do
	for name in "${NAMES[@]}"; do
		wrk_rps "${BASE[$name]}" 5 "$CONNECTIONS" > /dev/null
		ticks=$(awk '{ print $14 + $15 }' "/proc/${PID[$name]}/stat")
		rps=$(wrk_rps "${BASE[$name]}" "$DURATION" "$CONNECTIONS")
		ticks=$(( $(awk '{ print $14 + $15 }' "/proc/${PID[$name]}/stat") - ticks ))
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
