package dev.mlcanary.deployment;

/**
 * The deployment state and its transitions. Kept behind an interface so that a shared store (for
 * several replicas) can replace the in-memory implementation without touching the controllers.
 */
public interface DeploymentService {

	/** The current snapshot: one volatile read, safe on the hot path. */
	Deployment current();

	/**
	 * Deploys a canary given by version or by a path inside the model directory (exactly one).
	 * @param weight share of traffic, or {@code null} for the configured default
	 */
	Transition deployCanary(String version, String modelPath, Double weight);

	Transition promoteCanary();

	Transition rollbackCanary();

	Transition toggleSlowdown();

	/** What a transition changed. */
	record Transition(Deployment before, Deployment after) {
	}

}
