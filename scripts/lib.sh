# shellcheck shell=bash
# Sourced by the scripts in this folder. Sets ROOT (the repository) and JAR, and offers
# build_if_needed: the runnable jar is rebuilt only when it is missing or older than pom.xml or
# anything under src/, so a second run starts at once.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/target/ml-canary.jar"

# True when the jar is missing or older than pom.xml or any file or folder under src/ (a folder's
# time changes when a file in it is added, renamed or deleted).
jar_is_stale() {
	[[ ! -f "$JAR" ]] && return 0
	[[ "$ROOT/pom.xml" -nt "$JAR" ]] && return 0
	[[ -n "$(find "$ROOT/src" -newer "$JAR" -print -quit)" ]]
}

# A loopback port that nothing listens on: connecting to it is refused. Pure bash, no python.
free_port() {
	local port _
	for _ in $(seq 1 50); do
		port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	echo "found no free loopback port" >&2
	return 1
}

# How start_service launches the service (an array): the jar on the PATH's java unless the caller
# sets it, e.g. scripts/fleet.sh to the fast start (scripts/fast-lib.sh).
SERVICE_LAUNCH=(java -jar "$JAR")

# Starts the service on a free loopback port with its own state directory and waits until it is ready.
# Sets PORT and SERVICE_PID. Usage: start_service NAME STATE_DIR LOG READY_TIMEOUT [service args...]
# NAME prefixes the messages. Tries up to three ports, in case another process takes one between
# the check and the bind; exits 3 if the service dies or is not ready in time.
start_service() {
	local name="$1" state_dir="$2" log="$3" timeout="$4" _
	shift 4
	for _ in 1 2 3; do
		start_service_once "$name" "$state_dir" "$log" "$timeout" "$@" && return 0
		echo "$name: port $PORT was taken meanwhile; trying another." >&2
	done
	echo "$name: could not bind a free port in 3 attempts" >&2
	exit 3
}

# One attempt of start_service; returns 1 when the port was taken. Called where set -e does not
# apply, so each step is checked by hand.
start_service_once() {
	local name="$1" state_dir="$2" log="$3" timeout="$4"
	shift 4
	PORT="$(free_port)" || exit 3
	"${SERVICE_LAUNCH[@]}" --server.address=127.0.0.1 --server.port="$PORT" --canary.state-dir="$state_dir" "$@" \
		> "$log" 2>&1 &
	SERVICE_PID=$!
	local deadline=$(( SECONDS + timeout ))
	until curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/actuator/health/readiness" 2>/dev/null; do
		if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
			wait "$SERVICE_PID" 2>/dev/null || true
			SERVICE_PID=""
			grep -qi 'already in use' "$log" && return 1
			echo "$name: the service exited before it was ready. Last lines of its log:" >&2
			tail -n 30 "$log" >&2
			exit 3
		fi
		if (( SECONDS >= deadline )); then
			echo "$name: the service was not ready within ${timeout} s. Last lines of its log:" >&2
			tail -n 30 "$log" >&2
			exit 3
		fi
		sleep 0.5
	done
}

build_if_needed() {
	if jar_is_stale; then
		echo "Building $JAR (missing or older than the sources) ..." >&2
		(cd "$ROOT" && ./mvnw -B -q package -DskipTests)
	fi
}

# The bench profile's output: benchmark classes in target/test-classes, their classpath, the baseline app.
BENCH_DIR="$ROOT/target/bench"

bench_is_stale() {
	[[ ! -f "$BENCH_DIR/classpath.txt" || ! -f "$BENCH_DIR/baseline.jar" || ! -f "$JAR" ]] && return 0
	# A plain ./mvnw build recompiles target/test-classes without the benchmarks.
	[[ ! -f "$ROOT/target/test-classes/META-INF/BenchmarkList" ]] && return 0
	[[ "$ROOT/pom.xml" -nt "$BENCH_DIR/classpath.txt" ]] && return 0
	[[ -n "$(find "$ROOT/src" -newer "$BENCH_DIR/classpath.txt" -print -quit)" ]]
}

# Builds the served jar, the benchmarks and the baseline app (./mvnw -Pbench package) when stale.
build_bench_if_needed() {
	if bench_is_stale; then
		echo "Building the service, the benchmarks and the baseline app (./mvnw -Pbench package) ..." >&2
		(cd "$ROOT" && ./mvnw -B -q -Pbench package -DskipTests)
		touch "$BENCH_DIR/classpath.txt"
	fi
}
