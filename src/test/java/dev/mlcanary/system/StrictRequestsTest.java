package dev.mlcanary.system;

import java.net.URI;

import dev.mlcanary.TestRequests;
import dev.mlcanary.audit.AuditEvent;
import dev.mlcanary.audit.EventLog;
import dev.mlcanary.deployment.DeploymentService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StrictRequests} on every endpoint with query parameters: a parameter given empty
 * or more than once is a 400 that names it, never the default or the first value; a POST
 * that takes no body refuses one. A refused change changes nothing, and is audited. Runs
 * on the same cached context as {@link ApiErrorsTest} (loopback, no token).
 */
@SpringBootTest
@AutoConfigureMockMvc
class StrictRequestsTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@Autowired
	EventLog events;

	@BeforeEach
	void startFromStableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource(delimiter = '|', value = {
			"GET|/admin/power-analysis?alpha=|Parameter 'alpha' is empty; give it a value or leave it out.",
			"GET|/admin/power-analysis?effect_size=|Parameter 'effect_size' is empty; give it a value or leave it out.",
			"GET|/admin/power-analysis?power=%20|Parameter 'power' is empty; give it a value or leave it out.",
			"GET|/admin/power-analysis?effect_size=0.5&effect_size=0.6|Parameter 'effect_size' is given 2 times; give it once.",
			"GET|/admin/power-analysis?alpha=0.05&alpha=0.05&alpha=0.05|Parameter 'alpha' is given 3 times; give it once.",
			"GET|/admin/check-canary-health?mode=|Parameter 'mode' is empty; give it a value or leave it out.",
			"GET|/admin/check-canary-health?mode=fixed&mode=sequential|Parameter 'mode' is given 2 times; give it once.",
			"GET|/admin/events?limit=|Parameter 'limit' is empty; give it a value or leave it out.",
			"GET|/admin/events?limit=5&limit=6|Parameter 'limit' is given 2 times; give it once.",
			"POST|/admin/toggle-slowdown?expected_generation=|Parameter 'expected_generation' is empty; give it a value or leave it out.",
			"POST|/admin/promote-canary?expected_generation=1&expected_generation=1|Parameter 'expected_generation' is given 2 times; give it once.",
			"POST|/admin/rollback-canary?expected_generation=|Parameter 'expected_generation' is empty; give it a value or leave it out." })
	void anEmptyOrRepeatedQueryParameterIsA400ThatNamesIt(String method, String uri, String detail) {
		long generation = deployments.current().generation();

		// As sent: not a URI template, which would escape the '%' of "%20".
		MvcTestResult result = method.equals("GET") ? mvc.get().uri(URI.create(uri)).exchange()
				: mvc.post().uri(URI.create(uri)).exchange();

		assertThat(result).hasStatus(400);
		assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:ml-canary:problem:invalid-request");
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo(detail);
		assertThat(deployments.current().generation()).as("nothing changed").isEqualTo(generation);
	}

	@Test
	void anEmptyParameterInADeployIsRefusedBeforeItsBodyIsRead() {
		long generation = deployments.current().generation();

		MvcTestResult result = mvc.post()
			.uri("/admin/deploy-canary?expected_generation=")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"version\": \"v2\"}")
			.exchange();

		assertThat(result).hasStatus(400)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("Parameter 'expected_generation' is empty; give it a value or leave it out.");
		assertThat(deployments.current().hasCanary()).isFalse();
		assertThat(deployments.current().generation()).isEqualTo(generation);
	}

	@ParameterizedTest(name = "{0} with {1} {2}")
	@CsvSource(delimiter = '|',
			value = { "/admin/toggle-slowdown|application/json|{{{", "/admin/toggle-slowdown|application/json|{}",
					"/admin/toggle-slowdown|text/plain|on",
					"/admin/promote-canary|application/json|{\"version\": \"v2\"}",
					"/admin/rollback-canary|application/x-www-form-urlencoded|expected_generation=1" })
	void aPostThatTakesNoBodyRefusesOneChangesNothingAndIsAudited(String path, String contentType, String body) {
		deployments.deployCanary("v2", null, null, null);
		long generation = deployments.current().generation();

		MvcTestResult result = mvc.post().uri(path).contentType(contentType).content(body).exchange();

		assertThat(result).hasStatus(400);
		assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:ml-canary:problem:invalid-request");
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("This endpoint takes no request body; send the request without one.");
		assertThat(deployments.current().generation()).as("nothing changed").isEqualTo(generation);
		assertThat(deployments.current().hasCanary()).isTrue();
		assertThat(deployments.current().slowdown()).isFalse();
		AuditEvent audited = events.newest(1).get(0);
		assertThat(audited.action()).isEqualTo(path.substring("/admin/".length()));
		assertThat(audited.outcome()).isEqualTo("refused");
		assertThat(audited.status()).isEqualTo(400);
		assertThat(audited.detail()).isEqualTo("This endpoint takes no request body; send the request without one.");
	}

	@Test
	void aPostWithAnEmptyBodyIsAnswered() {
		assertThat(mvc.post().uri("/admin/toggle-slowdown").exchange()).hasStatusOk();
		assertThat(
				mvc.post().uri("/admin/toggle-slowdown").contentType(MediaType.APPLICATION_JSON).content("").exchange())
			.hasStatusOk();
		assertThat(deployments.current().slowdown()).isFalse();
	}

	@Test
	void parametersGivenOnceStillWorkAndOthersAreNotLookedAt() {
		assertThat(mvc.get().uri("/admin/power-analysis?effect_size=0.5&alpha=0.05&power=0.8").exchange())
			.hasStatusOk();
		assertThat(mvc.get().uri("/admin/events?limit=5").exchange()).hasStatusOk();
		assertThat(mvc.get().uri("/admin/status?verbose=&verbose=").exchange()).as("not a parameter of /admin/status")
			.hasStatusOk();
	}

}
