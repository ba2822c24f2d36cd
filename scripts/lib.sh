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
