package dev.mlcanary.prediction;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

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
 *
 * <p>
 * A batch ({@link #predictBatch}) is one request: one snapshot read, one routing decision
 * for all its rows, one fallback to stable for all of them if the canary fails on any
 * (one canary error). A batch of one row is recorded exactly as a {@code /predict} call.
 * A larger batch is kept out of the latency windows, whose samples are single predictions
 * that the latency judges compare: its time goes to {@code canary_batch_latency_seconds}
 * and its rows to {@code canary_predictions_total} and {@code canary_batch_rows_total};
 * its errors and, when shadowing is sampled, the agreement of each row still go to the
 * period (docs/inference-protocol.md).
 */
@Service
public class PredictionService {

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

	/** What {@code /predict} answers when stable fails: a 500, logged. */
	private static final Function<String, RuntimeException> INTERNAL_ERROR = version -> new IllegalStateException(
			"Stable model " + version + " failed to score");

	PredictionResponse predict(double[] features, RouteHint hint) {
		return predict(features, hint, INTERNAL_ERROR);
	}

	/**
	 * Scores every row with the one version the request is routed to.
	 * @param rows at least one row of {@link dev.mlcanary.model.ChurnFeatures#COUNT}
	 * finite values
	 * @throws VersionNotServedException if the hint names a version not being served
	 * @throws ModelUnavailableException if stable fails to score a row
	 */
	public BatchPrediction predictBatch(double[][] rows, RouteHint hint) {
		if (rows.length == 1) {
			PredictionResponse one = predict(rows[0], hint, ModelUnavailableException::forVersion);
			return new BatchPrediction(new double[] { one.churnProbability() }, one.modelUsed(), one.modelVersion());
		}
		Deployment deployment = deployments.current();
		Role role = route(deployment, hint);
		long start = System.nanoTime();
		if (role == Role.CANARY && deployment.slowdown()) {
			pauseUntil(start + slowdownNanos);
		}
		double[] probabilities = new double[rows.length];
		boolean scored = scoreAll(model(deployment, role), rows, probabilities);
		boolean fellBack = false;
		if (!scored && role == Role.CANARY) {
			deployment.samples().recordError(Role.CANARY);
			metrics.recordError(deployment.canary().version(), Role.CANARY);
			role = Role.STABLE;
			fellBack = true;
			scored = scoreAll(deployment.stable(), rows, probabilities);
		}
		if (!scored) {
			deployment.samples().recordError(Role.STABLE);
			metrics.recordError(deployment.stable().version(), Role.STABLE);
			throw ModelUnavailableException.forVersion(deployment.stable().version());
		}
		long elapsed = System.nanoTime() - start;
		String version = model(deployment, role).version();
		metrics.recordBatch(version, role, rows.length, elapsed);
		if (role == Role.STABLE && !fellBack && deployment.hasCanary() && shouldShadow()) {
			for (int i = 0; i < rows.length; i++) {
				shadow(deployment, rows[i], probabilities[i]);
			}
		}
		return new BatchPrediction(probabilities, role, version);
	}

	/** Whether every row scored; stops at the first that did not. */
	private boolean scoreAll(LoadedModel model, double[][] rows, double[] probabilities) {
		for (int i = 0; i < rows.length; i++) {
			double p = score(model, rows[i]);
			if (Double.isNaN(p)) {
				return false;
			}
			probabilities[i] = p;
		}
		return true;
	}

	private PredictionResponse predict(double[] features, RouteHint hint,
			Function<String, RuntimeException> stableFailed) {
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
			throw stableFailed.apply(deployment.stable().version());
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
		if (hint.version() != null) {
			return servingRole(deployment, hint.version());
		}
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

	private static Role servingRole(Deployment deployment, String version) {
		if (version.equals(deployment.stable().version())) {
			return Role.STABLE;
		}
		if (deployment.hasCanary() && version.equals(deployment.canary().version())) {
			return Role.CANARY;
		}
		throw VersionNotServedException.of(version, deployment);
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
