package dev.mlcanary.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mlcanary.Application;
import dev.mlcanary.TestTokens;
import dev.mlcanary.store.FleetHttp;
import dev.mlcanary.store.FleetHttp.Answer;
import dev.mlcanary.store.TestPostgres;
import dev.mlcanary.store.TestReplicas;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kill -9 of a replica in postgres mode loses no acknowledged change. A whole service
 * runs in a child JVM on a test database; this test toggles the slowdown on it one call
 * after another and kills it with SIGKILL after a seeded-random number of acknowledged
 * (200) changes, while the next call is in flight or between two calls. A replica started
 * afterwards on the same database must serve the last acknowledged generation, or the one
 * after it (that change committed, but its answer never arrived), with the slowdown that
 * generation implies, and the audit trail must hold one event per committed change: a 2xx
 * means committed, and the change and its audit event are one transaction.
 */
class PostgresCrashTest {

	private static final int KILLS = 3;

	@Test
	void aKilledReplicaLosesNoAcknowledgedChange() throws Exception {
		String database = TestPostgres.get().createDatabase();
		SplittableRandom random = new SplittableRandom(20261202);
		long committed = -1;
		long first = -1;
		for (int kill = 0; kill < KILLS; kill++) {
			int acksBeforeKill = 3 + random.nextInt(12);
			long[] run = runAndKill(database, acksBeforeKill);
			if (kill == 0) {
				first = run[0];
			}
			long acknowledged = run[1];
			assertThat(acknowledged).as("acknowledged before the kill").isGreaterThanOrEqualTo(committed);
			ConfigurableApplicationContext after = TestReplicas.start(database, "replica-after",
					TestReplicas.stateDir());
			try {
				FleetHttp http = new FleetHttp(after);
				JsonNode status = http.get("/admin/status").body();
				long generation = status.path("generation").asLong();
				assertThat(generation).as("kill %d: the last acknowledged change or the one in flight", kill)
					.isBetween(acknowledged, acknowledged + 1);
				// Each toggle flips the slowdown, which was off at the first generation.
				assertThat(status.path("simulate_slowdown").asBoolean()).isEqualTo((generation - first) % 2 == 1);
				JsonNode events = http.get("/admin/events?limit=10000").body().path("events");
				long toggles = 0;
				for (JsonNode event : events) {
					if ("toggle-slowdown".equals(event.path("action").asString())
							&& "success".equals(event.path("outcome").asString())) {
						toggles++;
					}
				}
				assertThat(toggles).as("one audit event per committed change").isEqualTo(generation - first);
				committed = generation;
			}
			finally {
				after.close();
			}
		}
	}

	/**
	 * Starts the service in a child JVM, toggles until {@code acks} changes are
	 * acknowledged, kills it with SIGKILL with the next change (or none) in flight.
	 * @return the generation it started at, and the highest generation it acknowledged
	 */
	private static long[] runAndKill(String database, int acks) throws Exception {
		int port = freePort();
		Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "test-state")), "crash-", ".log");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
				"-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
				Application.class.getName(), "--canary.store=postgres",
				"--spring.datasource.url=" + TestPostgres.get().jdbcUrl(database),
				"--spring.datasource.username=" + TestPostgres.USER,
				"--spring.datasource.password=" + TestPostgres.PASSWORD, "--canary.fleet.replica-id=replica-killed",
				"--canary.state-dir=" + TestReplicas.stateDir(), "--server.address=127.0.0.1", "--server.port=" + port,
				"--canary.admin.token=" + TestTokens.OPERATOR, "--canary.admin.read-token=" + TestTokens.READER,
				"--spring.main.banner-mode=off", "--logging.level.root=WARN"));
		Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		FleetHttp http = new FleetHttp(port);
		AtomicLong acknowledged = new AtomicLong(-1);
		try {
			await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
				assertThat(child.isAlive()).as("the child runs; its log: %s", log).isTrue();
				return http.get("/admin/status").status() == 200;
			});
			acknowledged.set(http.get("/admin/status").body().path("generation").asLong());
			Thread toggler = new Thread(() -> {
				try {
					while (true) {
						Answer answer = http.post("/admin/toggle-slowdown", null);
						if (answer.status() != 200) {
							return;
						}
						acknowledged.accumulateAndGet(answer.body().path("generation").asLong(), Math::max);
					}
				}
				catch (UncheckedIOException ex) {
					// the child is gone
				}
			}, "toggler");
			long start = acknowledged.get();
			toggler.start();
			await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() >= start + acks);
			child.toHandle().destroyForcibly();
			assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).as("died of SIGKILL").isEqualTo(137);
			toggler.join(TimeUnit.SECONDS.toMillis(60));
			assertThat(toggler.isAlive()).isFalse();
			return new long[] { start, acknowledged.get() };
		}
		finally {
			child.destroyForcibly();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
