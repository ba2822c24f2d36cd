#!/usr/bin/env bash
# A fleet on one machine (docs/fleet.md): PostgreSQL on a loopback port in a temporary directory,
# three replicas in postgres mode on free loopback ports, nginx in front of them, a simulator
# scenario played through the balancer, then /admin/fleet. While the scenario runs it polls every
# replica's /admin/status directly (not through nginx) and reports, for each new generation, how
# long it took from the first replica serving it to all of them (the fleet issue wants < 1 s).
# Stops everything it started on exit, also on Ctrl-C. Exits with the simulator's exit code, 4
# when a live replica never applied a generation, or 5 when the outage check failed.
#
# usage: scripts/fleet.sh [--replicas N] [--kill-leader] [--keep] [simulator options, e.g. --scenario progressive]
#   --replicas N    how many replicas (default 3)
#   --kill-leader   kill -9 the replica that drives the rollout in the middle of it (a rollout
#                   scenario is then the default: --scenario progressive)
#   --outage S      after the scenario, stop PostgreSQL for S seconds while predictions run through
#                   the balancer: every one must answer 200, an admin change 503; then start it
#                   again and check that an admin change works without restarting a replica
#   --keep          leave everything running until Ctrl-C, after the scenario
#   --upload FILE   before the scenario, upload the portable model document FILE through the
#                   balancer (POST /admin/models, docs/bring-your-own-model.md): one replica stores
#                   it in the database and every replica can then deploy it, e.g.
#                   --upload model_v4.logreg.json --scenario progressive --canary-version v4
# The replicas start with the fast start of scripts/run.sh (the JVM's AOT cache on JDK 25 or newer,
# without Spring's AOT processing, which fixed file mode at build time); FLEET_FAST=false starts
# them from the plain jar on the PATH's java.
# Installs Debian's postgresql and nginx (nginx-light where Debian still has it) when they are
# missing (as root, or with sudo). Until GET /admin/fleet exists (it answers 404 on a build without
# the rollout lease) the script says so, shows each replica's /admin/status instead, and finds the
# rollout's driver in the audit trail.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

REPLICAS=3
KILL_LEADER=false
KEEP=false
OUTAGE=0
UPLOAD=""
SIMULATOR_ARGS=()
while [[ $# -gt 0 ]]; do
	case "$1" in
		--replicas)
			[[ "${2-}" =~ ^[1-9][0-9]?$ ]] || { echo "fleet: --replicas needs a number from 1 to 26" >&2; exit 2; }
			(( $2 <= 26 )) || { echo "fleet: --replicas needs a number from 1 to 26" >&2; exit 2; }
			REPLICAS="$2"; shift 2 ;;
		--kill-leader) KILL_LEADER=true; shift ;;
		--keep) KEEP=true; shift ;;
		--upload)
			[[ -f "${2-}" ]] || { echo "fleet: --upload needs a portable model document (a file)" >&2; exit 2; }
			UPLOAD="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
		--outage)
			[[ "${2-}" =~ ^[1-9][0-9]?$ ]] || { echo "fleet: --outage needs a number of seconds from 1 to 99" >&2; exit 2; }
			OUTAGE="$2"; shift 2 ;;
		-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) SIMULATOR_ARGS+=("$1"); shift ;;
	esac
done
if $KILL_LEADER && [[ " ${SIMULATOR_ARGS[*]-} " != *" --scenario "* ]]; then
	SIMULATOR_ARGS+=(--scenario progressive)
fi
READY_TIMEOUT=90
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-fleet.XXXXXX")"
REPLICA_PIDS=()

say() { echo "fleet: $*"; }

# shellcheck source=scripts/fleet-lib.sh
source "$ROOT/scripts/fleet-lib.sh"
# shellcheck source=scripts/fast-lib.sh
source "$ROOT/scripts/fast-lib.sh"

# shellcheck disable=SC2317 # the EXIT trap
stop_all() {
	local status=$?
	trap - INT TERM
	[[ -n "$WATCHER" ]] && kill "$WATCHER" 2>/dev/null
	[[ -n "$SIMULATOR" ]] && kill "$SIMULATOR" 2>/dev/null
	stop_nginx
	local pid
	for pid in "${REPLICA_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${REPLICA_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	stop_postgres
	if [[ $status -eq 0 ]]; then rm -rf "$WORK"; else say "logs kept in $WORK"; fi
	exit "$status"
}
WATCHER="" SIMULATOR=""
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# GET PATH on URL (default: the balancer) with the token; the body on stdout, the HTTP status in $WORK/code.
admin_get() {
	local path="$1" base="${2:-http://127.0.0.1:$LB_PORT}"
	curl -s --max-time 5 -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $CANARY_ADMIN_TOKEN" \
		"$base$path" >"$WORK/code" || echo 000 >"$WORK/code"
	cat "$WORK/body" 2>/dev/null || true
}

pretty() {
	if command -v python3 >/dev/null; then python3 -m json.tool 2>/dev/null || cat; else cat; echo; fi
}

# "yes" when this build answers GET /admin/fleet, "no" when it answers 404 (a build without the lease).
fleet_endpoint() {
	admin_get /admin/fleet >/dev/null
	case "$(cat "$WORK/code")" in
		200) echo yes ;;
		404) echo no ;;
		*) echo "unknown ($(cat "$WORK/code"))" ;;
	esac
}

# The replica that drives the rollout: /admin/fleet's leader, or where that endpoint is missing the
# replica that recorded the newest automated rollout event (actor "rollout") in the shared audit
# trail. Parsed with jq or python3 (nested objects defeat a grep).
leader() {
	local body
	if [[ "$HAS_FLEET" == yes ]]; then
		body="$(admin_get /admin/fleet)"
		json_pick '[.replicas[] | select(.leader == true) | .replica_id][0] // empty' \
			'next((r["replica_id"] for r in d.get("replicas", []) if r.get("leader")), "")' <<<"$body"
	else
		body="$(admin_get '/admin/events?limit=100')"
		json_pick '[.events[] | select(.actor == "rollout")] | sort_by(.time) | last | .replica_id // empty' \
			'max((e for e in d.get("events", []) if e.get("actor") == "rollout"), key=lambda e: e["time"], default={}).get("replica_id") or ""' <<<"$body"
	fi
}

# json_pick JQ_FILTER PYTHON_EXPRESSION (of d, the parsed document): one value from the JSON on stdin.
json_pick() {
	if command -v jq >/dev/null; then
		jq -r "$1" 2>/dev/null || true
	elif command -v python3 >/dev/null; then
		python3 -c "import json, sys; d = json.load(sys.stdin); print($2)" 2>/dev/null || true
	else
		say "neither jq nor python3: cannot tell which replica drives the rollout" >&2
	fi
}

# Polls every replica's /admin/status directly (one curl for all of them per round) and writes a line
# "TIME_US NAME GENERATION" to $WORK/generations.log whenever a replica's generation changes, and
# "TIME_US NAME down" when it does not answer. Runs in the background until killed.
watch_generations() {
	local urls=() name
	for name in "${NAMES[@]}"; do urls+=("http://127.0.0.1:$(cat "$WORK/$name.port")/admin/status"); done
	declare -A last=()
	# shellcheck disable=SC2034 # begin is read by the TERM trap
	local rounds=0 begin="${EPOCHREALTIME/./}" now="${EPOCHREALTIME/./}" answers i generation
	# How many rounds in how long (µs), written once when stopped: the resolution of the figures.
	# shellcheck disable=SC2317 # the TERM trap
	trap 'echo "$rounds $(( now - begin ))" >"$WORK/watch.rounds"; exit 0' TERM
	while true; do
		answers="$(curl -s --max-time 1 -H "Authorization: Bearer $CANARY_ADMIN_TOKEN" \
			-w '\n@@END@@\n' "${urls[@]}" 2>/dev/null || true)"
		now="${EPOCHREALTIME/./}"
		i=0
		while IFS= read -r generation; do
			name="${NAMES[i]}"
			[[ -z "$generation" ]] && generation=down
			if [[ "${last[$name]-}" != "$generation" ]]; then
				last[$name]="$generation"
				echo "$now $name $generation" >>"$WORK/generations.log"
			fi
			i=$(( i + 1 ))
			(( i >= ${#NAMES[@]} )) && break
		done < <(awk '/^@@END@@$/ { print g; g = ""; next } { if (match($0, /"generation" *: *[0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/.*: */, "", s); g = s } }' <<<"$answers")
		rounds=$(( rounds + 1 ))
	done
}

# For every generation after the first one seen: how long from the first replica serving it (or a
# later one) to the last live replica doing so. A replica that was down when the generation appeared
# (the killed leader) is left out of it. Returns 1 when a live replica never applied one.
report_propagation() {
	local rounds elapsed
	read -r rounds elapsed <"$WORK/watch.rounds" 2>/dev/null || { rounds=1; elapsed=0; }
	say "propagation, from each replica's own /admin/status (not through nginx), polled every $(( elapsed / rounds / 1000 )) ms on average (each figure is good to about one such period):"
	awk -v names="${NAMES[*]}" '
		BEGIN { n = split(names, replica, " ") }
		{ t[NR] = $1; who[NR] = $2; g[NR] = $3; lines = NR; if ($3 != "down" && (min == "" || $3 + 0 < min)) min = $3 + 0; if ($3 != "down" && $3 + 0 > max) max = $3 + 0 }
		END {
			worst = 0; missed = 0; count = 0
			for (gen = min + 1; gen <= max; gen++) {
				first = ""
				for (i = 1; i <= lines; i++) if (g[i] != "down" && g[i] + 0 >= gen) { first = t[i]; break }
				if (first == "") continue
				slowest = 0; late = ""
				for (r = 1; r <= n; r++) {
					# the replica state at the moment the generation first appeared
					state = ""
					for (i = 1; i <= lines; i++) if (who[i] == replica[r] && t[i] <= first) state = g[i]
					if (state == "down") continue
					reached = ""
					for (i = 1; i <= lines; i++) if (who[i] == replica[r] && g[i] != "down" && g[i] + 0 >= gen) { reached = t[i]; break }
					if (reached == "") {
						# went down before it got there, or never got there
						down = 0
						for (i = 1; i <= lines; i++) if (who[i] == replica[r] && g[i] == "down" && t[i] > first) down = 1
						if (!down) { late = late " " replica[r]; missed++ }
						continue
					}
					if (reached - first > slowest) slowest = reached - first
				}
				count++
				if (slowest > worst) worst = slowest
				printf "    generation %d: on every live replica %.0f ms after the first%s\n", gen, slowest / 1000, (late == "" ? "" : ", never on" late)
			}
			if (count == 0) { print "    no new generation seen while the scenario ran"; exit 0 }
			printf "    slowest of %d changes: %.0f ms (target < 1000 ms: %s)\n", count, worst / 1000, (worst < 1000000 ? "met" : "NOT met")
			exit missed > 0 ? 1 : 0
		}' "$WORK/generations.log"
}

# The fleet as /admin/fleet shows it or, on a build without it, each replica's /admin/status.
print_fleet() {
	if [[ "$HAS_FLEET" == yes ]]; then
		say "GET /admin/fleet"
		admin_get /admin/fleet | pretty
		return
	fi
	local fleet_code
	admin_get /admin/fleet >/dev/null
	fleet_code="$(cat "$WORK/code")"
	say "GET /admin/fleet answered $fleet_code: this build has no /admin/fleet yet (the rollout-lease work adds it);"
	say "each replica's own GET /admin/status instead:"
	local name body
	for name in "${NAMES[@]}"; do
		body="$(admin_get /admin/status "http://127.0.0.1:$(cat "$WORK/$name.port")")"
		if [[ "$(cat "$WORK/code")" != 200 ]]; then
			printf '    %-10s not answering (%s)\n' "$name" "$(cat "$WORK/code")"
			continue
		fi
		printf '    %-10s %s\n' "$name" "$(tr -d '\n' <<<"$body" | grep -o '"\(generation\|stable_version\|canary_version\|canary_weight\|stable_request_count\|canary_request_count\)" *: *[^,}]*' | tr -d '" ' | tr '\n' ' ')"
	done
}

install_missing
build_if_needed
# The replicas use the fast start (docs/operations.md, "A faster start") with the JVM's archive only:
# Spring's AOT processing fixed canary.store at build time (file mode), and the replicas are in
# postgres mode. FLEET_FAST=false starts them from the plain jar.
if [[ "${FLEET_FAST:-true}" != false ]]; then
	fast_prepare "$(newest_java)" jvm
	SERVICE_LAUNCH=("$FAST_JAVA" "${FAST_OPTS[@]}" -jar "$FAST_JAR")
	say "replicas start with: ${SERVICE_LAUNCH[*]#"$ROOT/"}"
fi
# One operator token for the whole fleet, whatever the caller's shell exports.
CANARY_ADMIN_TOKEN="fleet-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export CANARY_ADMIN_TOKEN
unset CANARY_ADMIN_READ_TOKEN
start_postgres
NAMES=()
LETTERS=(a b c d e f g h i j k l m n o p q r s t u v w x y z)
for (( i = 0; i < REPLICAS; i++ )); do NAMES+=("replica-${LETTERS[i]}"); done
for name in "${NAMES[@]}"; do start_replica "$name"; done
start_nginx
HAS_FLEET="$(fleet_endpoint)"
if [[ "$HAS_FLEET" == no ]]; then
	say "GET /admin/fleet answers 404 on this build (the rollout lease adds it): the rollout's driver is read from the audit trail instead"
elif [[ "$HAS_FLEET" != yes ]]; then
	say "GET /admin/fleet: $HAS_FLEET; the rollout's driver is read from the audit trail instead"
fi

if [[ -n "$UPLOAD" ]]; then
	code="$(curl -sS -o "$WORK/upload.json" -w '%{http_code}' -X POST "http://127.0.0.1:$LB_PORT/admin/models" \
		-H "Authorization: Bearer $CANARY_ADMIN_TOKEN" -H 'Content-Type: application/json' --data-binary "@$UPLOAD")"
	say "uploaded $(basename "$UPLOAD") through the balancer: HTTP $code $(cut -c1-200 "$WORK/upload.json")"
	[[ "$code" == 201 || "$code" == 200 ]] || exit 3
fi
: >"$WORK/generations.log"
watch_generations &
WATCHER=$!
status=0
java -jar "$JAR" simulate --url "http://127.0.0.1:$LB_PORT" "${SIMULATOR_ARGS[@]}" &
SIMULATOR=$!
if $KILL_LEADER; then
	# A busy 2-core machine takes most of a minute to reach the first step: wait up to 3 minutes.
	deadline=$(( SECONDS + 180 ))
	victim=""
	# Wait until the rollout has moved past its first step, then kill its driver.
	until [[ -n "$victim" ]] || (( SECONDS >= deadline )) || ! kill -0 "$SIMULATOR" 2>/dev/null; do
		if admin_get /admin/status | grep -q '"step_index" *: *[1-9]'; then
			victim="$(leader)"
		fi
		sleep 0.2
	done
	if [[ -n "$victim" && -f "$WORK/$victim.pid" ]]; then
		say "kill -9 of the rollout's driver, $victim (pid $(cat "$WORK/$victim.pid")), at $(admin_get /admin/status | grep -o '"step_index" *: *[0-9]*')"
		kill -9 "$(cat "$WORK/$victim.pid")"
	else
		say "found no rollout driver past its first step within 180 s${victim:+ (named $victim, not one of ours)}; nothing killed"
	fi
fi
wait "$SIMULATOR" || status=$?
SIMULATOR=""
sleep 1.5 # one more publish interval: a change at the very end reaches every replica too
kill "$WATCHER" 2>/dev/null || true
wait "$WATCHER" 2>/dev/null || true
WATCHER=""

echo
if ! report_propagation; then
	say "a live replica never applied a generation"
	(( status == 0 )) && status=4
fi
if (( OUTAGE > 0 )); then
	echo
	say "database outage: PostgreSQL stopped for ${OUTAGE} s while predictions run through the balancer"
	stop_postgres
	ok=0
	failed=0
	end=$(( SECONDS + OUTAGE ))
	while (( SECONDS < end )); do
		code="$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
			-d '{"features": [0.5, 1.2, 0.8, 0.3, 1.1]}' "http://127.0.0.1:$LB_PORT/predict" || true)"
		if [[ "$code" == 200 ]]; then ok=$(( ok + 1 )); else failed=$(( failed + 1 )); fi
	done
	change="$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -X POST \
		-H "Authorization: Bearer $CANARY_ADMIN_TOKEN" "http://127.0.0.1:$LB_PORT/admin/toggle-slowdown" || true)"
	say "during the outage: $ok predictions answered 200, $failed did not; an admin change answered $change"
	restart_postgres
	say "PostgreSQL started again"
	back=""
	deadline=$(( SECONDS + 60 ))
	until [[ "$back" == 200 ]] || (( SECONDS >= deadline )); do
		back="$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X POST \
			-H "Authorization: Bearer $CANARY_ADMIN_TOKEN" "http://127.0.0.1:$LB_PORT/admin/toggle-slowdown" || true)"
		[[ "$back" == 200 ]] || sleep 0.5
	done
	if [[ "$back" == 200 ]]; then
		# Back to how it was: the change above turned the slowdown on.
		curl -s --max-time 10 -o /dev/null -X POST -H "Authorization: Bearer $CANARY_ADMIN_TOKEN" \
			"http://127.0.0.1:$LB_PORT/admin/toggle-slowdown" || true
		say "after the outage an admin change answered 200, without restarting any replica"
	else
		say "after the outage no admin change succeeded within 60 s (last answer $back)"
	fi
	if (( failed > 0 )) || [[ "$change" != 503 || "$back" != 200 ]]; then
		(( status == 0 )) && status=5
	fi
fi

echo
print_fleet
say "the simulator exited $status"
if $KEEP; then
	say "running until Ctrl-C: balancer http://127.0.0.1:$LB_PORT, token in CANARY_ADMIN_TOKEN=$CANARY_ADMIN_TOKEN"
	while true; do sleep 3600; done
fi
exit "$status"
