package dev.mlcanary.rollout;

import dev.mlcanary.analysis.AnalysisMode;
import dev.mlcanary.analysis.CanaryHealthService;
import dev.mlcanary.analysis.HealthReport;
import dev.mlcanary.deployment.Deployment;

import org.springframework.stereotype.Component;

/**
 * The rollout automation judges a canary as
 * {@code GET /admin/check-canary-health?mode=sequential} does: it checks again and again,
 * so the mean-latency judge uses the always-valid sequential test, and repeated looks do
 * not inflate false alarms. In a fleet it judges the pooled samples of every live
 * replica; when they cannot be pooled (the store is unavailable) it throws
 * {@link dev.mlcanary.store.StoreUnavailableException}, and {@link RolloutScheduler}
 * takes no step that interval.
 */
@Component
class HealthCheckAnalyst implements CanaryAnalyst {

	private final CanaryHealthService health;

	HealthCheckAnalyst(CanaryHealthService health) {
		this.health = health;
	}

	@Override
	public Result analyse(Deployment deployment) {
		HealthReport report = health.check(deployment, AnalysisMode.SEQUENTIAL);
		return new Result(report.verdict(), report.reasons(), report);
	}

}
