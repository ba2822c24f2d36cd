package dev.mlcanary.simulator;

import java.io.PrintStream;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.mlcanary.simulator.ServiceClient.ServiceException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends predictions with a few requests in flight: enough that the canary's artificial
 * delay does not make a phase slow, few enough that a 2-core machine running the service
 * stays responsive. The feature vectors come from one seeded generator, drawn on the
 * calling thread, so a seed always gives the same sequence of requests.
 */
final class TrafficDriver {

	static final int IN_FLIGHT = 4;

	static final int FEATURES = 5;

	static final double FEATURE_MAX = 1.5;

	private final ServiceClient client;

	private final SplittableRandom random;

	private final PrintStream out;

	private final boolean interactive;

	TrafficDriver(ServiceClient client, long seed, PrintStream out, boolean interactive) {
		this.client = client;
		this.random = new SplittableRandom(seed);
		this.out = out;
		this.interactive = interactive;
	}

	/** How many answers each role served. */
	record Tally(int stable, int canary) {

		int total() {
			return stable + canary;
		}

		Tally plus(Tally other) {
			return new Tally(stable + other.stable, canary + other.canary);
		}

	}

	/**
	 * One traffic phase: what was sent and served, the samples the phase added per role,
	 * the samples the service holds, and whether both roles reached the minimum before
	 * the safety bound.
	 */
	record Phase(Tally tally, int sent, int newStable, int newCanary, int heldStable, int heldCanary, long nanos,
			boolean reached) {
	}

	/**
	 * Sends {@code requests} predictions, then more until this phase has added
	 * {@code minSamples} samples for both roles (so a check after it sees enough requests
	 * of this phase, not only of earlier ones), at most {@link Expectations#safetyLimit}
	 * in all. New samples are the growth of the request counts in {@code /admin/status};
	 * the held sample counts are what the health check uses.
	 */
	Phase phase(int requests, int minSamples, double weight, Consumer<String> say)
			throws ServiceException, InterruptedException {
		long began = System.nanoTime();
		JsonNode before = client.get("/admin/status");
		int limit = Expectations.safetyLimit(requests);
		Tally tally = send(requests, Reports.INDENT);
		int sent = requests;
		while (true) {
			JsonNode status = client.get("/admin/status");
			int stable = grown(before, status, "stable_request_count");
			int canary = grown(before, status, "canary_request_count");
			int extra = Expectations.extraRequests(stable, canary, minSamples, weight, sent, limit);
			if (extra == 0) {
				return new Phase(tally, sent, stable, canary, status.path("stable_sample_count").asInt(0),
						status.path("canary_sample_count").asInt(0), System.nanoTime() - began,
						stable >= minSamples && canary >= minSamples);
			}
			say.accept("new samples this phase: stable " + stable + ", canary " + canary + "; " + minSamples
					+ " needed each: sending " + extra + " more");
			tally = tally.plus(send(extra, Reports.INDENT));
			sent += extra;
		}
	}

	private static int grown(JsonNode before, JsonNode after, String field) {
		return (int) Math.max(0,
				Math.min(Integer.MAX_VALUE, after.path(field).asLong(0) - before.path(field).asLong(0)));
	}

	/**
	 * Sends {@code count} predictions and waits for all answers. The first failed request
	 * stops further sending and is thrown once the requests in flight have finished.
	 */
	Tally send(int count, String label) throws ServiceException, InterruptedException {
		Semaphore slots = new Semaphore(IN_FLIGHT);
		AtomicInteger stable = new AtomicInteger();
		AtomicInteger canary = new AtomicInteger();
		AtomicInteger done = new AtomicInteger();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		ProgressBar bar = new ProgressBar(out, interactive, System::nanoTime, label, count);
		bar.update(0, 0, 0);
		for (int i = 0; i < count && failure.get() == null; i++) {
			ObjectNode body = nextRequest();
			slots.acquire();
			client.postAsync("/predict", body).whenComplete((answer, error) -> {
				try {
					if (error != null) {
						failure.compareAndSet(null, error instanceof CompletionException && error.getCause() != null
								? error.getCause() : error);
						return;
					}
					if ("canary".equals(role(answer))) {
						canary.incrementAndGet();
					}
					else {
						stable.incrementAndGet();
					}
					bar.update(done.incrementAndGet(), stable.get(), canary.get());
				}
				finally {
					slots.release();
				}
			});
		}
		slots.acquire(IN_FLIGHT);
		slots.release(IN_FLIGHT);
		bar.finish(done.get(), stable.get(), canary.get());
		Throwable error = failure.get();
		if (error instanceof ServiceException e) {
			throw e;
		}
		if (error != null) {
			throw new ServiceException("POST /predict failed: " + error, 0);
		}
		return new Tally(stable.get(), canary.get());
	}

	/** One prediction, answered before this returns. */
	JsonNode predictOnce() throws ServiceException, InterruptedException {
		return client.post("/predict", nextRequest());
	}

	private ObjectNode nextRequest() {
		ObjectNode body = client.object();
		ArrayNode features = body.putArray("features");
		for (int f = 0; f < FEATURES; f++) {
			features.add(random.nextDouble(0, FEATURE_MAX));
		}
		return body;
	}

	private static String role(JsonNode answer) {
		return answer.path("model_used").asString("");
	}

}
