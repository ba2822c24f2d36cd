package dev.mlcanary.deployment;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.system.BadRequestException;
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
class FileBackedDeploymentService implements DeploymentService {

	private static final Logger log = LoggerFactory.getLogger(FileBackedDeploymentService.class);

	private final ModelStore models;

	private final DeploymentProperties properties;

	private final Clock clock;

	private final DeploymentStateStore state;

	private final AtomicReference<Deployment> current;

	private final Object transitions = new Object();

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
		this.properties = properties;
		this.clock = clock;
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
		if ((version == null) == (modelPath == null)) {
			throw BadRequestException.because(
					"Give exactly one of \"version\" (e.g. \"v2\") or \"model_path\" (e.g. \"models/model_v2.ser\").");
		}
		if (strategy != null && weight != null) {
			throw BadRequestException
				.because("Give either \"weight\" or \"strategy\", not both: with a strategy the canary "
						+ "starts at the first step (" + RolloutStrategy.format(strategy.percent(0))
						+ "%) and the strategy " + "moves its weight.");
		}
		double canaryWeight = strategy != null ? strategy.weight(0) : weight == null ? properties.weight() : weight;
		if (!(canaryWeight > 0 && canaryWeight <= 1)) {
			throw BadRequestException
				.because("weight must be a number greater than 0 and at most 1, was " + weight + ".");
		}
		requireGeneration(current(), expectedGeneration);
		requireNoCanary(current());
		LoadedModel model = version != null ? models.loadVersion(version) : models.loadPath(modelPath);
		synchronized (transitions) {
			Deployment before = current();
			requireGeneration(before, expectedGeneration);
			requireNoCanary(before);
			if (model.version().equals(before.stable().version())) {
				throw DeploymentConflictException.alreadyStable(model.version());
			}
			Instant now = clock.instant();
			Rollout rollout = strategy == null ? null : Rollout.start(strategy, now);
			Deployment after = before.withCanary(model, canaryWeight, now, windows(), rollout);
			return publish(before, after, "deployed canary " + model.version() + " at weight " + canaryWeight
					+ (rollout == null ? "" : " with an automated rollout: " + strategy.describe()));
		}
	}

	@Override
	public Transition promoteCanary(@Nullable Long expectedGeneration) {
		synchronized (transitions) {
			Deployment before = requireCanary(requireGeneration(current(), expectedGeneration), "promote");
			return publish(before, before.promoted(windows()), "promoted " + before.canary().version() + " to stable");
		}
	}

	@Override
	public Transition rollbackCanary(@Nullable Long expectedGeneration) {
		synchronized (transitions) {
			Deployment before = requireCanary(requireGeneration(current(), expectedGeneration), "roll back");
			return publish(before, before.rolledBack(windows()), "rolled back canary " + before.canary().version());
		}
	}

	@Override
	public Transition toggleSlowdown(@Nullable Long expectedGeneration) {
		synchronized (transitions) {
			Deployment before = requireGeneration(current(), expectedGeneration);
			return publish(before, before.withSlowdown(!before.slowdown()),
					"canary slowdown " + (before.slowdown() ? "disabled" : "enabled"));
		}
	}

	@Override
	public Transition updateRollout(int step, RolloutPhase phase, long expectedGeneration) {
		synchronized (transitions) {
			Deployment before = requireGeneration(current(), expectedGeneration);
			if (!before.hasRollout()) {
				throw DeploymentConflictException.noRollout();
			}
			Rollout rollout = before.rollout();
			if (step < 0 || step >= rollout.strategy().stepCount()) {
				throw new IllegalArgumentException(
						"step " + step + " is not a step of " + rollout.strategy().describe());
			}
			Rollout next = rollout.moved(step, phase, clock.instant());
			return publish(before, before.withRollout(next, windows()),
					"automated rollout of " + before.canary().version() + " " + phase.label() + " at "
							+ next.describeStep() + ", weight " + next.weight());
		}
	}

	/**
	 * Saves, then publishes: a caller is told of success only once the change survives a
	 * crash.
	 */
	private Transition publish(Deployment before, Deployment after, String what) {
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
		LoadedModel stable;
		try {
			stable = models.loadVersion(properties.stableVersion());
		}
		catch (RuntimeException ex) {
			throw new StableModelUnavailableException(properties.stableVersion(), ex);
		}
		log.info("Serving {} ({}) as stable", stable.version(), stable.modelPath());
		return new Deployment(stable, null, properties.weight(), false, null, 1, windows());
	}

	/**
	 * The saved deployment with its models loaded and verified. Empty when nothing was
	 * saved, or when the file or a model it names cannot be served: the file is then set
	 * aside with one ERROR line, because refusing to start would turn a bad file into an
	 * outage.
	 */
	private Optional<Deployment> restore() {
		try {
			return state.load().map(this::loaded);
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

	private Deployment loaded(SavedDeployment saved) {
		LoadedModel stable = models.loadVersion(saved.stableVersion());
		LoadedModel canary = saved.canaryVersion() == null ? null : models.loadVersion(saved.canaryVersion());
		return new Deployment(stable, canary, saved.weight(), saved.slowdown(), saved.canaryStartTime(),
				saved.generation(), windows(), saved.rollout() == null ? null : saved.rollout().toRollout());
	}

	private static Deployment requireGeneration(Deployment deployment, Long expected) {
		if (expected != null && expected != deployment.generation()) {
			throw DeploymentConflictException.staleGeneration(deployment.generation(), expected);
		}
		return deployment;
	}

	private static void requireNoCanary(Deployment deployment) {
		if (deployment.hasCanary()) {
			throw DeploymentConflictException.canaryAlreadyActive(deployment);
		}
	}

	private static Deployment requireCanary(Deployment deployment, String action) {
		if (!deployment.hasCanary()) {
			throw DeploymentConflictException.noCanary(action);
		}
		return deployment;
	}

	private static String withoutFinalPeriod(String message) {
		return message != null && message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
	}

	private LatencyWindows windows() {
		return new LatencyWindows(properties.windowSize());
	}

}
