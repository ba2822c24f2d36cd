package dev.mlcanary.deployment;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import dev.mlcanary.analysis.LatencyWindows;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.system.BadRequestException;
import dev.mlcanary.system.CanaryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Deployment state of one replica. Reads are a single atomic load; admin transitions are serialised
 * (they are rare) and each publishes a complete new snapshot. Models are loaded and verified before
 * the lock is taken, so a slow or bad model file never blocks another admin call or a prediction,
 * and a refused transition leaves the deployment exactly as it was.
 */
@Service
class InMemoryDeploymentService implements DeploymentService {

	private static final Logger log = LoggerFactory.getLogger(InMemoryDeploymentService.class);

	private final ModelStore models;

	private final CanaryProperties properties;

	private final Clock clock;

	private final AtomicReference<Deployment> current;

	private final Object transitions = new Object();

	InMemoryDeploymentService(ModelStore models, CanaryProperties properties, Clock clock) {
		this.models = models;
		this.properties = properties;
		this.clock = clock;
		LoadedModel stable;
		try {
			stable = models.loadVersion(properties.stableVersion());
		}
		catch (RuntimeException ex) {
			throw new StableModelUnavailableException(properties.stableVersion(), ex);
		}
		this.current = new AtomicReference<>(new Deployment(stable, null, properties.weight(), false, null, 1, windows()));
		log.info("Serving {} ({}) as stable", stable.version(), stable.modelPath());
	}

	@Override
	public Deployment current() {
		return current.get();
	}

	@Override
	public Transition deployCanary(String version, String modelPath, Double weight) {
		if ((version == null) == (modelPath == null)) {
			throw BadRequestException.because("Give exactly one of \"version\" (e.g. \"v2\") or \"model_path\" (e.g. \"models/model_v2.ser\").");
		}
		double canaryWeight = weight == null ? properties.weight() : weight;
		if (!(canaryWeight > 0 && canaryWeight <= 1)) {
			throw BadRequestException.because("weight must be a number greater than 0 and at most 1, was " + weight + ".");
		}
		requireNoCanary(current());
		LoadedModel model = version != null ? models.loadVersion(version) : models.loadPath(modelPath);
		synchronized (transitions) {
			Deployment before = current();
			requireNoCanary(before);
			if (model.version().equals(before.stable().version())) {
				throw DeploymentConflictException.alreadyStable(model.version());
			}
			Deployment after = before.withCanary(model, canaryWeight, clock.instant(), windows());
			return publish(before, after, "deployed canary " + model.version() + " at weight " + canaryWeight);
		}
	}

	@Override
	public Transition promoteCanary() {
		synchronized (transitions) {
			Deployment before = requireCanary(current(), "promote");
			return publish(before, before.promoted(windows()), "promoted " + before.canary().version() + " to stable");
		}
	}

	@Override
	public Transition rollbackCanary() {
		synchronized (transitions) {
			Deployment before = requireCanary(current(), "roll back");
			return publish(before, before.rolledBack(windows()), "rolled back canary " + before.canary().version());
		}
	}

	@Override
	public Transition toggleSlowdown() {
		synchronized (transitions) {
			Deployment before = current();
			return publish(before, before.withSlowdown(!before.slowdown()),
					"canary slowdown " + (before.slowdown() ? "disabled" : "enabled"));
		}
	}

	private Transition publish(Deployment before, Deployment after, String what) {
		current.set(after);
		log.info("Generation {}: {}", after.generation(), what);
		return new Transition(before, after);
	}

	private static void requireNoCanary(Deployment deployment) {
		if (deployment.hasCanary()) {
			throw DeploymentConflictException.canaryAlreadyActive(deployment);
		}
	}

	private static Deployment requireCanary(Deployment deployment, String action) {
		if (!deployment.hasCanary()) {
			throw DeploymentConflictException.noCanary(action);
		}
		return deployment;
	}

	private LatencyWindows windows() {
		return new LatencyWindows(properties.windowSize());
	}

}
