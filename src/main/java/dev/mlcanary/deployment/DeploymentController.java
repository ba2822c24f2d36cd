package dev.mlcanary.deployment;

import java.time.Instant;
import java.util.List;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.apidocs.ApiProblems;
import dev.mlcanary.apidocs.ChangesDeployment;
import dev.mlcanary.apidocs.ShowsDeployment;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator endpoints that change or show the deployment. Every change accepts the
 * generation it expects ({@code expected_generation}, refused with 409 when stale, or
 * {@code If-Match}, refused with 412) and every answer that shows a deployment carries
 * its generation as the {@code ETag}, so read-modify-write by an operator is safe.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Deployment")
class DeploymentController {

	private final DeploymentService deployments;

	private final DeploymentProperties properties;

	private final ObjectProvider<RolloutMonitor> rollouts;

	DeploymentController(DeploymentService deployments, DeploymentProperties properties,
			ObjectProvider<RolloutMonitor> rollouts) {
		this.deployments = deployments;
		this.properties = properties;
		this.rollouts = rollouts;
	}

	@Schema(description = "What to deploy as canary: exactly one of `version` and `model_path`.")
	record DeployRequest(
			@Schema(description = "A version in the model directory.", example = "v2") @Nullable String version,
			@Schema(description = "A model file inside the model directory, as `models/<file>` or a bare file name.",
					example = "models/model_v2.ser") @Nullable String modelPath,
			@Schema(description = "The canary's share of traffic, 0 < weight <= 1; default `canary.weight` (0.10). "
					+ "Not together with `strategy`.", example = "0.25", maximum = "1") @Nullable Double weight,
			@Schema(description = "Hands the canary to an automated, step-by-step rollout.") @Nullable StrategyRequest strategy,
			@Schema(description = "Deploy only if the deployment is still at this generation; the same as `If-Match`.",
					example = "7") @Nullable Long expectedGeneration) {
	}

	/**
	 * An automated rollout:
	 * {@code {"steps": [10, 25, 50, 100], "interval": "30s", "auto_rollback": true,
	 * "auto_promote": true}}. {@code interval} is a string ({@code "30s"}, {@code "2m"},
	 * {@code "1h"}) or a number of seconds, hence untyped here; the booleans default to
	 * true.
	 */
	@Schema(description = "An automated rollout: the canary moves through the steps, analysed every interval.")
	record StrategyRequest(
			@Schema(description = "Traffic percentages, strictly increasing, each in (0, 100], at least one below 100; "
					+ "a trailing 100 means \"then give it all traffic\".") @Nullable List<Double> steps,
			@Schema(description = "Time between two analyses, 1 s to 1 h: \"30s\", \"2m\", \"1h\" or a number of seconds.",
					types = {
							"string", "integer" },
					example = "30s") @Nullable Object interval,
			@Schema(description = "Whether a FAIL (or INCONCLUSIVE too long) rolls the canary back; otherwise the "
					+ "rollout halts. Default true.") @Nullable Boolean autoRollback,
			@Schema(description = "Whether a PASS at the last analysed step promotes the canary; otherwise it waits, "
					+ "ready to promote. Default true.") @Nullable Boolean autoPromote){

		RolloutStrategy parse() {
			return RolloutStrategy.parse(steps, interval, autoRollback, autoPromote);
		}

	}

	@Schema(description = "The canary as deployed, with the new generation.")
	record DeployResponse(String status, String message, String canaryVersion, String modelPath,
			Instant canaryStartTime, double weight, long generation, @Nullable RolloutView rollout) {
	}

	@Schema(description = "The versions before and after the promotion, with the new generation.")
	record PromoteResponse(String status, String message, String previousStableModel, String newStableModel,
			long generation) {
	}

	@Schema(description = "The version rolled back and the stable one, with the new generation.")
	record RollbackResponse(String status, String message, String rolledBackModel, String stableModel,
			long generation) {
	}

	@Schema(description = "Whether the slowdown is now on, its delay, and the new generation.")
	record SlowdownResponse(boolean simulateSlowdown, String message, double delayMs, long generation) {
	}

	@Schema(description = "The current deployment; canary fields are `null` without a canary.")
	record StatusResponse(String stableVersion, String stableModelPath, @Nullable String canaryVersion,
			@Nullable String canaryModelPath, @Nullable Double canaryWeight, @Nullable Instant canaryStartTime,
			boolean simulateSlowdown, double slowdownDelayMs, long generation, int stableSampleCount,
			int canarySampleCount, long stableRequestCount, long canaryRequestCount, @Nullable RolloutView rollout) {
	}

	@PostMapping(path = "/deploy-canary", consumes = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Deploy a canary", description = """
			Loads and verifies a model (manifest checksum, class allow-list, feature count) and serves it as \
			canary, at `weight` or through an automated rollout (`strategy`). Both latency windows start \
			empty. A refused deploy changes nothing.""")
	@ChangesDeployment
	@ApiProblems({ ApiProblem.INVALID_DEPLOY, ApiProblem.INVALID_WEIGHT, ApiProblem.INVALID_STRATEGY,
			ApiProblem.UNKNOWN_DEPLOY_FIELD, ApiProblem.INVALID_MODEL, ApiProblem.MODEL_NOT_FOUND,
			ApiProblem.CANARY_ALREADY_DEPLOYED, ApiProblem.ALREADY_STABLE })
	ResponseEntity<DeployResponse> deployCanary(@RequestBody DeployRequest request,
			@RequestParam(name = "expected_generation", required = false) Long expectedGeneration,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		ExpectedGeneration expected = ExpectedGeneration.resolve(request.expectedGeneration(), expectedGeneration,
				ifMatch);
		RolloutStrategy strategy = request.strategy() == null ? null : request.strategy().parse();
		Deployment after = expected
			.apply(g -> deployments.deployCanary(request.version(), request.modelPath(), request.weight(), strategy, g))
			.after();
		String version = after.canary().version();
		String automated = strategy == null ? "" : " Automated rollout: " + strategy.describe() + ".";
		return tagged(after,
				new DeployResponse("success",
						"Canary " + version + " deployed; it receives " + percent(after.weight())
								+ " of /predict traffic." + automated,
						version, after.canary().modelPath(), after.canaryStartTime(), after.weight(),
						after.generation(), rolloutView(after)));
	}

	@PostMapping("/promote-canary")
	@Operation(summary = "Promote the canary to stable",
			description = "The canary becomes stable and serves all traffic; this ends an automated rollout.")
	@ChangesDeployment
	@ApiProblems(ApiProblem.NO_CANARY_TO_PROMOTE)
	ResponseEntity<PromoteResponse> promoteCanary(
			@RequestParam(name = "expected_generation", required = false) Long expectedGeneration,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		DeploymentService.Transition t = ExpectedGeneration.resolve(null, expectedGeneration, ifMatch)
			.apply(deployments::promoteCanary);
		String previous = t.before().stable().version();
		String promoted = t.after().stable().version();
		return tagged(t.after(),
				new PromoteResponse("success", "Canary " + promoted + " promoted to stable; it now serves all traffic.",
						previous, promoted, t.after().generation()));
	}

	@PostMapping("/rollback-canary")
	@Operation(summary = "Roll the canary back",
			description = "Stable serves all traffic again; this ends an automated rollout.")
	@ChangesDeployment
	@ApiProblems(ApiProblem.NO_CANARY_TO_ROLL_BACK)
	ResponseEntity<RollbackResponse> rollbackCanary(
			@RequestParam(name = "expected_generation", required = false) Long expectedGeneration,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		DeploymentService.Transition t = ExpectedGeneration.resolve(null, expectedGeneration, ifMatch)
			.apply(deployments::rollbackCanary);
		String canary = t.before().canary().version();
		String stable = t.after().stable().version();
		return tagged(t.after(),
				new RollbackResponse("success", "Canary " + canary + " rolled back; " + stable + " serves all traffic.",
						canary, stable, t.after().generation()));
	}

	@PostMapping("/toggle-slowdown")
	@Operation(summary = "Switch the artificial canary slowdown on or off", description = """
			While on, every request routed to the canary waits `canary.slowdown-delay` (10 ms) before the model \
			runs, to show the health check catching a slow canary. Stable requests are never delayed.""")
	@ChangesDeployment
	ResponseEntity<SlowdownResponse> toggleSlowdown(
			@RequestParam(name = "expected_generation", required = false) Long expectedGeneration,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		Deployment after = ExpectedGeneration.resolve(null, expectedGeneration, ifMatch)
			.apply(deployments::toggleSlowdown)
			.after();
		return tagged(after,
				new SlowdownResponse(after.slowdown(),
						after.slowdown() ? "Slowdown simulation enabled" : "Slowdown simulation disabled",
						delayMillis(), after.generation()));
	}

	@GetMapping("/status")
	@Operation(summary = "Show the deployment", description = """
			Stable and canary versions, weight, slowdown, generation, the samples held for the health check, \
			and the automated rollout (`null` without one). `*_sample_count` is what the windows hold now, \
			`*_request_count` every request of the current period.""")
	@ShowsDeployment
	ResponseEntity<StatusResponse> status() {
		Deployment d = deployments.current();
		return tagged(d,
				new StatusResponse(d.stable().version(), d.stable().modelPath(),
						d.hasCanary() ? d.canary().version() : null, d.hasCanary() ? d.canary().modelPath() : null,
						d.hasCanary() ? d.weight() : null, d.canaryStartTime(), d.slowdown(), delayMillis(),
						d.generation(), d.samples().stable().size(), d.samples().canary().size(),
						d.samples().stable().recordedCount(), d.samples().canary().recordedCount(), rolloutView(d)));
	}

	private @Nullable RolloutView rolloutView(Deployment d) {
		if (!d.hasRollout()) {
			return null;
		}
		RolloutMonitor monitor = rollouts.getIfAvailable();
		return RolloutView.of(d, monitor == null ? RolloutMonitor.Schedule.NONE : monitor.schedule(d));
	}

	/**
	 * The deployment's generation as ETag: what a client sends back in {@code If-Match}.
	 */
	private static <T> ResponseEntity<T> tagged(Deployment deployment, T body) {
		return ResponseEntity.ok().eTag(ExpectedGeneration.etag(deployment.generation())).body(body);
	}

	private double delayMillis() {
		return properties.slowdownDelay().toNanos() / 1_000_000.0;
	}

	private static String percent(double weight) {
		return String.format(java.util.Locale.ROOT, "%.4g%%", weight * 100).replaceAll("\\.?0+%$", "%");
	}

}
