package dev.mlcanary.deployment;

import java.time.Instant;
import java.util.List;

import dev.mlcanary.shared.Verdict;
import org.jspecify.annotations.Nullable;

/**
 * What the rollout automation knows beyond the {@link Deployment} snapshot: when it
 * analyses next and what it saw last. Implemented by the automation
 * ({@code dev.mlcanary.rollout}), read by {@code GET /admin/status}.
 */
public interface RolloutMonitor {

	/**
	 * The schedule of the deployment's rollout; all fields {@code null} when it has none.
	 */
	Schedule schedule(Deployment deployment);

	/**
	 * @param nextAnalysisAt when the canary is analysed next, or {@code null} when it no
	 * longer is (halted, or ready to promote at 100% where nothing is left to compare it
	 * with)
	 * @param inconclusiveDeadline while progressing: when an analysis that is still
	 * INCONCLUSIVE ends the step (rolls back, or halts without auto_rollback);
	 * {@code null} otherwise
	 * @param lastAnalysisAt when this step was last analysed by this process, or
	 * {@code null}
	 * @param lastVerdict that analysis's verdict, or {@code null}
	 * @param lastReasons that analysis's reasons, empty when there was none
	 */
	record Schedule(@Nullable Instant nextAnalysisAt, @Nullable Instant inconclusiveDeadline,
			@Nullable Instant lastAnalysisAt, @Nullable Verdict lastVerdict, List<String> lastReasons) {

		public static final Schedule NONE = new Schedule(null, null, null, null, List.of());

	}

}
