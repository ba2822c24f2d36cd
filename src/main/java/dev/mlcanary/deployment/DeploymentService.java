package dev.mlcanary.deployment;

import org.jspecify.annotations.Nullable;

/**
 * The deployment state and its transitions. Kept behind an interface so that a shared
 * store (for several replicas) can replace the file-backed one without touching the
 * controllers.
 *
 * <p>
 * Every transition takes an {@code expectedGeneration}: the generation the caller last
 * saw, or {@code null} to change whatever is current. When it is given and the deployment
 * has moved on, the transition is refused with a {@link DeploymentConflictException} and
 * nothing changes, so two operators acting on the same status can never overwrite each
 * other's change unseen.
 */
public interface DeploymentService {

	/** The current snapshot: one volatile read, safe on the hot path. */
	Deployment current();

	/**
	 * The current snapshot after catching up with a shared store, for a caller about to
	 * act on it (the rollout automation); the same as {@link #current()} for one process.
	 * @throws dev.mlcanary.store.StoreUnavailableException if the shared store cannot be
	 * read
	 */
	default Deployment latest() {
		return current();
	}

	/**
	 * Why this replica does not serve the shared deployment (a model it cannot load), or
	 * {@code null} when it does: always {@code null} for one process, which refuses such
	 * a change instead.
	 */
	default @Nullable String problem() {
		return null;
	}

	/**
	 * Deploys a canary given by version or by a path inside the model directory (exactly
	 * one).
	 * @param weight share of traffic, or {@code null} for the configured default
	 * @param expectedGeneration the generation the caller expects to change, or
	 * {@code null}
	 */
	Transition deployCanary(@Nullable String version, @Nullable String modelPath, @Nullable Double weight,
			@Nullable Long expectedGeneration);

	/**
	 * Deploys a canary, optionally driven by an automated rollout. (A default method,
	 * like {@link #updateRollout}, so that implementations without rollouts, such as test
	 * doubles, need not change.)
	 * @param weight share of traffic, or {@code null} for the configured default; must be
	 * {@code null} with a strategy, whose first step gives the weight
	 * @param strategy the automated rollout, or {@code null} for none
	 * @param expectedGeneration the generation the caller expects to change, or
	 * {@code null}
	 */
	default Transition deployCanary(@Nullable String version, @Nullable String modelPath, @Nullable Double weight,
			@Nullable RolloutStrategy strategy, @Nullable Long expectedGeneration) {
		if (strategy == null) {
			return deployCanary(version, modelPath, weight, expectedGeneration);
		}
		throw new UnsupportedOperationException(getClass().getSimpleName() + " does not run automated rollouts");
	}

	Transition promoteCanary(@Nullable Long expectedGeneration);

	Transition rollbackCanary(@Nullable Long expectedGeneration);

	Transition toggleSlowdown(@Nullable Long expectedGeneration);

	/**
	 * Moves the automated rollout of the current canary to another step and/or phase. A
	 * new step sets the canary's weight to that step's and starts fresh latency windows;
	 * a change of phase alone keeps them. Only the rollout automation calls this; it
	 * always says which generation it analysed.
	 * @throws DeploymentConflictException if the deployment is no longer at
	 * {@code expectedGeneration} or has no automated rollout
	 */
	default Transition updateRollout(int step, RolloutPhase phase, long expectedGeneration) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " does not run automated rollouts");
	}

	/** What a transition changed. */
	/**
	 * Deletes a model uploaded through the API, unless it is serving (stable or canary),
	 * atomically with every change that would put it into service.
	 * @throws DeploymentConflictException if it is serving
	 */
	default void deleteUploadedModel(String version) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " does not delete models");
	}

	record Transition(Deployment before, Deployment after) {
	}

}
