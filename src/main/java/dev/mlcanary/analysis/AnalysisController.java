package dev.mlcanary.analysis;

import java.time.Instant;

import dev.mlcanary.deployment.DeploymentService;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class AnalysisController {

	private final DeploymentService deployments;

	private final CanaryHealthService health;

	AnalysisController(DeploymentService deployments, CanaryHealthService health) {
		this.deployments = deployments;
		this.health = health;
	}

	record PowerAnalysisResponse(double effectSize, double alpha, double power, long recommendedSampleSizePerGroup,
			double exactSampleSizePerGroup, String message) {
	}

	@GetMapping("/check-canary-health")
	HealthReport checkCanaryHealth(@RequestParam(required = false) String mode, HttpServletRequest request) {
		HealthReport report = health.check(deployments.current(), AnalysisMode.parse(mode));
		// The audit trail records each verdict with its statistics.
		request.setAttribute(HealthReport.class.getName(), report);
		return report;
	}

	/**
	 * @param checkedAt when the latest check of this deployment period ran, or {@code null} if none has
	 * @param report its answer, or {@code null}
	 */
	record LatestCheckResponse(Instant checkedAt, HealthReport report) {
	}

	/**
	 * The latest health check of the current period, manual or automated, without running one: for a
	 * dashboard that polls, where running a check each time would fill the audit trail and turn every
	 * poll into another chance of a false alarm.
	 */
	@GetMapping("/check-canary-health/latest")
	LatestCheckResponse latestCheck() {
		return health.latestCheck(deployments.current())
			.map(c -> new LatestCheckResponse(c.checkedAt(), c.report()))
			.orElse(new LatestCheckResponse(null, null));
	}

	/** Each version's latency window as it is now (count, mean, p50, p95, p99), judged by nobody. */
	@GetMapping("/latency")
	LatencyView latency() {
		return health.latency(deployments.current());
	}

	/**
	 * Samples per version that a two-sided Welch check needs to detect a standardized effect
	 * (Cohen's d) with the given power.
	 */
	@GetMapping("/power-analysis")
	PowerAnalysisResponse powerAnalysis(@RequestParam(name = "effect_size", defaultValue = "0.5") double effectSize,
			@RequestParam(defaultValue = "0.05") double alpha, @RequestParam(defaultValue = "0.8") double power) {
		PowerAnalysis.Result r = PowerAnalysis.solveSampleSize(effectSize, alpha, power);
		return new PowerAnalysisResponse(r.effectSize(), r.alpha(), r.power(), r.recommendedSampleSizePerGroup(),
				r.exactSampleSizePerGroup(), String.format(java.util.Locale.ROOT,
						"Collect at least %d samples per version to detect an effect of %s standard deviations with power %s at alpha %s.",
						r.recommendedSampleSizePerGroup(), effectSize, power, alpha));
	}

}
