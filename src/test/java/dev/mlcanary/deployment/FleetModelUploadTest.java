package dev.mlcanary.deployment;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.model.TestModelDirs;
import dev.mlcanary.model.TestModelDocuments;
import dev.mlcanary.store.FleetHttp;
import dev.mlcanary.store.FleetHttp.Answer;
import dev.mlcanary.store.TestPostgres;
import dev.mlcanary.store.TestReplicas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * An upload in postgres mode is a row of the shared database: a model uploaded through
 * one replica deploys, serves and is deleted through another, and neither replica's model
 * directory changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetModelUploadTest {

	static final double[] X = { 0.5, 1.2, 0.8, 0.3, 1.1 };

	static final String FEATURES = "{\"features\": [0.5, 1.2, 0.8, 0.3, 1.1]}";

	ConfigurableApplicationContext a;

	ConfigurableApplicationContext b;

	@BeforeAll
	void startTwoReplicas() throws Exception {
		String database = TestPostgres.get().createDatabase();
		String models = "canary.model-dir=" + TestModelDirs.copyOfTheBundledModels();
		a = TestReplicas.start(database, "upload-a", TestReplicas.stateDir(), models);
		b = TestReplicas.start(database, "upload-b", TestReplicas.stateDir(), models);
	}

	@AfterAll
	void stop() {
		Stream.of(a, b).filter(c -> c != null).forEach(ConfigurableApplicationContext::close);
	}

	private static List<String> versions(FleetHttp replica) {
		return replica.get("/admin/models")
			.body()
			.get("models")
			.valueStream()
			.map(m -> m.get("version").asString())
			.toList();
	}

	@Test
	void aModelUploadedThroughOneReplicaServesOnEveryReplica() {
		FleetHttp httpA = new FleetHttp(a);
		FleetHttp httpB = new FleetHttp(b);

		Answer created = httpA.post("/admin/models", TestModelDocuments.valid("v5"));
		assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
		assertThat(created.body().at("/model/model_path").asString()).isEqualTo("uploaded:model_v5.logreg.json");
		assertThat(httpB.post("/admin/models", TestModelDocuments.valid("v5")).status()).as("the same, through b")
			.isEqualTo(200);
		assertThat(httpB.post("/admin/models", TestModelDocuments.withWeights("v5", 1, 1, 1, 1, 1, 1)).status())
			.isEqualTo(409);
		assertThat(versions(httpB)).contains("v5");

		assertThat(httpB.post("/admin/deploy-canary", "{\"version\": \"v5\"}").status()).isEqualTo(200);
		double expected = TestModelDocuments.probability(TestModelDocuments.INTERCEPT, TestModelDocuments.COEFFICIENTS,
				X);
		for (FleetHttp replica : new FleetHttp[] { httpA, httpB }) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				JsonNode served = replica.post("/predict", FEATURES, "X-Canary-Route", "canary").body();
				assertThat(served.path("model_version").asString()).isEqualTo("v5");
				assertThat(served.get("churn_probability").asDouble()).isCloseTo(expected, within(1e-12));
			});
		}

		Answer serving = httpA.delete("/admin/models/v5");
		assertThat(serving.status()).isEqualTo(409);
		assertThat(serving.body().get("type").asString()).isEqualTo(ApiProblem.MODEL_SERVING.type().toString());
		assertThat(serving.body().get("detail").asString())
			.isEqualTo(ApiProblem.MODEL_SERVING.detail().replace("v4", "v5"));

		assertThat(httpA.post("/admin/rollback-canary", null).status()).isEqualTo(200);
		assertThat(httpB.delete("/admin/models/v5").status()).isEqualTo(204);
		assertThat(versions(httpA)).containsExactly("v1", "v2", "v3");
		assertThat(httpA.post("/admin/deploy-canary", "{\"version\": \"v5\"}").status()).isEqualTo(404);
		assertThat(httpA.delete("/admin/models/v2").status()).isEqualTo(409);
	}

}
