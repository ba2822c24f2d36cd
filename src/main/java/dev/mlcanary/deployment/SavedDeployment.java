package dev.mlcanary.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The durable form of a {@link Deployment}: versions, not model objects, so that a
 * restart loads and verifies the model files again instead of trusting bytes from the
 * state file; no latency samples, because a new process measures afresh.
 *
 * @param formatVersion layout of this record in {@code deployment.json}; a file with
 * another value is not guessed at but set aside. Format 1 (before automated rollouts) is
 * read as format 2 without a rollout
 * @param stableVersion version of the stable model
 * @param canaryVersion version of the canary model, or {@code null} when none is deployed
 * @param weight share of traffic routed to the canary, in (0, 1]
 * @param slowdown whether canary requests get the artificial delay
 * @param canaryStartTime when the canary was deployed, or {@code null}
 * @param generation the deployment's generation, at least 1
 * @param rollout the automated rollout driving the canary, or {@code null}
 */
record SavedDeployment(int formatVersion, String stableVersion, String canaryVersion, double weight, boolean slowdown,
		Instant canaryStartTime, long generation, SavedRollout rollout) {

	static final int FORMAT_VERSION = 2;

	/** The format before automated rollouts: the same fields without {@code rollout}. */
	static final int FORMAT_VERSION_WITHOUT_ROLLOUT = 1;

	/** A deployment without an automated rollout. */
	SavedDeployment(int formatVersion, String stableVersion, String canaryVersion, double weight, boolean slowdown,
			Instant canaryStartTime, long generation) {
		this(formatVersion, stableVersion, canaryVersion, weight, slowdown, canaryStartTime, generation, null);
	}

	/**
	 * @param steps the strategy's percentages
	 * @param intervalSeconds the strategy's interval
	 * @param step index of the current step
	 * @param stepStartedAt when the canary reached it
	 */
	record SavedRollout(List<Double> steps, long intervalSeconds, boolean autoRollback, boolean autoPromote, int step,
			RolloutPhase phase, Instant stepStartedAt) {

		static SavedRollout of(Rollout rollout) {
			RolloutStrategy s = rollout.strategy();
			return new SavedRollout(s.steps(), s.interval().toSeconds(), s.autoRollback(), s.autoPromote(),
					rollout.step(), rollout.phase(), rollout.stepStartedAt());
		}

		Rollout toRollout() {
			return new Rollout(
					new RolloutStrategy(steps, Duration.ofSeconds(intervalSeconds), autoRollback, autoPromote), step,
					phase, stepStartedAt);
		}

		String problem(double weight) {
			String strategy = RolloutStrategy.problem(steps, Duration.ofSeconds(intervalSeconds));
			if (strategy != null) {
				return "rollout." + strategy.substring("strategy.".length());
			}
			if (step < 0 || step >= steps.size()) {
				return "rollout.step " + step + " is not an index of rollout.steps";
			}
			if (phase == null || stepStartedAt == null) {
				return "rollout.phase and rollout.step_started_at are required";
			}
			if (Math.abs(steps.get(step) / 100 - weight) > 1e-9) {
				return "weight " + weight + " is not the weight of rollout step " + step + " (" + steps.get(step)
						+ "%)";
			}
			return null;
		}

	}

	static SavedDeployment of(Deployment deployment) {
		return new SavedDeployment(FORMAT_VERSION, deployment.stable().version(),
				deployment.hasCanary() ? deployment.canary().version() : null, deployment.weight(),
				deployment.slowdown(), deployment.canaryStartTime(), deployment.generation(),
				deployment.hasRollout() ? SavedRollout.of(deployment.rollout()) : null);
	}

	/** Why this record cannot describe a deployment, or {@code null} when it can. */
	String problem() {
		if (formatVersion != FORMAT_VERSION && !(formatVersion == FORMAT_VERSION_WITHOUT_ROLLOUT && rollout == null)) {
			return "format_version is " + formatVersion + ", this service reads " + FORMAT_VERSION_WITHOUT_ROLLOUT
					+ " and " + FORMAT_VERSION;
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
		if (rollout != null && canaryVersion == null) {
			return "a rollout needs a canary_version";
		}
		return rollout == null ? null : rollout.problem(weight);
	}

	/** One line for logs and for the crash test's protocol. */
	String describe() {
		return "generation " + generation + ": stable " + stableVersion
				+ (canaryVersion == null ? ", no canary"
						: ", canary " + canaryVersion + " at weight " + weight + " since " + canaryStartTime)
				+ ", slowdown " + (slowdown ? "on" : "off")
				+ (rollout == null ? "" : ", automated rollout " + rollout.phase().label() + " at "
						+ rollout.toRollout().describeStep() + " of " + rollout.toRollout().strategy().describe());
	}

}
