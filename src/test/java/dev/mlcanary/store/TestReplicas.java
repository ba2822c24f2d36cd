package dev.mlcanary.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mlcanary.Application;
import dev.mlcanary.TestTokens;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Replicas of a fleet in this JVM: whole applications on random loopback ports, each with
 * its own replica id and state directory, all on one database of {@link TestPostgres}.
 * They are started by hand rather than by the Spring test framework, because a test needs
 * several at once, and stops and restarts them.
 */
public final class TestReplicas {

	private TestReplicas() {
	}

	/**
	 * Starts one replica.
	 * @param extra further {@code name=value} properties
	 */
	public static ConfigurableApplicationContext start(String database, String replicaId, Path stateDir,
			String... extra) {
		return start(List.of(), database, replicaId, stateDir, extra);
	}

	/**
	 * Starts one replica with further configuration classes (test doubles).
	 * @param extra further {@code name=value} properties
	 */
	public static ConfigurableApplicationContext start(List<Class<?>> sources, String database, String replicaId,
			Path stateDir, String... extra) {
		List<String> properties = new ArrayList<>(
				List.of("canary.store=postgres", "spring.datasource.url=" + TestPostgres.get().jdbcUrl(database),
						"spring.datasource.username=" + TestPostgres.USER,
						"spring.datasource.password=" + TestPostgres.PASSWORD, "canary.fleet.replica-id=" + replicaId,
						"canary.state-dir=" + stateDir, "server.port=0", "canary.admin.token=" + TestTokens.OPERATOR,
						"canary.admin.read-token=" + TestTokens.READER, "spring.main.banner-mode=off"));
		properties.addAll(List.of(extra));
		// As arguments: they win over application.properties (server.port=8000), as on a
		// command line.
		return new SpringApplicationBuilder(Application.class).sources(sources.toArray(Class<?>[]::new))
			.run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
	}

	public static int port(ConfigurableApplicationContext replica) {
		return ((WebServerApplicationContext) replica).getWebServer().getPort();
	}

	/** A fresh, empty state directory under {@code target/}. */
	public static Path stateDir() {
		try {
			return Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-state")), "replica-")
				.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
