package dev.mlcanary.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;

/** Turns the service's JSON answers into lines a person reads at a glance. */
final class Reports {

	static final String INDENT = "    ";

	private Reports() {
	}

	/** A health-check answer: verdict, reason, test statistics and a latency table. */
	static List<String> health(JsonNode r) {
		List<String> lines = new ArrayList<>();
		boolean alert = r.path("alert_triggered").asBoolean(false);
		String message = r.path("message").asString("");
		String verdict = alert ? "ALERT" : "no alert";
		lines.add(INDENT + "verdict   " + (message.toUpperCase(Locale.ROOT).startsWith(verdict.toUpperCase(Locale.ROOT))
				? message : verdict + " - " + message));
		String explanation = r.path("explanation").asString("");
		if (!explanation.isBlank()) {
			lines.add(INDENT + "why       " + explanation);
		}
		lines.add(INDENT + String.format(Locale.ROOT,
				"test      p-value %s, t %s, alpha %s; an alert needs an increase of at least %s ms",
				number(r.path("p_value"), "%.3g"), number(r.path("t_statistic"), "%.3f"), number(r.path("alpha"), "%s"),
				number(r.path("min_latency_increase_ms"), "%s")));
		lines.add(INDENT + String.format(Locale.ROOT, "%-16s %6s %10s %10s %10s %10s %10s", "latency (ms)", "n", "mean",
				"stddev", "p50", "p95", "p99"));
		lines.add(INDENT + latencyRow(r, "stable"));
		lines.add(INDENT + latencyRow(r, "canary"));
		lines.add(INDENT + "increase  " + signed(r.path("latency_increase_ms")) + " ms (canary mean - stable mean)");
		lines.addAll(judges(r));
		return lines;
	}

	/** The overall verdict and one line per judge: its verdict and its reason. */
	static List<String> judges(JsonNode r) {
		List<String> lines = new ArrayList<>();
		JsonNode judges = r.path("judges");
		if (!judges.isObject() || judges.isEmpty()) {
			return lines;
		}
		lines.add(INDENT + "judges    overall " + r.path("verdict").asString("?"));
		for (var entry : judges.properties()) {
			lines.add(INDENT + String.format(Locale.ROOT, "  %-13s %-12s %s", entry.getKey(),
					entry.getValue().path("verdict").asString("?"), entry.getValue().path("reason").asString("")));
		}
		return lines;
	}

	private static String latencyRow(JsonNode r, String role) {
		String name = role + " " + r.path(role + "_version").asString("-");
		return String.format(Locale.ROOT, "%-16s %6d %10s %10s %10s %10s %10s", name,
				r.path(role + "_sample_count").asInt(0), millis(r.path(role + "_avg_latency_ms")),
				millis(r.path(role + "_latency_stddev_ms")), millis(r.path(role + "_p50_latency_ms")),
				millis(r.path(role + "_p95_latency_ms")), millis(r.path(role + "_p99_latency_ms")));
	}

	/** A power-analysis answer. */
	static List<String> power(JsonNode r) {
		List<String> lines = new ArrayList<>();
		lines.add(INDENT + "recommended sample size per group: "
				+ r.path("recommended_sample_size_per_group").asString("?") + " (exact "
				+ number(r.path("exact_sample_size_per_group"), "%.2f") + ") for effect size "
				+ number(r.path("effect_size"), "%s") + ", alpha " + number(r.path("alpha"), "%s") + ", power "
				+ number(r.path("power"), "%s"));
		String message = r.path("message").asString("");
		if (!message.isBlank()) {
			lines.add(INDENT + message);
		}
		return lines;
	}

	/** The deployment as {@code GET /admin/status} shows it, in one line. */
	static String status(JsonNode s) {
		String canary = s.path("canary_version").isString() ? "canary " + s.path("canary_version").stringValue()
				+ " at weight " + number(s.path("canary_weight"), "%s") : "no canary";
		return "stable " + s.path("stable_version").asString("?") + ", " + canary + ", slowdown "
				+ (s.path("simulate_slowdown").asBoolean(false) ? "ON" : "off") + ", generation "
				+ s.path("generation").asString("?");
	}

	static String millis(JsonNode node) {
		return number(node, "%.4f");
	}

	static String signed(JsonNode node) {
		return node.isNumber() ? String.format(Locale.ROOT, "%+.4f", node.doubleValue()) : "n/a";
	}

	/**
	 * A number in the given format, or {@code n/a} for null or missing (undefined
	 * statistics).
	 */
	static String number(JsonNode node, String format) {
		if (!node.isNumber()) {
			return "n/a";
		}
		if (format.equals("%s")) {
			return node.isIntegralNumber() ? Long.toString(node.longValue()) : stripZeros(node.doubleValue());
		}
		return String.format(Locale.ROOT, format, node.doubleValue());
	}

	private static String stripZeros(double value) {
		String text = java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
		return text.contains(".") ? text : text + ".0";
	}

	static String seconds(long nanos) {
		return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
	}

}
