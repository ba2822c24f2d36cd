package dev.mlcanary.analysis;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * Pooled analysis on a real PostgreSQL: two replicas in this JVM each serve their share
 * of the traffic, and a check on either judges the sum of both, saying who gave what; a
 * replica not heard from within {@code canary.fleet.replica-timeout} is left out; during
 * an outage the check answers 503 and the rollout takes no step, and both resume when the
 * database is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PooledAnalysisTest {

	private static final int PER_REPLICA = 60;

	private String database;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	private FleetHttp httpA;

	private FleetHttp httpB;

	@BeforeAll
	void startTwoReplicas() {
		TestPostgres.assumeInstalled();
		database = TestPostgres.get().createDatabase();
		String[] properties = { "canary.fleet.database-timeout=2s", "canary.fleet.publish-interval=200ms" };
		a = TestReplicas.start(database, "replica-a", TestReplicas.stateDir(), properties);
		b = TestReplicas.start(database, "replica-b", TestReplicas.stateDir(), properties);
		httpA = new FleetHttp(a);
		httpB = new FleetHttp(b);
	}

	@AfterAll
	void stopThem() {
		if (a != null) {
			a.close();
		}
		if (b != null) {
			b.close();
		}
	}

	@BeforeEach
	void noCanary() {
		if (!httpA.get("/admin/status").body().path("canary_version").isNull()) {
			assertThat(httpA.post("/admin/rollback-canary", null).status()).isEqualTo(200);
		}
		awaitSameGeneration();
	}

	@Test
	@Order(1)
	void aCheckOnEitherReplicaJudgesTheSumOfBothAndSaysWhoGaveWhat() throws SQLException {
		assertThat(httpA.post("/admin/deploy-canary", "{\"version\": \"v2\", \"weight\": 0.5}").status())
			.isEqualTo(200);
		awaitSameGeneration();
		for (int i = 0; i < PER_REPLICA; i++) {
			assertThat(httpA.post("/predict", TestRequests.PREDICT_BODY).status()).isEqualTo(200);
			assertThat(httpB.post("/predict", TestRequests.PREDICT_BODY).status()).isEqualTo(200);
		}
		// Each replica's own share comes from its memory, exact at once.
		JsonNode ownA = replicas(httpA.get("/admin/latency").body()).get("replica-a");
		JsonNode ownB = replicas(httpB.get("/admin/latency").body()).get("replica-b");
		for (JsonNode own : List.of(ownA, ownB)) {
			assertThat(own.path("stable_sample_count").asInt() + own.path("canary_sample_count").asInt())
				.isEqualTo(PER_REPLICA);
		}
		int stable = ownA.path("stable_sample_count").asInt() + ownB.path("stable_sample_count").asInt();
		int canary = ownA.path("canary_sample_count").asInt() + ownB.path("canary_sample_count").asInt();

		for (FleetHttp replica : List.of(httpA, httpB)) {
			// The other's share arrives with its next publish.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(replicas(replica.get("/admin/latency").body()))
					.isEqualTo(Map.of("replica-a", ownA, "replica-b", ownB)));
			JsonNode latency = replica.get("/admin/latency").body();
			assertThat(latency.at("/stable/sample_count").asInt()).isEqualTo(stable);
			assertThat(latency.at("/canary/sample_count").asInt()).isEqualTo(canary);
			assertThat(latency.at("/stable/request_count").asLong()).isEqualTo(stable);
			assertThat(latency.at("/canary/request_count").asLong()).isEqualTo(canary);
			assertThat(replicas(latency)).containsEntry("replica-a", ownA).containsEntry("replica-b", ownB);

			Answer check = replica.get("/admin/check-canary-health");
			assertThat(check.status()).isEqualTo(200);
			JsonNode report = check.body();
			assertThat(report.path("stable_sample_count").asInt()).isEqualTo(stable);
			assertThat(report.path("canary_sample_count").asInt()).isEqualTo(canary);
			assertThat(report.at("/judges/welch/stable_samples").asInt()).isEqualTo(stable);
			assertThat(report.at("/judges/errors/stable_requests").asLong()).isEqualTo(stable);
			assertThat(report.at("/judges/errors/canary_requests").asLong())
				.as("routed plus shadow-scored, as in one process")
				.isEqualTo(canary + stable);
			assertThat(report.at("/judges/agreement/pairs").asLong()).as("every stable request shadow-scored")
				.isEqualTo(stable);
			assertThat(replicas(report)).containsEntry("replica-a", ownA).containsEntry("replica-b", ownB);
		}
		assertThat(publishedSamples()).as("replica, role: samples in the published row")
			.containsEntry("replica-a stable", ownA.path("stable_sample_count").asInt())
			.containsEntry("replica-a canary", ownA.path("canary_sample_count").asInt())
			.containsEntry("replica-b stable", ownB.path("stable_sample_count").asInt())
			.containsEntry("replica-b canary", ownB.path("canary_sample_count").asInt());
	}

	@Test
	@Order(2)
	void aReplicaNotHeardFromWithinTheTimeoutIsLeftOut() throws SQLException {
		assertThat(httpA.post("/admin/deploy-canary", "{\"version\": \"v2\", \"weight\": 0.5}").status())
			.isEqualTo(200);
		awaitSameGeneration();
		long generation = httpA.get("/admin/status").body().path("generation").asLong();
		// A third replica as the table shows it: published 3 stable and 2 canary samples
		// of
		// this generation, last heard of an hour ago (the default timeout is 10 s).
		sql("INSERT INTO replica_heartbeat VALUES ('replica-z', now() - interval '2 hours', "
				+ "now() - interval '1 hour', " + generation + ", '{v1,v2}')");
		sql("INSERT INTO latency_window (replica_id, role, generation, version, published_at, recorded_count, "
				+ "error_count, latency_nanos) VALUES ('replica-z', 'stable', " + generation + ", 'v1', now(), 3, 0, "
				+ "'{1000000,2000000,3000000}'), ('replica-z', 'canary', " + generation
				+ ", 'v2', now(), 2, 0, '{1000000,2000000}')");
		try {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(replicas(httpA.get("/admin/check-canary-health").body()))
					.containsOnlyKeys("replica-a", "replica-b"));

			sql("UPDATE replica_heartbeat SET last_seen = now() WHERE replica_id = 'replica-z'");
			JsonNode report = httpA.get("/admin/check-canary-health").body();
			assertThat(replicas(report)).containsOnlyKeys("replica-a", "replica-b", "replica-z");
			assertThat(replicas(report).get("replica-z").path("stable_sample_count").asInt()).isEqualTo(3);
			assertThat(replicas(report).get("replica-z").path("canary_sample_count").asInt()).isEqualTo(2);
			int stable = 0;
			for (JsonNode r : replicas(report).values()) {
				stable += r.path("stable_sample_count").asInt();
			}
			assertThat(report.path("stable_sample_count").asInt()).isEqualTo(stable);
		}
		finally {
			sql("DELETE FROM latency_window WHERE replica_id = 'replica-z'");
			sql("DELETE FROM replica_heartbeat WHERE replica_id = 'replica-z'");
		}
	}

	@Test
	@Order(3)
	void duringAnOutageTheCheckAnswers503AndTheRolloutTakesNoStep() {
		Answer deployed = httpA.post("/admin/deploy-canary",
				"{\"version\": \"v2\", \"strategy\": {\"steps\": [50, 100], \"interval\": \"1s\"}}");
		assertThat(deployed.status()).isEqualTo(200);
		long generation = deployed.body().path("generation").asLong();
		awaitSameGeneration();
		// Without traffic every analysis is INCONCLUSIVE: the rollout holds at step 1.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> List.of(httpA, httpB)
				.stream()
				.anyMatch(replica -> "INCONCLUSIVE".equals(rollout(replica).path("last_verdict").asString())));

		TestPostgres.get().stop();
		try {
			for (String path : List.of("/admin/check-canary-health", "/admin/latency")) {
				Answer refused = httpA.get(path);
				assertThat(refused.status()).as(path).isEqualTo(503);
				assertThat(refused.body().path("type").asString()).isEqualTo(StoreUnavailableException.TYPE.toString());
				assertThat(ApiProblem.withExampleCause(refused.body().path("detail").asString())).as(path)
					.isEqualTo(ApiProblem.SAMPLES_NOT_POOLED.detail());
			}
			// Nobody can confirm the rollout lease now, so no replica analyses or acts
			// (that a
			// replica which still analysed would find no pooled samples to judge is
			// RolloutSchedulerTest's); below: no step was taken and nothing was recorded.
			for (FleetHttp replica : List.of(httpA, httpB)) {
				assertThat(replica.post("/predict", TestRequests.PREDICT_BODY).status()).isEqualTo(200);
			}
		}
		finally {
			TestPostgres.get().restart();
		}
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> httpA.get("/admin/check-canary-health").status() == 200);
		// The rollout's driver (whichever replica holds the lease) analyses again.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> List.of(httpA, httpB)
				.stream()
				.anyMatch(replica -> "INCONCLUSIVE".equals(rollout(replica).path("last_verdict").asString())));
		for (FleetHttp replica : List.of(httpA, httpB)) {
			JsonNode status = replica.get("/admin/status").body();
			assertThat(status.path("generation").asLong()).as("no step was taken").isEqualTo(generation);
			assertThat(status.at("/rollout/step_index").asInt()).isZero();
		}
		JsonNode events = httpA.get("/admin/events?limit=50").body().path("events");
		List<String> automated = new ArrayList<>();
		events.forEach(e -> {
			if ("rollout".equals(e.path("actor").asString())) {
				automated.add(e.path("action").asString());
			}
		});
		assertThat(automated).as("no automated action at all").isEmpty();
	}

	private static JsonNode rollout(FleetHttp replica) {
		return replica.get("/admin/status").body().path("rollout");
	}

	/** The {@code replicas} array of an answer, by replica id. */
	private static Map<String, JsonNode> replicas(JsonNode answer) {
		Map<String, JsonNode> byId = new LinkedHashMap<>();
		answer.path("replicas").forEach(r -> byId.put(r.path("replica_id").asString(), r));
		return byId;
	}

	private Map<String, Integer> publishedSamples() throws SQLException {
		Map<String, Integer> rows = new LinkedHashMap<>();
		try (Connection c = connect(); Statement s = c.createStatement()) {
			ResultSet rs = s
				.executeQuery("SELECT replica_id, role, cardinality(latency_nanos) FROM latency_window ORDER BY 1, 2");
			while (rs.next()) {
				rows.put(rs.getString(1) + " " + rs.getString(2), rs.getInt(3));
			}
		}
		return rows;
	}

	private void sql(String statement) throws SQLException {
		try (Connection c = connect(); Statement s = c.createStatement()) {
			s.execute(statement);
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(TestPostgres.get().jdbcUrl(database), TestPostgres.USER,
				TestPostgres.PASSWORD);
	}

	private void awaitSameGeneration() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> httpA.get("/admin/status").body().path("generation").asLong() == httpB.get("/admin/status")
				.body()
				.path("generation")
				.asLong());
	}

}
