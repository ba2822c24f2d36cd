package dev.mlcanary.deployment;

/**
 * The deployment state and its transitions. Kept behind an interface so that a shared store (for
 * several replicas) can replace the in-memory implementation without touching the controllers.
 *
 * <p>Every transition takes an {@code expectedGeneration}: the generation the caller last saw, or
 * {@code null} to change whatever is current. When it is given and the deployment has moved on, the
 * transition is refused with a {@link DeploymentConflictException} and nothing changes, so two
 * operators acting on the same status can never overwrite each other's change unseen.
 */
public interface DeploymentService {

	/** The current snapshot: one volatile read, safe on the hot path. */
	Deployment current();

	/**
	 * Deploys a canary given by version or by a path inside the model directory (exactly one).
	 * @param weight share of traffic, or {@code null} for the configured default
	 * @param expectedGeneration the generation the caller expects to change, or {@code null}
	 */
	Transition deployCanary(String version, String modelPath, Double weight, Long expectedGeneration);

	Transition promoteCanary(Long expectedGeneration);

	Transition rollbackCanary(Long expectedGeneration);

	Transition toggleSlowdown(Long expectedGeneration);

	/** What a transition changed. */
	record Transition(Deployment before, Deployment after) {
	}

}
