package dev.mlcanary.deployment;

import java.time.Instant;
import java.util.List;

import dev.mlcanary.shared.Verdict;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An automated rollout as {@code /admin/status} and {@code /admin/deploy-canary} show it.
 *
 * @param strategy the strategy, in the form a deploy request accepts (interval in
 * seconds)
 * @param phase {@code progressing}, {@code ready_to_promote} or {@code halted}
 * @param stepIndex index of the current step in {@code strategy.steps}, from 0
 * @param stepPercent the current step's percentage: the canary's share of traffic
 * @param stepStartedAt when the canary reached this step
 * @param nextAnalysisAt when the canary is analysed next, or {@code null} when it no
 * longer is
 * @param inconclusiveDeadline while progressing, when a still INCONCLUSIVE analysis ends
 * the step
 * @param lastAnalysisAt the last analysis of this step (by this process), or {@code null}
 * @param lastVerdict its verdict, or {@code null}
 * @param lastReasons its reasons
 * @param message what happens next, in one sentence
 */
@Schema(description = "An automated rollout: where it stands and what happens next.")
record RolloutView(StrategyView strategy, @Schema(allowableValues = {
		"progressing", "ready_to_promote", "halted" }) String phase, int stepIndex, Number stepPercent,
		Instant stepStartedAt, @Nullable Instant nextAnalysisAt, @Nullable Instant inconclusiveDeadline,
		@Nullable Instant lastAnalysisAt, @Nullable Verdict lastVerdict, List<String> lastReasons, String message){

	record StrategyView(List<Number> steps, long interval, boolean autoRollback, boolean autoPromote) {
	}

	/** {@code null} for a deployment without an automated rollout. */
	static @Nullable RolloutView of(Deployment deployment, RolloutMonitor.Schedule schedule) {
		Rollout r = deployment.rollout();
		if (r == null) {
			return null;
		}
		RolloutStrategy s = r.strategy();
		return new RolloutView(
				new StrategyView(s.steps().stream().map(RolloutView::number).toList(), s.interval().toSeconds(),
						s.autoRollback(), s.autoPromote()),
				r.phase().label(), r.step(), number(r.percent()), r.stepStartedAt(), schedule.nextAnalysisAt(),
				schedule.inconclusiveDeadline(), schedule.lastAnalysisAt(), schedule.lastVerdict(),
				schedule.lastReasons(), message(r));
	}

	private static String message(Rollout r) {
		RolloutStrategy s = r.strategy();
		String at = "At " + r.describeStep();
		return switch (r.phase()) {
			case HALTED -> "Halted at " + r.describeStep() + ": the canary failed or stayed inconclusive too long, and "
					+ "auto_rollback is off. Promote or roll it back with POST /admin/promote-canary or /admin/rollback-canary.";
			case READY_TO_PROMOTE ->
				"Ready to promote at " + r.describeStep() + " (auto_promote is off): " + "POST /admin/promote-canary."
						+ (r.weight() < 1
								? " A FAIL until then " + (s.autoRollback() ? "rolls it back." : "halts the rollout.")
								: "");
			case PROGRESSING -> at + ", analysed every " + RolloutStrategy.formatDuration(s.interval()) + ". A PASS "
					+ (r.step() < s.lastAnalysedStep() ? "moves it to " + r.describeStep(r.step() + 1)
							: s.autoPromote()
									? "promotes it"
											+ (s.endsAtFullTraffic() ? " (the 100% step needs no analysis)" : "")
									: "makes it ready to promote" + (s.endsAtFullTraffic() ? " at 100%" : ""))
					+ "; a FAIL, or INCONCLUSIVE past the deadline, "
					+ (s.autoRollback() ? "rolls it back." : "halts the rollout.");
		};
	}

	/** {@code 10} rather than {@code 10.0} for a whole percentage. */
	private static Number number(double value) {
		return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Number) (long) value : (Number) value;
	}

}
