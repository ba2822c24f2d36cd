package dev.mlcanary.simulator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mlcanary.simulator.Expectations.Check;
import dev.mlcanary.simulator.ServiceClient.Answer;
import dev.mlcanary.simulator.ServiceClient.ServiceException;
import tools.jackson.databind.JsonNode;

/**
 * The prototype's canary lifecycle, the simulator's default scenario: deploy a canary,
 * send traffic, check (no alert), switch the slowdown on, send traffic, check (alert),
 * roll back, confirm that stable serves, and ask for a power analysis. The service is
 * reset first (a leftover canary rolled back, a leftover slowdown switched off) and left
 * clean afterwards, so the demo can be repeated against a long-running service. Exit
 * codes as {@link TrafficSimulator}'s.
 */
final class ClassicScenario {

	private final SimulatorOptions options;

	private final ServiceClient client;

	private final TrafficDriver driver;

	private final PrintStream out;

	private final PrintStream err;

	private final List<Check> checks = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private int minSamples = Expectations.DEFAULT_MIN_SAMPLES;

	private double weight = Expectations.DEFAULT_WEIGHT;

	private boolean touchedCanary;

	private boolean touchedSlowdown;

	private int predictions;

	ClassicScenario(SimulatorOptions options, PrintStream out, PrintStream err, boolean interactive) {
		this.options = options;
		this.client = new ServiceClient(options.baseUrl(), options.token());
		this.driver = new TrafficDriver(client, options.seed(), out, interactive);
		this.out = out;
		this.err = err;
	}

	/** A phase that could not reach the minimum sample count within its safety bound. */
	private static final class PhaseAborted extends Exception {

		PhaseAborted(String message) {
			super(message);
		}

	}

	int run() {
		long start = System.nanoTime();
		out.printf(Locale.ROOT,
				"ml-canary traffic simulator -> %s (canary %s, %d requests per phase, seed %d, admin token %s)%n",
				options.baseUrl(), options.canaryVersion(), options.requests(), options.seed(),
				options.token() == null ? "none" : "set");
		try {
			prepare();
			deploy();
			traffic(2, "Traffic phase 1: canary at normal speed");
			health(3, "health check 1 (normal speed)", false);
			slowdown(4, true);
			traffic(5, "Traffic phase 2: canary slowed down");
			health(6, "health check 2 (slowed down)", true);
			rollback();
			confirm();
			powerAnalysis();
			step(10, "Leave the service clean");
			slowdown(-1, false);
		}
		catch (ServiceException e) {
			err.println();
			err.println("ERROR: " + e.getMessage());
			cleanUpAfterFailure();
			out.println("Result: the service was unreachable or answered unexpectedly (exit "
					+ TrafficSimulator.SERVICE_PROBLEM + ")");
			return TrafficSimulator.SERVICE_PROBLEM;
		}
		catch (PhaseAborted e) {
			err.println();
			err.println("FAILED: " + e.getMessage());
			cleanUpAfterFailure();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			err.println("ERROR: interrupted");
			return TrafficSimulator.SERVICE_PROBLEM;
		}
		catch (RuntimeException e) {
			// Not a verdict (exit 1) and not a usage error: most likely an answer this
			// simulator cannot read.
			err.println();
			err.println("ERROR: unexpected failure: " + e);
			e.printStackTrace(err);
			cleanUpAfterFailure();
			return TrafficSimulator.SERVICE_PROBLEM;
		}
		return summary(start);
	}

	private void step(int number, String title) {
		out.println();
		out.println("[" + number + "] " + title);
	}

	private void say(String line) {
		out.println(Reports.INDENT + line);
	}

	/**
	 * Step 0: wait until ready, then undo whatever an earlier run or another client left
	 * behind.
	 */
	private void prepare() throws ServiceException, InterruptedException {
		step(0, "Prepare the service");
		long began = System.nanoTime();
		client.awaitReady(TrafficSimulator.READY_TIMEOUT_MILLIS, () -> say("waiting for " + options.baseUrl()
				+ "/actuator/health/readiness (up to " + TrafficSimulator.READY_TIMEOUT_MILLIS / 1000 + " s)"));
		say("ready after " + Reports.seconds(System.nanoTime() - began));
		JsonNode status = client.get("/admin/status");
		say("status: " + Reports.status(status));
		boolean reset = false;
		if (status.path("canary_version").isString()) {
			JsonNode r = client.post("/admin/rollback-canary", null);
			say("a canary was active: rolled it back (" + r.path("message").asString("") + ")");
			reset = true;
		}
		if (status.path("simulate_slowdown").asBoolean(false)) {
			JsonNode r = client.post("/admin/toggle-slowdown", null);
			if (r.path("simulate_slowdown").asBoolean(true)) {
				throw new ServiceException(
						"POST /admin/toggle-slowdown left the slowdown on; is another client toggling it?", 200);
			}
			say("the slowdown was on: switched it off");
			reset = true;
		}
		if (!reset) {
			say("nothing to reset");
		}
		ServiceException.requireCanaryIsNotStable(status.path("stable_version").asString(), options.canaryVersion());
	}

	private void deploy() throws ServiceException, InterruptedException {
		step(1, "Deploy canary " + options.canaryVersion());
		touchedCanary = true;
		JsonNode r = client.post("/admin/deploy-canary", client.object().put("version", options.canaryVersion()));
		weight = r.path("weight").asDouble(Expectations.DEFAULT_WEIGHT);
		say(r.path("message").asString("deployed") + " (model " + r.path("model_path").asString("?") + ", weight "
				+ Reports.number(r.path("weight"), "%s") + ", generation " + r.path("generation").asString("?") + ")");
		minSamples = Expectations.minSamples(client.get("/admin/check-canary-health"));
		say("the health check needs at least " + minSamples + " samples per version");
	}

	/**
	 * A traffic phase: see {@link TrafficDriver#phase}. Gives up, exit code 1, at the
	 * safety bound.
	 */
	private void traffic(int number, String title) throws ServiceException, InterruptedException, PhaseAborted {
		step(number, title + " (" + options.requests() + " requests, " + TrafficDriver.IN_FLIGHT + " in flight)");
		TrafficDriver.Phase p = driver.phase(options.requests(), minSamples, weight, this::say);
		predictions += p.sent();
		if (!p.reached()) {
			checks.add(Expectations.samplesNotReached("step " + number + " sample count", p.newStable(), p.newCanary(),
					minSamples, p.sent()));
			throw new PhaseAborted("step " + number + ": after " + p.sent()
					+ " requests (the safety bound) this phase added " + p.newStable() + " stable and " + p.newCanary()
					+ " canary samples, but the health check needs " + minSamples
					+ " of each. Is the canary receiving traffic (weight " + weight + ")?");
		}
		say(String.format(Locale.ROOT,
				"served stable %d, canary %d in %s (%.0f requests/s); samples held: stable %d, canary %d (%d needed each)",
				p.tally().stable(), p.tally().canary(), Reports.seconds(p.nanos()), p.sent() / (p.nanos() / 1e9),
				p.heldStable(), p.heldCanary(), minSamples));
	}

	private void health(int number, String name, boolean expectAlert) throws ServiceException, InterruptedException {
		step(number, "Health check (expected: " + (expectAlert ? "alert" : "no alert") + ")");
		JsonNode r = client.get("/admin/check-canary-health");
		Reports.health(r).forEach(out::println);
		Check check = Expectations.health(name, r, expectAlert);
		checks.add(check);
		say("expected " + check.expected() + ", got " + check.actual() + ": "
				+ (check.held() ? "OK" : "NOT AS EXPECTED"));
	}

	/**
	 * Switches the canary slowdown on or off; number -1 means it is part of the current
	 * step.
	 */
	private void slowdown(int number, boolean on) throws ServiceException, InterruptedException {
		if (number >= 0) {
			step(number, "Slow the canary down");
		}
		JsonNode status = client.get("/admin/status");
		if (status.path("simulate_slowdown").asBoolean(false) == on) {
			say("slowdown already " + (on ? "on" : "off"));
			return;
		}
		touchedSlowdown = true;
		JsonNode r = client.post("/admin/toggle-slowdown", null);
		if (r.path("simulate_slowdown").asBoolean(!on) != on) {
			throw new ServiceException("POST /admin/toggle-slowdown answered simulate_slowdown="
					+ r.path("simulate_slowdown") + ", expected " + on + "; is another client toggling it?", 200);
		}
		say(r.path("message").asString("toggled")
				+ (on ? " (+" + Reports.number(r.path("delay_ms"), "%s") + " ms on each canary request)" : ""));
	}

	private void rollback() throws ServiceException, InterruptedException {
		step(7, "Roll the canary back");
		JsonNode r = client.post("/admin/rollback-canary", null);
		say(r.path("message").asString("rolled back"));
	}

	private void confirm() throws ServiceException, InterruptedException {
		step(8, "Confirming prediction (expected: served by stable)");
		JsonNode r = driver.predictOnce();
		predictions++;
		say(String.format(Locale.ROOT, "churn probability %s, served by %s (%s) in %s ms",
				Reports.number(r.path("churn_probability"), "%.4f"), r.path("model_used").asString("?"),
				r.path("model_version").asString("?"), Reports.number(r.path("latency_ms"), "%.4f")));
		Check check = Expectations.servedBy("confirming prediction", r, "stable");
		checks.add(check);
		say("expected " + check.expected() + ", got " + check.actual() + ": "
				+ (check.held() ? "OK" : "NOT AS EXPECTED"));
	}

	private void powerAnalysis() throws ServiceException, InterruptedException {
		step(9, "Power analysis: samples per group to detect effect size 0.666 (alpha 0.05, power 0.8)");
		Answer a = client.getAnyStatus(TrafficSimulator.POWER_ANALYSIS);
		if (a.status() / 100 != 2) {
			throw new ServiceException("GET " + TrafficSimulator.POWER_ANALYSIS + " answered HTTP " + a.status()
					+ (a.detail() == null ? "" : ": " + a.detail()), a.status());
		}
		Reports.power(a.body()).forEach(out::println);
		notes.add("power analysis: " + a.body().path("recommended_sample_size_per_group").asString("?")
				+ " samples per group recommended");
	}

	/**
	 * After a failure: roll back the canary and switch off the slowdown if this run set
	 * them up.
	 */
	private void cleanUpAfterFailure() {
		if (!touchedCanary && !touchedSlowdown) {
			return;
		}
		try {
			JsonNode status = client.get("/admin/status");
			if (touchedCanary && options.canaryVersion().equals(status.path("canary_version").asString(""))) {
				client.post("/admin/rollback-canary", null);
				err.println("cleaned up: rolled canary " + options.canaryVersion() + " back");
			}
			if (touchedSlowdown && status.path("simulate_slowdown").asBoolean(false)) {
				client.post("/admin/toggle-slowdown", null);
				err.println("cleaned up: switched the slowdown off");
			}
		}
		catch (ServiceException | RuntimeException e) {
			err.println("could not clean up: " + e.getMessage());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private int summary(long start) {
		out.println();
		out.println("Summary");
		checks.forEach(c -> say(c.line()));
		notes.forEach(this::say);
		say(predictions + " predictions in " + Reports.seconds(System.nanoTime() - start));
		try {
			say("service left with " + Reports.status(client.get("/admin/status")));
		}
		catch (ServiceException | RuntimeException e) {
			say("could not read the final status: " + e.getMessage());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		int code = Expectations.exitCode(checks);
		if (code == TrafficSimulator.OK) {
			out.println("Result: every expectation held (exit 0)");
		}
		else {
			out.println("Result: NOT AS EXPECTED: "
					+ String.join("; ",
							checks.stream().filter(c -> !c.held()).map(c -> c.name() + " got " + c.actual()).toList())
					+ " (exit " + code + ")");
		}
		return code;
	}

}
