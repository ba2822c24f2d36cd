package dev.mlcanary.prediction;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.mlcanary.analysis.LatencyWindows;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.routing.CanaryRouter;
import dev.mlcanary.routing.Role;
import dev.mlcanary.system.CanaryProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PredictionServiceTest {

	private static final double[] X = { 0.5, 1.2, 0.8, 0.3, 1.1 };

	private static LoadedModel v1;

	private static LoadedModel v2;

	@BeforeAll
	static void loadModels() {
		ModelStore store = new ModelStore(Path.of("models"));
		v1 = store.loadVersion("v1");
		v2 = store.loadVersion("v2");
	}

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
		// With a 60 s delay, a stable request that waited would outlast the 30 s timeout, which only
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
				properties(Duration.ofMillis(10)));

		deployments.swapAfterNextRead = deployment(false);
		PredictionResponse response = service.predict(X);

		assertThat(response.modelVersion()).isEqualTo("v2");
		assertThat(before.samples().canary().recordedCount()).as("recorded into the old period").isEqualTo(1);
		assertThat(deployments.current().samples().canary().recordedCount()).as("new period untouched").isZero();
	}

	private static PredictionService service(Deployment deployment, double uniform, Duration delay) {
		return new PredictionService(new SwappingDeployments(deployment), new CanaryRouter(() -> uniform), properties(delay));
	}

	private static Deployment deployment(boolean slowdown) {
		return new Deployment(v1, v2, 0.1, slowdown, Instant.EPOCH, 2, new LatencyWindows(100));
	}

	private static CanaryProperties properties(Duration delay) {
		return new CanaryProperties(Path.of("models"), "v1", 0.1, delay, 100, DataSize.ofKilobytes(64),
				new CanaryProperties.Health(0.05, 20, 1.0), Path.of("state"));
	}

	/** Returns one snapshot, and can publish another right after it has been read, as an admin call would. */
	private static final class SwappingDeployments implements DeploymentService {

		private Deployment current;

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
