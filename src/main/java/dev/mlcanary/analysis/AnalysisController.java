package dev.mlcanary.analysis;

import java.time.Instant;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.apidocs.ApiProblems;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.statistics.InvalidPowerAnalysisException;
import dev.mlcanary.statistics.PowerAnalysis;
import dev.mlcanary.system.BadRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Analysis")
class AnalysisController {

	private final DeploymentService deployments;

	private final CanaryHealthService health;

	AnalysisController(DeploymentService deployments, CanaryHealthService health) {
		this.deployments = deployments;
		this.health = health;
	}

	@Schema(description = "Samples per version that a check needs; `recommended_...` is the ceiling of `exact_...`.")
	record PowerAnalysisResponse(double effectSize, double alpha, double power, long recommendedSampleSizePerGroup,
			double exactSampleSizePerGroup, String message) {
	}

	@GetMapping("/check-canary-health")
	@Operation(summary = "Check the canary's health", description = """
			Five judges compare canary and stable over the current period: mean latency (Welch), the latency \
			distribution (Mann-Whitney), tail latency, errors (Fisher) and prediction agreement. A judge without \
			enough samples says INCONCLUSIVE; the verdict is FAIL if any judge fails, PASS if all pass. \
			`alert_triggered` is true exactly when the verdict is FAIL. A statistic that is undefined is `null`.""")
	@ApiProblems({ ApiProblem.INVALID_MODE, ApiProblem.SAMPLES_NOT_POOLED })
	HealthReport checkCanaryHealth(@Parameter(
			description = "`fixed` (default): one Welch test. `sequential`: an "
					+ "always-valid p-value for the mean-latency judge, safe to check again and again.",
			schema = @Schema(allowableValues = { "fixed", "sequential" })) @RequestParam(required = false) String mode,
			HttpServletRequest request) {
		HealthReport report = health.check(deployments.current(), AnalysisMode.parse(mode));
		// The audit trail records each verdict with its statistics.
		request.setAttribute(HealthReport.class.getName(), report);
		return report;
	}

	/**
	 * @param checkedAt when the latest check of this deployment period ran, or
	 * {@code null} if none has
	 * @param report its answer, or {@code null}
	 */
	record LatestCheckResponse(@Nullable Instant checkedAt, @Nullable HealthReport report) {
	}

	/**
	 * The latest health check of the current period, manual or automated, without running
	 * one: for a dashboard that polls, where running a check each time would fill the
	 * audit trail and turn every poll into another chance of a false alarm.
	 */
	@GetMapping("/check-canary-health/latest")
	@Operation(summary = "The latest health check, without running one", description = """
			The answer of the latest check of the current deployment period (manual or by the automated \
			rollout) and when it ran; both `null` when there has been none since the last deploy, promotion, \
			rollback or rollout step. Runs no judge and writes nothing to the audit trail, so a dashboard can \
			poll it.""")
	LatestCheckResponse latestCheck() {
		return health.latestCheck(deployments.current())
			.map(c -> new LatestCheckResponse(c.checkedAt(), c.report()))
			.orElse(new LatestCheckResponse(null, null));
	}

	/**
	 * Each version's latency window as it is now (count, mean, p50, p95, p99), judged by
	 * nobody.
	 */
	@GetMapping("/latency")
	@Operation(summary = "Each version's latency window now", description = """
			Sample and request counts, mean, p50, p95 and p99 (milliseconds, R-7 percentiles) of the stable and \
			canary latency windows of the current period (`canary` is `null` without a canary). Runs no judge \
			and writes nothing to the audit trail.""")
	@ApiProblems(ApiProblem.SAMPLES_NOT_POOLED)
	LatencyView latency() {
		return health.latency(deployments.current());
	}

	/**
	 * Samples per version that a two-sided Welch check needs to detect a standardized
	 * effect (Cohen's d) with the given power.
	 */
	@GetMapping("/power-analysis")
	@Operation(summary = "How many samples a check needs", description = """
			The sample size per version of a two-sided two-sample t-test with equal groups, solved on the \
			noncentral t distribution (as statsmodels' `TTestIndPower.solve_power`).""")
	@ApiProblems(ApiProblem.INVALID_POWER_ANALYSIS)
	PowerAnalysisResponse powerAnalysis(
			@Parameter(description = "Cohen's d: the difference to detect in standard deviations; positive.",
					example = "0.666") @RequestParam(name = "effect_size", defaultValue = "0.5") double effectSize,
			@Parameter(description = "Significance level, in (0, 1).") @RequestParam(
					defaultValue = "0.05") double alpha,
			@Parameter(description = "Power, in (alpha, 1).") @RequestParam(defaultValue = "0.8") double power) {
		PowerAnalysis.Result r;
		try {
			r = PowerAnalysis.solveSampleSize(effectSize, alpha, power);
		}
		catch (InvalidPowerAnalysisException ex) {
			throw BadRequestException.because(ex.getMessage());
		}
		return new PowerAnalysisResponse(r.effectSize(), r.alpha(), r.power(), r.recommendedSampleSizePerGroup(),
				r.exactSampleSizePerGroup(),
				String.format(java.util.Locale.ROOT,
						"Collect at least %d samples per version to detect an effect of %s standard deviations with power %s at alpha %s.",
						r.recommendedSampleSizePerGroup(), effectSize, power, alpha));
	}

}
