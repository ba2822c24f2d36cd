package dev.mlcanary.prediction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentProperties;
import dev.mlcanary.deployment.DeploymentPublished;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.shared.LatencyWindow;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;
import dev.mlcanary.system.PeriodicTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Per version and role: the model-latency timer (with histogram buckets, so percentiles
 * can be aggregated across replicas), and counters of predictions and model failures.
 *
 * <p>
 * Predictions and their latencies are not recorded on the request thread: a request
 * writes its sample into the period's {@link LatencyWindow} only (the health check needs
 * it there anyway), and {@link #drain()} copies what the windows received since its last
 * call into the timer and the counter, every {@value #DRAIN_MILLIS} ms on its own thread
 * and before every Prometheus scrape. Recording into a Micrometer timer with a histogram
 * measured about 180 ns per sample; off the request thread that leaves routing and
 * recording at a few tens of ns (docs/adr/0005-metrics-off-the-request-thread.md).
 *
 * <p>
 * Every period is tracked from the moment it is published ({@link DeploymentPublished}),
 * so two deploys within one drain interval lose nothing. A replaced period is still
 * drained for requests that read the old deployment and finish late (a slowed canary
 * request can take the whole slowdown delay), until it has been replaced for longer than
 * the grace period (the slowdown delay plus {@value #GRACE_MARGIN_SECONDS} s) and a drain
 * found nothing new in it.
 *
 * <p>
 * {@code canary_predictions_total} counts rows: a batch of more than one row (which is
 * kept out of the windows) adds its rows itself, with {@link #recordBatch}.
 *
 * <p>
 * Accuracy: {@code canary_predictions_total} counts every sample but those of a request
 * that finishes into a period more than the grace period after it was replaced. The timer
 * also misses samples a window overwrote before a drain read them (more than a window's
 * worth of predictions of one version in {@value #DRAIN_MILLIS} ms: over 100,000 per
 * second with the default window).
 */
@Component
class PredictionMetrics implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PredictionMetrics.class);

	static final long DRAIN_MILLIS = 100;

	static final long GRACE_MARGIN_SECONDS = 5;

	private final MeterRegistry registry;

	private final DeploymentService deployments;

	private final Map<Role, Map<String, Meters>> meters = new EnumMap<>(Role.class);

	/** Guarded by this. */
	private Period current;

	/**
	 * Guarded by this: replaced periods, drained until they have been quiet for a while.
	 */
	private final List<Period> retired = new ArrayList<>();

	private volatile @Nullable PeriodicTask drainer;

	private final long graceNanos;

	private final LongSupplier nanoClock;

	@Autowired
	PredictionMetrics(MeterRegistry registry, DeploymentService deployments, DeploymentProperties properties) {
		this(registry, deployments, properties.slowdownDelay().plusSeconds(GRACE_MARGIN_SECONDS), System::nanoTime);
	}

	/**
	 * For tests: {@code grace} is how long a replaced period is still drained, by
	 * {@code nanoClock}.
	 */
	PredictionMetrics(MeterRegistry registry, DeploymentService deployments, Duration grace, LongSupplier nanoClock) {
		this.registry = registry;
		this.deployments = deployments;
		this.graceNanos = grace.toNanos();
		this.nanoClock = nanoClock;
		for (Role role : Role.values()) {
			meters.put(role, new ConcurrentHashMap<>());
			batchMeters.put(role, new ConcurrentHashMap<>());
		}
	}

	record Meters(Timer modelLatency, Counter predictions, Counter errors) {
	}

	/** The meters of batches of more than one row, built on their first batch. */
	record BatchMeters(Timer latency, Counter rows) {
	}

	private final Map<Role, Map<String, BatchMeters>> batchMeters = new EnumMap<>(Role.class);

	void recordError(String version, Role role) {
		meters(version, role).errors().increment();
	}

	/**
	 * A batch of more than one row, on the request thread: it is not in the windows for
	 * {@link #drain()} to find. Its rows count as predictions.
	 */
	void recordBatch(String version, Role role, int rows, long nanos) {
		meters(version, role).predictions().increment(rows);
		Map<String, BatchMeters> byVersion = batchMeters.get(role);
		BatchMeters found = byVersion.get(version);
		BatchMeters m = found != null ? found
				: byVersion.computeIfAbsent(version,
						v -> new BatchMeters(
								Timer.builder("canary.batch.latency")
									.description("Time to serve the model for a batch of more than one row "
											+ "(Open Inference Protocol), artificial delay included")
									.tags("version", v, "role", role.wireName())
									.publishPercentileHistogram()
									.register(registry),
								Counter.builder("canary.batch.rows")
									.description("Rows served in batches of more than one row")
									.tags("version", v, "role", role.wireName())
									.register(registry)));
		m.latency().record(nanos, TimeUnit.NANOSECONDS);
		m.rows().increment(rows);
	}

	/**
	 * Starts tracking the new deployment's period (called under the deployment service's
	 * lock).
	 */
	@EventListener
	void published(DeploymentPublished event) {
		track(event.after());
	}

	/** Copies the samples recorded since the last drain into the timers and counters. */
	synchronized void drain() {
		track(deployments.current());
		current.drain();
		long now = nanoClock.getAsLong();
		for (Iterator<Period> it = retired.iterator(); it.hasNext();) {
			Period period = it.next();
			boolean moved = period.drain();
			if (!moved && now - period.retiredAt > graceNanos) {
				it.remove();
			}
		}
	}

	private synchronized void track(Deployment deployment) {
		if (current != null && current.samples == deployment.samples()) {
			return;
		}
		if (current != null) {
			current.retiredAt = nanoClock.getAsLong();
			retired.add(current);
		}
		current = new Period(deployment);
	}

	private Meters meters(String version, Role role) {
		Map<String, Meters> byVersion = meters.get(role);
		Meters found = byVersion.get(version);
		// computeIfAbsent only on a miss: its lambda captures the role, and would be
		// allocated per call.
		return found != null ? found
				: byVersion.computeIfAbsent(version,
						v -> new Meters(
								Timer.builder("canary.model.latency")
									.description(
											"Time to serve the model for one prediction, artificial delay included")
									.tags("version", v, "role", role.wireName())
									.publishPercentileHistogram()
									.register(registry),
								Counter.builder("canary.predictions")
									.description("Predictions served, one per row of a batch")
									.tags("version", v, "role", role.wireName())
									.register(registry),
								Counter.builder("canary.prediction.errors")
									.description("Model failures (exceptions, non-finite answers)")
									.tags("version", v, "role", role.wireName())
									.register(registry)));
	}

	/** One deployment period's windows, with how far each has been drained. */
	private final class Period {

		final LatencyWindows samples;

		private final Cursor stable;

		private final Cursor canary;

		long retiredAt;

		Period(Deployment deployment) {
			this.samples = deployment.samples();
			this.stable = new Cursor(samples.stable(), deployment.stable().version(), Role.STABLE);
			this.canary = deployment.hasCanary()
					? new Cursor(samples.canary(), deployment.canary().version(), Role.CANARY) : null;
		}

		/** Drains both windows; whether either had something new. */
		boolean drain() {
			return stable.drain() | (canary != null && canary.drain());
		}

	}

	private final class Cursor {

		private final LatencyWindow window;

		private final String version;

		private final Role role;

		private long position;

		Cursor(LatencyWindow window, String version, Role role) {
			this.window = window;
			this.version = version;
			this.role = role;
		}

		boolean drain() {
			if (window.recordedCount() == position) {
				return false;
			}
			Meters m = meters(version, role);
			Timer timer = m.modelLatency();
			long next = window.drain(position, nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
			m.predictions().increment(next - position);
			boolean moved = next != position;
			position = next;
			return moved;
		}

	}

	@Override
	public void start() {
		// A drain that throws is logged, and the next one exports again; stop() waits for
		// a drain under way, so that the last one there does not run beside it.
		drainer = PeriodicTask.start("prediction-metrics", Duration.ofMillis(DRAIN_MILLIS),
				Duration.ofMillis(DRAIN_MILLIS), Duration.ofSeconds(5),
				ex -> log.error("Could not export prediction metrics", ex), this::drain);
	}

	/**
	 * After the web server has stopped (its graceful shutdown included), so the last
	 * drain sees every request.
	 */
	@Override
	public int getPhase() {
		return DEFAULT_PHASE - 4096;
	}

	/**
	 * Drains once more, so that the predictions of a graceful shutdown are counted too.
	 */
	@Override
	public void stop() {
		PeriodicTask scheduler = drainer;
		drainer = null;
		if (scheduler != null) {
			scheduler.stop();
		}
		drain();
	}

	@Override
	public boolean isRunning() {
		return drainer != null;
	}

}
