package dev.mlcanary.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * How a replica starts on PostgreSQL: a database that refuses it stops the start with one
 * line, a first start imports the local deployment, and replicas starting together on an
 * empty database all come up on one deployment.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresStartupTest {

	@BeforeAll
	static void postgres() {
		TestPostgres.get();
	}

	@Test
	void aWrongPasswordStopsTheStartWithOneLineNamingTheUrlButNotThePassword() {
		String database = TestPostgres.get().createDatabase();
		String report = refusedStart(database, "wrong-password", "spring.datasource.password=not-the-password-1234");
		assertThat(report).contains("The PostgreSQL store at " + TestPostgres.get().jdbcUrl(database)
				+ " (canary.store=postgres) cannot be used: FATAL: password authentication failed for user \"postgres\".")
			.doesNotContain("not-the-password-1234");
	}

	@Test
	void aMissingDatabaseStopsTheStartWithOneLine() {
		String report = refusedStart("no_such_database", "no-database");
		assertThat(report).contains("The PostgreSQL store at " + TestPostgres.get().jdbcUrl("no_such_database")
				+ " (canary.store=postgres) cannot be used: FATAL: database \"no_such_database\" does not exist.");
	}

	@Test
	void theStoreFailureAnalyzerIsWhatSpringBootReportsAFailedStartWith() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, ArgumentResolver.of(Environment.class, new MockEnvironment()),
					// Spring Boot's own analyzers want arguments this test does not give.
					FailureHandler.logging(LogFactory.getLog(PostgresStartupTest.class))))
			.hasAtLeastOneElementOfType(StoreFailureAnalyzer.class);
	}

	/**
	 * Starts a replica that must not come up, and answers what Spring Boot's failure
	 * report says about it: the description of the {@link StoreFailureAnalyzer}, which
	 * {@link #theStoreFailureAnalyzerIsWhatSpringBootReportsAFailedStartWith() is
	 * registered}. The start's own error logging (Tomcat's ERROR with the whole cause,
	 * the context's WARN, the report) is switched off, so that a green build shows no
	 * error.
	 */
	private static String refusedStart(String database, String replicaId, String... extra) {
		List<String> properties = new ArrayList<>(List.of(extra));
		properties.addAll(List.of("logging.level.org.springframework.boot.tomcat.servlet=OFF",
				"logging.level.org.springframework.boot.web.server.servlet.context=OFF",
				"logging.level.org.springframework.boot.diagnostics=OFF"));
		Throwable failure = catchThrowable(() -> TestReplicas.start(database, replicaId, TestReplicas.stateDir(),
				properties.toArray(String[]::new)));
		assertThat(failure).isNotNull();
		MockEnvironment environment = new MockEnvironment().withProperty("canary.store", "postgres")
			.withProperty("spring.datasource.url", TestPostgres.get().jdbcUrl(database));
		FailureAnalysis analysis = new StoreFailureAnalyzer(environment).analyze(failure);
		assertThat(analysis).as("the store's analysis of " + failure).isNotNull();
		return analysis.getDescription();
	}

	@Test
	void aFirstStartImportsTheLocalDeploymentAndSaysSo(CapturedOutput output) throws Exception {
		String database = TestPostgres.get().createDatabase();
		Path stateDir = TestReplicas.stateDir();
		Files.writeString(stateDir.resolve("deployment.json"), """
				{"format_version": 2, "stable_version": "v1", "canary_version": "v2", "weight": 0.25,
				 "slowdown": true, "canary_start_time": "2026-11-26T10:00:00.123456Z", "generation": 7,
				 "rollout": null}
				""");
		try (ConfigurableApplicationContext replica = TestReplicas.start(database, "importer", stateDir)) {
			Deployment d = replica.getBean(DeploymentService.class).current();
			assertThat(d.generation()).isEqualTo(7);
			assertThat(d.stable().version()).isEqualTo("v1");
			assertThat(d.canary().version()).isEqualTo("v2");
			assertThat(d.weight()).isEqualTo(0.25);
			assertThat(d.slowdown()).isTrue();
			assertThat(output).contains("Imported the deployment from " + stateDir.resolve("deployment.json")
					+ " into the empty PostgreSQL store: generation 7: stable v1, canary v2 at weight 0.25");
		}
		try (ConfigurableApplicationContext again = TestReplicas.start(database, "other", TestReplicas.stateDir())) {
			assertThat(again.getBean(DeploymentService.class).current().generation())
				.as("a replica without the file serves the imported deployment")
				.isEqualTo(7);
		}
	}

	@Test
	void threeReplicasStartingTogetherOnAnEmptyDatabaseAllComeUpOnOneDeployment() throws Exception {
		String database = TestPostgres.get().createDatabase();
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService starters = Executors.newFixedThreadPool(3);
		List<Future<ConfigurableApplicationContext>> started = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String id = "together-" + i;
			started.add(starters.submit(() -> {
				go.await();
				return TestReplicas.start(database, id, TestReplicas.stateDir());
			}));
		}
		go.countDown();
		List<ConfigurableApplicationContext> replicas = new ArrayList<>();
		try {
			for (Future<ConfigurableApplicationContext> f : started) {
				replicas.add(f.get());
			}
			for (ConfigurableApplicationContext replica : replicas) {
				Deployment d = replica.getBean(DeploymentService.class).current();
				assertThat(d.generation()).isEqualTo(1);
				assertThat(d.stable().version()).isEqualTo("v1");
			}
			try (Connection c = DriverManager.getConnection(TestPostgres.get().jdbcUrl(database), TestPostgres.USER,
					TestPostgres.PASSWORD); Statement s = c.createStatement()) {
				ResultSet migrations = s
					.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'");
				migrations.next();
				assertThat(migrations.getInt(1)).as("the migration ran once").isEqualTo(1);
			}
		}
		finally {
			replicas.forEach(ConfigurableApplicationContext::close);
			starters.shutdownNow();
		}
	}

	@Test
	void theUrlInMessagesNeverCarriesAPassword() {
		assertThat(StoreFailureAnalyzer.withoutPassword("jdbc:postgresql://db:5432/canary?user=c&password=s3cret"))
			.isEqualTo("jdbc:postgresql://db:5432/canary?user=c");
		assertThat(StoreFailureAnalyzer.withoutPassword("jdbc:postgresql://db/canary?password=s3cret&ssl=true"))
			.isEqualTo("jdbc:postgresql://db/canary?ssl=true");
		assertThat(StoreFailureAnalyzer.withoutPassword("jdbc:postgresql://c:s3cret@db/canary"))
			.isEqualTo("jdbc:postgresql://c@db/canary");
	}

}
