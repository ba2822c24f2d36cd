package dev.mlcanary.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ch.qos.logback.classic.Level;
import dev.mlcanary.ExpectedLog;
import dev.mlcanary.TestRequests;
import dev.mlcanary.apidocs.ApiProblem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compare-and-set over HTTP: {@code expected_generation} (409 when stale) and
 * {@code If-Match} (412 when stale) on every admin change, the generation as
 * {@code ETag}, and 503 when a change cannot be saved. Runs on the same cached context as
 * the API error test, so each test starts from "stable only, slowdown off" and works with
 * whatever generation that is.
 */
@SpringBootTest
@AutoConfigureMockMvc
class GenerationPreconditionTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@Autowired
	DeploymentProperties properties;

	/**
	 * The failed save, logged with its stack trace: asserted here rather than printed in
	 * the build log.
	 */
	@RegisterExtension
	final ExpectedLog log = ExpectedLog.of(FileBackedDeploymentService.class);

	@BeforeEach
	void startFromStableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void statusCarriesTheGenerationAsETag() {
		long generation = generation();

		MvcTestResult status = mvc.get().uri("/admin/status").exchange();

		assertThat(status).hasStatusOk().headers().hasValue(HttpHeaders.ETAG, "\"" + generation + "\"");
		assertThat(status).bodyJson().extractingPath("$.generation").asNumber().isEqualTo((int) generation);
	}

	@Test
	void aMatchingGenerationIsAppliedAndAnswersWithTheNewETag() {
		long g = generation();

		assertApplied(post("/admin/deploy-canary", "{\"version\": \"v2\", \"expected_generation\": " + g + "}", null),
				g + 1);
		assertApplied(post("/admin/toggle-slowdown?expected_generation=" + (g + 1), null, null), g + 2);
		assertApplied(post("/admin/toggle-slowdown", null, "\"" + (g + 2) + "\""), g + 3);
		assertApplied(post("/admin/promote-canary", null, Long.toString(g + 3)), g + 4);
		assertApplied(post("/admin/deploy-canary", "{\"version\": \"v1\"}", " \"" + (g + 4) + "\" "), g + 5);
		assertApplied(post("/admin/rollback-canary?expected_generation=" + (g + 5), null, "\"" + (g + 5) + "\""),
				g + 6);
		assertApplied(post("/admin/deploy-canary?expected_generation=" + (g + 6), "{\"version\": \"v1\"}", "*"), g + 7);
		assertApplied(post("/admin/promote-canary", null, null), g + 8);
	}

	@ParameterizedTest(name = "{0} with {1}")
	@CsvSource(delimiter = '|', value = { "/admin/deploy-canary|body", "/admin/deploy-canary|query",
			"/admin/promote-canary|query", "/admin/rollback-canary|query", "/admin/toggle-slowdown|query" })
	void aStaleExpectedGenerationIsRefusedWith409AndChangesNothing(String path, String how) {
		long now = prepare(path);
		long stale = now - 1;
		String body = path.endsWith("deploy-canary")
				? "{\"version\": \"v2\"" + (how.equals("body") ? ", \"expected_generation\": " + stale : "") + "}"
				: null;

		MvcTestResult result = post(path + (how.equals("query") ? "?expected_generation=" + stale : ""), body, null);

		assertStale(result, 409, "urn:ml-canary:problem:deployment-conflict", now, stale);
	}

	/**
	 * RFC 9110: a precondition in If-Match that does not hold is 412 Precondition Failed.
	 */
	@ParameterizedTest(name = "{0} with {1}")
	@CsvSource(delimiter = '|',
			value = { "/admin/deploy-canary|If-Match", "/admin/promote-canary|If-Match",
					"/admin/rollback-canary|If-Match", "/admin/toggle-slowdown|If-Match",
					"/admin/toggle-slowdown|If-Match and query", "/admin/deploy-canary|If-Match and body" })
	void aStaleIfMatchIsRefusedWith412AndChangesNothing(String path, String how) {
		long now = prepare(path);
		long stale = now - 1;
		String body = path.endsWith("deploy-canary")
				? "{\"version\": \"v2\"" + (how.endsWith("body") ? ", \"expected_generation\": " + stale : "") + "}"
				: null;
		String uri = how.endsWith("query") ? path + "?expected_generation=" + stale : path;

		MvcTestResult result = post(uri, body, "\"" + stale + "\"");

		assertStale(result, 412, "urn:ml-canary:problem:precondition-failed", now, stale);
		assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Precondition Failed");
	}

	@Test
	void aStaleIfMatchIsCheckedBeforeTheDeploymentsOwnConflicts() {
		long now = generation();

		MvcTestResult result = post("/admin/promote-canary", null, "\"" + (now - 1) + "\"");

		assertStale(result, 412, "urn:ml-canary:problem:precondition-failed", now, now - 1);
	}

	/** A canary for the endpoints that need one; the current generation. */
	private long prepare(String path) {
		if (!path.endsWith("deploy-canary")) {
			deployments.deployCanary("v2", null, null, null);
		}
		return generation();
	}

	private void assertStale(MvcTestResult result, int status, String type, long now, long stale) {
		assertThat(result).hasStatus(status);
		assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(type);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("The deployment changed: generation is now " + now + ", the request expected " + stale
					+ "; re-read /admin/status and retry.");
		assertThat(generation()).isEqualTo(now);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "abc", "\"7", "7\"", "W/\"7\"", "\"7\", \"8\"", "-1", "1.5", "\"\"", "99999999999999999999" })
	void aMalformedIfMatchIsA400(String ifMatch) {
		long now = generation();

		MvcTestResult result = post("/admin/toggle-slowdown", null, ifMatch);

		assertThat(result).hasStatus(400);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:ml-canary:problem:invalid-request");
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("If-Match must be the generation");
		assertThat(generation()).isEqualTo(now);
	}

	@Test
	void aNonNumericOrDoubleExpectedGenerationIsA400() {
		long g = generation();

		assertThat(post("/admin/toggle-slowdown?expected_generation=abc", null, null)).hasStatus(400)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("Parameter 'expected_generation' must be a number, got 'abc'.");
		assertThat(post("/admin/deploy-canary", "{\"version\": \"v2\", \"expected_generation\": \"1\"}", null))
			.hasStatus(400)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("Field \"expected_generation\" must be a number.");
		assertThat(post("/admin/toggle-slowdown?expected_generation=" + g, null, "\"" + (g + 1) + "\"")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("two different expected generations");
		assertThat(generation()).isEqualTo(g);
	}

	@Test
	void aChangeThatCannotBeSavedIsA503AndIsNotApplied() throws IOException {
		long g = generation();
		Path file = properties.stateDir().resolve("deployment.json");
		Path kept = properties.stateDir().resolve("kept-by-test.json");
		boolean existed = Files.exists(file);
		if (existed) {
			Files.move(file, kept);
		}
		Files.createDirectories(file.resolve("blocker"));
		MvcTestResult result;
		try {
			result = post("/admin/toggle-slowdown", null, null);
		}
		finally {
			Files.delete(file.resolve("blocker"));
			Files.delete(file);
			if (existed) {
				Files.move(kept, file);
			}
		}

		assertThat(result).hasStatus(503);
		assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:ml-canary:problem:state-not-saved");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().startsWith("The change was not applied");
		assertThat(result).as("as the API docs show it")
			.bodyJson()
			.extractingPath("$.title")
			.isEqualTo(ApiProblem.STATE_NOT_SAVED.title());
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.satisfies(detail -> assertThat(
					detail.replaceFirst("saved to .*?, so the", "saved to state/deployment.json, so the"))
				.isEqualTo(ApiProblem.STATE_NOT_SAVED.detail()));
		assertThat(deployments.current().slowdown()).isFalse();
		assertThat(generation()).isEqualTo(g);
		assertThat(log.events()).singleElement().satisfies(event -> {
			assertThat(event.getLevel()).isEqualTo(Level.ERROR);
			assertThat(event.getFormattedMessage())
				.startsWith("Generation " + (g + 1) + " not applied (canary slowdown enabled)");
			assertThat(event.getThrowableProxy().getClassName()).isEqualTo(StateNotSavedException.class.getName());
		});
	}

	private void assertApplied(MvcTestResult result, long generation) {
		assertThat(result).hasStatusOk().headers().hasValue(HttpHeaders.ETAG, "\"" + generation + "\"");
		assertThat(result).bodyJson().extractingPath("$.generation").asNumber().isEqualTo((int) generation);
		assertThat(generation()).isEqualTo(generation);
	}

	private long generation() {
		return deployments.current().generation();
	}

	private MvcTestResult post(String uri, String json, String ifMatch) {
		var request = mvc.post().uri(uri);
		if (json != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).content(json);
		}
		if (ifMatch != null) {
			request = request.header(HttpHeaders.IF_MATCH, ifMatch);
		}
		return request.exchange();
	}

}
