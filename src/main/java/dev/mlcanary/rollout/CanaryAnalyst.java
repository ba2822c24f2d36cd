package dev.mlcanary.rollout;

import java.util.List;

import dev.mlcanary.analysis.HealthReport;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.shared.Verdict;

/**
 * Judges a canary for the rollout automation. In production this is the health check
 * ({@link HealthCheckAnalyst}); tests can script verdicts without knowing how the judges
 * reach them.
 */
interface CanaryAnalyst {

	Result analyse(Deployment deployment);

	/**
	 * @param verdict PASS, FAIL or INCONCLUSIVE
	 * @param reasons plain sentences saying why
	 * @param report the health check's full answer, or {@code null} when the verdict did
	 * not come from it
	 */
	record Result(Verdict verdict, List<String> reasons, HealthReport report) {

		public Result {
			reasons = reasons == null ? List.of() : List.copyOf(reasons);
		}

	}

}
