# shellcheck shell=bash
# Sourced by scripts/run.sh, scripts/fleet.sh and scripts/bench/startup.sh: the fast
# start (docs/operations.md, "A faster start"). Needs scripts/lib.sh. Offers
#
#   newest_java                  the java to use: $JAVA_HOME/bin/java when JAVA_HOME is set, else the
#                                newest JDK under /usr/lib/jvm, else java on the PATH
#   java_feature JAVA            its feature release (17, 25, ...)
#   fast_prepare JAVA MODE       builds what is missing: the jar (build_if_needed), the extracted
#                                application in target/fast/, and for JAVA the archive of a training
#                                run (an AOT cache on JDK 25 or newer, a class data sharing archive
#                                before); sets FAST_JAVA, FAST_JAR and FAST_OPTS (an array: the JVM
#                                options that use it). MODE is spring-aot (Spring's AOT processing
#                                too: file mode only, the build fixes canary.store) or jvm (the JVM's
#                                archive only: any store, e.g. the replicas of a fleet).
#
# Each archive is recorded beside it with the jar and the JDK it was made from (ARCHIVE.id) and made
# again when either changes. RUN_NO_BUILD=true skips the jar's check (the Maven profile fast-start,
# which has just built it). FAST_QUIET=true keeps the training's progress messages off stderr.

FAST_DIR="$ROOT/target/fast"
FAST_JAR="$FAST_DIR/ml-canary.jar"
FAST_JAVA="" FAST_OPTS=()

fast_say() {
	[[ "${FAST_QUIET:-false}" == true ]] || echo "fast start: $*" >&2
}

# The home of a java binary (the folder with bin/ and release).
java_home_of() {
	dirname "$(dirname "$(readlink -f "$1")")"
}

java_feature() {
	local release
	release="$(java_home_of "$1")/release"
	if [[ -f "$release" ]]; then
		sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
	else
		"$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
	fi
}

# The JDK a java binary belongs to, as one line: its home and its full runtime version.
java_id() {
	local home
	home="$(java_home_of "$1")"
	echo "$home $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$home/release" 2>/dev/null || true)"
}

newest_java() {
	if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
		echo "$JAVA_HOME/bin/java"
		return
	fi
	local best="" best_feature=0 candidate feature
	for candidate in /usr/lib/jvm/*/bin/java; do
		[[ -x "$candidate" ]] || continue
		feature="$(java_feature "$candidate")"
		[[ "$feature" =~ ^[0-9]+$ ]] || continue
		if (( feature > best_feature )); then best="$candidate" best_feature=$feature; fi
	done
	if [[ -n "$best" ]]; then echo "$best"; else command -v java; fi
}

# The jar as one line (size and modification time): what the extracted application and the archives
# were made from.
jar_id() {
	stat -c '%s %Y' "$JAR"
}

# Extracts the jar into target/fast/ (the JVM's archives need plain jars on the class path) unless
# that was done from this very jar.
fast_extract() {
	local java="$1"
	if [[ -f "$FAST_JAR" && "$(cat "$FAST_DIR/jar.id" 2>/dev/null)" == "$(jar_id)" ]]; then
		return
	fi
	fast_say "extracting $JAR into $FAST_DIR"
	rm -rf "$FAST_DIR"
	"$java" -Djarmode=tools -jar "$JAR" extract --destination "$FAST_DIR" > /dev/null
	jar_id > "$FAST_DIR/jar.id"
}

# fast_train JAVA ARCHIVE_OPTION MODE: one training run of the extracted application with
# ARCHIVE_OPTION (-XX:AOTCacheOutput=... or -XX:ArchiveClassesAtExit=...): started on a free loopback
# port with a state directory of its own and a generated admin token, a few hundred predictions, a
# canary deployed, checked and rolled back through the admin API, then stopped with SIGTERM so that
# the JVM writes the archive as it exits.
fast_train() {
	local java="$1" archive_option="$2" mode="$3"
	local work
	work="$(mktemp -d "${TMPDIR:-/tmp}/ml-canary-train.XXXXXX")"
	local token
	token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	local opts=("$archive_option")
	[[ "$mode" == spring-aot ]] && opts+=(-Dspring.aot.enabled=true)
	local port pid="" base
	port="$(free_port)"
	base="http://127.0.0.1:$port"
	env -C "$ROOT" -u CANARY_STORE CANARY_ADMIN_TOKEN="$token" "$java" "${opts[@]}" -jar "$FAST_JAR" \
		--server.address=127.0.0.1 --server.port="$port" --canary.state-dir="$work/state" \
		--spring.main.banner-mode=off > "$work/train.log" 2>&1 &
	pid=$!
	local deadline=$(( SECONDS + 120 )) ok=true
	until curl -fsS -o /dev/null --max-time 2 "$base/actuator/health/readiness" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null || (( SECONDS >= deadline )); then ok=false; break; fi
		sleep 0.2
	done
	if $ok; then
		# One curl for all predictions (one connection, as a client keeps it), varied features.
		local i
		for i in $(seq 1 300); do
			printf 'url = "%s/predict"\nheader = "Content-Type: application/json"\ndata = "{\\"features\\": [%d.%d, 1.2, 0.8, 0.3, %d.1]}"\noutput = "/dev/null"\n' \
				"$base" $(( i % 3 )) $(( i % 10 )) $(( i % 2 ))
			(( i < 300 )) && echo next
		done > "$work/predict.curl"
		local auth="Authorization: Bearer $token"
		curl -fsS -K "$work/predict.curl" > /dev/null &&
			curl -fsS -o /dev/null "$base/admin/status" -H "$auth" &&
			curl -fsS -o /dev/null "$base/admin/deploy-canary" -H "$auth" -H 'Content-Type: application/json' \
				-d '{"version": "v2", "weight": 0.5}' &&
			curl -fsS -K "$work/predict.curl" > /dev/null &&
			curl -fsS -o /dev/null "$base/admin/check-canary-health" -H "$auth" &&
			curl -fsS -o /dev/null "$base/admin/latency" -H "$auth" &&
			curl -fsS -o /dev/null "$base/admin/events?limit=5" -H "$auth" &&
			curl -fsS -o /dev/null -X POST "$base/admin/rollback-canary" -H "$auth" &&
			curl -fsS -o /dev/null "$base/actuator/prometheus" -H "$auth" || ok=false
	fi
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if ! $ok; then
		echo "fast start: the training run failed; last lines of its log:" >&2
		tail -n 20 "$work/train.log" >&2
	fi
	cp "$work/train.log" "$FAST_DIR/training.log" 2>/dev/null || true
	rm -rf "$work"
	$ok
}

fast_prepare() {
	local java="$1" mode="$2"
	# RUN_NO_BUILD=true: the caller has just built the jar (./mvnw -Pfast-start package).
	[[ "${RUN_NO_BUILD:-false}" == true ]] || build_if_needed
	fast_extract "$java"
	local feature archive option use
	feature="$(java_feature "$java")"
	# Spring's AOT processing evaluates the conditions of the auto-configurations on the JDK that
	# built the jar: one built on 21 or newer holds the virtual-thread customizer, which fails on an
	# older JDK. Such a start uses the JVM's archive alone.
	local built
	built="$(unzip -p "$JAR" META-INF/MANIFEST.MF 2>/dev/null | sed -n 's/^Build-Jdk-Spec: *\([0-9]*\).*/\1/p')"
	if [[ "$mode" == spring-aot && "${built:-17}" -ge 21 && "$feature" -lt 21 ]]; then
		fast_say "the jar was built on Java $built, so Spring's AOT processing is off on Java $feature"
		mode=jvm
	fi
	FAST_JAVA="$java"
	FAST_OPTS=()
	if (( feature >= 25 )); then
		archive="$FAST_DIR/ml-canary-$mode.aot"
		option="-XX:AOTCacheOutput=$archive" use="-XX:AOTCache=$archive"
	else
		archive="$FAST_DIR/ml-canary-$mode-$feature.jsa"
		option="-XX:ArchiveClassesAtExit=$archive" use="-XX:SharedArchiveFile=$archive"
	fi
	local id
	id="jar $(jar_id); jdk $(java_id "$java"); mode $mode"
	if [[ ! -f "$archive" || "$(cat "$archive.id" 2>/dev/null)" != "$id" ]]; then
		rm -f "$archive" "$archive.id"
		fast_say "training run on Java $feature for $(basename "$archive") (a one-off for this jar and JDK, under a minute) ..."
		if fast_train "$java" "$option" "$mode" && [[ -f "$archive" ]]; then
			echo "$id" > "$archive.id"
		else
			fast_say "no archive was written; starting without one"
			rm -f "$archive"
		fi
	fi
	[[ -f "$archive" ]] && FAST_OPTS+=("$use")
	[[ "$mode" == spring-aot ]] && FAST_OPTS+=(-Dspring.aot.enabled=true)
	return 0
}
