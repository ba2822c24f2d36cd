package dev.mlcanary.model;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Python with scikit-learn and joblib for the tests of
 * {@code scripts/export-sklearn.py}: the seeded models of
 * {@code sklearn-parity-models.py}, trained once per test JVM, and runs of the exporter.
 * Without such a Python the tests are skipped, or fail under CI ({@code CI} set), where
 * {@code .ci/run} installs Debian's python3-sklearn and python3-joblib;
 * {@code -Dcanary.test.python=...} points them at another Python.
 */
final class SklearnPython {

	/**
	 * Debian's Python first: {@code python3} on PATH may be a pyenv one without sklearn.
	 * {@code -Dcanary.test.python=...} tries only that one.
	 */
	private static final List<String> CANDIDATES = (System.getProperty("canary.test.python") != null)
			? List.of(System.getProperty("canary.test.python")) : List.of("/usr/bin/python3", "python3");

	static final String INSTALL = "apt-get install python3-sklearn python3-joblib";

	private static final long TIMEOUT_SECONDS = 120;

	private static final Path EXPORTER = Path.of("scripts", "export-sklearn.py").toAbsolutePath();

	private static final Path TRAINER = Path
		.of("src", "test", "resources", "dev", "mlcanary", "model", "sklearn-parity-models.py")
		.toAbsolutePath();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static String python;

	private static boolean searched;

	private static Path fixtures;

	private SklearnPython() {
	}

	/** What one run of a Python script did. */
	record Run(int exitCode, String stdout, String stderr) {

		List<String> stderrLines() {
			return stderr.lines().toList();
		}

	}

	/**
	 * The Python to run, or a skipped test (a failed one under CI) with what to install.
	 */
	static synchronized String require() {
		if (!searched) {
			searched = true;
			for (String candidate : CANDIDATES) {
				if (hasSklearn(candidate)) {
					python = candidate;
					break;
				}
			}
		}
		String missing = "The scikit-learn export tests need a Python with scikit-learn and joblib (tried "
				+ String.join(", ", CANDIDATES) + "): install them with `" + INSTALL + "` (.ci/run does).";
		if (python == null && System.getenv("CI") != null) {
			fail(missing);
		}
		assumeTrue(python != null, missing);
		return python;
	}

	/**
	 * The directory of the trained models, {@code expected.json}, {@code holdout.csv} and
	 * {@code holdout-expected.json}.
	 */
	static synchronized Path fixtures() {
		if (fixtures == null) {
			try {
				Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-state")),
						"sklearn-");
				Run run = run(List.of(require(), TRAINER.toString(), dir.toAbsolutePath().toString()));
				assertThat(run.exitCode()).as("sklearn-parity-models.py: %s", run.stderr()).isZero();
				fixtures = dir.toAbsolutePath();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return fixtures;
	}

	static Path model(String name) {
		return fixtures().resolve(name + ".joblib");
	}

	static JsonNode readJson(Path file) {
		return JSON.readTree(file.toFile());
	}

	/**
	 * Runs the exporter on a fixture model (or any path), with these arguments after it.
	 */
	static Run export(Path model, String... arguments) {
		List<String> command = new ArrayList<>(List.of(require(), EXPORTER.toString(), model.toString()));
		command.addAll(List.of(arguments));
		return run(command);
	}

	private static boolean hasSklearn(String candidate) {
		try {
			return run(List.of(candidate, "-c", "import sklearn, joblib")).exitCode() == 0;
		}
		catch (UncheckedIOException ex) {
			return false; // not installed at all
		}
	}

	private static Run run(List<String> command) {
		try {
			Path out = Files.createTempFile("sklearn-run", ".out");
			Path err = Files.createTempFile("sklearn-run", ".err");
			try {
				Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
					.redirectError(err.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
					.start();
				if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					fail(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
				}
				return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
						Files.readString(err, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(out);
				Files.deleteIfExists(err);
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

}
