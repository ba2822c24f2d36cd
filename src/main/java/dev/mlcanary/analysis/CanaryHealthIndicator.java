package dev.mlcanary.analysis;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code canary} in {@code /actuator/health}: what is deployed and the latest verdict. It
 * is UP while a stable model serves, whatever the canary's verdict: a failing canary is a
 * reason to roll it back, not to take the service out of the load balancer. (It is not
 * part of the liveness or readiness groups, which keep Boot's defaults.)
 */
@Component
class CanaryHealthIndicator implements HealthIndicator {

	private final DeploymentService deployments;

	private final CanaryHealthService health;

	CanaryHealthIndicator(DeploymentService deployments, CanaryHealthService health) {
		this.deployments = deployments;
		this.health = health;
	}

	@Override
	public Health health() {
		Deployment d = deployments.current();
		HealthReport latest = health.latestCheck(d).map(CanaryHealthService.LatestCheck::report).orElse(null);
		Health.Builder builder = Health.up()
			.withDetail("stable_version", d.stable().version())
			.withDetail("canary_version", d.hasCanary() ? d.canary().version() : "none")
			.withDetail("canary_weight", d.hasCanary() ? d.weight() : 0.0)
			.withDetail("generation", d.generation());
		// latestCheck is already this period's check, so it judged this canary.
		return builder.withDetail("last_verdict", latest != null && d.hasCanary() ? latest.verdict().name() : "none")
			.build();
	}

}
