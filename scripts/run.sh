#!/usr/bin/env bash
# The fast start (docs/operations.md, "A faster start"): builds what is missing, then starts the
# service from the project root (it reads models/ and writes state/ there, as ./mvnw spring-boot:run).
#
# usage: scripts/run.sh [--prepare] [service arguments, e.g. --server.address=127.0.0.1]
#   --prepare   build what is missing and exit without starting the service (./mvnw -Pfast-start
#               package runs this)
#
# What is missing is made once and again only when its input changes: the jar (when it is older than
# the sources), the application extracted from it into target/fast/, and for the JDK in use the
# archive of a short training run that serves predictions and deploys, checks and rolls back a
# canary: an AOT cache (JEP 514/515) on JDK 25 or newer, a class data sharing archive before. The
# JDK is $JAVA_HOME when set, else the newest under /usr/lib/jvm, else java on the PATH.
#
# Spring's AOT processing (-Dspring.aot.enabled=true) is used too, except when the store is
# postgres (CANARY_STORE=postgres or --canary.store=postgres): the build fixes that choice in file
# mode. RUN_SPRING_AOT=false turns it off; RUN_JAVA_OPTS adds JVM options (e.g. "-Xmx512m").
# The service replaces this script's process (exec), so Ctrl-C and SIGTERM stop it gracefully.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=scripts/fast-lib.sh
source "$ROOT/scripts/fast-lib.sh"

PREPARE_ONLY=false
if [[ "${1:-}" == --prepare ]]; then
	PREPARE_ONLY=true
	shift
elif [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit 0
fi

mode=spring-aot
[[ "${RUN_SPRING_AOT:-true}" == false || "${CANARY_STORE:-}" == postgres ]] && mode=jvm
for arg in "$@"; do
	[[ "$arg" == --canary.store=postgres ]] && mode=jvm
done

java="$(newest_java)"
fast_prepare "$java" "$mode"
$PREPARE_ONLY && { fast_say "ready: $FAST_JAVA ${FAST_OPTS[*]} -jar $FAST_JAR"; exit 0; }
read -r -a extra <<< "${RUN_JAVA_OPTS:-}"
cd "$ROOT"
exec "$FAST_JAVA" "${FAST_OPTS[@]}" "${extra[@]}" -jar "$FAST_JAR" "$@"
