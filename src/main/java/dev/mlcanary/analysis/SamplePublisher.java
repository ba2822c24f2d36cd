package dev.mlcanary.analysis;

import java.time.Duration;
import java.util.List;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;
import dev.mlcanary.store.FleetProperties;
import dev.mlcanary.store.StoreUnavailableException;
import dev.mlcanary.system.PeriodicTask;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Every {@code canary.fleet.publish-interval}, on a thread of its own, writes this
 * replica's samples of the period it serves to {@code latency_window}, for the other
 * replicas' pooled checks: both windows' current contents (at most
 * {@code canary.window-size} samples each), the error counts and the agreement counts, in
 * one statement. When nothing changed since the last publish it only renews the rows'
 * {@code published_at}. {@code /predict} never waits for it: it reads the lock-free
 * windows like a check does. A failure is logged once, and the next interval tries again.
 */
final class SamplePublisher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SamplePublisher.class);

	private final DeploymentService deployments;

	private final PublishedSamples published;

	private final FleetProperties fleet;

	private @Nullable List<Long> lastSignature;

	private boolean failing;

	private @Nullable PeriodicTask scheduler;

	SamplePublisher(DeploymentService deployments, PublishedSamples published, FleetProperties fleet) {
		this.deployments = deployments;
		this.published = published;
		this.fleet = fleet;
	}

	/** What the thread runs; never throws. */
	synchronized void publishQuietly() {
		try {
			publish();
			if (failing) {
				failing = false;
				log.info("Publishing this replica's samples to the PostgreSQL store again.");
			}
		}
		catch (RuntimeException ex) {
			lastSignature = null;
			if (!failing) {
				failing = true;
				log.warn(
						"Cannot publish this replica's samples to the PostgreSQL store ({}); the other replicas' "
								+ "checks leave it out once its samples are older than {}, retrying.",
						StoreUnavailableException.describeCause(ex), fleet.replicaTimeout());
			}
		}
	}

	/**
	 * One publish: the current period's samples, or a renewal when they are unchanged.
	 */
	synchronized void publish() {
		PublishedSamples.Publish p = read(deployments.current());
		List<Long> signature = p.signature();
		if (signature.equals(lastSignature) && published.renew(fleet.replicaId(), p.generation())) {
			return;
		}
		published.publish(fleet.replicaId(), p);
		lastSignature = signature;
	}

	static PublishedSamples.Publish read(Deployment d) {
		LatencyWindows period = d.samples();
		// Counts before samples: a sample recorded in between changes the counts, so
		// the next publish writes it.
		long stableRecorded = period.stable().recordedCount();
		long canaryRecorded = period.canary().recordedCount();
		long stableErrors = period.errors(Role.STABLE);
		long canaryErrors = period.errors(Role.CANARY);
		return new PublishedSamples.Publish(d.generation(), d.stable().version(),
				d.hasCanary() ? d.canary().version() : null, period.stable().samplesNanos(),
				period.canary().samplesNanos(), stableRecorded, canaryRecorded, stableErrors, canaryErrors,
				stableRecorded > period.stable().capacity(), canaryRecorded > period.canary().capacity(),
				period.agreement().snapshot());
	}

	@Override
	public synchronized void start() {
		if (scheduler != null) {
			return;
		}
		scheduler = PeriodicTask.start("samples-publish", Duration.ZERO, fleet.publishInterval(), Duration.ZERO, null,
				this::publishQuietly);
	}

	@Override
	public void stop() {
		PeriodicTask running;
		synchronized (this) {
			running = scheduler;
			scheduler = null;
		}
		if (running != null) {
			running.stop();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return scheduler != null;
	}

}
