package dev.mlcanary.rollout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.mlcanary.shared.Verdict;
import dev.mlcanary.store.FleetHttp;
import dev.mlcanary.store.FleetHttp.Answer;
import dev.mlcanary.store.RolloutLease;
import dev.mlcanary.store.TestPostgres;
import dev.mlcanary.store.TestReplicas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rollout lease of a fleet: two replicas on one PostgreSQL database, each with a
 * scripted analyst. Exactly one drives the rollout; when it stops, the other takes over
 * within {@code canary.fleet.replica-timeout} and continues from the persisted step,
 * never repeating or skipping one; a holder whose lock connection is cut stops driving at
 * once; during an outage nobody drives, and afterwards the rollout resumes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutLeaseTest {

	private static final Duration PUBLISH_INTERVAL = Duration.ofMillis(200);

	private static final Duration REPLICA_TIMEOUT = Duration.ofSeconds(2);

	private static final String ROLLOUT = "{\"version\": \"%s\", \"strategy\": {\"steps\": [10, 25, 50, 100], "
			+ "\"interval\": \"1s\", \"auto_rollback\": true, \"auto_promote\": true}}";

	@TestConfiguration(proxyBeanMethods = false)
	static class Scripted {

		@Bean
		@Primary
		ScriptedAnalyst scriptedAnalyst(HealthCheckAnalyst real) {
			ScriptedAnalyst analyst = new ScriptedAnalyst(real);
			analyst.answer(Verdict.INCONCLUSIVE);
			return analyst;
		}

	}

	/** One replica and what the test reaches into. */
	private record Replica(String id, ConfigurableApplicationContext context, FleetHttp http, ScriptedAnalyst analyst,
			RolloutLease lease) {

		static Replica start(String database, String id) {
			ConfigurableApplicationContext context = TestReplicas.start(List.of(Scripted.class), database, id,
					TestReplicas.stateDir(), "canary.fleet.publish-interval=" + PUBLISH_INTERVAL.toMillis() + "ms",
					"canary.fleet.replica-timeout=" + REPLICA_TIMEOUT.toSeconds() + "s",
					"canary.fleet.database-timeout=1s");
			return new Replica(id, context, new FleetHttp(context), context.getBean(ScriptedAnalyst.class),
					context.getBean(RolloutLease.class));
		}

	}

	private String database;

	private Replica a;

	private Replica b;

	@BeforeAll
	void startTwoReplicas() {
		database = TestPostgres.get().createDatabase();
		a = Replica.start(database, "lease-a");
		b = Replica.start(database, "lease-b");
	}

	@AfterAll
	void stopThem() {
		Stream.of(a, b).filter(r -> r != null).forEach(r -> r.context().close());
	}

	@Test
	@Order(1)
	void exactlyOneReplicaHoldsTheLeaseAndTheFleetViewSaysWhich() {
		Replica leader = awaitOneLeader();
		for (Replica replica : List.of(a, b)) {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				JsonNode fleet = replica.http().get("/admin/fleet").body();
				assertThat(fleet.path("store").asString()).isEqualTo("postgres");
				assertThat(fleet.path("replica_id").asString()).isEqualTo(replica.id());
				List<String> leaders = new ArrayList<>();
				List<String> live = new ArrayList<>();
				fleet.path("replicas").values().forEach(r -> {
					if (r.path("leader").asBoolean()) {
						leaders.add(r.path("replica_id").asString());
					}
					if (r.path("live").asBoolean()) {
						live.add(r.path("replica_id").asString());
					}
				});
				assertThat(leaders).containsExactly(leader.id());
				assertThat(live).containsExactly("lease-a", "lease-b");
			});
		}
	}

	@Test
	@Order(2)
	void whenTheLeaderStopsTheOtherContinuesFromThePersistedStep() {
		Replica leader = awaitOneLeader();
		Replica follower = leader == a ? b : a;
		leader.analyst().reset();
		leader.analyst().answer(Verdict.INCONCLUSIVE);
		leader.analyst().answerOnce(Verdict.PASS);
		follower.analyst().reset();
		follower.analyst().answer(Verdict.PASS);

		assertThat(follower.http().post("/admin/deploy-canary", ROLLOUT.formatted("v2")).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(15)).until(() -> step(leader) == 1 && leader.analyst().calls() >= 2);
		assertThat(follower.analyst().calls()).as("only the holder of the lease analyses").isZero();
		assertThat(step(follower)).as("held at step 2/4 on the leader's INCONCLUSIVE").isEqualTo(1);

		long stopped = System.nanoTime();
		leader.context().close();
		await().atMost(REPLICA_TIMEOUT).until(() -> follower.lease().held());
		assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(REPLICA_TIMEOUT);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> follower.http().get("/admin/status").body().path("stable_version").asString().equals("v2"));

		List<JsonNode> automated = automatedEvents(follower);
		assertThat(automated).extracting(e -> e.path("action").asString() + " " + e.path("outcome").asString() + " "
				+ e.path("replica_id").asString() + ": " + e.path("detail").asString().replaceAll("\\. Scripted.*", ""))
			.as("each step exactly once, the first by the old leader, the rest by the new one")
			.containsExactly("rollout-step success " + leader.id() + ": step 1/4 (10%) passed: weight 0.10 -> 0.25",
					"rollout-step success " + follower.id() + ": step 2/4 (25%) passed: weight 0.25 -> 0.50",
					"promote-canary success " + follower.id()
							+ ": step 3/4 (50%) passed, the last one analysed: promoted v2 to stable (a 100% step "
							+ "is never analysed: stable would have no traffic to compare with)");

		Replica restarted = Replica.start(database, leader.id());
		if (leader == a) {
			a = restarted;
		}
		else {
			b = restarted;
		}
		assertThat(awaitOneLeader()).as("the lease stays where it is").isSameAs(follower);
	}

	@Test
	@Order(3)
	void aHolderWhoseLockConnectionIsCutStopsDrivingAtOnce() throws SQLException {
		Replica leader = awaitOneLeader();
		int killed = leaseBackend();
		terminate(killed);
		await().atMost(PUBLISH_INTERVAL.multipliedBy(3))
			.until(() -> !leader.lease().held() || leaseBackend() != killed);
		assertThat(awaitOneLeader()).isNotNull();
		assertThat(leaseBackend()).as("the lease is held by a new session").isNotEqualTo(killed);
	}

	@Test
	@Order(4)
	void duringAnOutageNobodyDrivesAndAfterwardsTheRolloutResumes() {
		Replica leader = awaitOneLeader();
		Stream.of(a, b).forEach(r -> {
			r.analyst().reset();
			r.analyst().answer(Verdict.INCONCLUSIVE);
		});
		assertThat(leader.http().post("/admin/deploy-canary", ROLLOUT.formatted("v3")).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> leader.analyst().calls() >= 1);

		TestPostgres.get().stop();
		try {
			await().atMost(PUBLISH_INTERVAL.multipliedBy(3).plusSeconds(1))
				.until(() -> !a.lease().held() && !b.lease().held());
			int frozenA = a.analyst().calls();
			int frozenB = b.analyst().calls();
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(3))
				.until(() -> a.analyst().calls() == frozenA && b.analyst().calls() == frozenB && !a.lease().held()
						&& !b.lease().held());
		}
		finally {
			TestPostgres.get().restart();
		}
		Replica next = awaitOneLeader();
		int before = next.analyst().calls();
		await().atMost(Duration.ofSeconds(15)).until(() -> next.analyst().calls() > before);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> next.http().post("/admin/rollback-canary", null).status() == 200);
	}

	/** Waits until exactly one replica holds the lease, and answers which. */
	private Replica awaitOneLeader() {
		await().atMost(Duration.ofSeconds(30)).until(() -> a.lease().held() != b.lease().held());
		return a.lease().held() ? a : b;
	}

	private static int step(Replica replica) {
		return replica.http().get("/admin/status").body().path("rollout").path("step_index").asInt(-1);
	}

	private static List<JsonNode> automatedEvents(Replica replica) {
		Answer events = replica.http().get("/admin/events?limit=100");
		assertThat(events.status()).isEqualTo(200);
		List<JsonNode> automated = new ArrayList<>(events.body()
			.path("events")
			.values()
			.stream()
			.filter(e -> e.path("actor").asString().equals(RolloutScheduler.ACTOR))
			.toList());
		java.util.Collections.reverse(automated);
		return automated;
	}

	private int leaseBackend() throws SQLException {
		try (Connection c = connect();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT backend_pid FROM rollout_lease")) {
			return rs.next() ? rs.getInt(1) : -1;
		}
	}

	private void terminate(int backend) throws SQLException {
		try (Connection c = connect(); Statement s = c.createStatement()) {
			s.execute("SELECT pg_terminate_backend(" + backend + ")");
		}
	}

	private Connection connect() throws SQLException {
		return DriverManager.getConnection(TestPostgres.get().jdbcUrl(database), TestPostgres.USER,
				TestPostgres.PASSWORD);
	}

}
