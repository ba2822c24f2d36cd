package dev.mlcanary.deployment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.mlcanary.model.ModelStore;
import dev.mlcanary.store.ConditionalOnStore;
import dev.mlcanary.store.FleetProperties;
import dev.mlcanary.store.Store;
import dev.mlcanary.store.StoreNotifications;
import dev.mlcanary.store.StoreUnavailableException;
import dev.mlcanary.system.PeriodicTask;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The deployment of a fleet: one row in PostgreSQL that every replica serves. Each
 * replica still serves its own snapshot from an atomic reference, so {@code /predict}
 * never touches the database; what is shared is how snapshots change.
 *
 * <p>
 * An admin change on any replica first catches up with the shared row, plans the change
 * with the same rules as the file store ({@link DeploymentTransitions}, models loaded and
 * verified before anything else), then commits it in one transaction: compare-and-set on
 * the generation, the new state, the audit event ({@link TransitionRecorder}) and a
 * notification to the other replicas. Only a committed change is served and answered 2xx.
 * Of two changes racing on two replicas from the same generation, the database lets
 * exactly one through; the other is refused as stale, as a stale {@code If-Match} is. A
 * database that fails or does not answer within {@code canary.fleet.database-timeout}
 * refuses the change with 503 and nothing changes.
 *
 * <p>
 * Changes other replicas commit arrive by {@code LISTEN} on a dedicated connection, and,
 * as a fallback for a lost notification or connection, by re-reading the row every
 * {@code canary.fleet.publish-interval}, which also writes this replica's heartbeat.
 * Applying one loads the models it names and swaps in a complete snapshot; a replica that
 * cannot load them keeps serving what it has, says so once in its log and in its
 * heartbeat ({@link #problem()}, shown by {@code GET /admin/fleet}), turns its readiness
 * probe DOWN ({@link ReadinessState#REFUSING_TRAFFIC}) so that a balancer sends it no
 * traffic, and tries again at every re-read; once the model loads it is ready again.
 */
@Service
@ConditionalOnStore(Store.POSTGRES)
class PostgresDeploymentService implements DeploymentService, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PostgresDeploymentService.class);

	private final DeploymentTransitions transitions;

	private final DeploymentRepository repository;

	private final TransactionTemplate transactions;

	private final DeploymentStateStore localFile;

	private final FleetProperties fleet;

	private final StoreNotifications notifications;

	private final ObjectProvider<TransitionRecorder> recorders;

	private final ApplicationEventPublisher events;

	private final ApplicationAvailability availability;

	private final Instant startedAt;

	private final AtomicReference<Deployment> current;

	/**
	 * Held while a snapshot is swapped in, and by a local change from its planning to its
	 * swap, so that a change arriving from the store never interleaves with one made
	 * here.
	 */
	private final Object lock = new Object();

	private final ModelStore models;

	/** The shared generation this replica could not load, so that it is logged once. */
	private volatile long unloadable;

	/** Why this replica does not serve the shared generation, or null. */
	private volatile @Nullable String problem;

	/** Whether this service turned the readiness probe DOWN (and so may turn it UP). */
	private volatile boolean refusing;

	/** Whether the last periodic re-read failed, so that an outage is logged once. */
	private volatile boolean unreachable;

	private @Nullable PeriodicTask scheduler;

	private StoreNotifications.@Nullable Subscription subscription;

	PostgresDeploymentService(ModelStore models, DeploymentProperties properties, Clock clock, JdbcTemplate jdbc,
			PlatformTransactionManager transactionManager, DeploymentStateStore localFile, FleetProperties fleet,
			StoreNotifications notifications, ObjectProvider<TransitionRecorder> recorders,
			ApplicationEventPublisher events, ApplicationAvailability availability) {
		// timestamptz keeps microseconds: every replica then holds the very instants
		// saved
		Clock micros = Clock.tick(clock, Duration.ofNanos(1000));
		this.models = models;
		this.transitions = new DeploymentTransitions(models, properties, micros);
		this.repository = new DeploymentRepository(jdbc);
		this.transactions = new TransactionTemplate(transactionManager);
		this.transactions.setTimeout((int) Math.max(1, (fleet.databaseTimeout().toMillis() + 999) / 1000));
		this.localFile = localFile;
		this.fleet = fleet;
		this.notifications = notifications;
		this.recorders = recorders;
		this.events = events;
		this.availability = availability;
		this.startedAt = micros.instant();
		this.current = new AtomicReference<>(startFromSharedState());
	}

	@Override
	public Deployment current() {
		return current.get();
	}

	@Override
	public Deployment latest() {
		catchUp();
		return current.get();
	}

	@Override
	public @Nullable String problem() {
		return problem;
	}

	@Override
	public Transition deployCanary(@Nullable String version, @Nullable String modelPath, @Nullable Double weight,
			@Nullable Long expectedGeneration) {
		return deployCanary(version, modelPath, weight, null, expectedGeneration);
	}

	@Override
	public Transition deployCanary(@Nullable String version, @Nullable String modelPath, @Nullable Double weight,
			@Nullable RolloutStrategy strategy, @Nullable Long expectedGeneration) {
		catchUp();
		DeploymentTransitions.PreparedDeploy prepared = transitions.prepareDeploy(current(), version, modelPath, weight,
				strategy, expectedGeneration);
		return commit(expectedGeneration, before -> transitions.deploy(before, prepared));
	}

	@Override
	public Transition promoteCanary(@Nullable Long expectedGeneration) {
		catchUp();
		return commit(expectedGeneration, before -> transitions.promote(before, expectedGeneration));
	}

	@Override
	public Transition rollbackCanary(@Nullable Long expectedGeneration) {
		catchUp();
		return commit(expectedGeneration, before -> transitions.rollback(before, expectedGeneration));
	}

	@Override
	public Transition toggleSlowdown(@Nullable Long expectedGeneration) {
		catchUp();
		return commit(expectedGeneration, before -> transitions.toggleSlowdown(before, expectedGeneration));
	}

	@Override
	public Transition updateRollout(int step, RolloutPhase phase, long expectedGeneration) {
		catchUp();
		return commit(expectedGeneration, before -> transitions.updateRollout(before, step, phase, expectedGeneration));
	}

	@Override
	public void deleteUploadedModel(String version) {
		catchUp();
		try {
			transactions.executeWithoutResult(status -> {
				models.requireDeletable(version);
				SavedDeployment shared = repository.readForUpdate();
				DeploymentConflictException.requireNotServing(version, shared.stableVersion(), shared.canaryVersion());
				models.deleteUploaded(version);
			});
		}
		catch (DataAccessException | TransactionException ex) {
			log.warn("Model {} not deleted: the PostgreSQL store failed: {}", version, ex.toString());
			throw StoreUnavailableException.changeNotApplied(ex);
		}
	}

	// --- committing a change made here

	private interface Planner {

		DeploymentTransitions.Change plan(Deployment before);

	}

	private Transition commit(@Nullable Long expectedGeneration, Planner planner) {
		synchronized (lock) {
			Deployment before = current.get();
			DeploymentTransitions.Change change = planner.plan(before);
			Deployment after = change.after();
			try {
				transactions.executeWithoutResult(status -> {
					if (!repository.compareAndSet(before.generation(), SavedDeployment.of(after), fleet.replicaId())) {
						throw DeploymentConflictException.staleGeneration(repository.generation(),
								expectedGeneration != null ? expectedGeneration : before.generation());
					}
					// A model put into service (only a deploy does: a promotion's stable
					// was
					// the canary) stays until this commits; a delete waits
					if (after.hasCanary()
							&& !(before.hasCanary() && before.canary().version().equals(after.canary().version()))) {
						models.holdForServing(after.canary().version());
					}
					recorders.orderedStream().forEach(recorder -> recorder.record(before, after));
					repository.announce(after.generation(), fleet.replicaId());
				});
			}
			catch (DataAccessException | TransactionException ex) {
				log.warn("Generation {} not applied ({}): the PostgreSQL store failed: {}", after.generation(),
						change.what(), ex.toString());
				throw StoreUnavailableException.changeNotApplied(ex);
			}
			swap(before, after);
			log.info("Generation {}: {}", after.generation(), change.what());
			return new Transition(before, after);
		}
	}

	/**
	 * Serves what the store holds before a change is planned on it, so that a change
	 * without an expected generation is not refused only because this replica had not yet
	 * heard of the last one. This read also finds an outage before anything is planned.
	 */
	private void catchUp() {
		try {
			refresh();
		}
		catch (DataAccessException first) {
			// Once more: a pooled connection the server closed (a restart, an idle
			// timeout) fails its first use, and the pool replaces it.
			try {
				refresh();
			}
			catch (DataAccessException | TransactionException ex) {
				ex.addSuppressed(first);
				throw StoreUnavailableException.changeNotApplied(ex);
			}
		}
	}

	// --- applying changes other replicas made

	/**
	 * Reads the shared row and, if it is not what this replica serves, loads its models
	 * and swaps it in.
	 * @throws DataAccessException if the store cannot be read
	 */
	void refresh() {
		SavedDeployment shared = repository.read()
			.orElseThrow(() -> new IllegalStateException("the deployment row is missing from the PostgreSQL store"));
		Deployment local = current.get();
		if (shared.generation() == local.generation()) {
			ready();
			return;
		}
		Deployment next;
		try {
			next = transitions.applied(local, shared);
		}
		catch (RuntimeException ex) {
			problem = "Cannot serve generation " + shared.generation() + " (stable " + shared.stableVersion()
					+ (shared.canaryVersion() == null ? "" : ", canary " + shared.canaryVersion()) + "): "
					+ ex.getMessage() + " Serving generation " + local.generation() + " meanwhile.";
			if (unloadable != shared.generation()) {
				unloadable = shared.generation();
				log.error(
						"Cannot serve generation {} of the PostgreSQL store ({}): {}; this replica keeps serving "
								+ "generation {}, refuses traffic on its readiness probe, and tries again every {}.",
						shared.generation(), shared.describe(), ex.getMessage(), local.generation(),
						RolloutStrategy.formatDuration(fleet.publishInterval()));
			}
			refuseTraffic();
			return;
		}
		synchronized (lock) {
			if (current.get() != local) {
				return; // changed meanwhile: the next notification or re-read looks again
			}
			swap(local, next);
		}
		log.info("Generation {} from the PostgreSQL store: {}", next.generation(), shared.describe());
		ready();
	}

	// --- readiness

	/**
	 * Turns the readiness probe DOWN, and again if Spring Boot turned it UP meanwhile (it
	 * does once the application has started, which may come after the first re-read).
	 */
	private void refuseTraffic() {
		if (!refusing || availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) {
			refusing = true;
			AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
		}
	}

	/** Serving the shared generation: ready again, if a problem had turned it DOWN. */
	private void ready() {
		String was = problem;
		if (was == null) {
			return;
		}
		problem = null;
		unloadable = 0;
		log.info("Serving generation {} of the PostgreSQL store: this replica is ready again.",
				current.get().generation());
		if (refusing) {
			refusing = false;
			AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	/** What the notification thread and the periodic re-read run; never throws. */
	private void refreshQuietly(String why) {
		try {
			refresh();
			if (unreachable) {
				unreachable = false;
				log.info("The PostgreSQL store is reachable again ({}).", why);
			}
		}
		catch (RuntimeException ex) {
			if (!unreachable) {
				unreachable = true;
				log.warn("Cannot read the PostgreSQL store ({}): {}; serving generation {} until it answers.", why,
						StoreUnavailableException.describeCause(ex), current.get().generation());
			}
		}
	}

	private void tick() {
		refreshQuietly("periodic re-read");
		if (unreachable) {
			return;
		}
		try {
			Deployment d = current.get();
			List<String> loaded = new ArrayList<>();
			loaded.add(d.stable().version());
			if (d.hasCanary()) {
				loaded.add(d.canary().version());
			}
			repository.heartbeat(fleet.replicaId(), startedAt, d.generation(), loaded, d.samples().stable().size(),
					d.samples().canary().size(), problem);
		}
		catch (DataAccessException ex) {
			log.debug("Heartbeat not written: {}", ex.toString());
		}
	}

	private void swap(Deployment before, Deployment after) {
		current.set(after);
		events.publishEvent(new DeploymentPublished(before, after));
	}

	// --- startup

	/**
	 * The shared deployment, written first if the store is empty: from the local
	 * {@code deployment.json} when there is one that can be served (moving one process to
	 * a fleet keeps its deployment), else the configured stable version. Concurrent first
	 * starts race on one insert, and all of them then serve whichever won.
	 */
	private Deployment startFromSharedState() {
		SavedDeployment shared = repository.read().orElseGet(this::seed);
		try {
			Deployment d = transitions.loaded(shared);
			log.info("Serving the deployment of the PostgreSQL store as replica {}: {}", fleet.replicaId(),
					shared.describe());
			return d;
		}
		catch (RuntimeException ex) {
			throw StableModelUnavailableException.sharedDeployment(shared, ex);
		}
	}

	private SavedDeployment seed() {
		Optional<SavedDeployment> imported = importable();
		SavedDeployment first = imported.orElseGet(() -> SavedDeployment.of(transitions.initial()));
		if (repository.insertIfAbsent(first, fleet.replicaId())) {
			if (imported.isPresent()) {
				log.info("Imported the deployment from {} into the empty PostgreSQL store: {}. That file is not read "
						+ "again while canary.store=postgres.", localFile.file(), first.describe());
			}
			else {
				log.info("The PostgreSQL store was empty: starting it on the configured stable version {} "
						+ "(canary.stable-version).", first.stableVersion());
			}
		}
		return repository.read().orElseThrow();
	}

	private Optional<SavedDeployment> importable() {
		try {
			Optional<SavedDeployment> saved = localFile.load();
			saved.ifPresent(transitions::loaded);
			return saved;
		}
		catch (RuntimeException ex) {
			log.error("Not importing {} into the empty PostgreSQL store: {}; starting it on the configured stable "
					+ "version instead.", localFile.file(), ex.getMessage());
			return Optional.empty();
		}
	}

	// --- lifecycle

	@Override
	public synchronized void start() {
		if (scheduler != null) {
			return;
		}
		subscription = notifications.listen(DeploymentRepository.CHANNEL, new StoreNotifications.Listener() {

			@Override
			public void connected() {
				refreshQuietly("listening");
			}

			@Override
			public void notified(String payload) {
				if (!payload.endsWith(" " + fleet.replicaId())) {
					refreshQuietly("notified");
				}
			}

		});
		// A re-read under way finishes before stop() returns, so before the pool closes.
		scheduler = PeriodicTask.start("store-reread", Duration.ZERO, fleet.publishInterval(),
				fleet.databaseTimeout().multipliedBy(2), null, this::tick);
	}

	@Override
	public synchronized void stop() {
		if (subscription != null) {
			subscription.close();
			subscription = null;
		}
		if (scheduler != null) {
			scheduler.stop();
			scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return scheduler != null;
	}

}
