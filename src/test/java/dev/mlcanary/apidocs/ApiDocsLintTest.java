package dev.mlcanary.apidocs;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.mlcanary.WithAdminTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenAPI description passes a real linter: Redocly CLI's recommended rules (and the
 * choices in {@code redocly.yaml}, if any), with no error and no warning. The description
 * is written to {@code target/api-docs.json} and linted there.
 *
 * <p>
 * Without the {@code redocly} command the test is skipped with a message naming the
 * install command, except under CI ({@code CI} set), where a missing linter is a failure
 * rather than a silent pass (as for the dashboard's browser test).
 */
@WithAdminTokens
class ApiDocsLintTest {

	static final String INSTALL = "npm install -g @redocly/cli@2.77.0";

	private static final Path OUTPUT = Path.of("target", "api-docs.json");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	/**
	 * In each test rather than once for the class, so that a skip is counted and shows
	 * its message.
	 */
	@BeforeEach
	void redoclyIsInstalled() {
		boolean installed = redocly() != null;
		String missing = "The OpenAPI lint test needs the redocly command: install it with `" + INSTALL
				+ "` (.ci/run does).";
		if (!installed && System.getenv("CI") != null) {
			fail(missing);
		}
		assumeTrue(installed, missing);
	}

	@Test
	void theDescriptionIsLintCleanWithRedoclysRecommendedRules() throws IOException, InterruptedException {
		MvcTestResult docs = mvc.get().uri("/v3/api-docs").exchange();
		assertThat(docs).hasStatusOk();
		Files.createDirectories(OUTPUT.getParent());
		Files.write(OUTPUT, docs.getResponse().getContentAsByteArray());

		Path report = Files.createTempFile("redocly-lint", ".json");
		ProcessBuilder command = new ProcessBuilder(redocly().toString(), "lint", "--format=json", OUTPUT.toString())
			.redirectOutput(report.toFile())
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		// No usage data sent, no look-up of a newer version: the lint is all this test
		// asks for.
		command.environment().put("REDOCLY_TELEMETRY", "off");
		command.environment().put("REDOCLY_SUPPRESS_NOTIFICATIONS", "true");
		Process lint = command.start();
		assertThat(lint.waitFor(120, TimeUnit.SECONDS)).as("redocly lint finished within 2 minutes").isTrue();
		String output = Files.readString(report, StandardCharsets.UTF_8);
		Files.delete(report);

		JsonNode result = json.readTree(output);
		String problems = result.path("problems")
			.valueStream()
			.map(p -> p.path("severity").asString() + " " + p.path("ruleId").asString() + ": "
					+ p.path("message").asString() + " at " + p.at("/location/0/pointer").asString())
			.collect(Collectors.joining("\n"));
		assertThat(result.at("/totals/errors").asInt()).as(problems).isZero();
		assertThat(result.at("/totals/warnings").asInt()).as(problems).isZero();
		assertThat(lint.exitValue()).as(problems).isZero();
	}

	/** The {@code redocly} executable on the PATH, or {@code null}. */
	private static Path redocly() {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		return List.of(path.split(File.pathSeparator))
			.stream()
			.map(dir -> Path.of(dir, "redocly"))
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(null);
	}

}
