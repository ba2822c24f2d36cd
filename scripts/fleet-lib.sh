# shellcheck shell=bash
# Sourced by scripts/fleet.sh and scripts/bench/fleet.sh: the parts of a fleet on one machine
# (docs/fleet.md). The caller sets WORK (a scratch folder, deleted by the caller), READY_TIMEOUT, and
# a say function for messages; these set PG_BIN, PG_PORT, PG_DATA, REPLICA_PIDS (the replicas' process ids,
# appended), LB_PORT, and $WORK/NAME.port and $WORK/NAME.pid for every replica. Needs scripts/lib.sh.

PG_BIN="" PG_PORT="" LB_PORT=""
PG_DATA="$WORK/pg"

install_missing() {
	local packages=()
	compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || packages+=(postgresql)
	local need_nginx=false
	command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need_nginx=true
	[[ ${#packages[@]} -eq 0 ]] && ! $need_nginx && return 0
	local sudo=()
	[[ "$(id -u)" -ne 0 ]] && sudo=(sudo -E)
	command -v apt-get >/dev/null || { say "missing: ${packages[*]} ${need_nginx/true/nginx}; install them (no apt-get here)" >&2; exit 2; }
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q >/dev/null
	if $need_nginx; then
		# nginx-light is enough (no extra modules); newer Debian releases only have nginx.
		if apt-cache show nginx-light >/dev/null 2>&1; then packages+=(nginx-light); else packages+=(nginx); fi
	fi
	say "installing ${packages[*]} from Debian's packages"
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
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

# Starts the cluster start_postgres made again, on the same port (after an outage).
restart_postgres() {
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$WORK/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK -c fsync=off" start >/dev/null
}

# shellcheck disable=SC2317 # called from the EXIT trap
stop_postgres() {
	if [[ -n "$PG_BIN" && -f "$PG_DATA/postmaster.pid" ]]; then
		as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
	fi
}

# Starts replica NAME in postgres mode (extra service arguments after it); records its port in
# $WORK/NAME.port and its pid in $WORK/NAME.pid.
start_replica() {
	local name="$1"
	shift
	mkdir -p "$WORK/$name"
	CANARY_STORE=postgres CANARY_FLEET_REPLICA_ID="$name" \
		SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/canary" SPRING_DATASOURCE_USERNAME=canary \
		start_service "fleet ($name)" "$WORK/$name/state" "$WORK/$name.log" "$READY_TIMEOUT" "$@"
	REPLICA_PIDS+=("$SERVICE_PID")
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
		    proxy_http_version 1.1;
		    proxy_set_header Connection "";
		    proxy_connect_timeout 1s;
		    server {
		        listen 127.0.0.1:$LB_PORT;
		        # A prediction changes nothing: when its replica is down (a refused or reset
		        # connection, a 502 or 503), the next one answers it instead, POST or not.
		        location = /predict {
		            proxy_pass http://replicas;
		            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
		        }
		        # Anything else is retried only when it is idempotent (nginx's default): an admin
		        # change that reached a replica which then died may have committed.
		        location / {
		            proxy_pass http://replicas;
		            proxy_next_upstream error timeout http_502 http_503;
		        }
		    }
		}
	EOF
	/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
	say "nginx on 127.0.0.1:$LB_PORT in front of ${#NAMES[@]} replicas"
}

# shellcheck disable=SC2317 # called from the caller's EXIT trap
stop_nginx() {
	if [[ -f "$WORK/nginx/nginx.pid" ]]; then kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; fi
}
