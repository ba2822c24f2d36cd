#!/usr/bin/env bash
# Smoke test of the fast start (.ci/run runs it on Java 25): starts the service with scripts/run.sh
# on a free loopback port with a state directory of its own and a generated admin token, then
# predicts, deploys canary v2, checks that requests ran on virtual threads (Java 21 or newer), checks
# the canary's health and the actuator's, rolls it back and stops the service with SIGTERM. Exits 0
# when every step answered as expected, 1 at the first that did not (its answer and the service's
# last log lines are printed), 3 when the service did not start.
#
# usage: scripts/smoke.sh [JAVA_HOME]   (default: the JDK scripts/run.sh picks: $JAVA_HOME, else the
#                                        newest under /usr/lib/jvm)
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	"") ;;
	*) [[ -x "$1/bin/java" ]] || { echo "smoke: $1 is not a JDK (no bin/java)" >&2; exit 2; }
		export JAVA_HOME="$1" ;;
esac

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-smoke.XXXXXX")"
PID=""
# shellcheck disable=SC2317  # invoked by the traps below
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
	if [[ $status -eq 0 ]]; then rm -rf "$WORK"; else echo "smoke: failed; logs kept in $WORK" >&2; fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
"$ROOT/scripts/run.sh" --prepare
TOKEN="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
env -u CANARY_STORE CANARY_ADMIN_TOKEN="$TOKEN" "$ROOT/scripts/run.sh" --server.address=127.0.0.1 \
	--server.port="$PORT" --canary.state-dir="$WORK/state" > "$WORK/service.log" 2>&1 &
PID=$!
deadline=$(( SECONDS + 90 ))
until curl -fsS -o /dev/null --max-time 2 "$BASE/actuator/health/readiness" 2>/dev/null; do
	if ! kill -0 "$PID" 2>/dev/null || (( SECONDS >= deadline )); then
		echo "smoke: the service did not become ready; last lines of its log:" >&2
		tail -n 30 "$WORK/service.log" >&2
		exit 3
	fi
	sleep 0.2
done
echo "smoke: ready on $BASE ($(grep -m1 -o 'Starting .* using Java [0-9.]*' "$WORK/service.log" | sed 's/.*Starting //' || true))"

# step NAME EXPECTED_PATTERN CURL_ARGS...: one call; its body must match the pattern.
step() {
	local name="$1" pattern="$2" body
	shift 2
	if ! body="$(curl -sS --fail-with-body --max-time 10 "$@" 2>&1)" || ! grep -qE "$pattern" <<< "$body"; then
		echo "smoke: $name failed: $body" >&2
		tail -n 30 "$WORK/service.log" >&2
		exit 1
	fi
	echo "smoke: $name: ok"
}
AUTH=(-H "Authorization: Bearer $TOKEN")
JSON=(-H 'Content-Type: application/json')
step predict '"churn_probability"' "${JSON[@]}" -d '{"features": [0.5, 1.2, 0.8, 0.3, 1.1]}' "$BASE/predict"
step deploy '"canary_version":"v2"' "${AUTH[@]}" "${JSON[@]}" -d '{"version": "v2", "weight": 0.5}' "$BASE/admin/deploy-canary"
for _ in $(seq 1 50); do
	curl -fsS -o /dev/null "${JSON[@]}" -d '{"features": [0.5, 1.2, 0.8, 0.3, 1.1]}' "$BASE/predict"
done
# Virtual threads (ADR 0011): on Java 21 or newer Tomcat serves on them, so it has no pool of
# platform threads (http-nio-PORT-exec-N) after the requests above.
JCMD="$(dirname "$(readlink -f "/proc/$PID/exe")")/jcmd"
if [[ -x "$JCMD" ]] && (( $("$JCMD" "$PID" VM.version 2>/dev/null | sed -n 's/^JDK \([0-9]*\).*/\1/p' || echo 0) >= 21 )); then
	pool=$("$JCMD" "$PID" Thread.print 2>/dev/null | grep -c "^\"http-nio-.*-exec-" || true)
	if [[ "$pool" != 0 ]]; then
		echo "smoke: virtual threads failed: $pool Tomcat pool threads after 51 requests, none expected" >&2
		exit 1
	fi
	echo "smoke: virtual threads: ok (no Tomcat pool threads after 51 requests)"
else
	echo "smoke: virtual threads: not checked (the JDK is older than 21, or jcmd is missing)"
fi
step check-canary-health '"verdict"' "${AUTH[@]}" "$BASE/admin/check-canary-health"
step actuator-health '"status":"UP"' "$BASE/actuator/health"
step rollback '"status":"success"' "${AUTH[@]}" -X POST "$BASE/admin/rollback-canary"
step status '"canary_version":null' "${AUTH[@]}" "$BASE/admin/status"
kill -TERM "$PID"
status=0
wait "$PID" || status=$?
PID=""
# 143 is 128 + SIGTERM; Spring Boot exits 0 or 143 after a graceful shutdown.
if [[ $status -ne 0 && $status -ne 143 ]]; then
	echo "smoke: the service exited with $status on SIGTERM" >&2
	tail -n 30 "$WORK/service.log" >&2
	exit 1
fi
echo "smoke: stopped; all steps passed in $(( SECONDS - started )) s"
