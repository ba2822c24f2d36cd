#!/usr/bin/env bash
# Startup benchmark (docs/performance.md): JVM launch to the first answered 200 on POST /predict,
# STARTUP_STARTS starts (default 5) of each variant, the variants taking turns in every round so that
# a change in the machine's load spreads over all of them. Prints a markdown table with the median of
# each and the 2.0 s target of the fast start beside it, and writes it to target/bench/startup.md;
# with --report also to docs/benchmarks/YYYY-MM-DD-startup.md (the UTC date; -2, -3, ... when it
# exists), with the commit, the machine, the JDKs and the load average.
#
# usage: scripts/bench/startup.sh [--report]
#
# Variants (STARTUP_VARIANTS, default all, in this order):
#   17-plain        Java 17, java -jar target/ml-canary.jar
#   17-cds          Java 17, Spring's AOT processing and a class data sharing archive (the recipe of
#                   ADR 0006), on the extracted jar
#   25-plain        the newest JDK (Java 25 here), java -jar target/ml-canary.jar
#   25-aot          the newest JDK with the JVM's AOT cache only (as the fleet's replicas start)
#   25-run          scripts/run.sh as a user starts it: the AOT cache and Spring's AOT processing
#   25-run-b        the same with RUN_JAVA_OPTS=$STARTUP_B_JAVA_OPTS and the service arguments
#                   $STARTUP_B_ARGS: one change judged against 25-run in the same run (not by default)
# The archives are built first when missing (scripts/fast-lib.sh), outside the timed starts. The
# Java 17 variants need a JDK 17 (/usr/lib/jvm/java-17-*); STARTUP_JAVA17 and STARTUP_JAVA_NEW
# choose the two JDKs. STARTUP_SERVICE_ARGS adds service arguments to every start.
# Wrap it in flock /tmp/ml-canary-bench.lock on a shared machine.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/fast-lib.sh
source "$ROOT/scripts/fast-lib.sh"
cd "$ROOT"

REPORT=false
if [[ "${1:-}" == --report ]]; then
	REPORT=true
elif [[ $# -gt 0 ]]; then
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
STARTS="${STARTUP_STARTS:-5}"
read -r -a VARIANTS <<< "${STARTUP_VARIANTS:-17-plain 17-cds 25-plain 25-aot 25-run}"
read -r -a SERVICE_ARGS <<< "${STARTUP_SERVICE_ARGS:-}"
JAVA17="${STARTUP_JAVA17:-$(compgen -G '/usr/lib/jvm/java-17-openjdk*/bin/java' | head -n 1 || true)}"
JAVA_NEW="${STARTUP_JAVA_NEW:-$(newest_java)}"
TARGET_MS=2000
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-startup.XXXXXX")"
PID=""

# shellcheck disable=SC2317  # invoked by the traps below
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
	if [[ $status -eq 0 ]]; then rm -rf "$WORK"; else echo "startup: failed; logs kept in $WORK" >&2; fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# pause: 20 ms without starting a process (read times out on a FIFO nobody writes to).
mkfifo "$WORK/pause"
exec 9<> "$WORK/pause"
pause() { read -r -t 0.02 -u 9 || true; }

STARTED_AT="$(date -u +%FT%TZ)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
UNCOMMITTED=false
[[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]] && UNCOMMITTED=true
build_if_needed

# The command line of each variant, prepared once (archives built outside the timed starts).
declare -A CMD=()
for v in "${VARIANTS[@]}"; do
	case $v in
		17-plain) [[ -n "$JAVA17" ]] || { echo "startup: no JDK 17 found (STARTUP_JAVA17)" >&2; exit 2; }
			CMD[$v]="$JAVA17 -jar $JAR" ;;
		17-cds) fast_prepare "$JAVA17" spring-aot; CMD[$v]="$FAST_JAVA ${FAST_OPTS[*]} -jar $FAST_JAR" ;;
		25-plain) CMD[$v]="$JAVA_NEW -jar $JAR" ;;
		25-aot) fast_prepare "$JAVA_NEW" jvm; CMD[$v]="$FAST_JAVA ${FAST_OPTS[*]} -jar $FAST_JAR" ;;
		25-run) JAVA_HOME="$(java_home_of "$JAVA_NEW")" "$ROOT/scripts/run.sh" --prepare; CMD[$v]="env JAVA_HOME=$(java_home_of "$JAVA_NEW") $ROOT/scripts/run.sh" ;;
		25-run-b) JAVA_HOME="$(java_home_of "$JAVA_NEW")" "$ROOT/scripts/run.sh" --prepare
			CMD[$v]="env JAVA_HOME=$(java_home_of "$JAVA_NEW") $ROOT/scripts/run.sh ${STARTUP_B_ARGS:-}" ;;
		*) echo "startup: unknown variant $v" >&2; exit 2 ;;
	esac
	log "$v: ${CMD[$v]}"
done

# time_start VARIANT N: one start; appends "VARIANT N MS SPRING_S" to $WORK/results.
time_start() {
	local v=$1 n=$2 port started ms spring
	port="$(free_port)"
	local log="$WORK/$v-$n.log"
	started=$(date +%s%N)
	# shellcheck disable=SC2086  # the command line is split on purpose
	local b_opts="${RUN_JAVA_OPTS:-}"
	[[ $v == 25-run-b ]] && b_opts="${STARTUP_B_JAVA_OPTS:-}"
	env -u CANARY_ADMIN_TOKEN -u CANARY_ADMIN_READ_TOKEN -u CANARY_STORE RUN_JAVA_OPTS="$b_opts" ${CMD[$v]} \
		--server.address=127.0.0.1 --server.port="$port" --canary.state-dir="$WORK/state-$v-$n" \
		"${SERVICE_ARGS[@]}" > "$log" 2>&1 &
	PID=$!
	local deadline=$(( SECONDS + 120 ))
	# Until the port accepts a connection, poll with bash alone: no process is started, so the
	# polling takes no CPU from the start it measures (a curl every 20 ms took a third of a core
	# here). From then on, curl until the first 200.
	until : 2> /dev/null <> "/dev/tcp/127.0.0.1/$port"; do
		if ! kill -0 "$PID" 2>/dev/null || (( SECONDS >= deadline )); then break; fi
		pause
	done
	until curl -fsS -o /dev/null --max-time 2 -H 'Content-Type: application/json' \
		-d '{"features":[0.5,1.2,0.8,0.3,1.1]}' "http://127.0.0.1:$port/predict" 2>/dev/null; do
		if ! kill -0 "$PID" 2>/dev/null && grep -q 'already in use' "$log"; then
			# another process took the free port between the check and the bind: start again
			wait "$PID" 2>/dev/null || true
			PID=""
			time_start "$v" "$n"
			return
		fi
		if ! kill -0 "$PID" 2>/dev/null || (( SECONDS >= deadline )); then
			echo "startup: $v did not become ready; last lines of its log:" >&2
			tail -n 30 "$log" >&2
			exit 3
		fi
		pause
	done
	ms=$(( ($(date +%s%N) - started) / 1000000 ))
	spring=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds' "$log" | grep -o '[0-9.]* seconds' | cut -d' ' -f1 || true)
	kill "$PID" 2>/dev/null || true
	wait "$PID" 2>/dev/null || true
	PID=""
	echo "$v $n $ms ${spring:-?}" >> "$WORK/results"
	log "$v start $n: $ms ms (Spring: started in ${spring:-?} s)"
}

: > "$WORK/results"
for n in $(seq 1 "$STARTS"); do
	for v in "${VARIANTS[@]}"; do time_start "$v" "$n"; done
done
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

jdk_line() { "$1" -version 2>&1 | sed -n 2p; }
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem/ { print $2 }') GiB"
mkdir -p "$BENCH_DIR"
MD="$BENCH_DIR/startup.md"
{
	printf 'Machine: %s. JDKs: %s (`%s`); %s (`%s`). Load average (1, 5, 15 min) at the start: %s; at the end: %s.\n\n' \
		"$MACHINE" "$( [[ -n "$JAVA17" ]] && jdk_line "$JAVA17" || echo 'no JDK 17')" "$JAVA17" "$(jdk_line "$JAVA_NEW")" "$JAVA_NEW" "$LOAD_START" "$LOAD_END"
	printf 'Launch to the first answered 200 on `POST /predict` (polled every 20 ms, by bash until the port is open, then by curl), %s starts of each variant, taking turns.\n\n' "$STARTS"
	echo '| variant | command | starts (s) | median (s) | Spring "Started in" (s), median |'
	echo '|---|---|---|---:|---:|'
	for v in "${VARIANTS[@]}"; do
		awk -v v="$v" -v cmd="${CMD[$v]//$ROOT\//}" '
			$1 == v { ms[++n] = $3; if ($4 != "?") sp[++m] = $4 }
			function median(a, k,   i, j, t) { for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
			END {
				list = ""; for (i = 1; i <= n; i++) list = list (i > 1 ? ", " : "") sprintf("%.2f", ms[i] / 1000)
				printf "| %s | `%s` | %s | %.2f | %s |\n", v, cmd, list, median(ms, n) / 1000, m ? sprintf("%.2f", median(sp, m)) : "n/a"
			}' "$WORK/results"
	done
	echo
	[[ -n "${STARTUP_B_JAVA_OPTS:-}${STARTUP_B_ARGS:-}" ]] &&
		printf -- '- 25-run-b: RUN_JAVA_OPTS="%s", service arguments "%s".\n' "${STARTUP_B_JAVA_OPTS:-}" "${STARTUP_B_ARGS:-}"
	for v in 25-run 25-run-b; do
		grep -q "^$v " "$WORK/results" || continue
		awk -v v="$v" -v t="$TARGET_MS" '$1 == v { ms[++n] = $3 }
			END { for (i = 2; i <= n; i++) { x = ms[i]; for (j = i - 1; j > 0 && ms[j] > x; j--) ms[j + 1] = ms[j]; ms[j + 1] = x }
				med = n % 2 ? ms[(n + 1) / 2] : (ms[n / 2] + ms[n / 2 + 1]) / 2
				printf "- Target: fast start (%s) at most %.1f s, median of %d: %.2f s: %s.\n", v, t / 1000, n, med / 1000, med <= t ? "met" : "**not met**" }' "$WORK/results"
	done
} > "$MD"
cat "$MD"
if $REPORT; then
	DATE="${STARTED_AT%%T*}"
	dated="$ROOT/docs/benchmarks/$DATE-startup.md" k=2
	while [[ -e "$dated" ]]; do dated="$ROOT/docs/benchmarks/$DATE-startup-$k.md"; k=$(( k + 1 )); done
	{
		printf '# Startup benchmark of %s, %s UTC\n\n' "$DATE" "$(cut -c12-16 <<< "$STARTED_AT")"
		# shellcheck disable=SC2016  # the backticks are markdown
		printf 'Generated by `scripts/bench/startup.sh`, started at %s, on commit `%s`%s.\n\n' "$STARTED_AT" "$COMMIT" \
			"$($UNCOMMITTED && echo ' with uncommitted changes in the work tree')"
		cat "$MD"
	} > "$dated"
	log "Wrote $MD and $dated"
fi
