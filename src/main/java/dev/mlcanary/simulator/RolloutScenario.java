package dev.mlcanary.simulator;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mlcanary.simulator.ServiceClient.ServiceException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The automated scenarios: deploy a canary with a progressive strategy, send traffic
 * until the rollout has promoted or rolled it back on its own, and check that it ended
 * the expected way and for the expected reason. {@code progressive}: v2 promoted step by
 * step; {@code slow}: v2 with the slowdown on, rolled back on latency; {@code bad-model}:
 * v3, fast but wrong, rolled back by the agreement judge. The service is left as it was
 * found.
 */
final class RolloutScenario {

	static final int[] STEPS = { 10, 25, 50, 100 };

	static final String INTERVAL = "1s";

	static final int BATCH = 250;

	static final long MAX_SECONDS = 240;

	/**
	 * Where one judge's sentence ends and the next begins in a rollout event's detail.
	 */
	private static final java.util.regex.Pattern JUDGE_SENTENCE = java.util.regex.Pattern
		.compile("(?<=\\.) (?=Mean latency|Latency distribution|Tail latency|Errors|Prediction agreement)");

	private final SimulatorOptions options;

	private final PrintStream out;

	private final PrintStream err;

	private final ServiceClient client;

	private final TrafficDriver driver;

	RolloutScenario(SimulatorOptions options, PrintStream out, PrintStream err, boolean interactive) {
		this.options = options;
		this.out = out;
		this.err = err;
		this.client = new ServiceClient(options.baseUrl(), options.token());
		this.driver = new TrafficDriver(client, options.seed(), out, interactive);
	}

	/**
	 * What the scenario expects the rollout to do, and the failing judge's words that
	 * must explain a rollback.
	 */
	record Expectation(boolean promoted, String judge, java.util.regex.Pattern failingReason) {

		static Expectation of(SimulatorOptions.Scenario scenario) {
			return switch (scenario) {
				case PROGRESSIVE -> new Expectation(true, null, null);
				// Any latency judge may be the first to catch a slow canary: under heavy
				// load on the
				// machine stable's latencies get noisy and the rank test can be surer
				// than the mean test.
				case SLOW -> new Expectation(false, "mean, distribution or tail latency", java.util.regex.Pattern
					.compile("Mean latency[^:]*: canary above stable by [0-9.]+ ms \\([^)]*\\), significant"
							+ "|Latency distribution: canary median above stable's by [0-9.]+ ms \\([^)]*\\), significant"
							+ "|Tail latency: .*: significantly more canary requests above"));
				case BAD_MODEL -> new Expectation(false, "prediction agreement",
						java.util.regex.Pattern.compile("agree on ([0-8]?\\d|9[0-4])\\.\\d% of"));
				case CLASSIC -> throw new IllegalArgumentException("classic is not an automated scenario");
			};
		}

		boolean heldBy(boolean wasPromoted, String rollbackDetail) {
			return wasPromoted == promoted && (failingReason == null || failingReason.matcher(rollbackDetail).find());
		}

	}

	int run() {
		SimulatorOptions.Scenario scenario = options.scenario();
		Expectation expected = Expectation.of(scenario);
		String canary = options.canaryVersion();
		out.printf(Locale.ROOT, "ml-canary traffic simulator -> %s (scenario %s, canary %s, seed %d, admin token %s)%n",
				options.baseUrl(), scenario.wireName, canary, options.seed(), options.token() == null ? "none" : "set");
		String original = null;
		boolean slowed = false;
		try {
			client.awaitReady(30_000, () -> say("waiting for the service to be ready (up to 30 s) ..."));
			original = prepare();
			if (scenario == SimulatorOptions.Scenario.SLOW) {
				step("Slow the canary down before it starts");
				slowed = client.post("/admin/toggle-slowdown", null).path("simulate_slowdown").asBoolean(false);
				say("slowdown " + (slowed ? "on" : "off"));
			}
			Instant deployedAt = deploy(canary);
			JsonNode end = traffic(canary);
			boolean promoted = canary.equals(end.path("stable_version").asString(""));
			List<JsonNode> automatic = automaticEvents(deployedAt);
			String reasons = String.join(" ", automatic.stream().map(e -> e.path("detail").asString("")).toList());
			boolean held = expected.heldBy(promoted, lastDetail(automatic));
			step("Verdict");
			say("expected " + (expected.promoted() ? "promoted" : "rolled back")
					+ (expected.judge() == null ? "" : " by the " + expected.judge() + " judge") + ", got "
					+ (promoted ? "promoted" : "rolled back") + ": " + (held ? "OK" : "NOT AS EXPECTED"));
			if (!held) {
				say("the rollout said: " + reasons);
			}
			cleanUp(original, promoted, slowed);
			out.println(held ? "Result: every expectation held (exit 0)"
					: "Result: the rollout did not end as expected (exit " + TrafficSimulator.NOT_AS_EXPECTED + ")");
			return held ? TrafficSimulator.OK : TrafficSimulator.NOT_AS_EXPECTED;
		}
		catch (ServiceException e) {
			err.println("ERROR: " + e.getMessage());
			out.println("Result: the service was unreachable or answered unexpectedly (exit "
					+ TrafficSimulator.SERVICE_PROBLEM + ")");
			return TrafficSimulator.SERVICE_PROBLEM;
		}
		catch (IllegalStateException e) {
			err.println("FAILED: " + e.getMessage());
			try {
				cleanUp(original, false, slowed);
			}
			catch (ServiceException | InterruptedException cleanup) {
				err.println("cleanup failed: " + cleanup.getMessage());
			}
			return TrafficSimulator.NOT_AS_EXPECTED;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			err.println("ERROR: interrupted");
			return TrafficSimulator.SERVICE_PROBLEM;
		}
	}

	/**
	 * Rolls back a canary and switches the slowdown off if a previous run left them;
	 * returns the stable version.
	 */
	private String prepare() throws ServiceException, InterruptedException {
		step("Prepare the service");
		JsonNode status = client.get("/admin/status");
		if (!status.path("canary_version").isNull() && !status.path("canary_version").isMissingNode()) {
			client.post("/admin/rollback-canary", null);
			say("rolled back canary " + status.path("canary_version").asString());
		}
		if (status.path("simulate_slowdown").asBoolean(false)) {
			client.post("/admin/toggle-slowdown", null);
			say("switched the slowdown off");
		}
		String stable = status.path("stable_version").asString();
		say("stable " + stable);
		ServiceException.requireCanaryIsNotStable(stable, options.canaryVersion());
		return stable;
	}

	private Instant deploy(String canary) throws ServiceException, InterruptedException {
		step("Deploy canary " + canary + " with an automated rollout (steps 10, 25, 50, 100%, every " + INTERVAL + ")");
		ObjectNode body = client.object();
		body.put("version", canary);
		ObjectNode strategy = body.putObject("strategy");
		var steps = strategy.putArray("steps");
		for (int s : STEPS) {
			steps.add(s);
		}
		strategy.put("interval", INTERVAL).put("auto_rollback", true).put("auto_promote", true);
		Instant before = Instant.now();
		JsonNode answer = client.post("/admin/deploy-canary", body);
		say(answer.path("message").asString(""));
		return before;
	}

	/**
	 * Sends traffic until the canary is gone (promoted or rolled back); prints each
	 * change of step.
	 */
	private JsonNode traffic(String canary) throws ServiceException, InterruptedException {
		step("Traffic until the rollout decides (" + BATCH + " requests at a time)");
		long deadline = System.nanoTime() + MAX_SECONDS * 1_000_000_000L;
		String lastStep = "";
		int sent = 0;
		while (System.nanoTime() < deadline) {
			driver.send(BATCH, Reports.INDENT);
			sent += BATCH;
			JsonNode status = client.get("/admin/status");
			if (!canary.equals(status.path("canary_version").asString(null))) {
				say("after " + sent + " requests the canary is gone: stable is "
						+ status.path("stable_version").asString());
				return status;
			}
			JsonNode rollout = status.path("rollout");
			String now = rollout.path("phase").asString("?") + " at " + rollout.path("step_percent").asString("?")
					+ "%, last verdict " + rollout.path("last_verdict").asString("none");
			if (!now.equals(lastStep)) {
				say("after " + sent + " requests: " + now);
				lastStep = now;
			}
		}
		throw new IllegalStateException(
				"the rollout had not decided after " + MAX_SECONDS + " s (" + sent + " requests)");
	}

	private List<JsonNode> automaticEvents(Instant since) throws ServiceException, InterruptedException {
		step("What the rollout did (audit trail, actor 'rollout')");
		List<JsonNode> events = new ArrayList<>();
		for (JsonNode e : client.get("/admin/events?limit=100").path("events")) {
			if ("rollout".equals(e.path("actor").asString(""))
					&& !Instant.parse(e.path("time").asString()).isBefore(since)) {
				events.add(0, e);
			}
		}
		for (JsonNode e : events) {
			String[] parts = JUDGE_SENTENCE.split(e.path("detail").asString(""));
			say(e.path("action").asString() + ": " + parts[0]);
			for (int i = 1; i < parts.length; i++) {
				say("  " + parts[i]);
			}
		}
		return events;
	}

	private static String lastDetail(List<JsonNode> events) {
		return events.isEmpty() ? "" : events.get(events.size() - 1).path("detail").asString("");
	}

	/**
	 * Leaves the service as it was: slowdown off, and the original stable back if the
	 * canary was promoted.
	 */
	private void cleanUp(String original, boolean promoted, boolean slowed)
			throws ServiceException, InterruptedException {
		step("Leave the service as it was");
		JsonNode status = client.get("/admin/status");
		if (!status.path("canary_version").isNull() && !status.path("canary_version").isMissingNode()) {
			client.post("/admin/rollback-canary", null);
		}
		if (slowed || status.path("simulate_slowdown").asBoolean(false)) {
			client.post("/admin/toggle-slowdown", null);
			say("slowdown off");
		}
		if (promoted && original != null
				&& !original.equals(client.get("/admin/status").path("stable_version").asString())) {
			ObjectNode body = client.object();
			body.put("version", original);
			client.post("/admin/deploy-canary", body);
			client.post("/admin/promote-canary", null);
			say("restored " + original + " as stable");
		}
	}

	private void step(String title) {
		out.println();
		out.println("* " + title);
	}

	private void say(String line) {
		out.println(Reports.INDENT + line);
	}

}
