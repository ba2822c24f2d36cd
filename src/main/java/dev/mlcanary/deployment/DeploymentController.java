package dev.mlcanary.deployment;

import java.time.Instant;
import java.util.List;

import dev.mlcanary.model.ModelManifest;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.system.CanaryProperties;

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
 * Operator endpoints that change or show the deployment. Every change accepts the generation it
 * expects ({@code expected_generation} or {@code If-Match}) and every answer that shows a deployment
 * carries its generation as the {@code ETag}, so read-modify-write by an operator is safe.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
class DeploymentController {

	private final DeploymentService deployments;

	private final ModelStore models;

	private final CanaryProperties properties;

	private final ObjectProvider<RolloutMonitor> rollouts;

	DeploymentController(DeploymentService deployments, ModelStore models, CanaryProperties properties,
			ObjectProvider<RolloutMonitor> rollouts) {
		this.deployments = deployments;
		this.models = models;
		this.properties = properties;
		this.rollouts = rollouts;
	}

	record DeployRequest(String version, String modelPath, Double weight, StrategyRequest strategy,
			Long expectedGeneration) {
	}

	/**
	 * An automated rollout: {@code {"steps": [10, 25, 50, 100], "interval": "30s", "auto_rollback": true,
	 * "auto_promote": true}}. {@code interval} is a string ({@code "30s"}, {@code "2m"}, {@code "1h"}) or a
	 * number of seconds, hence untyped here; the booleans default to true.
	 */
	record StrategyRequest(List<Double> steps, Object interval, Boolean autoRollback, Boolean autoPromote) {

		RolloutStrategy parse() {
			return RolloutStrategy.parse(steps, interval, autoRollback, autoPromote);
		}

	}

	record DeployResponse(String status, String message, String canaryVersion, String modelPath,
			Instant canaryStartTime, double weight, long generation, RolloutView rollout) {
	}

	record PromoteResponse(String status, String message, String previousStableModel, String newStableModel,
			long generation) {
	}

	record RollbackResponse(String status, String message, String rolledBackModel, String stableModel,
			long generation) {
	}

	record SlowdownResponse(boolean simulateSlowdown, String message, double delayMs, long generation) {
	}

	record StatusResponse(String stableVersion, String stableModelPath, String canaryVersion,
			String canaryModelPath, Double canaryWeight, Instant canaryStartTime, boolean simulateSlowdown,
			double slowdownDelayMs, long generation, int stableSampleCount, int canarySampleCount,
			long stableRequestCount, long canaryRequestCount, RolloutView rollout) {
	}

	record ModelView(String version, String modelPath, String role, ModelManifest manifest) {
	}

	record ModelsResponse(String modelDir, List<ModelView> models) {
	}

	@PostMapping(path = "/deploy-canary", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<DeployResponse> deployCanary(@RequestBody DeployRequest request,
			@RequestParam(name = "expected_generation", required = false) Long expectedGeneration,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		Long expected = ExpectedGeneration.resolve(request.expectedGeneration(), expectedGeneration, ifMatch);
		RolloutStrategy strategy = request.strategy() == null ? null : request.strategy().parse();
		Deployment after = deployments
			.deployCanary(request.version(), request.modelPath(), request.weight(), strategy, expected)
			.after();
		String version = after.canary().version();
		String automated = strategy == null ? "" : " Automated rollout: " + strategy.describe() + ".";
		return tagged(after, new DeployResponse("success",
				"Canary " + version + " deployed; it receives " + percent(after.weight()) + " of /predict traffic." + automated,
				version, after.canary().modelPath(), after.canaryStartTime(), after.weight(), after.generation(),
				rolloutView(after)));
	}

	@PostMapping("/promote-canary")
	ResponseEntity<PromoteResponse> promoteCanary(
			@RequestParam(name = "expected_generation", required = false) Long expectedGeneration,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		DeploymentService.Transition t = deployments.promoteCanary(ExpectedGeneration.resolve(null, expectedGeneration, ifMatch));
		String previous = t.before().stable().version();
		String promoted = t.after().stable().version();
		return tagged(t.after(), new PromoteResponse("success",
				"Canary " + promoted + " promoted to stable; it now serves all traffic.", previous, promoted,
				t.after().generation()));
	}

	@PostMapping("/rollback-canary")
	ResponseEntity<RollbackResponse> rollbackCanary(
			@RequestParam(name = "expected_generation", required = false) Long expectedGeneration,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		DeploymentService.Transition t = deployments.rollbackCanary(ExpectedGeneration.resolve(null, expectedGeneration, ifMatch));
		String canary = t.before().canary().version();
		String stable = t.after().stable().version();
		return tagged(t.after(), new RollbackResponse("success",
				"Canary " + canary + " rolled back; " + stable + " serves all traffic.", canary, stable,
				t.after().generation()));
	}

	@PostMapping("/toggle-slowdown")
	ResponseEntity<SlowdownResponse> toggleSlowdown(
			@RequestParam(name = "expected_generation", required = false) Long expectedGeneration,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
		Deployment after = deployments.toggleSlowdown(ExpectedGeneration.resolve(null, expectedGeneration, ifMatch)).after();
		return tagged(after, new SlowdownResponse(after.slowdown(),
				after.slowdown() ? "Slowdown simulation enabled" : "Slowdown simulation disabled", delayMillis(),
				after.generation()));
	}

	@GetMapping("/status")
	ResponseEntity<StatusResponse> status() {
		Deployment d = deployments.current();
		return tagged(d, new StatusResponse(d.stable().version(), d.stable().modelPath(),
				d.hasCanary() ? d.canary().version() : null, d.hasCanary() ? d.canary().modelPath() : null,
				d.hasCanary() ? d.weight() : null, d.canaryStartTime(), d.slowdown(), delayMillis(), d.generation(),
				d.samples().stable().size(), d.samples().canary().size(), d.samples().stable().recordedCount(),
				d.samples().canary().recordedCount(), rolloutView(d)));
	}

	@GetMapping("/models")
	ModelsResponse models() {
		Deployment d = deployments.current();
		List<ModelView> views = models.list()
			.stream()
			.map(e -> new ModelView(e.version(), e.modelPath(), roleOf(d, e.version()), e.manifest()))
			.toList();
		return new ModelsResponse(properties.modelDir().toString(), views);
	}

	private RolloutView rolloutView(Deployment d) {
		if (!d.hasRollout()) {
			return null;
		}
		RolloutMonitor monitor = rollouts.getIfAvailable();
		return RolloutView.of(d, monitor == null ? RolloutMonitor.Schedule.NONE : monitor.schedule(d));
	}

	/** The deployment's generation as ETag: what a client sends back in {@code If-Match}. */
	private static <T> ResponseEntity<T> tagged(Deployment deployment, T body) {
		return ResponseEntity.ok().eTag(ExpectedGeneration.etag(deployment.generation())).body(body);
	}

	private static String roleOf(Deployment d, String version) {
		if (d.stable().version().equals(version)) {
			return "stable";
		}
		return d.hasCanary() && d.canary().version().equals(version) ? "canary" : null;
	}

	private double delayMillis() {
		return properties.slowdownDelay().toNanos() / 1_000_000.0;
	}

	private static String percent(double weight) {
		return String.format(java.util.Locale.ROOT, "%.4g%%", weight * 100).replaceAll("\\.?0+%$", "%");
	}

}
