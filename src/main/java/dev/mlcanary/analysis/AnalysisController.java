package dev.mlcanary.analysis;

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
