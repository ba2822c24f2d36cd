#!/usr/bin/env bash
# Turns the runs of scripts/bench.sh (results.tsv) into a markdown table with the targets of
# docs/performance.md checked, and a JSON file with every figure. With a fourth argument it also
# writes the report, headed by when it ran and on which commit, as DIR/YYYY-MM-DD.md (the UTC date
# the run started; YYYY-MM-DD-2.md, -3, ... when that file exists) and prints that file's path.
#   report.sh RESULTS.tsv OUT.md OUT.json [DIR]   (the rest comes from the environment bench.sh exports)
set -euo pipefail

RESULTS=$1 MD=$2 JSON=$3 DATED_DIR=${4:-}
STARTED_AT="${STARTED_AT:-$(date -u +%FT%TZ)}"
DATE="${STARTED_AT%%T*}"

awk -F'\t' -v md="$MD" -v json="$JSON" -v date="$DATE" '
	function num(v) { return (v == "" || v == "null") ? "null" : v }
	function ratio(a, b) { return (a == "" || b == "" || a == "null" || b == "null" || b + 0 == 0) ? "" : sprintf("%.2f", a / b) }
	function cell(v, digits) { return (v == "" || v == "null") ? "n/a" : sprintf("%." digits "f", v) }
	function check(ok) { return ok ? "met" : "**not met**" }
	{
		app = $1; cond = $2; c = $3
		split($8, st, " "); split($9, ca, " ")
		key = app SUBSEP cond SUBSEP c
		rps[key] = $4; p50[key] = $5; p99[key] = $6; errors[key] = $7
		stP50[key] = st[1]; stMean[key] = st[2]; stN[key] = st[3]
		caP50[key] = ca[1]; caMean[key] = ca[2]; caN[key] = ca[3]
		requests[key] = $10; cpu[key] = $11
		if (app == "service") {
			if (!(cond in seenCond)) { seenCond[cond] = 1; conds[++nConds] = cond }
			if (!(c in seenC)) { seenC[c] = 1; cs[++nCs] = c }
		}
		line[++nLines] = key
	}
	END {
		print "Machine: " ENVIRON["MACHINE"] "; " ENVIRON["JAVA_VERSION"] "; " date ". Load average (1, 5, 15 min) at the start: " ENVIRON["LOAD_START"] "; at the end: " ENVIRON["LOAD_END"] "." > md
		print "Each run: " ENVIRON["WARMUP"] " s warm-up, then " ENVIRON["DURATION"] " s measured with wrk (" ENVIRON["WRK_THREADS"] " threads) on loopback; each service run is followed by the same run against the baseline, whose figures are in the same row." (ENVIRON["QUICK"] == "true" ? " Quick mode: short runs, for a smoke test, not for figures." : "") > md
		print "" > md
		print "| condition | conn. | service req/s | baseline req/s | ratio | service p50 ms | baseline p50 ms | ratio | service p99 ms | stable-routed p50 ms | canary-routed p50 ms | CPU µs/req service | baseline | errors |" > md
		print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" > md
		for (i = 1; i <= nConds; i++) for (j = 1; j <= nCs; j++) {
			k = "service" SUBSEP conds[i] SUBSEP cs[j]; b = "baseline" SUBSEP conds[i] SUBSEP cs[j]
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", conds[i], cs[j], cell(rps[k], 0), cell(rps[b], 0),
				ratio(rps[k], rps[b]), cell(p50[k], 3), cell(p50[b], 3), ratio(p50[k], p50[b]), cell(p99[k], 3),
				cell(stP50[k], 3), cell(caP50[k], 3), cell(cpu[k], 0), cell(cpu[b], 0), errors[k] + errors[b] > md
		}
		print "" > md
		print "Targets (ratios from this run):" > md
		print "" > md
		k = "service" SUBSEP "canary10" SUBSEP "32"; b = "baseline" SUBSEP "canary10" SUBSEP "32"
		if ((k in rps) && (b in rps)) {
			r = rps[k] / rps[b]
			printf "- Throughput at 32 connections, canary at 10%%: %.2fx the baseline (target at least 1.0x): %s; %.1fx to %.1fx the prototype'"'"'s 2,350 to 2,000 req/s (target at least 5x): %s.\n", r, check(r >= 1.0), rps[k] / 2350, rps[k] / 2000, check(rps[k] / 2350 >= 5) > md
		}
		k = "service" SUBSEP "canary10" SUBSEP "1"; b = "baseline" SUBSEP "canary10" SUBSEP "1"
		if ((k in p50) && (b in p50)) {
			r = p50[k] / p50[b]
			printf "- p50 at 1 connection, canary at 10%%: %.3f ms vs %.3f ms, %.2fx the baseline (target at most 1.1x): %s.\n", p50[k], p50[b], r, check(r <= 1.1) > md
		}
		for (j = 1; j <= nCs; j++) {
			on = "service" SUBSEP "canary10-slowdown" SUBSEP cs[j]; off = "service" SUBSEP "canary10" SUBSEP cs[j]
			if (!(on in rps) || !(off in rps)) continue
			sr = (stP50[off] > 0) ? stP50[on] / stP50[off] : 0
			tr = rps[on] / rps[off]
			printf "- Slowdown on, %s connection(s): stable-routed p50 %s ms vs %s ms without (%.2fx, target at most 1.10x): %s; throughput %.2fx of no-slowdown (target at least 0.8x): %s.\n", cs[j], cell(stP50[on], 3), cell(stP50[off], 3), sr, check(sr > 0 && sr <= 1.10), tr, check(tr >= 0.8) > md
		}
		h10 = ENVIRON["HEAP_10K"] / 1024; h1m = ENVIRON["HEAP_1M"] / 1024
		printf "- Memory: heap used after a full GC %.1f MB after %d predictions, %.1f MB after %d (growth %.1f MB, target at most 10 MB): %s; RSS %.0f MB and %.0f MB.\n", h10, ENVIRON["COUNT_10K"], h1m, ENVIRON["COUNT_1M"], h1m - h10, check(h1m - h10 <= 10), ENVIRON["RSS_10K"] / 1024, ENVIRON["RSS_1M"] / 1024 > md
		printf "- Startup to ready (JVM launch to the first answered /predict): service %.2f s (Spring: started in %s s; target at most 3 s): %s; with AOT processing and class data sharing %.2f s (Spring: %s s): %s; baseline %.2f s (Spring: %s s).\n", ENVIRON["SERVICE_STARTUP_MS"] / 1000, ENVIRON["SERVICE_SPRING_S"], check(ENVIRON["SERVICE_STARTUP_MS"] <= 3000), ENVIRON["SERVICE_CDS_STARTUP_MS"] / 1000, ENVIRON["SERVICE_CDS_SPRING_S"], check(ENVIRON["SERVICE_CDS_STARTUP_MS"] <= 3000), ENVIRON["BASELINE_STARTUP_MS"] / 1000, ENVIRON["BASELINE_SPRING_S"] > md

		printf "{\n  \"date\": \"%s\",\n  \"started_at\": \"%s\",\n  \"commit\": \"%s\",\n  \"uncommitted_changes\": %s,\n  \"machine\": \"%s\",\n  \"java\": \"%s\",\n  \"load_average_start\": \"%s\",\n  \"load_average_end\": \"%s\",\n  \"warmup_seconds\": %s,\n  \"duration_seconds\": %s,\n  \"wrk_threads\": %s,\n  \"quick\": %s,\n", date, ENVIRON["STARTED_AT"], ENVIRON["COMMIT"], (ENVIRON["UNCOMMITTED"] == "true" ? "true" : "false"), ENVIRON["MACHINE"], ENVIRON["JAVA_VERSION"], ENVIRON["LOAD_START"], ENVIRON["LOAD_END"], ENVIRON["WARMUP"], ENVIRON["DURATION"], ENVIRON["WRK_THREADS"], ENVIRON["QUICK"] > json
		printf "  \"startup_ms\": {\"service\": %s, \"service_cds\": %s, \"baseline\": %s},\n", ENVIRON["SERVICE_STARTUP_MS"], ENVIRON["SERVICE_CDS_STARTUP_MS"], ENVIRON["BASELINE_STARTUP_MS"] > json
		printf "  \"spring_started_seconds\": {\"service\": %s, \"service_cds\": %s, \"baseline\": %s},\n", num(ENVIRON["SERVICE_SPRING_S"]), num(ENVIRON["SERVICE_CDS_SPRING_S"]), num(ENVIRON["BASELINE_SPRING_S"]) > json
		printf "  \"memory\": {\"predictions_first\": %d, \"heap_after_gc_kb_first\": %d, \"rss_kb_first\": %d, \"predictions_second\": %d, \"heap_after_gc_kb_second\": %d, \"rss_kb_second\": %d},\n", ENVIRON["COUNT_10K"], ENVIRON["HEAP_10K"], ENVIRON["RSS_10K"], ENVIRON["COUNT_1M"], ENVIRON["HEAP_1M"], ENVIRON["RSS_1M"] > json
		print "  \"runs\": [" > json
		for (i = 1; i <= nLines; i++) {
			k = line[i]; split(k, part, SUBSEP)
			b = "baseline" SUBSEP part[2] SUBSEP part[3]
			printf "    {\"app\": \"%s\", \"condition\": \"%s\", \"connections\": %s, \"requests\": %s, \"rps\": %s, \"p50_ms\": %s, \"p99_ms\": %s, \"cpu_us_per_request\": %s, \"errors\": %s, \"stable_routed\": {\"p50_ms\": %s, \"mean_ms\": %s, \"count\": %s}, \"canary_routed\": {\"p50_ms\": %s, \"mean_ms\": %s, \"count\": %s}, \"rps_ratio_to_baseline\": %s, \"p50_ratio_to_baseline\": %s}%s\n", part[1], part[2], part[3], num(requests[k]), num(rps[k]), num(p50[k]), num(p99[k]), num(cpu[k]), errors[k], num(stP50[k]), num(stMean[k]), num(stN[k]), num(caP50[k]), num(caMean[k]), num(caN[k]), (part[1] == "service" && (b in rps)) ? num(ratio(rps[k], rps[b])) : "null", (part[1] == "service" && (b in p50)) ? num(ratio(p50[k], p50[b])) : "null", i < nLines ? "," : "" > json
		}
		print "  ]\n}" > json
	}' "$RESULTS"

# The dated copy, for docs/benchmarks/: results belong in files the script writes, not in prose.
if [[ -n "$DATED_DIR" ]]; then
	mkdir -p "$DATED_DIR"
	dated="$DATED_DIR/$DATE.md"
	n=2
	while [[ -e "$dated" ]]; do
		dated="$DATED_DIR/$DATE-$n.md"
		n=$(( n + 1 ))
	done
	{
		printf '# Benchmark run of %s, %s UTC\n\n' "$DATE" "$(cut -c12-16 <<< "$STARTED_AT")"
		# shellcheck disable=SC2016  # the backticks are markdown
		printf 'Generated by `scripts/bench.sh`, started at %s, on commit `%s`%s.\n\n' "$STARTED_AT" "${COMMIT:-unknown}" \
			"$([[ "${UNCOMMITTED:-false}" == true ]] && echo ' with uncommitted changes in the work tree')"
		cat "$MD"
	} > "$dated"
	echo "$dated"
fi
