#!/usr/bin/env bash
# A fleet on one machine (docs/fleet.md): PostgreSQL on a loopback port in a temporary directory,
# three replicas in postgres mode on free loopback ports, nginx in front of them, a simulator
# scenario played through the balancer, then /admin/fleet. Stops everything it started on exit,
# also on Ctrl-C.
#
# usage: scripts/fleet.sh [--replicas N] [--kill-leader] [--keep] [simulator options, e.g. --scenario progressive]
#   --replicas N    how many replicas (default 3)
#   --kill-leader   kill -9 the replica that drives the rollout in the middle of it (a rollout
#                   scenario is then the default: --scenario progressive)
#   --keep          leave everything running until Ctrl-C, after the scenario
# Installs Debian's postgresql and nginx when they are missing (as root, or with sudo).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

REPLICAS=3
KILL_LEADER=false
KEEP=false
SIMULATOR_ARGS=()
while [[ $# -gt 0 ]]; do
	case "$1" in
		--replicas) REPLICAS="$2"; shift 2 ;;
		--kill-leader) KILL_LEADER=true; shift ;;
		--keep) KEEP=true; shift ;;
		-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) SIMULATOR_ARGS+=("$1"); shift ;;
	esac
done
if $KILL_LEADER && [[ " ${SIMULATOR_ARGS[*]-} " != *" --scenario "* ]]; then
	SIMULATOR_ARGS+=(--scenario progressive)
fi
READY_TIMEOUT=90
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-fleet.XXXXXX")"
PIDS=()
PG_BIN=""
PG_DATA="$WORK/pg"

say() { echo "fleet: $*"; }

install_missing() {
	local packages=()
	compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || packages+=(postgresql)
	command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || packages+=(nginx-light)
	[[ ${#packages[@]} -eq 0 ]] && return 0
	say "installing ${packages[*]} from Debian's packages"
	local sudo=""
	[[ "$(id -u)" -ne 0 ]] && sudo="sudo -E"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
}

# PostgreSQL refuses to run as root: as root, its files belong to the postgres user and it runs as him.
as_pg() {
	if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
	PG_BIN="$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n 1)")"
	PG_PORT="$(free_port)"
	mkdir -p "$PG_DATA"
	[[ "$(id -u)" -eq 0 ]] && chown postgres "$WORK" "$PG_DATA"
	as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U canary --auth=trust -E UTF8 >"$WORK/initdb.log" 2>&1
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK -c fsync=off" start >/dev/null
	as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U canary canary
	say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
}

# shellcheck disable=SC2317 # called from the EXIT trap
stop_postgres() {
	if [[ -n "$PG_BIN" && -f "$PG_DATA/postmaster.pid" ]]; then
		as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
	fi
}

# Starts replica NAME; records its port in $WORK/NAME.port.
start_replica() {
	local name="$1"
	mkdir -p "$WORK/$name"
	CANARY_STORE=postgres CANARY_FLEET_REPLICA_ID="$name" \
		SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/canary" SPRING_DATASOURCE_USERNAME=canary \
		start_service "fleet ($name)" "$WORK/$name/state" "$WORK/$name.log" "$READY_TIMEOUT"
	PIDS+=("$SERVICE_PID")
	echo "$PORT" >"$WORK/$name.port"
	echo "$SERVICE_PID" >"$WORK/$name.pid"
	say "replica $name on 127.0.0.1:$PORT (pid $SERVICE_PID, log $WORK/$name.log)"
}

start_nginx() {
	LB_PORT="$(free_port)"
	local upstreams="" name
	for name in "${NAMES[@]}"; do
		upstreams+="		server 127.0.0.1:$(cat "$WORK/$name.port") max_fails=1 fail_timeout=2s;"$'\n'
	done
	mkdir -p "$WORK/nginx"
	cat >"$WORK/nginx/nginx.conf" <<-EOF
		worker_processes 1;
		pid $WORK/nginx/nginx.pid;
		error_log $WORK/nginx/error.log warn;
		events { worker_connections 1024; }
		http {
		    access_log off;
		    client_body_temp_path $WORK/nginx/body;
		    proxy_temp_path $WORK/nginx/proxy;
		    fastcgi_temp_path $WORK/nginx/fastcgi;
		    uwsgi_temp_path $WORK/nginx/uwsgi;
		    scgi_temp_path $WORK/nginx/scgi;
		    upstream replicas {
		$upstreams
		        keepalive 64;
		    }
		    server {
		        listen 127.0.0.1:$LB_PORT;
		        location / {
		            proxy_pass http://replicas;
		            proxy_http_version 1.1;
		            proxy_set_header Connection "";
		            # A replica that is down or not ready: the next one answers instead.
		            proxy_next_upstream error timeout http_502 http_503;
		            proxy_connect_timeout 1s;
		        }
		    }
		}
	EOF
	/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
	say "nginx on 127.0.0.1:$LB_PORT in front of ${#NAMES[@]} replicas"
}

# shellcheck disable=SC2317 # the EXIT trap
stop_all() {
	local status=$?
	if [[ -f "$WORK/nginx/nginx.pid" ]]; then kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; fi
	local pid
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	stop_postgres
	if [[ $status -eq 0 ]]; then rm -rf "$WORK"; else say "logs kept in $WORK"; fi
	exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fleet_status() {
	curl -fsS -H "Authorization: Bearer $CANARY_ADMIN_TOKEN" "http://127.0.0.1:$LB_PORT/admin/fleet"
}

# The replica that drives the rollout, from /admin/fleet.
leader() {
	fleet_status | tr '{' '\n' | grep '"leader":true' | sed -n 's/.*"replica_id":"\([^"]*\)".*/\1/p' | head -n 1
}

install_missing
build_if_needed
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

status=0
if $KILL_LEADER; then
	java -jar "$JAR" simulate --url "http://127.0.0.1:$LB_PORT" "${SIMULATOR_ARGS[@]}" &
	simulator=$!
	deadline=$(( SECONDS + 60 ))
	victim=""
	# Wait until the rollout has moved past its first step, then kill its driver.
	until [[ -n "$victim" ]] || (( SECONDS >= deadline )); do
		if curl -fsS -H "Authorization: Bearer $CANARY_ADMIN_TOKEN" "http://127.0.0.1:$LB_PORT/admin/status" \
			| grep -q '"step_index":[1-9]'; then
			victim="$(leader)"
		fi
		sleep 0.5
	done
	if [[ -n "$victim" ]]; then
		say "kill -9 of the rollout's driver, $victim (pid $(cat "$WORK/$victim.pid"))"
		kill -9 "$(cat "$WORK/$victim.pid")"
	else
		say "the rollout did not pass its first step within 60 s; nothing killed"
	fi
	wait "$simulator" || status=$?
else
	java -jar "$JAR" simulate --url "http://127.0.0.1:$LB_PORT" "${SIMULATOR_ARGS[@]}" || status=$?
fi

echo
say "GET /admin/fleet"
if command -v python3 >/dev/null; then fleet_status | python3 -m json.tool; else fleet_status; echo; fi
if $KEEP; then
	say "running until Ctrl-C: balancer http://127.0.0.1:$LB_PORT, token in CANARY_ADMIN_TOKEN=$CANARY_ADMIN_TOKEN"
	while true; do sleep 3600; done
fi
exit "$status"
