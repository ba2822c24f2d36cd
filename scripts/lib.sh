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

build_if_needed() {
	if jar_is_stale; then
		echo "Building $JAR (missing or older than the sources) ..." >&2
		(cd "$ROOT" && ./mvnw -B -q package -DskipTests)
	fi
}
