package dev.mlcanary.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.springframework.util.FileSystemUtils;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A throwaway PostgreSQL cluster for the tests of {@code canary.store=postgres}: Debian's
 * binaries ({@code /usr/lib/postgresql/<version>/bin}), a data directory under a
 * temporary directory, a free loopback port, started once per test JVM and stopped (and
 * deleted) by a shutdown hook. PostgreSQL refuses to run as root, so as root it runs as
 * the {@code postgres} user the Debian package creates. Clients log in as
 * {@code postgres} with {@link #PASSWORD} (SCRAM over TCP), so that a wrong password is
 * refused as it would be in production. Each test takes its own database
 * ({@link #createDatabase()}).
 *
 * <p>
 * Without the binaries the tests are skipped with a message naming the package, except
 * under CI ({@code CI} set), where that is a failure: {@code .ci/run} installs it.
 */
public final class TestPostgres {

	public static final String USER = "postgres";

	public static final String PASSWORD = "fleet-test-password-4711";

	private static final Path DEBIAN = Path.of("/usr/lib/postgresql");

	private static final AtomicInteger DATABASES = new AtomicInteger();

	private static TestPostgres running;

	private final Path bin;

	private final Path dir;

	private final int port;

	private final boolean asPostgresUser;

	private TestPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
		this.bin = bin;
		this.dir = dir;
		this.port = port;
		this.asPostgresUser = asPostgresUser;
	}

	/** Skips the calling test without the binaries; fails it instead under CI. */
	public static void assumeInstalled() {
		String missing = "The PostgreSQL tests need Debian's PostgreSQL server binaries in " + DEBIAN
				+ "/<version>/bin (initdb, pg_ctl, postgres): install them with `apt-get install -y postgresql` "
				+ "(.ci/run does).";
		boolean installed = binaries().isPresent();
		if (!installed && System.getenv("CI") != null) {
			fail(missing);
		}
		assumeTrue(installed, missing);
	}

	/** The cluster of this JVM, started on first use. */
	public static synchronized TestPostgres get() {
		if (running == null) {
			assumeInstalled();
			running = start(binaries().orElseThrow());
		}
		return running;
	}

	public int port() {
		return port;
	}

	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
	}

	/** A new, empty database of its own for one test. */
	public String createDatabase() {
		String name = "canary_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
		try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
				Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create database " + name, ex);
		}
		return name;
	}

	/** Stops the server, as an outage would: clients' connections are cut. */
	public void stop() {
		pgCtl("stop", "-m", "fast");
	}

	/** Starts it again on the same port and data. */
	public void restart() {
		pgCtl("start", "-l", dir.resolve("server.log").toString(), "-o", serverOptions());
	}

	private static TestPostgres start(Path bin) {
		try {
			Path dir = Files.createTempDirectory("ml-canary-postgres-");
			boolean root = "root".equals(System.getProperty("user.name"));
			if (root) {
				UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
				Files.setOwner(dir, users.lookupPrincipalByName(USER));
			}
			int port;
			try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = probe.getLocalPort();
			}
			TestPostgres postgres = new TestPostgres(bin, dir, port, root);
			Path passwordFile = dir.resolve("password");
			Files.writeString(passwordFile, PASSWORD + "\n");
			if (root) {
				Files.setOwner(passwordFile,
						dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER));
			}
			postgres.run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
					"--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
					"--no-locale", "--no-sync");
			Runtime.getRuntime().addShutdownHook(new Thread(postgres::destroy, "test-postgres-stop"));
			postgres.restart();
			return postgres;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the test PostgreSQL", ex);
		}
	}

	/**
	 * Loopback only, its socket in the temporary directory, and no fsync: the data is
	 * thrown away.
	 */
	private String serverOptions() {
		return "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
				+ " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
	}

	private void destroy() {
		try {
			pgCtl("stop", "-m", "immediate");
		}
		catch (RuntimeException ex) {
			// already stopped
		}
		FileSystemUtils.deleteRecursively(dir.toFile());
	}

	private void pgCtl(String action, String... options) {
		List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), action, "-D",
				dir.resolve("data").toString(), "-w", "-t", "60"));
		command.addAll(List.of(options));
		run(command.toArray(String[]::new));
	}

	private void run(String... command) {
		List<String> full = new ArrayList<>();
		if (asPostgresUser) {
			full.addAll(List.of("runuser", "-u", USER, "--"));
		}
		full.addAll(List.of(command));
		try {
			Path output = Files.createTempFile("ml-canary-postgres-", ".log");
			Process process = new ProcessBuilder(full).directory(dir.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(90, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", full) + " did not finish in 90 s");
			}
			String printed = Files.readString(output);
			Files.delete(output);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						String.join(" ", full) + " failed (" + process.exitValue() + "):\n" + printed);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The newest version's binaries, if all three are there. */
	private static Optional<Path> binaries() {
		if (!Files.isDirectory(DEBIAN)) {
			return Optional.empty();
		}
		try (Stream<Path> versions = Files.list(DEBIAN)) {
			return versions.map(v -> v.resolve("bin"))
				.filter(b -> Stream.of("initdb", "pg_ctl", "postgres").allMatch(n -> Files.isExecutable(b.resolve(n))))
				.max(Comparator.comparing(TestPostgres::version));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	private static int version(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
