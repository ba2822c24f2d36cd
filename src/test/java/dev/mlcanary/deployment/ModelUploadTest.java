package dev.mlcanary.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mlcanary.Application;
import dev.mlcanary.TestTokens;
import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.model.TestModelDirs;
import dev.mlcanary.model.TestModelDocuments;
import dev.mlcanary.store.FleetHttp;
import dev.mlcanary.store.FleetHttp.Answer;
import dev.mlcanary.store.TestReplicas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code POST /admin/models} and {@code DELETE /admin/models/{version}} in file mode,
 * over real HTTP, on a copy of the bundled models: upload, deploy as canary, serve,
 * refuse to delete while serving, roll back, delete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelUploadTest {

	static final double[] X = { 0.5, 1.2, 0.8, 0.3, 1.1 };

	static final String FEATURES = "{\"features\": [0.5, 1.2, 0.8, 0.3, 1.1]}";

	Path models;

	ConfigurableApplicationContext app;

	FleetHttp http;

	@BeforeAll
	void start() {
		models = TestModelDirs.copyOfTheBundledModels();
		app = new SpringApplicationBuilder(Application.class).run("--canary.model-dir=" + models,
				"--canary.state-dir=" + TestReplicas.stateDir(), "--server.port=0",
				"--canary.admin.token=" + TestTokens.OPERATOR, "--canary.admin.read-token=" + TestTokens.READER,
				"--spring.main.banner-mode=off");
		http = new FleetHttp(app);
	}

	@AfterAll
	void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void anUploadIsDeployedServedAndDeletedOnceItNoLongerServes() {
		Answer created = http.post("/admin/models", TestModelDocuments.valid("v7"));
		assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
		assertThat(created.body().get("status").asString()).isEqualTo("created");
		assertThat(created.body().at("/model/uploaded").asBoolean()).isTrue();
		assertThat(created.body().at("/model/manifest/model_format").asString())
			.isEqualTo("ml-canary-logistic-regression");
		assertThat(models.resolve("model_v7.logreg.json")).exists();
		assertThat(models.resolve("model_v7.json")).exists();

		Answer again = http.post("/admin/models", TestModelDocuments.valid("v7").replace("\n", ""));
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.body().get("status").asString()).isEqualTo("unchanged");

		JsonNode listed = http.get("/admin/models").body();
		assertThat(listed.findValues("version").stream().map(JsonNode::asString)).contains("v1", "v7");

		assertThat(http.post("/admin/deploy-canary", "{\"version\": \"v7\"}").status()).isEqualTo(200);
		Answer served = http.post("/predict", FEATURES, "X-Canary-Route", "canary");
		assertThat(served.body().get("model_version").asString()).isEqualTo("v7");
		assertThat(served.body().get("churn_probability").asDouble()).isCloseTo(
				TestModelDocuments.probability(TestModelDocuments.INTERCEPT, TestModelDocuments.COEFFICIENTS, X),
				within(1e-12));

		Answer serving = http.delete("/admin/models/v7");
		assertProblem(serving, ApiProblem.MODEL_SERVING,
				"v7 is the canary; roll it back or promote it before deleting it.");
		assertThat(models.resolve("model_v7.json")).exists();

		assertThat(http.post("/admin/rollback-canary", null).status()).isEqualTo(200);
		assertThat(http.delete("/admin/models/v7").status()).isEqualTo(204);
		assertThat(models.resolve("model_v7.json")).doesNotExist();
		assertThat(models.resolve("model_v7.logreg.json")).doesNotExist();
		assertThat(http.delete("/admin/models/v7").status()).isEqualTo(404);
		assertThat(http.post("/admin/deploy-canary", "{\"version\": \"v7\"}").status()).isEqualTo(404);

		List<String> audited = new ArrayList<>();
		http.get("/admin/events?limit=20")
			.body()
			.get("events")
			.forEach(e -> audited.add(e.get("method").asString() + " " + e.get("action").asString() + " "
					+ e.get("status").asInt() + " " + e.path("detail").asString("")));
		assertThat(audited).anySatisfy(e -> assertThat(e).startsWith("POST models 201 Stored model v7 (SHA-256 "))
			.anySatisfy(e -> assertThat(e).startsWith("DELETE models/v7 409 v7 is the canary"))
			.anySatisfy(e -> assertThat(e).isEqualTo("DELETE models/v7 204 Deleted uploaded model v7."));
	}

	@Test
	void aDifferentModelUnderATakenVersionIsAConflict() {
		assertThat(http.post("/admin/models", TestModelDocuments.valid("v8")).status()).isEqualTo(201);

		Answer other = http.post("/admin/models", TestModelDocuments.withWeights("v8", 1, 1, 1, 1, 1, 1));

		assertThat(other.status()).isEqualTo(409);
		assertThat(other.body().get("type").asString()).isEqualTo("urn:ml-canary:problem:model-version-taken");
		assertThat(other.body().get("detail").asString())
			.startsWith("Version v8 already holds a different uploaded model");
	}

	@Test
	void anInvalidDocumentIsA400NamingTheFieldAndStoresNothing() {
		Answer invalid = http.post("/admin/models",
				TestModelDocuments.valid("v9").replace("\"intercept\": -2.0716", "\"intercept\": \"high\""));

		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.body().get("detail").asString())
			.isEqualTo("Model document field /intercept must be a finite number.");
		assertThat(models.resolve("model_v9.json")).doesNotExist();
	}

	@Test
	void aDocumentOverTheSizeLimitIsA413() {
		String big = TestModelDocuments.valid("v10").replace("\"A test model.\"", "\"" + "x".repeat(70_000) + "\"");

		Answer tooLarge = http.post("/admin/models", big);

		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.body().get("type").asString()).isEqualTo("urn:ml-canary:problem:payload-too-large");
	}

	@Test
	void aModelDirectoryThatCannotBeWrittenIsA503AndStoresNothing() throws Exception {
		// A directory where the temporary file would go: the write fails, even for root
		Files.createDirectory(models.resolve("model_v11.logreg.json.tmp"));

		Answer refused = http.post("/admin/models", TestModelDocuments.valid("v11"));

		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.body().get("type").asString()).isEqualTo(ApiProblem.MODEL_NOT_SAVED.type().toString());
		assertThat(refused.body().get("title").asString()).isEqualTo(ApiProblem.MODEL_NOT_SAVED.title());
		assertThat(refused.body().get("detail").asString()).isEqualTo(ApiProblem.MODEL_NOT_SAVED.detail()
			.replace("v4", "v11")
			.replace("/srv/ml-canary/models", models.toString()));
		assertThat(models.resolve("model_v11.json")).doesNotExist();
		assertThat(http.post("/predict", FEATURES).status()).as("still serving").isEqualTo(200);
	}

	@Test
	void aBundledModelCannotBeDeleted() {
		Answer bundled = http.delete("/admin/models/v2");

		assertThat(bundled.status()).isEqualTo(409);
		assertThat(bundled.body().get("type").asString()).isEqualTo("urn:ml-canary:problem:model-not-deletable");
		assertThat(models.resolve("model_v2.ser")).exists();
	}

	static void assertProblem(Answer answer, ApiProblem problem, String detail) {
		assertThat(answer.status()).isEqualTo(problem.status().value());
		assertThat(answer.body().get("type").asString()).isEqualTo(problem.type().toString());
		assertThat(answer.body().get("title").asString()).isEqualTo(problem.title());
		assertThat(answer.body().get("detail").asString()).isEqualTo(detail);
		assertThat(problem.detail().replace("v4", "v7")).isEqualTo(detail);
	}

}
