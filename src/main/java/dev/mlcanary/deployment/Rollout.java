package dev.mlcanary.deployment;

import java.time.Instant;
import java.util.Objects;

/**
 * An automated rollout in progress: part of the {@link Deployment} snapshot, so that it
 * changes atomically with the canary's weight and is saved with it (a restart resumes
 * it).
 *
 * @param strategy what the operator asked for
 * @param step index into {@code strategy.steps()} of the step the canary is at; its
 * weight is that step's
 * @param phase progressing, ready to promote, or halted
 * @param stepStartedAt when the canary reached this step (its latency windows start then)
 */
public record Rollout(RolloutStrategy strategy, int step, RolloutPhase phase, Instant stepStartedAt) {

	public Rollout {
		Objects.requireNonNull(strategy, "strategy");
		Objects.requireNonNull(phase, "phase");
		Objects.requireNonNull(stepStartedAt, "stepStartedAt");
		if (step < 0 || step >= strategy.stepCount()) {
			throw new IllegalArgumentException("step " + step + " is not a step of " + strategy.describe());
		}
	}

	static Rollout start(RolloutStrategy strategy, Instant now) {
		return new Rollout(strategy, 0, RolloutPhase.PROGRESSING, now);
	}

	/** The same rollout at another step and phase; a new step starts now. */
	Rollout moved(int toStep, RolloutPhase toPhase, Instant now) {
		return new Rollout(strategy, toStep, toPhase, toStep == step ? stepStartedAt : now);
	}

	public double percent() {
		return strategy.percent(step);
	}

	public double weight() {
		return strategy.weight(step);
	}

	/** {@code step 2/4 (25%)}: 1-based, as people count. */
	public String describeStep() {
		return describeStep(step);
	}

	public String describeStep(int index) {
		return "step " + (index + 1) + "/" + strategy.stepCount() + " ("
				+ RolloutStrategy.format(strategy.percent(index)) + "%)";
	}

}
