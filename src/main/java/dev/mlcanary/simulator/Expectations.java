package dev.mlcanary.simulator;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * What the simulator expects the service to answer, as pure functions of the answers: the
 * verdicts it checks, how many more requests it takes to reach the health check's minimum
 * sample count, and the exit code that follows from the checks.
 */
final class Expectations {

	/**
	 * The health check's documented default, used when an answer does not carry
	 * {@code min_samples}.
	 */
	static final int DEFAULT_MIN_SAMPLES = 20;

	/**
	 * Canary weight assumed when the deploy answer does not carry one (the service's
	 * default).
	 */
	static final double DEFAULT_WEIGHT = 0.1;

	/**
	 * At least this many requests per phase before giving up on reaching the minimum
	 * sample count.
	 */
	static final int MIN_SAFETY_LIMIT = 2_000;

	private Expectations() {
	}

	/** One expectation: what was expected, what happened, and whether they agree. */
	record Check(String name, String expected, String actual, boolean held) {

		String line() {
			return String.format(java.util.Locale.ROOT, "%-34s expected %-10s got %-10s %s", name, expected, actual,
					held ? "OK" : "NOT AS EXPECTED");
		}

	}

	/**
	 * A health-check verdict. It holds only on enough data: "insufficient data" also
	 * carries {@code alert_triggered: false}, but it is no evidence that the canary is
	 * healthy.
	 */
	static Check health(String name, JsonNode report, boolean expectAlert) {
		int min = minSamples(report);
		int stable = report.path("stable_sample_count").asInt(0);
		int canary = report.path("canary_sample_count").asInt(0);
		String expected = expectAlert ? "alert" : "no alert";
		if (stable < min || canary < min) {
			return new Check(name, expected,
					"insufficient data (" + stable + " stable, " + canary + " canary, " + min + " needed each)", false);
		}
		boolean alert = report.path("alert_triggered").asBoolean(false);
		return new Check(name, expected, alert ? "alert" : "no alert", alert == expectAlert);
	}

	/** Which role answered a prediction ({@code model_used}). */
	static Check servedBy(String name, JsonNode prediction, String expectedRole) {
		String actual = prediction.path("model_used").asString("(none)");
		return new Check(name, expectedRole, actual, expectedRole.equals(actual));
	}

	/** A traffic phase that gave up before both roles had enough samples. */
	static Check samplesNotReached(String name, int stable, int canary, int min, int sent) {
		return new Check(name, min + " samples each",
				stable + " stable/" + canary + " canary after " + sent + " requests", false);
	}

	static int minSamples(JsonNode healthReport) {
		int min = healthReport.path("min_samples").asInt(DEFAULT_MIN_SAMPLES);
		return min > 0 ? min : DEFAULT_MIN_SAMPLES;
	}

	/**
	 * Most requests one phase may send: 20 times the planned count, and at least
	 * {@value #MIN_SAFETY_LIMIT}.
	 */
	static int safetyLimit(int requests) {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(20L * requests, MIN_SAFETY_LIMIT));
	}

	/**
	 * How many more requests to send so that both roles probably reach {@code min}
	 * samples: the expected count for the scarcer role, with half again as margin, at
	 * least 10, and never past {@code limit}. Zero when both already have enough.
	 */
	static int extraRequests(int stable, int canary, int min, double weight, int sent, int limit) {
		int missingStable = Math.max(0, min - stable);
		int missingCanary = Math.max(0, min - canary);
		int left = Math.max(0, limit - sent);
		if (missingStable == 0 && missingCanary == 0) {
			return 0;
		}
		double expected = 0;
		if (missingCanary > 0) {
			expected = weight > 0 ? missingCanary / Math.min(1.0, weight) : Double.POSITIVE_INFINITY;
		}
		if (missingStable > 0) {
			expected = Math.max(expected,
					weight < 1 ? missingStable / (1 - Math.max(0.0, weight)) : Double.POSITIVE_INFINITY);
		}
		double wanted = Math.max(10, Math.ceil(expected * 1.5 - 1e-9));
		return (int) Math.min(left, wanted);
	}

	/** 0 when every check held, 1 when any did not. */
	static int exitCode(List<Check> checks) {
		return checks.stream().allMatch(Check::held) ? 0 : 1;
	}

}
