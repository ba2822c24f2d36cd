package dev.mlcanary.rollout;

import dev.mlcanary.analysis.CanaryHealthService;
import dev.mlcanary.analysis.HealthReport;
import dev.mlcanary.deployment.Deployment;

import org.springframework.stereotype.Component;

/** The rollout automation judges a canary exactly as {@code GET /admin/check-canary-health} does. */
@Component
class HealthCheckAnalyst implements CanaryAnalyst {

	private final CanaryHealthService health;

	HealthCheckAnalyst(CanaryHealthService health) {
		this.health = health;
	}

	@Override
	public Result analyse(Deployment deployment) {
		HealthReport report = health.check(deployment);
		return new Result(report.verdict(), report.reasons(), report);
	}

}
