package dev.mlcanary.prediction;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.mlcanary.analysis.AnalysisProperties;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentProperties;
import dev.mlcanary.model.BundledModels;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.routing.CanaryRouter;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import smile.classification.LogisticRegression;
import smile.util.IntSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PredictionService#predictBatch}: one routing decision per batch, the same
 * fallback and shadow scoring as {@code /predict}, and batches of more than one row kept
 * out of the latency windows.
 */
class PredictionServiceBatchTest {

	private static final double[][] ROWS = { { 0.5, 1.2, 0.8, 0.3, 1.1 }, { 0.1, 0.4, 1.3, 0.0, 0.2 },
			{ 1.4, 0.2, 0.1, 1.0, 0.9 } };

	private static final LoadedModel v1 = BundledModels.V1;

	private static final LoadedModel v2 = BundledModels.V2;

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void aWholeBatchGoesToTheCanaryWhenTheDrawFallsUnderTheWeight() {
		Deployment deployment = deployment(v2, 0.1);
		PredictionService service = PredictionServiceTest.service(deployment, 0.05, Duration.ofMillis(10), registry);

		BatchPrediction served = service.predictBatch(ROWS, RouteHint.RANDOM);

		assertThat(served.role()).isEqualTo(Role.CANARY);
		assertThat(served.version()).isEqualTo("v2");
		for (int i = 0; i < ROWS.length; i++) {
			assertThat(served.probabilities()[i]).isEqualTo(v2.churnProbability(ROWS[i]));
		}
	}

	@Test
	void aBatchOfMoreThanOneRowAddsNoLatencySampleButCountsItsRowsAndTime() {
		Deployment deployment = deployment(v2, 0.1);
		PredictionService service = PredictionServiceTest.service(deployment, 0.05, Duration.ofMillis(10), registry);

		service.predictBatch(ROWS, RouteHint.RANDOM);

		assertThat(deployment.samples().canary().recordedCount()).isZero();
		assertThat(deployment.samples().stable().recordedCount()).isZero();
		assertThat(registry.get("canary.batch.latency").tags("version", "v2", "role", "canary").timer().count())
			.isEqualTo(1);
		assertThat(registry.get("canary.batch.rows").tags("version", "v2", "role", "canary").counter().count())
			.isEqualTo(3.0);
		assertThat(registry.get("canary.predictions").tags("version", "v2", "role", "canary").counter().count())
			.as("rows are predictions")
			.isEqualTo(3.0);
	}

	@Test
	void aOneRowBatchRecordsExactlyWhatAPredictionRecords() {
		Deployment deployment = deployment(v2, 0.1);
		PredictionService service = PredictionServiceTest.service(deployment, 0.05, Duration.ofMillis(10), registry);

		BatchPrediction served = service.predictBatch(new double[][] { ROWS[0] }, RouteHint.RANDOM);

		assertThat(served.role()).isEqualTo(Role.CANARY);
		assertThat(served.probabilities()).containsExactly(v2.churnProbability(ROWS[0]));
		assertThat(deployment.samples().canary().recordedCount()).isEqualTo(1);
		assertThat(registry.find("canary.batch.latency").timer()).as("not a batch").isNull();
	}

	@Test
	void aFailingCanaryFallsBackToStableForTheWholeBatchAndCountsOneError() {
		Deployment deployment = deployment(broken(), 1.0);
		PredictionService service = PredictionServiceTest.service(deployment, 0.0, Duration.ofMillis(10), registry);

		BatchPrediction served = service.predictBatch(ROWS, RouteHint.RANDOM);

		assertThat(served.role()).isEqualTo(Role.STABLE);
		assertThat(served.version()).isEqualTo("v1");
		for (int i = 0; i < ROWS.length; i++) {
			assertThat(served.probabilities()[i]).isEqualTo(v1.churnProbability(ROWS[i]));
		}
		assertThat(deployment.samples().errors(Role.CANARY)).isEqualTo(1);
		assertThat(deployment.samples().errors(Role.STABLE)).isZero();
		assertThat(deployment.samples().stable().recordedCount()).isZero();
		assertThat(registry.get("canary.prediction.errors").tags("version", "v2", "role", "canary").counter().count())
			.isEqualTo(1.0);
	}

	@Test
	void stableRoutedBatchesAreShadowScoredRowByRow() {
		Deployment deployment = deployment(v2, 0.1);
		PredictionService service = PredictionServiceTest.service(deployment, 0.99, Duration.ofMillis(10), registry);

		BatchPrediction served = service.predictBatch(ROWS, RouteHint.RANDOM);

		assertThat(served.role()).isEqualTo(Role.STABLE);
		assertThat(deployment.samples().agreement().snapshot().pairs()).isEqualTo(ROWS.length);
		assertThat(deployment.samples().canary().recordedCount()).isZero();
	}

	@Test
	void aRequestKeyKeepsEveryBatchOnOneSideAndAForcedRouteWins() {
		Deployment deployment = deployment(v2, 0.5);
		PredictionService service = PredictionServiceTest.service(deployment, 0.0, Duration.ofMillis(10), registry);

		Role first = service.predictBatch(ROWS, new RouteHint(null, "customer-42")).role();
		for (int i = 0; i < 20; i++) {
			assertThat(service.predictBatch(ROWS, new RouteHint(null, "customer-42")).role()).isEqualTo(first);
		}
		assertThat(service.predictBatch(ROWS, new RouteHint(Role.STABLE, null)).role()).isEqualTo(Role.STABLE);
		assertThat(service.predictBatch(ROWS, new RouteHint(null, "customer-42")).role())
			.as("the same key routes one row as a batch")
			.isEqualTo(service.predict(ROWS[0], new RouteHint(null, "customer-42")).modelUsed());
	}

	@Test
	void aVersionForcesItsRoleAndAnyOtherVersionIsNotServed() {
		Deployment deployment = deployment(v2, 0.1);
		PredictionService service = PredictionServiceTest.service(deployment, 0.99, Duration.ofMillis(10), registry);

		assertThat(service.predictBatch(ROWS, RouteHint.RANDOM.withVersion("v2")).role()).isEqualTo(Role.CANARY);
		assertThat(service.predictBatch(ROWS, new RouteHint(Role.CANARY, null).withVersion("v1")).role())
			.as("the version wins over a forced role")
			.isEqualTo(Role.STABLE);
		assertThatThrownBy(() -> service.predictBatch(ROWS, RouteHint.RANDOM.withVersion("v9")))
			.isInstanceOf(VersionNotServedException.class)
			.hasMessage("Version 'v9' is not being served; the serving versions are v1 (stable), v2 (canary).");
	}

	@Test
	void aFailingStableIsA503NamingTheModel() {
		Deployment deployment = new Deployment(broken(), null, 0.1, false, null, 1, new LatencyWindows(100));
		PredictionService service = new PredictionService(new PredictionServiceTest.SwappingDeployments(deployment),
				new CanaryRouter(() -> 0.0), DeploymentProperties.of(Duration.ofMillis(10), 100, Path.of("state")),
				AnalysisProperties.defaults(),
				new PredictionMetrics(registry, new PredictionServiceTest.SwappingDeployments(deployment),
						Duration.ofSeconds(5), System::nanoTime));

		assertThatThrownBy(() -> service.predictBatch(ROWS, RouteHint.RANDOM))
			.isInstanceOf(ModelUnavailableException.class)
			.hasMessageContaining("The stable model v2 failed to score this batch");
		assertThatThrownBy(() -> service.predictBatch(new double[][] { ROWS[0] }, RouteHint.RANDOM))
			.isInstanceOf(ModelUnavailableException.class);
		assertThat(deployment.samples().errors(Role.STABLE)).isEqualTo(2);
	}

	private static LoadedModel broken() {
		return new LoadedModel(v2.manifest(), v2.modelPath(),
				new LogisticRegression.Binomial(new double[] { Double.NaN, 0, 0, 0, 0, 0 }, 0, 0, IntSet.of(2)));
	}

	private static Deployment deployment(LoadedModel canary, double weight) {
		return new Deployment(v1, canary, weight, false, Instant.EPOCH, 2, new LatencyWindows(100));
	}

}
