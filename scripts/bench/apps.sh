# shellcheck shell=bash
# Sourced by scripts/bench.sh and scripts/bench/ab.sh: starting, warming up, loading and stopping the
# apps under test. The caller sets WORK (a scratch folder for logs), JAVA_OPTS (an array), WRK_THREADS,
# WARMUP and WARMUP_MAX (seconds); APP_PID and BASE are the current app (use_app).

LUA="$ROOT/scripts/bench/predict.lua"
READY_TIMEOUT=90
APP_PID="" BASE=""
declare -A PIDS=() BASES=()   # the running apps by name; use_app makes one current (APP_PID, BASE)

log() {
	printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

install_wrk() {
	command -v wrk > /dev/null && return
	log "Installing wrk (Debian package) ..."
	if [[ $(id -u) -eq 0 ]]; then
		apt-get update -qq && apt-get install -y -qq wrk > /dev/null
	else
		sudo apt-get update -qq && sudo apt-get install -y -qq wrk > /dev/null
	fi
}

# start_app NAME JAR [ARGS...]: starts it on a free port, waits until /predict answers, makes it the
# current app (use_app) and sets STARTUP_MS (JVM launch to the first answer, polled every 20 ms).
# An argument env:KEY=VALUE is not passed on but set in the app's environment (e.g.
# env:CANARY_STORE=postgres).
start_app() {
	local name=$1 jar=$2
	shift 2
	local envs=() args=() arg
	for arg in "$@"; do
		if [[ $arg == env:?*=* ]]; then envs+=("${arg#env:}"); else args+=("$arg"); fi
	done
	set -- "${args[@]}"
	local port
	port="$(free_port)"
	local base="http://127.0.0.1:$port" log="$WORK/$name.log" started
	started=$(date +%s%N)
	# Without admin tokens whatever the caller's environment holds: on loopback the admin API is then
	# open to this script (the apps listen on 127.0.0.1 only).
	env -u CANARY_ADMIN_TOKEN -u CANARY_ADMIN_READ_TOKEN "${envs[@]}" java "${JAVA_OPTS[@]}" -jar "$jar" \
		--server.address=127.0.0.1 --server.port="$port" "$@" > "$log" 2>&1 &
	PIDS[$name]=$!
	BASES[$name]=$base
	use_app "$name"
	local deadline=$(( SECONDS + READY_TIMEOUT ))
	until curl -fsS -o /dev/null --max-time 2 -H 'Content-Type: application/json' \
		-d '{"features":[0.5,1.2,0.8,0.3,1.1]}' "$base/predict" 2>/dev/null; do
		if ! kill -0 "$APP_PID" 2>/dev/null || (( SECONDS >= deadline )); then
			echo "$(basename "$0"): $name did not become ready; last lines of its log:" >&2
			tail -n 30 "$log" >&2
			exit 3
		fi
		sleep 0.02
	done
	STARTUP_MS=$(( ($(date +%s%N) - started) / 1000000 ))
	SPRING_STARTED=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$log" | grep -o '[0-9.]* seconds' | cut -d' ' -f1 || true)
	log "$name ready on $base after $STARTUP_MS ms (Spring: started in ${SPRING_STARTED:-?} s), pid $APP_PID"
}

use_app() {
	APP_PID=${PIDS[$1]}
	BASE=${BASES[$1]}
}

stop_app() {
	local pid=${PIDS[$1]:-}
	if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	unset "PIDS[$1]" "BASES[$1]"
}

stop_all_apps() {
	local name
	for name in "${!PIDS[@]}"; do
		stop_app "$name"
	done
}

# wrk_run CONNECTIONS SECONDS: one wrk run; prints its BENCH_RESULT json.
wrk_run() {
	local connections=$1 seconds=$2 threads=$WRK_THREADS
	(( threads > connections )) && threads=$connections
	${LOAD_PREFIX[@]+"${LOAD_PREFIX[@]}"} wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s -s "$LUA" "$BASE" \
		| sed -n 's/^BENCH_RESULT //p'
}

json_field() {   # json_field JSON NAME: a number from a flat part of the wrk json
	sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p" <<< "$1"
}

# warm_up: load at 32 connections in 5 s rounds until the JIT has settled (fewer than 50 methods
# compiled in a round; a 2-core machine needs a minute or more for the service's ~10,000 methods),
# at least BENCH_WARMUP and at most BENCH_WARMUP_MAX seconds. Measuring before that measures the
# compiler, not the app.
warm_up() {
	local waited=0 before after
	while (( waited < WARMUP_MAX )); do
		before=$(compiled_methods)
		wrk_run 32 5 > /dev/null
		waited=$(( waited + 5 ))
		after=$(compiled_methods)
		(( waited >= WARMUP && after - before < 50 )) && break
	done
	if (( after - before < 50 )); then
		WARM_UP_SUMMARY="JIT settled after $waited s ($after methods compiled, $(( after - before )) in the last 5 s)"
	else
		WARM_UP_SUMMARY="warm-up stopped at its limit of $WARMUP_MAX s with the JIT still busy ($(( after - before )) methods compiled in the last 5 s): the first runs may measure the compiler"
	fi
	log "$WARM_UP_SUMMARY"
}

compiled_methods() {
	jstat -compiler "$APP_PID" | awk 'NR == 2 { print $1 }'
}

# CPU time (clock ticks) the app's process has used.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$APP_PID/stat"
}
