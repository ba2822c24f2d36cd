package dev.mlcanary.deployment;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.system.BadRequestException;
import org.jspecify.annotations.Nullable;

/**
 * The rules of every transition, whichever store keeps the result: what a request may
 * change, the snapshot it changes to, and how a saved deployment becomes a served one.
 * Both the file-backed and the PostgreSQL-backed service plan their changes here, so that
 * they refuse and build exactly alike; they differ only in how a change is made durable
 * and published.
 *
 * <p>
 * A deploy has two halves: {@link #prepareDeploy} checks the request and loads and
 * verifies the model (slow, done before any lock or transaction), {@link #deploy} checks
 * it again against the deployment current at that moment and builds the snapshot.
 */
final class DeploymentTransitions {

	private final ModelStore models;

	private final DeploymentProperties properties;

	private final Clock clock;

	DeploymentTransitions(ModelStore models, DeploymentProperties properties, Clock clock) {
		this.models = models;
		this.properties = properties;
		this.clock = clock;
	}

	/** A planned change: the snapshot to publish and one line saying what it does. */
	record Change(Deployment after, String what) {
	}

	/** A deploy request that passed the checks, with its model loaded and verified. */
	record PreparedDeploy(LoadedModel model, double weight, @Nullable RolloutStrategy strategy,
			@Nullable Long expectedGeneration) {
	}

	PreparedDeploy prepareDeploy(Deployment current, @Nullable String version, @Nullable String modelPath,
			@Nullable Double weight, @Nullable RolloutStrategy strategy, @Nullable Long expectedGeneration) {
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
		requireGeneration(current, expectedGeneration);
		requireNoCanary(current);
		LoadedModel model = version != null ? models.loadVersion(version)
				: models.loadPath(Objects.requireNonNull(modelPath));
		return new PreparedDeploy(model, canaryWeight, strategy, expectedGeneration);
	}

	Change deploy(Deployment before, PreparedDeploy deploy) {
		requireGeneration(before, deploy.expectedGeneration());
		requireNoCanary(before);
		LoadedModel model = deploy.model();
		if (model.version().equals(before.stable().version())) {
			throw DeploymentConflictException.alreadyStable(model.version());
		}
		Instant now = clock.instant();
		RolloutStrategy strategy = deploy.strategy();
		Rollout rollout = strategy == null ? null : Rollout.start(strategy, now);
		Deployment after = before.withCanary(model, deploy.weight(), now, windows(), rollout);
		return new Change(after, "deployed canary " + model.version() + " at weight " + deploy.weight()
				+ (strategy == null ? "" : " with an automated rollout: " + strategy.describe()));
	}

	Change promote(Deployment current, @Nullable Long expectedGeneration) {
		Deployment before = requireCanary(requireGeneration(current, expectedGeneration), "promote");
		return new Change(before.promoted(windows()), "promoted " + before.canary().version() + " to stable");
	}

	Change rollback(Deployment current, @Nullable Long expectedGeneration) {
		Deployment before = requireCanary(requireGeneration(current, expectedGeneration), "roll back");
		return new Change(before.rolledBack(windows()), "rolled back canary " + before.canary().version());
	}

	Change toggleSlowdown(Deployment current, @Nullable Long expectedGeneration) {
		Deployment before = requireGeneration(current, expectedGeneration);
		return new Change(before.withSlowdown(!before.slowdown()),
				"canary slowdown " + (before.slowdown() ? "disabled" : "enabled"));
	}

	Change updateRollout(Deployment current, int step, RolloutPhase phase, long expectedGeneration) {
		Deployment before = requireGeneration(current, expectedGeneration);
		if (!before.hasRollout()) {
			throw DeploymentConflictException.noRollout();
		}
		Rollout rollout = before.rollout();
		if (step < 0 || step >= rollout.strategy().stepCount()) {
			throw new IllegalArgumentException("step " + step + " is not a step of " + rollout.strategy().describe());
		}
		Rollout next = rollout.moved(step, phase, clock.instant());
		return new Change(before.withRollout(next, windows()), "automated rollout of " + before.canary().version() + " "
				+ phase.label() + " at " + next.describeStep() + ", weight " + next.weight());
	}

	/**
	 * Where a service without saved state starts: the configured stable version at
	 * generation 1.
	 * @throws StableModelUnavailableException if that model cannot be served
	 */
	Deployment initial() {
		LoadedModel stable;
		try {
			stable = models.loadVersion(properties.stableVersion());
		}
		catch (RuntimeException ex) {
			throw new StableModelUnavailableException(properties.stableVersion(), ex);
		}
		return new Deployment(stable, null, properties.weight(), false, null, 1, windows());
	}

	/** A saved deployment with its models loaded and verified, and empty windows. */
	Deployment loaded(SavedDeployment saved) {
		LoadedModel stable = models.loadVersion(saved.stableVersion());
		LoadedModel canary = saved.canaryVersion() == null ? null : models.loadVersion(saved.canaryVersion());
		return new Deployment(stable, canary, saved.weight(), saved.slowdown(), saved.canaryStartTime(),
				saved.generation(), windows(), saved.rollout() == null ? null : saved.rollout().toRollout());
	}

	/**
	 * The deployment another replica saved, as this one serves it next: models this one
	 * already serves are reused rather than read again, and the latency windows are kept
	 * when the deployment period did not change (a slowdown toggle, a rollout's change of
	 * phase), fresh otherwise, exactly as the transition that saved it did.
	 * @throws RuntimeException if a model it names cannot be loaded or verified here
	 */
	Deployment applied(Deployment local, SavedDeployment saved) {
		LoadedModel stable = reuseOrLoad(local, saved.stableVersion());
		LoadedModel canary = saved.canaryVersion() == null ? null : reuseOrLoad(local, saved.canaryVersion());
		Rollout rollout = saved.rollout() == null ? null : saved.rollout().toRollout();
		boolean samePeriod = local.stable().version().equals(saved.stableVersion())
				&& Objects.equals(local.hasCanary() ? local.canary().version() : null, saved.canaryVersion())
				&& Objects.equals(local.canaryStartTime(), saved.canaryStartTime()) && local.weight() == saved.weight()
				&& Objects.equals(local.hasRollout() ? local.rollout().step() : null,
						rollout == null ? null : rollout.step());
		return new Deployment(stable, canary, saved.weight(), saved.slowdown(), saved.canaryStartTime(),
				saved.generation(), samePeriod ? local.samples() : windows(), rollout);
	}

	private LoadedModel reuseOrLoad(Deployment local, String version) {
		if (local.stable().version().equals(version)) {
			return local.stable();
		}
		if (local.hasCanary() && local.canary().version().equals(version)) {
			return local.canary();
		}
		return models.loadVersion(version);
	}

	LatencyWindows windows() {
		return new LatencyWindows(properties.windowSize());
	}

	static Deployment requireGeneration(Deployment deployment, @Nullable Long expected) {
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

}
