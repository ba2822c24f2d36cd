#!/usr/bin/env bash
# Runs the curl walkthrough of docs/api.md top to bottom against a fresh service, so that the page
# stays runnable: every block fenced as ```bash runs, in order, in one shell with set -euo pipefail
# (blocks fenced as ```shell are shown but not run; ```text blocks are outputs). Every curl in those
# blocks must fail on an HTTP error (--fail-with-body, --fail or -f), or print the status it got
# (-w '%{http_code}') for a call that is meant to be refused; the script checks that first.
#
# Builds target/ml-canary.jar when it is missing or older than the sources, starts it on a free
# loopback port with a fresh state directory and its own admin token, runs the blocks, and stops
# the service on exit (also on Ctrl-C). CI runs it after ./mvnw -B verify (.ci/run).
#
#   scripts/check-walkthrough.sh             print one line per block; the whole output on failure
#   scripts/check-walkthrough.sh --verbose   print every block's output as it runs
#
# Exit codes: 0 every block succeeded, 1 a block failed, 2 usage error or a curl without --fail,
# 3 the service did not start.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"   # the service reads its models from ./models

DOC="docs/api.md"
READY_TIMEOUT=90
RUN_TIMEOUT=300
VERBOSE=false
case "${1:-}" in
	"") ;;
	--verbose) VERBOSE=true ;;
	*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-walkthrough.XXXXXX")"
SERVICE_PID=""

# shellcheck disable=SC2317  # invoked by the traps below
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2>/dev/null; then
		kill "$SERVICE_PID" 2>/dev/null || true
		wait "$SERVICE_PID" 2>/dev/null || true
	fi
	if [[ $status -eq 0 ]]; then
		rm -rf "$WORK"
	else
		echo "check-walkthrough: logs kept in $WORK (service.log, walkthrough.log)" >&2
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The runnable blocks as one script: before each block, a line that records where it starts in the
# page, so that a failure can name it.
awk -v doc="$DOC" '
	/^```bash[[:space:]]*$/ { inside = 1; blocks++; printf "echo %d > \"$WALKTHROUGH_AT\"; echo; echo \"--- %s:%d\"\n", NR, doc, NR; next }
	/^```/ && inside { inside = 0; next }
	inside { print }
	END { if (blocks == 0) { print "no ```bash blocks in " doc > "/dev/stderr"; exit 2 } }
' "$DOC" > "$WORK/walkthrough.sh"

# Every curl must fail on an HTTP error status, or say it expects one by printing the status code.
awk -v doc="$DOC" '
	/^```bash[[:space:]]*$/ { inside = 1; next }
	/^```/ && inside { inside = 0; next }
	!inside { next }
	{ line = line $0; if (!start) start = NR }
	/\\$/ { sub(/\\$/, "", line); next }
	{
		if (line ~ /(^|[^[:alnum:]_-])curl / && line !~ /--fail|(^|[[:space:]])-[a-zA-Z]*f[a-zA-Z]*[[:space:]]|%[{]http_code[}]/) {
			printf "%s:%d: curl without --fail-with-body (or -w %%{http_code} for a refusal it expects): %s\n", doc, start, line > "/dev/stderr"
			bad = 1
		}
		line = ""; start = 0
	}
	END { exit bad ? 2 : 0 }
' "$DOC"

build_if_needed
# The walkthrough's own operator token, whatever the caller's shell exports.
CANARY_ADMIN_TOKEN="walkthrough-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export CANARY_ADMIN_TOKEN
unset CANARY_ADMIN_READ_TOKEN
started=$SECONDS
# A copy of the bundled models, named models/ as the page's paths are: the upload step writes into it.
cp -r models "$WORK/models"
start_service check-walkthrough "$WORK/state" "$WORK/service.log" "$READY_TIMEOUT" --canary.model-dir="$WORK/models"
echo "check-walkthrough: service ready on 127.0.0.1:$PORT after $(( SECONDS - started )) s; running the bash blocks of $DOC"

# The blocks run in a scratch folder (a block may write a file), as a reader's shell would: with
# BASE and the token exported.
mkdir -p "$WORK/run"
export BASE="http://127.0.0.1:$PORT" WALKTHROUGH_AT="$WORK/at"
status=0
started=$SECONDS
if $VERBOSE; then
	(cd "$WORK/run" && timeout "$RUN_TIMEOUT" bash -euo pipefail "$WORK/walkthrough.sh") 2>&1 \
		| tee "$WORK/walkthrough.log" || status=$?
else
	(cd "$WORK/run" && timeout "$RUN_TIMEOUT" bash -euo pipefail "$WORK/walkthrough.sh") > "$WORK/walkthrough.log" 2>&1 \
		|| status=$?
	grep '^--- ' "$WORK/walkthrough.log" | sed 's/^--- /    /'
fi
if [[ $status -ne 0 ]]; then
	$VERBOSE || tail -n 40 "$WORK/walkthrough.log" >&2
	echo >&2   # the last output may lack its newline
	if [[ $status -eq 124 ]]; then
		echo "check-walkthrough: the walkthrough did not finish within ${RUN_TIMEOUT} s, in the block at $DOC:$(cat "$WALKTHROUGH_AT")" >&2
	else
		echo "check-walkthrough: the block at $DOC:$(cat "$WALKTHROUGH_AT") failed (exit $status)" >&2
	fi
	exit 1
fi
echo "check-walkthrough: all $(grep -c '^--- ' "$WORK/walkthrough.log") blocks of $DOC ran in order in $(( SECONDS - started )) s"
