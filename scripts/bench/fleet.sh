#!/usr/bin/env bash
# The fleet's benchmarks (docs/performance.md#the-fleet), on a throwaway PostgreSQL on loopback:
#   A. /predict on one replica in postgres mode against one in file mode, same run, alternating
#      rounds (scripts/bench/ab.sh), canary v2 at 10%, 32 connections; target at least 0.95x.
#   B. three replicas in postgres mode behind nginx, canary v2 at 10%, 32 connections: req/s, p50,
#      p99, CPU per request, and the cost of publishing: what PostgreSQL spends meanwhile (its CPU,
#      commits and WAL bytes per second, per replica and per publish). On a 2-core machine this
#      measures the overhead of the fleet's parts, not scaling: the replicas, nginx, PostgreSQL and
#      wrk share the same two cores.
#
#   scripts/bench/fleet.sh            about 10 minutes; writes docs/benchmarks/YYYY-MM-DD-fleet.md
#   scripts/bench/fleet.sh --quick    3 to 6 minutes, short runs: a smoke test, no dated report
#
# Writes target/bench/fleet.md in both cases. Needs wrk, PostgreSQL and nginx (installed from
# Debian's packages when missing). Environment: FLEET_BENCH_REPLICAS (3), FLEET_BENCH_DURATION,
# FLEET_BENCH_ROUNDS, FLEET_BENCH_PARTS ("A B": which parts to run).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/bench/apps.sh
source "$ROOT/scripts/bench/apps.sh"
cd "$ROOT"

QUICK=false
[[ "${1-}" == --quick ]] && QUICK=true
if $QUICK; then
	DURATION="${FLEET_BENCH_DURATION:-4}" ROUNDS="${FLEET_BENCH_ROUNDS:-2}" AB_WARMUP_LIMIT=20 FLEET_WARMUP=15
else
	DURATION="${FLEET_BENCH_DURATION:-10}" ROUNDS="${FLEET_BENCH_ROUNDS:-3}" AB_WARMUP_LIMIT=120 FLEET_WARMUP=90
fi
REPLICAS="${FLEET_BENCH_REPLICAS:-3}"
PARTS=" ${FLEET_BENCH_PARTS:-A B} "
CONNECTIONS=32 WRK_THREADS=2 WARMUP=5 WARMUP_MAX=$AB_WARMUP_LIMIT
JAVA_OPTS=()
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-fleet-bench.XXXXXX")"
OUT="$ROOT/target/bench"
READY_TIMEOUT=120
REPLICA_PIDS=()   # the replicas (fleet-lib.sh); apps.sh has its own PIDS
CLOCK_TICKS=$(getconf CLK_TCK)
say() { log "fleet bench: $*"; }

# shellcheck source=scripts/fleet-lib.sh
source "$ROOT/scripts/fleet-lib.sh"

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	local status=$?
	trap - INT TERM
	stop_nginx
	local pid
	for pid in "${REPLICA_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${REPLICA_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	stop_postgres
	if [[ $status -eq 0 ]]; then rm -rf "$WORK"; else say "logs kept in $WORK"; fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

psql_value() {
	"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U canary -d canary -Atqc "$1"
}

# CPU clock ticks of our PostgreSQL: the postmaster, its live children and the children it reaped.
pg_ticks() {
	local postmaster total=0 pid
	postmaster="$(head -n 1 "$PG_DATA/postmaster.pid")"
	total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat")
	for pid in $(ps -o pid= --ppid "$postmaster"); do
		total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
	done
	echo "$total"
}

# The database's counters, exact at once (pg_stat_database's are flushed seconds late): the next
# transaction id (only writing transactions take one; this query does not) and the WAL position.
pg_counters() {
	psql_value "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
}

replica_ticks() {
	local total=0 name
	for name in "${NAMES[@]}"; do
		total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$(cat "$WORK/$name.pid")/stat") ))
	done
	echo "$total"
}

nginx_ticks() {
	local master total pid
	master="$(cat "$WORK/nginx/nginx.pid")"
	total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$master/stat")
	for pid in $(ps -o pid= --ppid "$master"); do
		total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
	done
	echo "$total"
}

install_wrk
install_missing
build_if_needed
mkdir -p "$OUT"
unset CANARY_ADMIN_TOKEN CANARY_ADMIN_READ_TOKEN
STARTED_AT="$(date -u +%FT%TZ)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
UNCOMMITTED=false
[[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]] && UNCOMMITTED=true
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem/ { print $2 }') GiB"
JAVA_VERSION="$(java -version 2>&1 | sed -n 2p)"
start_postgres
URL="jdbc:postgresql://127.0.0.1:$PG_PORT/canary"

# ---- A: one replica, postgres mode vs file mode ---------------------------------------------------
: >"$WORK/ab-setup.tsv"
: >"$WORK/ab.tsv"
A_FILE_RPS="" A_PG_RPS="" A_FILE_CPU="" A_PG_CPU=""
if [[ "$PARTS" == *" A "* ]]; then
	say "A: postgres mode vs file mode, $ROUNDS alternating rounds of $DURATION s at $CONNECTIONS connections"
	AB_ROUNDS=$ROUNDS AB_DURATION=$DURATION AB_CONNECTIONS=$CONNECTIONS AB_WARMUP_MAX=$AB_WARMUP_LIMIT \
		AB_SETUP_OUT="$WORK/ab-setup.tsv" "$ROOT/scripts/bench/ab.sh" \
		file="$JAR" \
		postgres="$JAR,env:CANARY_STORE=postgres,env:SPRING_DATASOURCE_URL=$URL,env:SPRING_DATASOURCE_USERNAME=canary,env:CANARY_FLEET_REPLICA_ID=bench-ab" \
		| tee "$WORK/ab.out"
	# "round N <tab> name <tab> RPS req/s <tab> CPU µs CPU/req"
	awk -F'\t' '/^round / { sub(/ req\/s/, "", $3); sub(/ µs CPU\/req/, "", $4); print $2 "\t" $3 "\t" $4 }' "$WORK/ab.out" >"$WORK/ab.tsv"
	median() { # median NAME COLUMN
		awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$WORK/ab.tsv" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
	}
	A_FILE_RPS=$(median file 2) A_PG_RPS=$(median postgres 2) A_FILE_CPU=$(median file 3) A_PG_CPU=$(median postgres 3)
fi

# ---- B: replicas behind nginx ------------------------------------------------------------------
B_RUNS=()
if [[ "$PARTS" == *" B "* ]]; then
	# A database of its own for B: A's replica left its heartbeat row and deployment in "canary".
	psql_value "CREATE DATABASE fleet" >/dev/null
	PG_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/fleet"
	NAMES=()
	LETTERS=(a b c d e f g h i j k l m n o p q r s t u v w x y z)
	for (( i = 0; i < REPLICAS; i++ )); do NAMES+=("replica-${LETTERS[i]}"); done
	for name in "${NAMES[@]}"; do
		start_replica "$name" --spring.datasource.url="$PG_DB_URL"
	done
	start_nginx
	BASE="http://127.0.0.1:$LB_PORT"
	curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"version":"v2","weight":0.1}' "$BASE/admin/deploy-canary"
	sleep 1
	say "B: $REPLICAS replicas behind nginx, canary v2 at 10%: warming up for $FLEET_WARMUP s through nginx"
	wrk_run "$CONNECTIONS" "$FLEET_WARMUP" >/dev/null
	for round in $(seq 1 "$ROUNDS"); do
		read -r xid0 wal0 <<<"$(pg_counters | tr '|' ' ')"
		pg0=$(pg_ticks) rep0=$(replica_ticks) lb0=$(nginx_ticks) t0=${EPOCHREALTIME/./}
		result="$(wrk_run "$CONNECTIONS" "$DURATION")"
		t1=${EPOCHREALTIME/./} pg1=$(pg_ticks) rep1=$(replica_ticks) lb1=$(nginx_ticks)
		read -r xid1 wal1 <<<"$(pg_counters | tr '|' ' ')"
		line=$(awk -v rps="$(json_field "$result" rps)" -v p50="$(json_field "$result" p50_ms)" -v p99="$(json_field "$result" p99_ms)" \
			-v req="$(json_field "$result" requests)" -v secs="$(( t1 - t0 ))" -v hz="$CLOCK_TICKS" -v n="$REPLICAS" \
			-v rep="$(( rep1 - rep0 ))" -v lb="$(( lb1 - lb0 ))" -v pg="$(( pg1 - pg0 ))" \
			-v commits="$(( xid1 - xid0 ))" -v wal="$(( wal1 - wal0 ))" 'BEGIN {
				s = secs / 1e6
				printf "%.0f\t%.3f\t%.3f\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.0f\t%.0f", rps, p50, p99,
					rep * 1e6 / hz / req, lb * 1e6 / hz / req, pg * 1000 / hz / s, commits / s, commits / s / n, wal / s, wal / s / n
			}')
		B_RUNS+=("$round	$line")
		say "B round $round: $(cut -f1-3 <<<"$line" | awk -F'\t' '{ printf "%s req/s, p50 %s ms, p99 %s ms", $1, $2, $3 }')"
	done
fi
PUBLISH_INTERVAL=1
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the report -----------------------------------------------------------------------------------
{
	echo "Machine: $MACHINE; $JAVA_VERSION. Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $LOAD_END."
	$QUICK && echo "Quick mode: short runs ($DURATION s, $ROUNDS rounds, warm-up limited), a smoke test, not figures."
	echo
	if [[ "$PARTS" == *" A "* ]]; then
		echo "## A. One replica: postgres mode vs file mode"
		echo
		echo "Alternating rounds of \`scripts/bench/ab.sh\` ($ROUNDS rounds, $DURATION s each after 5 s of warm-up, $CONNECTIONS connections, canary v2 at 10%), both apps warmed up first:"
		echo
		awk -F'\t' '{ printf "- %s: %s; %s\n", $1, $2, $3 }' "$WORK/ab-setup.tsv"
		echo
		echo "| variant | round | req/s | CPU µs/req |"
		echo "|---|---:|---:|---:|"
		awk -F'\t' '{ r[$1]++; printf "| %s | %d | %s | %s |\n", $1, r[$1], $2, $3 }' "$WORK/ab.tsv"
		echo
		awk -v f="$A_FILE_RPS" -v p="$A_PG_RPS" -v fc="$A_FILE_CPU" -v pc="$A_PG_CPU" 'BEGIN {
			r = p / f
			printf "Medians: file mode %.0f req/s (%.1f µs CPU/req), postgres mode %.0f req/s (%.1f µs CPU/req): postgres mode at %.2fx file mode (target at least 0.95x): %s.\n", f, fc, p, pc, r, (r >= 0.95 ? "met" : "**not met**")
		}'
		echo
	fi
	if [[ "$PARTS" == *" B "* ]]; then
		echo "## B. $REPLICAS replicas behind nginx"
		echo
		echo "On a machine with $(nproc) cores the replicas, nginx, PostgreSQL and wrk share the same cores: this measures what the fleet's parts cost (the balancer's hop, the publishing), **not scaling**. Canary v2 at 10%, $CONNECTIONS connections through nginx (keep-alive to the replicas), ${FLEET_WARMUP} s of warm-up through nginx, then $ROUNDS runs of $DURATION s. The cost of publishing is what PostgreSQL did meanwhile: every replica writes its heartbeat and re-reads the deployment every publish interval (${PUBLISH_INTERVAL} s, the default), and with pooled analysis also publishes its windows; per replica and second, that is per publish. Write transactions are counted by transaction id (reads take none), WAL bytes by the WAL position, both over the whole database."
		echo
		echo "| run | req/s | p50 ms | p99 ms | replicas' CPU µs/req | nginx CPU µs/req | PostgreSQL CPU ms/s | write transactions/s | per replica | WAL bytes/s | WAL bytes per replica and publish |"
		echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		for run in "${B_RUNS[@]}"; do
			awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 }' <<<"$run"
		done
	fi
} >"$OUT/fleet.md"
cat "$OUT/fleet.md"
if ! $QUICK; then
	dated="$ROOT/docs/benchmarks/${STARTED_AT%%T*}-fleet.md"
	n=2
	while [[ -e "$dated" ]]; do dated="$ROOT/docs/benchmarks/${STARTED_AT%%T*}-fleet-$n.md"; n=$(( n + 1 )); done
	{
		printf '# Fleet benchmark run of %s, %s UTC\n\n' "${STARTED_AT%%T*}" "$(cut -c12-16 <<<"$STARTED_AT")"
		# shellcheck disable=SC2016 # the backticks are markdown
		printf 'Generated by `scripts/bench/fleet.sh`, started at %s, on commit `%s`%s.\n\n' "$STARTED_AT" "$COMMIT" \
			"$($UNCOMMITTED && echo ' with uncommitted changes in the work tree')"
		cat "$OUT/fleet.md"
	} >"$dated"
	say "report: $dated"
fi
