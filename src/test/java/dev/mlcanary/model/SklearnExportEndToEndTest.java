package dev.mlcanary.model;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mlcanary.Application;
import dev.mlcanary.TestTokens;
import dev.mlcanary.model.SklearnPython.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From a joblib file to a canary: a model directory holding the bundled models and one
 * exported by {@code scripts/export-sklearn.py}; the whole application started on it; the
 * exported version deployed as the canary through the API; and {@code /predict}, sent to
 * the canary, answers scikit-learn's probability within 1e-9 under that version. The
 * application is started by hand (as {@code TestReplicas} does), after the export, since
 * the model directory must exist before the context does.
 */
class SklearnExportEndToEndTest {

	private static final Logger log = LoggerFactory.getLogger(SklearnExportEndToEndTest.class);

	private static final String VERSION = "sk-pipeline-1";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path models;

	@TempDir
	Path state;

	private ConfigurableApplicationContext app;

	@AfterEach
	void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void anExportedModelServesAsTheCanaryWithScikitLearnsProbabilities() throws Exception {
		try (Stream<Path> bundled = Files.list(Path.of("models"))) {
			for (Path file : bundled.toList()) {
				Files.copy(file, models.resolve(file.getFileName()));
			}
		}
		Run export = SklearnPython.export(SklearnPython.model("pipeline"), "--version", VERSION, "--out",
				models.toString());
		assertThat(export.exitCode()).as(export.stderr()).isZero();
		app = new SpringApplicationBuilder(Application.class).run("--server.port=0",
				"--canary.model-dir=" + models.toAbsolutePath(), "--canary.state-dir=" + state.toAbsolutePath(),
				"--canary.admin.token=" + TestTokens.OPERATOR, "--canary.admin.read-token=" + TestTokens.READER,
				"--spring.main.banner-mode=off");

		HttpResponse<String> deployed = post("/admin/deploy-canary", "{\"version\": \"" + VERSION + "\"}", false);
		assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);

		JsonNode expected = SklearnPython.readJson(SklearnPython.fixtures().resolve("expected.json"));
		JsonNode inputs = expected.path("inputs");
		JsonNode probabilities = expected.path("probabilities").path("pipeline");
		double maxDifference = 0;
		for (int i = 0; i < inputs.size(); i++) {
			double[] x = SklearnExportParityTest.features(inputs.get(i));
			String body = Arrays.stream(x)
				.mapToObj(Double::toString)
				.collect(Collectors.joining(", ", "{\"features\": [", "]}"));
			HttpResponse<String> predicted = post("/predict", body, true);
			assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
			JsonNode answer = json.readTree(predicted.body());
			assertThat(answer.path("model_used").asString()).isEqualTo("canary");
			assertThat(answer.path("model_version").asString()).isEqualTo(VERSION);
			maxDifference = Math.max(maxDifference,
					Math.abs(answer.path("churn_probability").asDouble() - probabilities.get(i).asDouble()));
		}
		log.info("/predict on the exported canary: max |service - scikit-learn| over {} inputs = {}", inputs.size(),
				maxDifference);
		assertThat(maxDifference).as("max |churn_probability - predict_proba[:, 1]| over %d requests", inputs.size())
			.isLessThanOrEqualTo(SklearnExportParityTest.TOLERANCE);
	}

	private HttpResponse<String> post(String path, String body, boolean toTheCanary)
			throws IOException, InterruptedException {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (toTheCanary) {
			request.header("X-Canary-Route", "canary");
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
