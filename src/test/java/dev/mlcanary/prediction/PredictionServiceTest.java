package dev.mlcanary.prediction;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.mlcanary.analysis.AnalysisProperties;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentProperties;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.model.BundledModels;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.routing.CanaryRouter;
import dev.mlcanary.shared.AgreementStats;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import smile.classification.LogisticRegression;
import smile.util.IntSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PredictionServiceTest {

	private static final double[] X = { 0.5, 1.2, 0.8, 0.3, 1.1 };

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private static final LoadedModel v1 = BundledModels.V1;

	private static final LoadedModel v2 = BundledModels.V2;

	@Test
	void servesTheRoutedModelAndRecordsIntoTheSnapshotsWindows() {
		Deployment deployment = deployment(false);
		PredictionService service = service(deployment, 0.05, Duration.ofMillis(10));

		PredictionResponse response = service.predict(X);

		assertThat(response.modelUsed()).isEqualTo(Role.CANARY);
		assertThat(response.modelVersion()).isEqualTo("v2");
		assertThat(response.churnProbability()).isEqualTo(v2.churnProbability(X));
		assertThat(deployment.samples().canary().recordedCount()).isEqualTo(1);
		assertThat(deployment.samples().stable().recordedCount()).isZero();
	}

	@Test
	void slowdownDelaysCanaryRequestsByAtLeastTheConfiguredDelay() {
		Deployment deployment = deployment(true);
		PredictionService service = service(deployment, 0.0, Duration.ofMillis(10));

		PredictionResponse response = service.predict(X);

		assertThat(response.modelUsed()).isEqualTo(Role.CANARY);
		assertThat(response.latencyMs()).isGreaterThanOrEqualTo(10.0);
		assertThat(deployment.samples().canary().samplesMillis()[0]).isGreaterThanOrEqualTo(10.0);
	}

	@Test
	void slowdownNeverDelaysStableRequests() {
		// With a 60 s delay, a stable request that waited would outlast the 30 s timeout,
		// which only
		// guards against a hang and measures nothing.
		Deployment deployment = deployment(true);
		PredictionService service = service(deployment, 0.99, Duration.ofSeconds(60));

		PredictionResponse response = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> service.predict(X));

		assertThat(response.modelUsed()).isEqualTo(Role.STABLE);
		assertThat(response.modelVersion()).isEqualTo("v1");
		assertThat(deployment.samples().stable().recordedCount()).isEqualTo(1);
	}

	@Test
	void aRequestFinishesOnTheSnapshotItStartedWith() {
		Deployment before = deployment(false);
		SwappingDeployments deployments = new SwappingDeployments(before);
		PredictionService service = new PredictionService(deployments, new CanaryRouter(() -> 0.0),
				properties(Duration.ofMillis(10)), AnalysisProperties.defaults(),
				new PredictionMetrics(new SimpleMeterRegistry(), deployments, Duration.ofSeconds(5), System::nanoTime));

		deployments.swapAfterNextRead = deployment(false);
		PredictionResponse response = service.predict(X);

		assertThat(response.modelVersion()).isEqualTo("v2");
		assertThat(before.samples().canary().recordedCount()).as("recorded into the old period").isEqualTo(1);
		assertThat(deployments.current().samples().canary().recordedCount()).as("new period untouched").isZero();
	}

	@Test
	void stableRequestsAreShadowScoredByTheCanaryWithoutTheDelay() {
		Deployment deployment = deployment(true);
		PredictionService service = service(deployment, 0.99, Duration.ofSeconds(60));

		for (int i = 0; i < 10; i++) {
			assertThat(service.predict(X).modelUsed()).isEqualTo(Role.STABLE);
		}

		AgreementStats.Snapshot agreement = deployment.samples().agreement().snapshot();
		assertThat(agreement.pairs()).isEqualTo(10);
		assertThat(agreement.agreement()).isEqualTo(1.0);
		assertThat(agreement.meanAbsoluteDifference()).isCloseTo(
				Math.abs(v1.churnProbability(X) - v2.churnProbability(X)),
				org.assertj.core.api.Assertions.within(1e-12));
		assertThat(deployment.samples().canary().recordedCount()).as("shadow scores are not canary latency samples")
			.isZero();
	}

	@Test
	void aFailingCanaryNeverFailsTheCallerAndIsCounted() {
		LoadedModel broken = new LoadedModel(v2.manifest(), v2.modelPath(),
				new LogisticRegression.Binomial(new double[] { Double.NaN, 0, 0, 0, 0, 0 }, 0, 0, IntSet.of(2)));
		Deployment deployment = new Deployment(v1, broken, 1.0, false, Instant.EPOCH, 2, new LatencyWindows(100));
		SwappingDeployments deployments = new SwappingDeployments(deployment);
		PredictionMetrics metrics = new PredictionMetrics(registry, deployments, Duration.ofSeconds(5),
				System::nanoTime);
		PredictionService service = new PredictionService(deployments, new CanaryRouter(() -> 0.0),
				properties(Duration.ofMillis(10)), AnalysisProperties.defaults(), metrics);

		PredictionResponse response = service.predict(X);
		metrics.drain();

		assertThat(response.modelUsed()).as("stable answers instead").isEqualTo(Role.STABLE);
		assertThat(response.modelVersion()).isEqualTo("v1");
		assertThat(response.churnProbability()).isEqualTo(v1.churnProbability(X));
		assertThat(deployment.samples().errors(Role.CANARY)).isEqualTo(1);
		assertThat(deployment.samples().errors(Role.STABLE)).isZero();
		assertThat(registry.get("canary.prediction.errors").tags("version", "v2", "role", "canary").counter().count())
			.isEqualTo(1.0);
		assertThat(registry.get("canary.predictions").tags("version", "v1", "role", "stable").counter().count())
			.isEqualTo(1.0);
	}

	@Test
	void aRequestKeyKeepsItsSideAndAForcedRouteWins() {
		Deployment deployment = new Deployment(v1, v2, 0.5, false, Instant.EPOCH, 2, new LatencyWindows(1000));
		PredictionService service = service(deployment, 0.0, Duration.ofMillis(10));

		Role first = service.predict(X, new RouteHint(null, "customer-42")).modelUsed();
		for (int i = 0; i < 20; i++) {
			assertThat(service.predict(X, new RouteHint(null, "customer-42")).modelUsed()).isEqualTo(first);
		}
		assertThat(service.predict(X, new RouteHint(Role.STABLE, "customer-42")).modelUsed()).isEqualTo(Role.STABLE);
		assertThat(service.predict(X, new RouteHint(Role.CANARY, null)).modelUsed()).isEqualTo(Role.CANARY);
	}

	@Test
	void forcingTheCanaryWithoutOneIsAConflict() {
		Deployment stableOnly = new Deployment(v1, null, 0.1, false, null, 1, new LatencyWindows(100));
		PredictionService service = service(stableOnly, 0.0, Duration.ofMillis(10));

		org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.predict(X, new RouteHint(Role.CANARY, null)))
			.isInstanceOf(dev.mlcanary.deployment.DeploymentConflictException.class)
			.hasMessageContaining("no canary is deployed");
	}

	private PredictionService service(Deployment deployment, double uniform, Duration delay) {
		return service(deployment, uniform, delay, registry);
	}

	/** A service over one fixed deployment, routing with a fixed uniform draw. */
	static PredictionService service(Deployment deployment, double uniform, Duration delay, MeterRegistry registry) {
		SwappingDeployments deployments = new SwappingDeployments(deployment);
		return new PredictionService(deployments, new CanaryRouter(() -> uniform), properties(delay),
				AnalysisProperties.defaults(),
				new PredictionMetrics(registry, deployments, Duration.ofSeconds(5), System::nanoTime));
	}

	private static Deployment deployment(boolean slowdown) {
		return new Deployment(v1, v2, 0.1, slowdown, Instant.EPOCH, 2, new LatencyWindows(100));
	}

	private static DeploymentProperties properties(Duration delay) {
		return DeploymentProperties.of(delay, 100, Path.of("state"));
	}

	/**
	 * Returns one snapshot, and can publish another right after it has been read, as an
	 * admin call would.
	 */
	static final class SwappingDeployments implements DeploymentService {

		Deployment current;

		Deployment swapAfterNextRead;

		SwappingDeployments(Deployment current) {
			this.current = current;
		}

		@Override
		public Deployment current() {
			Deployment read = current;
			if (swapAfterNextRead != null) {
				current = swapAfterNextRead;
				swapAfterNextRead = null;
			}
			return read;
		}

		@Override
		public Transition deployCanary(String version, String modelPath, Double weight, Long expectedGeneration) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Transition promoteCanary(Long expectedGeneration) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Transition rollbackCanary(Long expectedGeneration) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Transition toggleSlowdown(Long expectedGeneration) {
			throw new UnsupportedOperationException();
		}

	}

}
