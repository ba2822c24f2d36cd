package dev.mlcanary.prediction;

import java.util.concurrent.locks.LockSupport;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.routing.CanaryRouter;
import dev.mlcanary.routing.Role;
import dev.mlcanary.system.CanaryProperties;

import org.springframework.stereotype.Service;

/**
 * The hot path: one snapshot read, one routing draw, one model evaluation, one lock-free sample.
 * Everything about the request is decided from the snapshot read at the start, so an admin change
 * in the middle can neither mix two deployments nor put this sample into the next period's windows.
 */
@Service
class PredictionService {

	private final DeploymentService deployments;

	private final CanaryRouter router;

	private final long slowdownNanos;

	PredictionService(DeploymentService deployments, CanaryRouter router, CanaryProperties properties) {
		this.deployments = deployments;
		this.router = router;
		this.slowdownNanos = properties.slowdownDelay().toNanos();
	}

	PredictionResponse predict(double[] features) {
		Deployment deployment = deployments.current();
		Role role = router.route(deployment.hasCanary(), deployment.weight());
		LoadedModel model = role == Role.CANARY ? deployment.canary() : deployment.stable();
		long start = System.nanoTime();
		if (role == Role.CANARY && deployment.slowdown()) {
			pauseUntil(start + slowdownNanos);
		}
		double probability = model.churnProbability(features);
		long elapsed = System.nanoTime() - start;
		deployment.samples().of(role).record(elapsed);
		return new PredictionResponse(probability, role, model.version(), elapsed / 1_000_000.0);
	}

	/**
	 * Parks only this request's thread; stable requests on other threads never wait (the prototype's
	 * sleep blocked its event loop and slowed everyone). An interrupt (shutdown) ends the pause early.
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
