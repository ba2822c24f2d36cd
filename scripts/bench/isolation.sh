#!/usr/bin/env bash
# Isolation and ceiling benchmark (docs/performance.md#isolation-and-the-http-ceiling-scriptsbenchisolationsh):
#   A. The HTTP ceiling: nginx answering the same JSON body statically, beside the service on platform
#      threads and on virtual threads, wrk closed loop at 32 connections, canary v2 at 10%, alternating
#      rounds; req/s, CPU µs per request (/proc/PID/stat utime+stime over the run). Targets: the
#      service at least 0.5x nginx, at most 25 µs CPU per request. Beside them the floor under the
#      service: bare Tomcat (scripts/bench/TomcatFloor.java, the service's tomcat-embed-core) answering
#      the same bytes, so the report says how much of the CPU per request is Tomcat's own.
#   B. The slowdown in a closed loop (10 ms, canary at 10%) at 1, 32 and 128 connections, platform
#      against virtual threads, with Little's-law ceiling beside each: connections / (weight x delay),
#      the most a closed loop can do when a tenth of its round trips take the delay.
#   C. Open loop (scripts/bench/OpenLoop.java, a fixed arrival rate): at 50% and 80% of the capacity measured in A (the default
#      variant, closed loop at 32 connections), a stable stream (X-Canary-Route: stable, 90% of the
#      rate) and a canary stream (X-Canary-Route: canary, 10%), slowdown off then on; stable-routed
#      p50, p99, p99.9 from every answer. Target: p99 with the slowdown within 10% of without.
#   D. 1,000 slowed requests in flight: a service with --canary.slowdown-delay=1s and the canary at
#      100%, wrk -c1000 for 20 s, and beside it a light stable stream (OpenLoop, forced stable); platform
#      and virtual threads in turn. Target: none refused, none timed out, stable latency unchanged.
#   E. A JFR profile of the default variant at 32 connections: the top frames (jfr view hot-methods).
#
#   scripts/bench/isolation.sh          about 10 minutes; writes docs/benchmarks/YYYY-MM-DD-isolation.md
#   scripts/bench/isolation.sh --quick  short runs, a smoke test: target/bench/isolation.md only
#
# The service runs on ISO_JAVA_HOME (default: Temurin 25 when installed, else the java on PATH); on a
# JDK older than 21 virtual threads do not exist and the "virtual" variant is the same as "platform".
# Needs wrk and nginx (Debian's packages). Environment: ISO_ROUNDS (3), ISO_DURATION (10),
# ISO_OPEN_DURATION (15), ISO_PIN (true: part C with the service on CPU 0 and the generators on the
# last CPU, the capacity measured again so), ISO_OPEN_THREADS (32) and ISO_OPEN_CANARY_THREADS (64): connections of the open-loop streams, ISO_PARTS ("A B C D E"), ISO_CAPACITY (req/s for C instead of A's figure), ISO_DEFAULT (virtual: the variant C and E measure).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=scripts/bench/apps.sh
source "$ROOT/scripts/bench/apps.sh"
# shellcheck source=scripts/fast-lib.sh
source "$ROOT/scripts/fast-lib.sh"
cd "$ROOT"

QUICK=false
[[ "${1-}" == --quick ]] && QUICK=true
if $QUICK; then
	ROUNDS="${ISO_ROUNDS:-1}" DURATION="${ISO_DURATION:-4}" OPEN_DURATION="${ISO_OPEN_DURATION:-5}" WARMUP_MAX=20 D_DURATION=8
else
	ROUNDS="${ISO_ROUNDS:-3}" DURATION="${ISO_DURATION:-10}" OPEN_DURATION="${ISO_OPEN_DURATION:-15}" WARMUP_MAX=90 D_DURATION=20
fi
PARTS=" ${ISO_PARTS:-A B C D E} "
DEFAULT_VARIANT="${ISO_DEFAULT:-virtual}"
if [[ -z "${ISO_JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
	ISO_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
[[ -n "${ISO_JAVA_HOME:-}" ]] && export PATH="$ISO_JAVA_HOME/bin:$PATH"
WRK_THREADS=2 WARMUP=5
OPEN_THREADS="${ISO_OPEN_THREADS:-32}" OPEN_CANARY_THREADS="${ISO_OPEN_CANARY_THREADS:-64}"
JAVA_OPTS=()
# Part C pins the service to one core and its load generators to another (ISO_PIN=false: not).
PIN=false SERVICE_CPU=0 LOAD_CPU=$(( $(nproc) - 1 )) LOAD_PREFIX=()
[[ "${ISO_PIN:-true}" == true ]] && (( LOAD_CPU > 0 )) && command -v taskset > /dev/null && PIN=true
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-isolation.XXXXXX")"
OUT="$ROOT/target/bench"
CLOCK_TICKS=$(getconf CLK_TCK)
WEIGHT=0.1 DELAY_MS=10
BODY='{"features":[0.5,1.2,0.8,0.3,1.1]}'
# The service's answer to BODY, byte for byte, as nginx's static answer.
STATIC='{"churn_probability":0.32651616073089995,"model_used":"stable","model_version":"v1","latency_ms":0.005345}'

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
	local status=$?
	trap - INT TERM
	[[ -f "$WORK/nginx/nginx.pid" ]] && { kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; }
	[[ -n "${FLOOR_PID:-}" ]] && { kill "$FLOOR_PID" 2>/dev/null || true; }
	stop_all_apps
	if [[ $status -eq 0 ]]; then rm -rf "$WORK"; else log "isolation: failed; logs kept in $WORK"; fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in wrk /usr/sbin/nginx; do
	command -v "$tool" > /dev/null || { echo "isolation: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 2; }
done
build_if_needed
mkdir -p "$WORK/openloop"
javac -d "$WORK/openloop" "$ROOT/scripts/bench/OpenLoop.java"
# Part A's floor: scripts/bench/TomcatFloor.java on the tomcat-embed-core jar inside the service's jar.
mkdir -p "$WORK/floor"
FLOOR_TOMCAT="$(jar tf "$JAR" | grep -m1 '^BOOT-INF/lib/tomcat-embed-core-.*\.jar$')"
FLOOR_ANNOTATIONS="$(jar tf "$JAR" | grep -m1 '^BOOT-INF/lib/jakarta\.annotation-api-.*\.jar$')"
(cd "$WORK/floor" && jar xf "$JAR" "$FLOOR_TOMCAT" "$FLOOR_ANNOTATIONS")
FLOOR_CP="$WORK/floor/$FLOOR_TOMCAT:$WORK/floor/$FLOOR_ANNOTATIONS:$WORK/floor"
javac -cp "$FLOOR_CP" -d "$WORK/floor" "$ROOT/scripts/bench/TomcatFloor.java"
mkdir -p "$OUT"
unset CANARY_ADMIN_TOKEN CANARY_ADMIN_READ_TOKEN

admin() {
	curl -fsS -X POST "$BASE/admin/$1" -H 'Content-Type: application/json' ${2:+-d "$2"} > /dev/null
}

# ticks PID: CPU clock ticks (user + system) of a process and of the children it reaped.
ticks_of() {
	awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"
}

nginx_ticks() {
	local master total pid
	master="$(cat "$WORK/nginx/nginx.pid")"
	total=$(ticks_of "$master")
	for pid in $(ps -o pid= --ppid "$master"); do
		total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
	done
	echo "$total"
}

# A port that free_port found unanswered can still be taken by a client socket of the same number
# (loopback ports above 32768 are also the clients'), so nginx gets three tries.
start_static_nginx() {
	local _
	for _ in 1 2 3; do
		start_static_nginx_once && return 0
		log "nginx could not bind port $NGINX_PORT; trying another"
	done
	echo "isolation: nginx could not bind a port in 3 attempts" >&2
	exit 3
}

start_static_nginx_once() {
	NGINX_PORT="$(free_port)"
	mkdir -p "$WORK/nginx"
	cat > "$WORK/nginx/nginx.conf" <<-EOF
		worker_processes auto;
		pid $WORK/nginx/nginx.pid;
		error_log $WORK/nginx/error.log warn;
		events { worker_connections 4096; }
		http {
		    access_log off;
		    client_body_temp_path $WORK/nginx/body;
		    proxy_temp_path $WORK/nginx/proxy;
		    fastcgi_temp_path $WORK/nginx/fastcgi;
		    uwsgi_temp_path $WORK/nginx/uwsgi;
		    scgi_temp_path $WORK/nginx/scgi;
		    server {
		        listen 127.0.0.1:$NGINX_PORT;
		        location = /predict {
		            default_type application/json;
		            return 200 '$STATIC';
		        }
		    }
		}
	EOF
	/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>> "$WORK/nginx/start.log" || return 1
	local deadline=$(( SECONDS + 10 ))
	until curl -fsS -o /dev/null -d "$BODY" "http://127.0.0.1:$NGINX_PORT/predict" 2>/dev/null; do
		(( SECONDS < deadline )) || { echo "isolation: nginx did not answer" >&2; exit 3; }
		sleep 0.1
	done
	log "nginx (static answer) on 127.0.0.1:$NGINX_PORT"
}

# closed NAME CONNECTIONS: one measured wrk run (5 s warm-up first) against the current BASE, with
# the CPU of TICKS_FN; prints "rps p50_ms p99_ms cpu_us errors".
closed() {
	local ticks_fn=$1 connections=$2 result t0 t1
	wrk_run "$connections" 5 > /dev/null
	t0=$($ticks_fn)
	result=$(wrk_run "$connections" "$DURATION")
	t1=$($ticks_fn)
	local errors
	errors=$(sed -n 's/.*"errors":{\(.*\)}}/\1/p' <<< "$result" | tr ',' '\n' | awk -F: '{ n += $2 } END { print n + 0 }')
	awk -v rps="$(json_field "$result" rps)" -v p50="$(json_field "$result" p50_ms)" -v p99="$(json_field "$result" p99_ms)" \
		-v n="$(json_field "$result" requests)" -v t=$(( t1 - t0 )) -v hz="$CLOCK_TICKS" -v e="$errors" \
		'BEGIN { printf "%.0f %.3f %.3f %.1f %d\n", rps, p50, p99, (n > 0 ? t * 1e6 / hz / n : 0), e }'
}
app_ticks() { ticks_of "$APP_PID"; }

# open_loop RATE SECONDS WARMUP THREADS CANARY_EVERY: scripts/bench/OpenLoop.java against BASE; prints
# its two lines "OPENLOOP role n rate_per_s non200 errors p50_ms p99_ms p999_ms max_ms".
open_loop() {
	"${LOAD_PREFIX[@]}" java -XX:+UseSerialGC -cp "$WORK/openloop" OpenLoop 127.0.0.1 "${BASE##*:}" "$@"
}
role_line() {   # role_line OUTPUT ROLE: the fields after "OPENLOOP ROLE"
	awk -v r="$2" '$1 == "OPENLOOP" && $2 == r { $1 = ""; $2 = ""; print substr($0, 3) }' <<< "$1"
}

variant_args() {   # the service's arguments of a variant
	case $1 in
		platform) echo "--spring.threads.virtual.enabled=false" ;;
		virtual) echo "--spring.threads.virtual.enabled=true" ;;
	esac
}

STARTED_AT="$(date -u +%FT%TZ)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
UNCOMMITTED=false
[[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]] && UNCOMMITTED=true
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/^Mem/ { print $2 }') GiB"
JAVA_VERSION="$(java -version 2>&1 | sed -n 2p)"
WRK_VERSION="$( (wrk -v 2>&1 || true) | head -n 1 | cut -d" " -f1-2)"
log "isolation: $MACHINE; $JAVA_VERSION; load average $LOAD_START"
REPORT="$WORK/report.md"
: > "$REPORT"

start_variants() {
	local v
	for v in platform virtual; do
		start_app "$v" "$JAR" --canary.state-dir="$WORK/state-$v" "$(variant_args "$v")"
		admin deploy-canary "{\"version\":\"v2\",\"weight\":$WEIGHT}"
		warm_up
		# Tomcat's pool threads (http-nio-PORT-exec-N) exist only on platform threads.
		local pool
		pool=$(jcmd "$APP_PID" Thread.print 2>/dev/null | grep -c '^"http-nio-.*-exec-' || true)
		printf -- '- %s (`%s`): %s; %s Tomcat pool threads after it\n' "$v" "$(variant_args "$v")" "$WARM_UP_SUMMARY" "$pool" >> "$WORK/setup.md"
	done
}

# start_floor: scripts/bench/TomcatFloor.java (bare Tomcat, the same answer) on a free port, on
# virtual threads where the JDK has them, as the service's default; sets FLOOR_PORT, FLOOR_PID. Three
# tries, as for nginx.
start_floor() {
	local _
	for _ in 1 2 3; do
		start_floor_once && return 0
		log "bare Tomcat could not bind port $FLOOR_PORT; trying another"
	done
	echo "isolation: the Tomcat floor did not start in 3 attempts; its last log:" >&2
	cat "$WORK/floor/floor.log" >&2
	exit 3
}

start_floor_once() {
	local threads=platform deadline
	(( $(java_feature "$(command -v java)") >= 21 )) && threads=virtual
	FLOOR_THREADS=$threads
	FLOOR_PORT="$(free_port)"
	printf '%s\n' "$STATIC" > "$WORK/floor/body.json"
	java -cp "$FLOOR_CP" TomcatFloor "$FLOOR_PORT" "$WORK/floor/body.json" "$WORK/floor/base" "$threads" \
		> "$WORK/floor/floor.log" 2>&1 &
	FLOOR_PID=$!
	deadline=$(( SECONDS + 30 ))
	until curl -fsS -o /dev/null -d "$BODY" "http://127.0.0.1:$FLOOR_PORT/predict" 2>/dev/null; do
		if ! kill -0 "$FLOOR_PID" 2>/dev/null || (( SECONDS >= deadline )); then
			kill "$FLOOR_PID" 2>/dev/null || true
			wait "$FLOOR_PID" 2>/dev/null || true
			FLOOR_PID=""
			return 1
		fi
		sleep 0.1
	done
	log "bare Tomcat ($threads threads) on 127.0.0.1:$FLOOR_PORT"
}
floor_ticks() { ticks_of "$FLOOR_PID"; }

# ---- A: the HTTP ceiling --------------------------------------------------------------------------
: > "$WORK/setup.md"
: > "$WORK/a.tsv"
if [[ "$PARTS" == *" A "* || "$PARTS" == *" B "* || "$PARTS" == *" C "* || "$PARTS" == *" E "* ]]; then
	start_variants
fi
if [[ "$PARTS" == *" A "* ]]; then
	start_static_nginx
	start_floor
	# The floor's JIT settles as the services' did before anything is measured.
	BASE="http://127.0.0.1:$FLOOR_PORT" APP_PID=$FLOOR_PID
	warm_up
	FLOOR_WARM_UP="$WARM_UP_SUMMARY"
	log "A: nginx, bare Tomcat, platform, virtual: $ROUNDS alternating rounds of $DURATION s at 32 connections"
	for round in $(seq 1 "$ROUNDS"); do
		BASE="http://127.0.0.1:$NGINX_PORT"
		read -r rps p50 p99 cpu errors <<< "$(closed nginx_ticks 32)"
		printf 'nginx\t%d\t%s\t%s\t%s\t%s\t%s\n' "$round" "$rps" "$p50" "$p99" "$cpu" "$errors" >> "$WORK/a.tsv"
		log "A round $round nginx: $rps req/s, $cpu µs CPU/req"
		BASE="http://127.0.0.1:$FLOOR_PORT"
		read -r rps p50 p99 cpu errors <<< "$(closed floor_ticks 32)"
		printf 'tomcat\t%d\t%s\t%s\t%s\t%s\t%s\n' "$round" "$rps" "$p50" "$p99" "$cpu" "$errors" >> "$WORK/a.tsv"
		log "A round $round bare Tomcat: $rps req/s, $cpu µs CPU/req"
		for v in platform virtual; do
			use_app "$v"
			read -r rps p50 p99 cpu errors <<< "$(closed app_ticks 32)"
			printf '%s\t%d\t%s\t%s\t%s\t%s\t%s\n' "$v" "$round" "$rps" "$p50" "$p99" "$cpu" "$errors" >> "$WORK/a.tsv"
			log "A round $round $v: $rps req/s, $cpu µs CPU/req"
		done
	done
	kill "$(cat "$WORK/nginx/nginx.pid")"
	kill "$FLOOR_PID" 2>/dev/null || true
	wait "$FLOOR_PID" 2>/dev/null || true
	FLOOR_PID=""
fi
median_a() {   # median_a NAME COLUMN (3 req/s, 6 CPU)
	awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$WORK/a.tsv" | sort -g | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "") }'
}

# ---- B: the slowdown in a closed loop ---------------------------------------------------------------
: > "$WORK/b.tsv"
if [[ "$PARTS" == *" B "* ]]; then
	log "B: slowdown on, platform vs virtual at 1, 32, 128 connections"
	for v in platform virtual; do use_app "$v"; admin toggle-slowdown; done
	for c in 1 32 128; do
		for v in platform virtual; do
			use_app "$v"
			read -r rps p50 p99 cpu errors <<< "$(closed app_ticks "$c")"
			printf '%s\t%d\t%s\t%s\t%s\t%s\t%s\n' "$v" "$c" "$rps" "$p50" "$p99" "$cpu" "$errors" >> "$WORK/b.tsv"
			log "B $v c=$c: $rps req/s, p50 $p50 ms, p99 $p99 ms, $cpu µs CPU/req, errors $errors"
		done
	done
	for v in platform virtual; do use_app "$v"; admin toggle-slowdown; done
fi

# ---- C: open loop ---------------------------------------------------------------------------------
: > "$WORK/c.tsv"
: > "$WORK/c-probe.md"
CAPACITY=""
if [[ "$PARTS" == *" C "* ]]; then
	CAPACITY_FROM="part A, the $DEFAULT_VARIANT variant's median, closed loop at 32 connections"
	CAPACITY=$(median_a "$DEFAULT_VARIANT" 3)
	if [[ -n "${ISO_CAPACITY:-}" ]]; then
		CAPACITY=$ISO_CAPACITY CAPACITY_FROM="given as ISO_CAPACITY, not measured: rates the generator can hold beside the service on this machine"
	elif [[ -z "$CAPACITY" ]]; then
		use_app "$DEFAULT_VARIANT"
		read -r CAPACITY _ <<< "$(closed app_ticks 32)"
	fi
	for v in platform virtual; do [[ $v == "$DEFAULT_VARIANT" ]] || stop_app "$v"; done
	use_app "$DEFAULT_VARIANT"
	if $PIN; then
		# The service on one core, the generator on the other, so that the generator's CPU cannot take
		# the service's and the rates asked for can be held; the capacity the rates are shares of is
		# measured again in this arrangement, closed loop at 32 connections.
		taskset -a -cp "$SERVICE_CPU" "$APP_PID" > /dev/null
		LOAD_PREFIX=(taskset -c "$LOAD_CPU")
		if [[ -z "${ISO_CAPACITY:-}" ]]; then
			read -r CAPACITY _ <<< "$(closed app_ticks 32)"
			CAPACITY_FROM="measured in this part, closed loop at 32 connections, with the service pinned to CPU $SERVICE_CPU and wrk to CPU $LOAD_CPU"
		fi
	fi
	log "C: open loop on $DEFAULT_VARIANT, closed-loop capacity $CAPACITY req/s ($CAPACITY_FROM)"
	# One discarded run at a low rate first: the first open-loop run after the closed-loop warm-up
	# took a stall of over a second (the forced-route path's first compilation, or a GC), which
	# belongs to neither condition.
	open_loop $(( CAPACITY / 10 )) 5 1 "$OPEN_THREADS" "$OPEN_CANARY_THREADS" 0.1 > /dev/null
	CLOSED_CAPACITY=$CAPACITY
	if [[ -z "${ISO_CAPACITY:-}" ]]; then
		# The open-loop capacity: requests that arrive spaced out, each alone, cost the service more than
		# a closed loop's back-to-back ones (every request wakes Tomcat's poller and a thread), so a
		# share of the closed-loop figure can already be more than the service holds. The highest of
		# these shares of it that the slowdown-off stream holds for 5 s (at least 97% of the rate
		# answered, and a median under 5 ms: a backlog raises the median, where a single stall only
		# raises the tail) is the capacity the rates below are shares of.
		CAPACITY=""
		for share in 10 15 20 25 30 35 40 50 60 70 80 90 100; do
			rate=$(( CLOSED_CAPACITY * share / 100 ))
			result=$(open_loop "$rate" 5 1 "$OPEN_THREADS" "$OPEN_CANARY_THREADS" 0.1)
			read -r _ got _ _ p50 _ p999 _ <<< "$(role_line "$result" stable)"
			held=$(awk -v got="$got" -v want=$(( rate * 9 / 10 )) -v p="$p50" 'BEGIN { print (got >= 0.97 * want && p != "null" && p < 5) ? 1 : 0 }')
			log "C: open-loop probe at $share% of the closed-loop capacity ($rate req/s): stable $got/s, p50 $p50 ms, p99.9 $p999 ms: $( (( held )) && echo held || echo 'not held')"
			printf -- '- %s req/s (%s%%): stable %s/s answered, p50 %s ms, p99.9 %s ms: %s\n' "$rate" "$share" "$got" "$p50" "$p999" \
				"$( (( held )) && echo held || echo 'not held')" >> "$WORK/c-probe.md"
			(( held )) || break
			CAPACITY=$rate
		done
		[[ -n "$CAPACITY" ]] || CAPACITY=$(( CLOSED_CAPACITY / 10 ))
		CAPACITY_FROM="the open-loop capacity: the highest rate held in the probes below, which are shares of the closed-loop capacity of $CLOSED_CAPACITY req/s, $CAPACITY_FROM"
	fi
	for share in 50 80; do
		rate=$(( CAPACITY * share / 100 ))
		for slowdown in off on; do
			[[ $slowdown == on ]] && admin toggle-slowdown
			t0=$(app_ticks)
			result=$(open_loop "$rate" "$OPEN_DURATION" 3 "$OPEN_THREADS" "$OPEN_CANARY_THREADS" 0.1)
			t1=$(app_ticks)
			read -r n got bad err p50 p99 p999 max <<< "$(role_line "$result" stable)"
			read -r cn cgot cbad cerr cp50 cp99 _ _ <<< "$(role_line "$result" canary)"
			cpu=$(awk -v t=$(( t1 - t0 )) -v hz="$CLOCK_TICKS" -v n=$(( n + cn )) -v d="$OPEN_DURATION" 'BEGIN { printf "%.1f", (n ? t * 1e6 / hz / (n * (d + 3) / d) : 0) }')
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$share" "$rate" "$slowdown" "$(( rate * 9 / 10 ))" "$got" "$((bad + err))" \
				"$p50" "$p99" "$p999" "$max" "$cgot" "$((cbad + cerr))" "$cp99" "$cpu" >> "$WORK/c.tsv"
			log "C ${share}% ($rate req/s) slowdown $slowdown: stable $got/s, p50 $p50 p99 $p99 p99.9 $p999 max $max ms; canary $cgot/s, p50 $cp50 p99 $cp99 ms; $cpu µs CPU/req; non-200 or failed $((bad + err))/$((cbad + cerr))"
			[[ $slowdown == on ]] && admin toggle-slowdown
		done
	done
	if $PIN; then
		taskset -a -cp "0-$(( $(nproc) - 1 ))" "$APP_PID" > /dev/null
		LOAD_PREFIX=()
	fi
fi

# ---- E: profile --------------------------------------------------------------------------------
if [[ "$PARTS" == *" E "* ]] && [[ -n "${PIDS[$DEFAULT_VARIANT]:-}" ]]; then
	use_app "$DEFAULT_VARIANT"
	log "E: JFR profile of $DEFAULT_VARIANT at 32 connections"
	jcmd "$APP_PID" JFR.start name=iso settings=profile filename="$WORK/profile.jfr" > /dev/null
	wrk_run 32 "$DURATION" > /dev/null
	jcmd "$APP_PID" JFR.stop name=iso > /dev/null
	if jfr view --width 160 hot-methods "$WORK/profile.jfr" > "$WORK/hot.txt" 2>/dev/null; then
		cp "$WORK/hot.txt" "$OUT/isolation-hot-methods.txt"
	else
		echo "(jfr view needs JDK 21 or newer)" > "$WORK/hot.txt"
	fi
	cp "$WORK/profile.jfr" "$OUT/isolation-profile.jfr"
fi
stop_all_apps

# ---- D: 1,000 slowed requests in flight ------------------------------------------------------------------
: > "$WORK/d.tsv"
if [[ "$PARTS" == *" D "* ]]; then
	for v in platform virtual; do
		start_app "d-$v" "$JAR" --canary.state-dir="$WORK/state-d-$v" --canary.slowdown-delay=1s "$(variant_args "$v")"
		admin deploy-canary '{"version":"v2","weight":1.0}'
		wrk_run 32 10 > /dev/null   # a short warm-up (the slowdown is still off)
		# The stable stream alone, then beside 1,000 slowed requests.
		read -r _ _ _ _ a50 a99 a999 _ <<< "$(role_line "$(open_loop 200 "$D_DURATION" 1 8 0 0)" stable)"
		admin toggle-slowdown
		t0=$(app_ticks)
		wrk -t2 -c1000 -d"$((D_DURATION + 5))s" --timeout 10s -s "$LUA" "$BASE" > "$WORK/d-wrk.txt" &
		wrk_pid=$!
		sleep 5   # let the 1,000 connections fill up
		beside=$(open_loop 200 "$D_DURATION" 1 8 0 0)
		threads=$(awk '/^Threads/ { print $2 }' "/proc/$APP_PID/status")
		wait "$wrk_pid"
		t1=$(app_ticks)
		read -r _ got bad err l50 l99 l999 _ <<< "$(role_line "$beside" stable)"
		bad=$(( bad + err ))
		result=$(sed -n 's/^BENCH_RESULT //p' "$WORK/d-wrk.txt")
		errors=$(sed -n 's/.*"errors":{\(.*\)}}/\1/p' <<< "$result")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$(json_field "$result" rps)" "$(json_field "$result" p50_ms)" \
			"$(json_field "$result" p99_ms)" "$errors" "$a50" "$a99" "$a999" "$l50" "$l99" "$l999" "$bad" "$threads" "$got" >> "$WORK/d.tsv"
		log "D $v: slowed $(json_field "$result" rps) req/s, p50 $(json_field "$result" p50_ms) ms, errors {$errors}; stable alone p50/p99 $a50/$a99 ms, beside $l50/$l99 ms; $threads JVM threads"
		stop_app "d-$v"
	done
fi
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the report ------------------------------------------------------------------------------------
verdict() { awk -v ok="$1" 'BEGIN { print (ok == 1 ? "met" : "**not met**") }'; }
{
	echo "Machine: $MACHINE; service on $JAVA_VERSION; $WRK_VERSION. Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $LOAD_END."
	$QUICK && echo "Quick mode: short runs, a smoke test, not figures."
	echo
	echo "Both variants warmed up at 32 connections with canary v2 at 10% before any measured run:"
	echo
	cat "$WORK/setup.md"
	echo
	if [[ -s "$WORK/a.tsv" ]]; then
		echo "## A. The HTTP ceiling: nginx's static answer beside the service"
		echo
		echo "wrk closed loop, 32 connections, $ROUNDS alternating rounds of $DURATION s (after 5 s of warm-up each), canary v2 at 10%, slowdown off. nginx returns the same JSON body from its configuration (\`return 200\`, $(nproc) workers, access log off); its CPU is the master's and the workers'. \`tomcat\` is the floor under the service: \`scripts/bench/TomcatFloor.java\`, the service's own embedded Tomcat ($(basename "$FLOOR_TOMCAT" .jar)) with one servlet that reads the body and answers the same bytes, on ${FLOOR_THREADS:-virtual} threads, without Spring, filters, JSON or a model; warmed up as the services were (${FLOOR_WARM_UP:-})."
		echo
		echo "| app | round | req/s | p50 ms | p99 ms | CPU µs/req | errors |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$WORK/a.tsv"
		echo
		n=$(median_a nginx 3)
		for v in platform virtual; do
			r=$(median_a "$v" 3) c=$(median_a "$v" 6)
			awk -v v="$v" -v r="$r" -v n="$n" -v c="$c" 'BEGIN {
				x = r / n
				printf "- %s threads: median %.0f req/s = %.3fx nginx'"'"'s %.0f (target at least 0.5x): %s; %.1f µs CPU per request (target at most 25): %s.\n", v, r, x, n, (x >= 0.5 ? "met" : "**not met**"), c, (c <= 25 ? "met" : "**not met**") }'
		done
		echo "- nginx: median $(median_a nginx 6) µs CPU per request."
		f=$(median_a tomcat 6) c=$(median_a "$DEFAULT_VARIANT" 6)
		awk -v f="$f" -v c="$c" -v r="$(median_a tomcat 3)" -v n="$n" -v v="$DEFAULT_VARIANT" 'BEGIN {
			printf "- bare Tomcat: median %.0f req/s = %.3fx nginx, %.1f µs CPU per request: the service (%s threads) spends %.1f µs above it. %s\n", r, r / n, f, v, c - f, (f < 25 ? sprintf("The 25 µs target leaves %.1f µs for all the service does on top of Tomcat.", 25 - f) : "Tomcat alone is over the 25 µs target here.") }'
		echo
	fi
	if [[ -s "$WORK/b.tsv" ]]; then
		echo "## B. The slowdown in a closed loop: platform against virtual threads"
		echo
		echo "wrk, $DURATION s after 5 s of warm-up, canary v2 at 10% with the $DELAY_MS ms slowdown on, one run each. The ceiling is Little's law: a closed loop's throughput is connections / mean round trip, and with a tenth of the requests held $DELAY_MS ms the mean round trip is at least $WEIGHT x $DELAY_MS ms, so at most connections / ($WEIGHT x $DELAY_MS ms) requests per second, whatever the server does."
		echo
		echo "| threads | conn. | req/s | ceiling req/s | of ceiling | p50 ms | p99 ms | CPU µs/req | errors |"
		echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
		awk -F'\t' -v w="$WEIGHT" -v d="$DELAY_MS" '{ ceil = $2 / (w * d / 1000); printf "| %s | %s | %s | %.0f | %.2f | %s | %s | %s | %s |\n", $1, $2, $3, ceil, $3 / ceil, $4, $5, $6, $7 }' "$WORK/b.tsv"
		echo
	fi
	if [[ -s "$WORK/c.tsv" ]]; then
		echo "## C. Open loop: stable-routed latency at a fixed arrival rate"
		echo
		echo "\`scripts/bench/OpenLoop.java\` on $DEFAULT_VARIANT threads: requests due at a fixed rate for $OPEN_DURATION s after 3 s at the same rate, two independent streams as two groups of clients, 10% of the rate forced onto the canary (\`X-Canary-Route: canary\`, $OPEN_CANARY_THREADS keep-alive connections) and 90% onto stable (\`X-Canary-Route: stable\`, $OPEN_THREADS connections), each connection taking its stream's next due request when free; slowdown off, then on ($DELAY_MS ms). Each latency runs from when its request was due, so a stall counts against every request it delayed (no coordinated omission), and waiting for a free connection is in it. The rates are 50% and 80% of the capacity, $CAPACITY req/s ($CAPACITY_FROM). Percentiles by nearest rank over every stable answer. $( $PIN && echo "The service is pinned to CPU $SERVICE_CPU and the generators (wrk for the capacity, OpenLoop) to CPU $LOAD_CPU (\\`taskset\\`), so that they do not share a core; parts A, B, D and E are not pinned." || echo "The generator runs on the same cores as the service.") Achieved below intended says that the generator, or the service, could not keep up. CPU µs/req is the service's over the whole run, warm-up included, per request (approximate)."
		echo
		if [[ -s "$WORK/c-probe.md" ]]; then
			echo "Open-loop capacity probes (slowdown off, 5 s each after 1 s, stopping at the first rate not held):"
			echo
			cat "$WORK/c-probe.md"
			echo
		fi
		echo "| rate | req/s intended | slowdown | stable intended /s | stable achieved /s | p50 ms | p99 ms | p99.9 ms | max ms | canary achieved /s | canary p99 ms | CPU µs/req | non-200 (stable, canary) |"
		echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		awk -F'\t' '{ printf "| %s%% | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s, %s |\n", $1, $2, $3, $4, $5, $7, $8, $9, $10, $11, $13, $14, $6, $12 }' "$WORK/c.tsv"
		echo
		for share in 50 80; do
			# A run whose stable stream fell 5% or more below its intended rate measured an overload
			# (a backlog of due requests), not the service's latency at that rate: no verdict then.
			awk -F'\t' -v s="$share" '$1 == s && $3 == "off" { off = $8; offok = ($5 >= 0.95 * $4) } $1 == s && $3 == "on" { on = $8; onok = ($5 >= 0.95 * $4) }
				END { r = on / off
					v = (offok && onok) ? (r <= 1.10 ? "met" : "**not met**") : "**not judged**: the stable stream fell below 95% of its intended rate, so the run measured a backlog, not the latency at this rate"
					printf "- %s%% of capacity: stable-routed p99 with the slowdown %.3f ms vs %.3f ms without, %.2fx (target at most 1.10x): %s.\n", s, on, off, r, v }' "$WORK/c.tsv"
		done
		echo
	fi
	if [[ -s "$WORK/d.tsv" ]]; then
		echo "## D. 1,000 slowed requests in flight"
		echo
		echo "A service of its own per variant with \`--canary.slowdown-delay=1s\`, canary v2 at 100%, slowdown on: wrk -c1000 (2 threads, \`--timeout 10s\`) for $((D_DURATION + 5)) s, so about 1,000 requests are held 1 s at any moment; beside it, from the 5th second, a stable stream (OpenLoop, 8 connections, 200 req/s, forced stable) for $D_DURATION s, compared with the same stream alone just before, slowdown off. Little's law puts the slowed stream at 1,000 req/s at most."
		echo
		echo "| threads | slowed req/s | slowed p50 ms | slowed p99 ms | wrk errors | stable alone p50 / p99 / p99.9 ms | stable beside p50 / p99 / p99.9 ms | stable achieved /s | stable non-200 | JVM threads |"
		echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"
		awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s / %s / %s | %s / %s / %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $14, $12, $13 }' "$WORK/d.tsv"
		echo
		awk -F'\t' '{
			split($5, e, ","); errs = 0; for (i in e) { split(e[i], kv, ":"); errs += kv[2] }
			ratio = $10 / $7
			ok = (errs == 0 && $12 == 0 && ratio <= 1.10 && $2 >= 900)
			printf "- %s threads: %s slowed req/s of 1,000 possible, %d errors (refused, timed out or not 2xx), stable p99 beside it %.2fx of alone (target: none refused, none timed out, stable latency unchanged, taken as within 10%%): %s.\n", $1, $2, errs, ratio, (ok ? "met" : "**not met**") }' "$WORK/d.tsv"
		echo
	fi
	if [[ -f "$WORK/hot.txt" ]]; then
		echo "## E. Where the CPU goes: JFR, $DEFAULT_VARIANT threads, 32 connections, canary at 10%"
		echo
		echo '```text'
		head -n 30 "$WORK/hot.txt"
		echo '```'
		echo
	fi
} >> "$REPORT"
cp "$REPORT" "$OUT/isolation.md"
if ! $QUICK; then
	day=$(date -u -d "$STARTED_AT" +%F)
	dated="$ROOT/docs/benchmarks/$day-isolation.md"
	i=2
	while [[ -e "$dated" ]]; do dated="$ROOT/docs/benchmarks/$day-isolation-$i.md"; i=$(( i + 1 )); done
	{
		echo "# Isolation and ceiling benchmark of $day, $(date -u -d "$STARTED_AT" +%H:%M) UTC"
		echo
		echo "Generated by \`scripts/bench/isolation.sh\` (a full run, not \`--quick\`) from commit \`$COMMIT\`$($UNCOMMITTED && echo ' with uncommitted changes')."
		echo
		cat "$REPORT"
	} > "$dated"
	log "Wrote $dated"
fi
cat "$REPORT"
