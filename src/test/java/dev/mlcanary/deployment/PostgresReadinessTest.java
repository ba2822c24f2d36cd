package dev.mlcanary.deployment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import dev.mlcanary.ExpectedLog;
import dev.mlcanary.TestRequests;
import dev.mlcanary.store.FleetHttp;
import dev.mlcanary.store.TestPostgres;
import dev.mlcanary.store.TestReplicas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica that cannot load the model the shared deployment names keeps serving what it
 * has, says why in {@code /admin/fleet} and its log, and turns its readiness probe DOWN;
 * once the model is there it is ready again by itself. The replicas start before each
 * test (here: the one), because starting an application resets the logging that
 * {@link ExpectedLog} hooks into.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresReadinessTest {

	@RegisterExtension
	final ExpectedLog log = ExpectedLog.of(PostgresDeploymentService.class);

	private final HttpClient http = HttpClient.newHttpClient();

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	/** The model directory of replica b: the bundled models without v2. */
	private Path models;

	@BeforeAll
	void startTwoReplicas() throws IOException {
		String database = TestPostgres.get().createDatabase();
		models = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-state")), "models-");
		try (Stream<Path> bundled = Files.list(Path.of("models"))) {
			for (Path file : bundled.filter(f -> !f.getFileName().toString().startsWith("model_v2")).toList()) {
				Files.copy(file, models.resolve(file.getFileName()));
			}
		}
		String[] fast = { "canary.fleet.publish-interval=200ms", "canary.fleet.replica-timeout=2s" };
		a = TestReplicas.start(database, "ready-a", TestReplicas.stateDir(), fast);
		b = TestReplicas.start(database, "ready-b", TestReplicas.stateDir(),
				Stream.concat(Stream.of(fast), Stream.of("canary.model-dir=" + models.toAbsolutePath()))
					.toArray(String[]::new));
	}

	@AfterAll
	void stop() {
		Stream.of(a, b).filter(c -> c != null).forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void aReplicaMissingTheSharedModelRefusesTrafficUntilItLoads() throws Exception {
		FleetHttp httpA = new FleetHttp(a);
		FleetHttp httpB = new FleetHttp(b);
		assertThat(readiness(b)).isEqualTo(200);

		FleetHttp.Answer deployed = httpA.post("/admin/deploy-canary", "{\"version\": \"v2\", \"weight\": 0.5}");
		assertThat(deployed.status()).isEqualTo(200);
		long generation = deployed.body().path("generation").asLong();

		await().atMost(Duration.ofSeconds(10)).until(() -> readiness(b) == 503);
		assertThat(readiness(a)).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode replicaB = replica(httpA.get("/admin/fleet").body(), "ready-b");
			assertThat(replicaB.path("ready").asBoolean()).isFalse();
			assertThat(replicaB.path("problem").asString()).startsWith("Cannot serve generation " + generation)
				.contains("v2");
			assertThat(replicaB.path("generation").asLong()).isEqualTo(generation - 1);
			assertThat(replicaB.path("models").values()).extracting(JsonNode::asString).containsExactly("v1");
			JsonNode replicaA = replica(httpB.get("/admin/fleet").body(), "ready-a");
			assertThat(replicaA.path("ready").asBoolean()).isTrue();
			assertThat(replicaA.path("problem").isNull()).isTrue();
		});
		for (int i = 0; i < 10; i++) {
			FleetHttp.Answer predicted = httpB.post("/predict", TestRequests.PREDICT_BODY);
			assertThat(predicted.status()).isEqualTo(200);
			assertThat(predicted.body().path("model_version").asString()).as("what it has").isEqualTo("v1");
		}
		assertThat(log.messages(Level.ERROR)).singleElement()
			.asString()
			.startsWith("Cannot serve generation " + generation + " of the PostgreSQL store");

		for (String file : List.of("model_v2.json", "model_v2.ser")) {
			Files.copy(Path.of("models", file), models.resolve(file), StandardCopyOption.REPLACE_EXISTING);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> readiness(b) == 200);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode replicaB = replica(httpB.get("/admin/fleet").body(), "ready-b");
			assertThat(replicaB.path("ready").asBoolean()).isTrue();
			assertThat(replicaB.path("problem").isNull()).isTrue();
			assertThat(replicaB.path("generation").asLong()).isEqualTo(generation);
		});
		assertThat(httpB.get("/admin/status").body().path("canary_version").asString()).isEqualTo("v2");
	}

	private static JsonNode replica(JsonNode fleet, String id) {
		return fleet.path("replicas")
			.values()
			.stream()
			.filter(r -> r.path("replica_id").asString().equals(id))
			.findFirst()
			.orElseThrow(() -> new AssertionError(id + " not in " + fleet));
	}

	private int readiness(ConfigurableApplicationContext replica) throws IOException, InterruptedException {
		return http
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + TestReplicas.port(replica) + "/actuator/health/readiness"))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
