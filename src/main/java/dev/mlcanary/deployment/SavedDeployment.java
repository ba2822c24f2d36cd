package dev.mlcanary.deployment;

import java.time.Instant;

/**
 * The durable form of a {@link Deployment}: versions, not model objects, so that a restart loads and
 * verifies the model files again instead of trusting bytes from the state file; no latency samples,
 * because a new process measures afresh.
 *
 * @param formatVersion layout of this record in {@code deployment.json}; a file with another value is
 * not guessed at but set aside
 * @param stableVersion version of the stable model
 * @param canaryVersion version of the canary model, or {@code null} when none is deployed
 * @param weight share of traffic routed to the canary, in (0, 1]
 * @param slowdown whether canary requests get the artificial delay
 * @param canaryStartTime when the canary was deployed, or {@code null}
 * @param generation the deployment's generation, at least 1
 */
record SavedDeployment(int formatVersion, String stableVersion, String canaryVersion, double weight,
		boolean slowdown, Instant canaryStartTime, long generation) {

	static final int FORMAT_VERSION = 1;

	static SavedDeployment of(Deployment deployment) {
		return new SavedDeployment(FORMAT_VERSION, deployment.stable().version(),
				deployment.hasCanary() ? deployment.canary().version() : null, deployment.weight(),
				deployment.slowdown(), deployment.canaryStartTime(), deployment.generation());
	}

	/** Why this record cannot describe a deployment, or {@code null} when it can. */
	String problem() {
		if (formatVersion != FORMAT_VERSION) {
			return "format_version is " + formatVersion + ", this service reads " + FORMAT_VERSION;
		}
		if (stableVersion == null || stableVersion.isBlank()) {
			return "stable_version is missing";
		}
		if (!(weight > 0 && weight <= 1)) {
			return "weight " + weight + " is not in (0, 1]";
		}
		if (generation < 1) {
			return "generation " + generation + " is not positive";
		}
		if (stableVersion.equals(canaryVersion)) {
			return "canary_version equals stable_version " + stableVersion;
		}
		if ((canaryVersion == null) != (canaryStartTime == null)) {
			return "canary_version and canary_start_time must be given together";
		}
		return null;
	}

	/** One line for logs and for the crash test's protocol. */
	String describe() {
		return "generation " + generation + ": stable " + stableVersion
				+ (canaryVersion == null ? ", no canary" : ", canary " + canaryVersion + " at weight " + weight
						+ " since " + canaryStartTime)
				+ ", slowdown " + (slowdown ? "on" : "off");
	}

}
