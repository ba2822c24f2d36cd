package dev.mlcanary.deployment;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.mlcanary.model.ModelStore;
import dev.mlcanary.store.ConditionalOnStore;
import dev.mlcanary.store.Store;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Deployment state of one replica. Reads are a single atomic load; admin transitions are
 * serialised (they are rare) and each publishes a complete new snapshot. Models are
 * loaded and verified before the lock is taken, so a slow or bad model file never blocks
 * another admin call or a prediction, and a refused transition leaves the deployment
 * exactly as it was.
 *
 * <p>
 * Every transition is saved to the {@link DeploymentStateStore} before it is published,
 * so an acknowledged change survives a crash, and a change that could not be saved is
 * never served. On construction the saved deployment is restored, its models loaded and
 * verified again; a state file that cannot be served is set aside and the configured
 * stable version serves instead.
 */
@Service
@ConditionalOnStore(Store.FILE)
class FileBackedDeploymentService implements DeploymentService {

	private static final Logger log = LoggerFactory.getLogger(FileBackedDeploymentService.class);

	private final DeploymentTransitions transitions;

	private final DeploymentProperties properties;

	private final DeploymentStateStore state;

	private final AtomicReference<Deployment> current;

	private final Object lock = new Object();

	private final ModelStore models;

	private final ApplicationEventPublisher events;

	FileBackedDeploymentService(ModelStore models, DeploymentProperties properties, Clock clock,
			DeploymentStateStore state) {
		this(models, properties, clock, state, event -> {
		});
	}

	@Autowired
	FileBackedDeploymentService(ModelStore models, DeploymentProperties properties, Clock clock,
			DeploymentStateStore state, ApplicationEventPublisher events) {
		this.models = models;
		this.transitions = new DeploymentTransitions(models, properties, clock);
		this.properties = properties;
		this.state = state;
		this.events = events;
		this.current = new AtomicReference<>(restoreOrStart());
	}

	@Override
	public Deployment current() {
		return current.get();
	}

	@Override
	public Transition deployCanary(@Nullable String version, @Nullable String modelPath, @Nullable Double weight,
			@Nullable Long expectedGeneration) {
		return deployCanary(version, modelPath, weight, null, expectedGeneration);
	}

	@Override
	public Transition deployCanary(@Nullable String version, @Nullable String modelPath, @Nullable Double weight,
			@Nullable RolloutStrategy strategy, @Nullable Long expectedGeneration) {
		DeploymentTransitions.PreparedDeploy prepared = transitions.prepareDeploy(current(), version, modelPath, weight,
				strategy, expectedGeneration);
		synchronized (lock) {
			models.holdForServing(prepared.model().version());
			Deployment before = current();
			return publish(before, transitions.deploy(before, prepared));
		}
	}

	@Override
	public void deleteUploadedModel(String version) {
		synchronized (lock) {
			models.requireDeletable(version);
			Deployment d = current();
			DeploymentConflictException.requireNotServing(version, d.stable().version(),
					d.hasCanary() ? d.canary().version() : null);
			models.deleteUploaded(version);
		}
	}

	@Override
	public Transition promoteCanary(@Nullable Long expectedGeneration) {
		synchronized (lock) {
			Deployment before = current();
			return publish(before, transitions.promote(before, expectedGeneration));
		}
	}

	@Override
	public Transition rollbackCanary(@Nullable Long expectedGeneration) {
		synchronized (lock) {
			Deployment before = current();
			return publish(before, transitions.rollback(before, expectedGeneration));
		}
	}

	@Override
	public Transition toggleSlowdown(@Nullable Long expectedGeneration) {
		synchronized (lock) {
			Deployment before = current();
			return publish(before, transitions.toggleSlowdown(before, expectedGeneration));
		}
	}

	@Override
	public Transition updateRollout(int step, RolloutPhase phase, long expectedGeneration) {
		synchronized (lock) {
			Deployment before = current();
			return publish(before, transitions.updateRollout(before, step, phase, expectedGeneration));
		}
	}

	/**
	 * Saves, then publishes: a caller is told of success only once the change survives a
	 * crash.
	 */
	private Transition publish(Deployment before, DeploymentTransitions.Change change) {
		Deployment after = change.after();
		String what = change.what();
		try {
			state.save(SavedDeployment.of(after));
		}
		catch (StateNotSavedException ex) {
			// The save may have failed after its rename (in the directory fsync), leaving
			// the refused
			// state visible on disk. Put the served one back, so that a restart does not
			// bring back a
			// change the caller was told had not been applied.
			try {
				state.save(SavedDeployment.of(before));
			}
			catch (StateNotSavedException again) {
				ex.addSuppressed(again);
			}
			log.error("Generation {} not applied ({}): the deployment state could not be saved to {}",
					after.generation(), what, state.file(), ex);
			throw ex;
		}
		current.set(after);
		events.publishEvent(new DeploymentPublished(before, after));
		log.info("Generation {}: {}", after.generation(), what);
		return new Transition(before, after);
	}

	private Deployment restoreOrStart() {
		Optional<Deployment> restored = restore();
		if (restored.isPresent()) {
			Deployment d = restored.get();
			log.info("Restored the deployment from {}: {}", state.file(), SavedDeployment.of(d).describe());
			return d;
		}
		Deployment initial = transitions.initial();
		log.info("Serving {} ({}) as stable", initial.stable().version(), initial.stable().modelPath());
		return initial;
	}

	/**
	 * The saved deployment with its models loaded and verified. Empty when nothing was
	 * saved, or when the file or a model it names cannot be served: the file is then set
	 * aside with one ERROR line, because refusing to start would turn a bad file into an
	 * outage.
	 */
	private Optional<Deployment> restore() {
		try {
			return state.load().map(transitions::loaded);
		}
		catch (RuntimeException ex) {
			String reason = ex instanceof UnreadableStateException ? ex.getMessage()
					: "a model it names cannot be served (" + withoutFinalPeriod(ex.getMessage()) + ")";
			String kept;
			try {
				kept = "moved it to " + state.setAside().getFileName();
			}
			catch (IOException io) {
				kept = "could not move it aside (" + io + "), the next change overwrites it";
			}
			log.error(
					"Cannot restore the deployment from {}: {}; {} and serving the configured stable version {} "
							+ "(canary.stable-version) at generation 1.",
					state.file(), reason, kept, properties.stableVersion());
			return Optional.empty();
		}
	}

	private static String withoutFinalPeriod(String message) {
		return message != null && message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
	}

}
