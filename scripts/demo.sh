#!/usr/bin/env bash
# Starts the service on a free loopback port, plays the canary lifecycle against it with the
# traffic simulator, and stops the service again (also on Ctrl-C). Arguments go to the simulator,
# e.g. scripts/demo.sh --requests 500 --seed 7. Exits with the simulator's exit code:
# 0 every expectation held, 1 a verdict was not the expected one, 2 usage error,
# 3 service unreachable or unexpected HTTP status (also when the service does not start).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"   # the service reads its models from ./models

READY_TIMEOUT=60
SERVICE_PID=""
LOG="$(mktemp "${TMPDIR:-/tmp}/ml-canary-demo.XXXXXX")"
# The demo's own deployment state and event log, so it never touches ./state.
STATE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-demo-state.XXXXXX")"
# Admin calls need a token: the service and the simulator both read it from the environment.
CANARY_ADMIN_TOKEN="${CANARY_ADMIN_TOKEN:-demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
export CANARY_ADMIN_TOKEN

# shellcheck disable=SC2317  # invoked by the traps below
stop_service() {
	local status=$?
	trap - EXIT INT TERM
	if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
		kill "$SERVICE_PID" 2>/dev/null || true
		wait "$SERVICE_PID" 2>/dev/null || true
	fi
	rm -rf "$STATE_DIR"
	if [[ $status -eq 0 ]]; then
		rm -f "$LOG"
	else
		echo "Service log kept in $LOG" >&2
	fi
	exit "$status"
}
trap stop_service EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build_if_needed
started=$SECONDS
start_service demo "$STATE_DIR" "$LOG" "$READY_TIMEOUT"
echo "Service ready on 127.0.0.1:$PORT after $(( SECONDS - started )) s (pid $SERVICE_PID, log $LOG)."

status=0
java -jar "$JAR" simulate --url "http://127.0.0.1:$PORT" "$@" || status=$?
exit "$status"
