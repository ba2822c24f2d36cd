package dev.mlcanary.deployment;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mlcanary.TestRequests;
import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.store.FleetHttp;
import dev.mlcanary.store.FleetHttp.Answer;
import dev.mlcanary.store.StoreUnavailableException;
import dev.mlcanary.store.TestPostgres;
import dev.mlcanary.store.TestReplicas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of a fleet (two whole applications in this JVM, on one PostgreSQL
 * database) behave as one service: a change on either is served by both, two racing
 * changes cannot both win, the audit trail is one, an outage refuses changes but no
 * prediction, and a restart of the whole fleet comes back to the same deployment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresFleetTest {

	/** canary.fleet.database-timeout of these replicas. */
	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private String database;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	private FleetHttp httpA;

	private FleetHttp httpB;

	@BeforeAll
	void startTwoReplicas() {
		database = TestPostgres.get().createDatabase();
		startFleet();
	}

	@AfterAll
	void stopThem() {
		closeFleet();
	}

	@BeforeEach
	void noCanary() {
		if (generationOf(httpA.get("/admin/status")) != generationOf(httpB.get("/admin/status"))) {
			awaitSameGeneration();
		}
		if (!httpA.get("/admin/status").body().path("canary_version").isNull()) {
			assertThat(httpA.post("/admin/rollback-canary", null).status()).isEqualTo(200);
		}
		awaitSameGeneration();
	}

	@Test
	@Order(1)
	void aDeployOnOneReplicaIsServedByTheOther() {
		Answer deployed = httpA.post("/admin/deploy-canary", "{\"version\": \"v2\", \"weight\": 0.5}");
		assertThat(deployed.status()).isEqualTo(200);
		long generation = deployed.body().path("generation").asLong();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode status = httpB.get("/admin/status").body();
			assertThat(status.path("generation").asLong()).isEqualTo(generation);
			assertThat(status.path("canary_version").asString()).isEqualTo("v2");
			assertThat(status.path("canary_weight").asDouble()).isEqualTo(0.5);
		});
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(heartbeats()).as("replica, applied generation, loaded models")
				.containsExactlyInAnyOrder("replica-a " + generation + " {v1,v2}",
						"replica-b " + generation + " {v1,v2}"));
		assertThat(httpB.post("/admin/promote-canary", null).status()).as("b changes what a deployed").isEqualTo(200);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(httpA.get("/admin/status").body().path("stable_version").asString())
				.isEqualTo("v2"));
		assertThat(httpA.post("/admin/deploy-canary", "{\"version\": \"v1\"}").status()).isEqualTo(200);
		assertThat(httpA.post("/admin/promote-canary", null).status()).as("back to v1 for the next tests")
			.isEqualTo(200);
	}

	@Test
	@Order(2)
	void ofTwoChangesRacingFromOneGenerationOnTwoReplicasExactlyOneWins() throws Exception {
		ExecutorService racers = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 5; round++) {
				awaitSameGeneration();
				long generation = generationOf(httpA.get("/admin/status"));
				CountDownLatch go = new CountDownLatch(1);
				String path = "/admin/toggle-slowdown?expected_generation=" + generation;
				Future<Answer> onA = racers.submit(() -> {
					go.await();
					return httpA.post(path, null);
				});
				Future<Answer> onB = racers.submit(() -> {
					go.await();
					return httpB.post(path, null);
				});
				go.countDown();
				List<Answer> answers = List.of(onA.get(), onB.get());
				assertThat(answers).extracting(Answer::status).containsExactlyInAnyOrder(200, 409);
				Answer refused = answers.stream().filter(x -> x.status() == 409).findFirst().orElseThrow();
				assertThat(refused.body().path("type").asString())
					.isEqualTo(DeploymentConflictException.TYPE.toString());
				assertThat(refused.body().path("detail").asString())
					.contains("generation is now " + (generation + 1) + ", the request expected " + generation);
			}
		}
		finally {
			racers.shutdownNow();
		}
		awaitSameGeneration();
	}

	@Test
	@Order(3)
	void theEventsOfBothReplicasAreOneTrailInOneOrderWithTheirReplicaIds() {
		assertThat(httpA.post("/admin/toggle-slowdown", null).status()).isEqualTo(200);
		awaitSameGeneration();
		assertThat(httpB.post("/admin/toggle-slowdown", null).status()).isEqualTo(200);
		assertThat(httpB.post("/admin/promote-canary", null).status()).as("refused: no canary").isEqualTo(409);

		for (FleetHttp replica : List.of(httpA, httpB)) {
			JsonNode events = replica.get("/admin/events?limit=3").body().path("events");
			assertThat(events).hasSize(3);
			assertThat(events.get(0).path("action").asString()).isEqualTo("promote-canary");
			assertThat(events.get(0).path("outcome").asString()).isEqualTo("refused");
			assertThat(events.get(0).path("replica_id").asString()).isEqualTo("replica-b");
			assertThat(events.get(1).path("action").asString()).isEqualTo("toggle-slowdown");
			assertThat(events.get(1).path("replica_id").asString()).isEqualTo("replica-b");
			assertThat(events.get(1).path("actor").asString()).isEqualTo("operator-token");
			assertThat(events.get(2).path("action").asString()).isEqualTo("toggle-slowdown");
			assertThat(events.get(2).path("replica_id").asString()).isEqualTo("replica-a");
			assertThat(events.get(1).path("generation").asLong())
				.isEqualTo(events.get(2).path("generation").asLong() + 1);
		}
	}

	@Test
	@Order(4)
	void duringAnOutageChangesAnswer503InBoundedTimeAndPredictionsGoOn() {
		long generation = generationOf(httpA.get("/admin/status"));
		TestPostgres.get().stop();
		try {
			long start = System.nanoTime();
			Answer refused = httpA.post("/admin/toggle-slowdown", null);
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.body().path("type").asString()).isEqualTo(StoreUnavailableException.TYPE.toString());
			assertThat(refused.body().path("detail").asString()).startsWith("The change was not applied")
				// the cause as the driver saw it: a pooled connection the stopping server
				// cut,
				// or the refused attempt to open a new one
				.containsAnyOf("Connection to 127.0.0.1:" + TestPostgres.get().port() + " refused",
						"terminating connection due to administrator command");
			// Not a speed target (those are in the benchmarks): only that the change does
			// not hang on
			// the dead database; canary.fleet.database-timeout bounds it (docs/fleet.md).
			assertThat(refused.body().path("title").asString()).isEqualTo(ApiProblem.STORE_UNAVAILABLE.title());
			assertThat(ApiProblem.withExampleCause(refused.body().path("detail").asString()))
				.as("as the API docs show it")
				.isEqualTo(ApiProblem.STORE_UNAVAILABLE.detail());
			assertThat(took).as("answered, not hung").isLessThan(TIMEOUT.multipliedBy(10));
			for (FleetHttp replica : List.of(httpA, httpB)) {
				for (int i = 0; i < 20; i++) {
					assertThat(replica.post("/predict", TestRequests.PREDICT_BODY).status()).isEqualTo(200);
				}
			}
			assertThat(generationOf(httpA.get("/admin/status"))).as("nothing changed").isEqualTo(generation);
			Answer events = httpB.get("/admin/events");
			assertThat(events.status()).isEqualTo(503);
			assertThat(ApiProblem.withExampleCause(events.body().path("detail").asString()))
				.isEqualTo(ApiProblem.EVENTS_UNAVAILABLE.detail());
		}
		finally {
			TestPostgres.get().restart();
		}
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> httpA.post("/admin/toggle-slowdown", null).status() == 200);
		awaitSameGeneration();
		assertThat(generationOf(httpB.get("/admin/status"))).isEqualTo(generation + 1);
	}

	@Test
	@Order(5)
	void restartingTheWholeFleetRestoresTheDeployment() {
		Answer deployed = httpB.post("/admin/deploy-canary", "{\"version\": \"v3\", \"weight\": 0.2}");
		assertThat(deployed.status()).isEqualTo(200);
		long generation = deployed.body().path("generation").asLong();
		closeFleet();

		startFleet();
		for (FleetHttp replica : List.of(httpA, httpB)) {
			JsonNode status = replica.get("/admin/status").body();
			assertThat(status.path("generation").asLong()).isEqualTo(generation);
			assertThat(status.path("canary_version").asString()).isEqualTo("v3");
			assertThat(status.path("canary_weight").asDouble()).isEqualTo(0.2);
		}
	}

	private void startFleet() {
		List<String> properties = new ArrayList<>(List.of("canary.fleet.database-timeout=" + TIMEOUT.toSeconds() + "s",
				"canary.fleet.publish-interval=500ms"));
		a = TestReplicas.start(database, "replica-a", TestReplicas.stateDir(), properties.toArray(String[]::new));
		b = TestReplicas.start(database, "replica-b", TestReplicas.stateDir(), properties.toArray(String[]::new));
		httpA = new FleetHttp(a);
		httpB = new FleetHttp(b);
	}

	private void closeFleet() {
		if (a != null) {
			a.close();
		}
		if (b != null) {
			b.close();
		}
	}

	private void awaitSameGeneration() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> generationOf(httpA.get("/admin/status")) == generationOf(httpB.get("/admin/status")));
	}

	private List<String> heartbeats() throws SQLException {
		List<String> rows = new ArrayList<>();
		try (Connection c = DriverManager.getConnection(TestPostgres.get().jdbcUrl(database), TestPostgres.USER,
				TestPostgres.PASSWORD); Statement s = c.createStatement()) {
			ResultSet rs = s.executeQuery("SELECT replica_id, applied_generation, loaded_models FROM replica_heartbeat "
					+ "WHERE last_seen > now() - interval '10 seconds'");
			while (rs.next()) {
				rows.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getString(3));
			}
		}
		return rows;
	}

	private static long generationOf(Answer status) {
		return status.body().path("generation").asLong();
	}

}
