package dev.mlcanary.rollout;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

import dev.mlcanary.deployment.Rollout;
import dev.mlcanary.deployment.RolloutPhase;
import dev.mlcanary.deployment.RolloutStrategy;
import dev.mlcanary.shared.Verdict;

/**
 * What a verdict means for an automated rollout: a pure function of the rollout, the
 * verdict and how long the step has waited, without clocks, threads or side effects.
 * {@link RolloutScheduler} decides when to ask, and carries the decision out.
 *
 * <ul>
 * <li>FAIL: roll back at once ({@code auto_rollback}), otherwise halt.</li>
 * <li>PASS: move to the next step; at the last step below 100% promote
 * ({@code auto_promote}), otherwise become ready to promote (moving to a trailing 100%
 * step first).</li>
 * <li>INCONCLUSIVE: hold the step, until {@code canary.rollout.max-inconclusive} has
 * passed since the step started; then roll back ({@code auto_rollback}), otherwise
 * halt.</li>
 * </ul>
 */
final class RolloutPolicy {

	/** What to do with the rollout. */
	enum Action {

		/** Nothing: the step holds. */
		HOLD,
		/** Move to {@link Decision#step()}, still progressing. */
		ADVANCE,
		/** Become ready to promote, at {@link Decision#step()}. */
		READY, PROMOTE, ROLL_BACK,
		/** Stop at the current step until an operator decides. */
		HALT

	}

	/**
	 * @param action what to do
	 * @param step the step the rollout is at afterwards
	 * @param headline what happened, for the audit trail and the log
	 */
	record Decision(Action action, int step, String headline) {

		/** The audit trail's name for the action. */
		String auditAction() {
			return switch (action) {
				case HOLD -> "rollout-hold";
				case ADVANCE -> "rollout-step";
				case READY -> "rollout-ready";
				case PROMOTE -> "promote-canary";
				case ROLL_BACK -> "rollback-canary";
				case HALT -> "rollout-halt";
			};
		}

	}

	private RolloutPolicy() {
	}

	/**
	 * @param rollout the rollout that was analysed
	 * @param canaryVersion its canary's version, for the headline
	 * @param verdict the analysis's verdict
	 * @param waited how long the step has waited for a decision
	 * @param maxInconclusive how long a step may stay inconclusive
	 * ({@code canary.rollout.max-inconclusive})
	 */
	static Decision decide(Rollout rollout, String canaryVersion, Verdict verdict, Duration waited,
			Duration maxInconclusive) {
		RolloutStrategy s = rollout.strategy();
		String step = rollout.describeStep();
		return switch (verdict) {
			case FAIL -> s.autoRollback() ? rollBack(rollout, step + " failed: rolled back " + canaryVersion)
					: halt(rollout, canaryVersion, step + " failed");
			case PASS -> passed(rollout, canaryVersion);
			case INCONCLUSIVE -> {
				if (rollout.phase() != RolloutPhase.PROGRESSING || waited.compareTo(maxInconclusive) < 0) {
					yield new Decision(Action.HOLD, rollout.step(), step + " inconclusive");
				}
				String why = step + " stayed inconclusive for "
						+ RolloutStrategy.formatDuration(Duration.ofSeconds(waited.toSeconds()))
						+ " (canary.rollout.max-inconclusive is " + RolloutStrategy.formatDuration(maxInconclusive)
						+ ")";
				yield s.autoRollback() ? rollBack(rollout, why + ": rolled back " + canaryVersion)
						: halt(rollout, canaryVersion, why);
			}
		};
	}

	private static Decision passed(Rollout r, String canaryVersion) {
		RolloutStrategy s = r.strategy();
		String step = r.describeStep();
		if (r.phase() == RolloutPhase.READY_TO_PROMOTE) {
			return new Decision(Action.HOLD, r.step(), step + " passed, ready to promote");
		}
		if (r.step() < s.lastAnalysedStep()) {
			int next = r.step() + 1;
			return new Decision(Action.ADVANCE, next,
					step + " passed: weight " + weight(r.weight()) + " -> " + weight(s.weight(next)));
		}
		String last = step + " passed, the last one analysed";
		if (s.autoPromote()) {
			return new Decision(Action.PROMOTE, r.step(),
					last + ": promoted " + canaryVersion + " to stable" + (s.endsAtFullTraffic()
							? " (a 100% step is never analysed: stable would have no traffic to compare with)" : ""));
		}
		if (s.endsAtFullTraffic()) {
			int full = s.stepCount() - 1;
			return new Decision(Action.READY, full, last + ": weight " + weight(r.weight()) + " -> "
					+ weight(s.weight(full)) + "; ready to promote (auto_promote is off)");
		}
		return new Decision(Action.READY, r.step(), last + ": ready to promote (auto_promote is off)");
	}

	private static Decision rollBack(Rollout r, String headline) {
		return new Decision(Action.ROLL_BACK, r.step(), headline);
	}

	private static Decision halt(Rollout r, String canaryVersion, String why) {
		return new Decision(Action.HALT, r.step(), why + ": halted, auto_rollback is off; " + canaryVersion
				+ " keeps weight " + weight(r.weight()) + " until an operator promotes or rolls it back");
	}

	/**
	 * {@code 0.10}, {@code 0.25}, {@code 1.00}, {@code 0.025}: at least two decimals,
	 * more when needed.
	 */
	static String weight(double weight) {
		BigDecimal exact = BigDecimal.valueOf(weight).stripTrailingZeros();
		return exact.setScale(Math.max(2, exact.scale()), RoundingMode.UNNECESSARY).toPlainString();
	}

}
