package dev.mlcanary.prediction;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import dev.mlcanary.analysis.AnalysisProperties;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentConflictException;
import dev.mlcanary.deployment.DeploymentProperties;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.routing.CanaryRouter;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * The hot path: one snapshot read, one routing decision, one model evaluation, one
 * lock-free sample (which {@link PredictionMetrics} exports to Micrometer off this
 * thread). Everything about the request is decided from the snapshot read at the start,
 * so an admin change in the middle can neither mix two deployments nor put this sample
 * into the next period.
 *
 * <p>
 * A canary that fails (throws, or answers a non-finite probability) never fails the
 * caller: stable answers instead and the failure is counted for the errors judge.
 * Stable-routed requests are also scored by the canary (shadow scoring) after the
 * response's answer and latency are fixed, outside the timed region and without the
 * artificial delay, for the agreement judge.
 */
@Service
class PredictionService {

	private static final Logger log = LoggerFactory.getLogger(PredictionService.class);

	/**
	 * A model that fails on every request writes one WARN line per interval, not one per
	 * request.
	 */
	private final ThrottledWarning failureWarning = new ThrottledWarning(Duration.ofSeconds(10));

	private final DeploymentService deployments;

	private final CanaryRouter router;

	private final long slowdownNanos;

	private final double shadowFraction;

	private final PredictionMetrics metrics;

	PredictionService(DeploymentService deployments, CanaryRouter router, DeploymentProperties properties,
			AnalysisProperties analysis, PredictionMetrics metrics) {
		this.deployments = deployments;
		this.router = router;
		this.slowdownNanos = properties.slowdownDelay().toNanos();
		this.shadowFraction = analysis.shadowFraction();
		this.metrics = metrics;
	}

	PredictionResponse predict(double[] features) {
		return predict(features, RouteHint.RANDOM);
	}

	PredictionResponse predict(double[] features, RouteHint hint) {
		Deployment deployment = deployments.current();
		Role role = route(deployment, hint);
		LatencyWindows period = deployment.samples();
		long start = System.nanoTime();
		if (role == Role.CANARY && deployment.slowdown()) {
			pauseUntil(start + slowdownNanos);
		}
		double probability = score(model(deployment, role), features);
		boolean fellBack = false;
		if (Double.isNaN(probability) && role == Role.CANARY) {
			period.recordError(Role.CANARY);
			metrics.recordError(deployment.canary().version(), Role.CANARY);
			role = Role.STABLE;
			fellBack = true;
			probability = score(deployment.stable(), features);
		}
		if (Double.isNaN(probability)) {
			period.recordError(Role.STABLE);
			metrics.recordError(deployment.stable().version(), Role.STABLE);
			throw new IllegalStateException("Stable model " + deployment.stable().version() + " failed to score");
		}
		long elapsed = System.nanoTime() - start;
		period.of(role).record(elapsed);
		String version = model(deployment, role).version();
		if (role == Role.STABLE && !fellBack && deployment.hasCanary() && shouldShadow()) {
			shadow(deployment, features, probability);
		}
		return new PredictionResponse(probability, role, version, elapsed / 1_000_000.0);
	}

	private Role route(Deployment deployment, RouteHint hint) {
		if (hint.forced() != null) {
			if (hint.forced() == Role.CANARY && !deployment.hasCanary()) {
				throw DeploymentConflictException.noCanaryToRoute();
			}
			return hint.forced();
		}
		if (hint.requestKey() != null && deployment.hasCanary()) {
			return router.routeByKey(true, deployment.weight(), hint.requestKey(), deployment.canary().version());
		}
		return router.route(deployment.hasCanary(), deployment.weight());
	}

	private static LoadedModel model(Deployment deployment, Role role) {
		return role == Role.CANARY ? deployment.canary() : deployment.stable();
	}

	/**
	 * The probability, or NaN when the model failed (exception or a non-finite answer).
	 */
	private double score(LoadedModel model, double[] features) {
		try {
			double p = model.churnProbability(features);
			return Double.isFinite(p) ? p : Double.NaN;
		}
		catch (RuntimeException ex) {
			long heldBack = failureWarning.acquire();
			if (heldBack >= 0) {
				log.warn(
						"Model {} failed to score: {} ({} similar warnings held back since the last one; "
								+ "canary_prediction_errors_total counts them all)",
						model.version(), ex.toString(), heldBack);
			}
			return Double.NaN;
		}
	}

	private boolean shouldShadow() {
		return shadowFraction >= 1.0
				|| (shadowFraction > 0 && ThreadLocalRandom.current().nextDouble() < shadowFraction);
	}

	private void shadow(Deployment deployment, double[] features, double stableProbability) {
		double canaryProbability = score(deployment.canary(), features);
		if (Double.isNaN(canaryProbability)) {
			deployment.samples().recordError(Role.CANARY);
			metrics.recordError(deployment.canary().version(), Role.CANARY);
		}
		else {
			deployment.samples().agreement().record(stableProbability, canaryProbability);
		}
	}

	/**
	 * Parks only this request's thread; stable requests on other threads never wait (the
	 * prototype's sleep blocked its event loop and slowed everyone). An interrupt
	 * (shutdown) ends the pause early.
	 */
	private static void pauseUntil(long deadline) {
		for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
			LockSupport.parkNanos(left);
			if (Thread.currentThread().isInterrupted()) {
				return;
			}
		}
	}

}
