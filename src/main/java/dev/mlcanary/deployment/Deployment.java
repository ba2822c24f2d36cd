package dev.mlcanary.deployment;

import java.time.Instant;

import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.shared.LatencyWindows;
import org.jspecify.annotations.Nullable;

/**
 * One immutable snapshot of what is deployed. The service holds exactly one in an atomic
 * reference and every admin action swaps in a new one, so a prediction that read a
 * snapshot finishes on it even if a promote or rollback happens meanwhile.
 *
 * @param stable the model that serves all traffic not routed to the canary
 * @param canary the candidate model, or {@code null} when none is deployed
 * @param weight share of traffic routed to the canary, in (0, 1]
 * @param slowdown whether canary requests get the artificial delay
 * @param canaryStartTime when the canary was deployed, or {@code null}
 * @param generation incremented by every change; identifies this snapshot
 * @param samples latency windows of the current deployment period
 * @param rollout the automated rollout driving the canary, or {@code null} when operators
 * drive it by hand
 */
public record Deployment(LoadedModel stable, @Nullable LoadedModel canary, double weight, boolean slowdown,
		@Nullable Instant canaryStartTime, long generation, LatencyWindows samples, @Nullable Rollout rollout) {

	/** A snapshot without an automated rollout. */
	public Deployment(LoadedModel stable, @Nullable LoadedModel canary, double weight, boolean slowdown,
			@Nullable Instant canaryStartTime, long generation, LatencyWindows samples) {
		this(stable, canary, weight, slowdown, canaryStartTime, generation, samples, null);
	}

	public boolean hasCanary() {
		return canary != null;
	}

	public boolean hasRollout() {
		return rollout != null;
	}

	Deployment withCanary(LoadedModel model, double canaryWeight, Instant now, LatencyWindows fresh,
			@Nullable Rollout automation) {
		return new Deployment(stable, model, canaryWeight, slowdown, now, generation + 1, fresh, automation);
	}

	Deployment promoted(LatencyWindows fresh) {
		return new Deployment(canary, null, weight, slowdown, null, generation + 1, fresh, null);
	}

	Deployment rolledBack(LatencyWindows fresh) {
		return new Deployment(stable, null, weight, slowdown, null, generation + 1, fresh, null);
	}

	Deployment withSlowdown(boolean on) {
		return new Deployment(stable, canary, weight, on, canaryStartTime, generation + 1, samples, rollout);
	}

	/**
	 * The rollout moved on. A new step changes the canary's weight and starts fresh
	 * latency windows, so that each step is judged only on traffic served at its own
	 * weight; a change of phase alone keeps them.
	 */
	Deployment withRollout(Rollout next, LatencyWindows fresh) {
		boolean newStep = next.step() != rollout.step();
		return new Deployment(stable, canary, next.weight(), slowdown, canaryStartTime, generation + 1,
				newStep ? fresh : samples, next);
	}

}
