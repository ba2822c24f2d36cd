package dev.mlcanary.system;

import java.util.stream.Stream;

import dev.mlcanary.TestRequests;
import dev.mlcanary.TestTokens;
import dev.mlcanary.WithAdminTokens;
import dev.mlcanary.deployment.DeploymentService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * With tokens configured: who gets in, who is turned away, and that a refusal changes
 * nothing.
 */
@WithAdminTokens
class AdminSecurityTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@BeforeEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	static Stream<Arguments> badCredentials() {
		return Stream.of(arguments("missing", null), arguments("wrong", "Bearer not-the-token-0123456789"),
				arguments("empty", "Bearer "), arguments("blank scheme only", "Bearer"),
				arguments("oversized", "Bearer " + "x".repeat(8_000)),
				arguments("wrong scheme", "Basic " + TestTokens.OPERATOR),
				arguments("token without scheme", TestTokens.OPERATOR),
				arguments("operator token with a suffix", "Bearer " + TestTokens.OPERATOR + "x"),
				arguments("operator token prefix", "Bearer " + TestTokens.OPERATOR.substring(0, 20)));
	}

	@ParameterizedTest(name = "{0} credentials")
	@MethodSource("badCredentials")
	void badCredentialsGet401AndChangeNothing(String name, String authorization) {
		long generation = deployments.current().generation();

		MvcTestResult result = call(HttpMethod.POST, "/admin/deploy-canary", authorization, "{\"version\": \"v2\"}");

		assertThat(result).hasStatus(401);
		assertThat(result).headers()
			.hasHeaderSatisfying("WWW-Authenticate", values -> assertThat(values.get(0)).startsWith("Bearer"));
		assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:ml-canary:problem:unauthorized");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("Authorization: Bearer");
		assertThat(deployments.current().generation()).isEqualTo(generation);
		assertThat(deployments.current().hasCanary()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/admin/promote-canary", "/admin/rollback-canary", "/admin/toggle-slowdown" })
	void everyChangingEndpointNeedsTheToken(String path) {
		long generation = deployments.current().generation();

		assertThat(call(HttpMethod.POST, path, null, null)).hasStatus(401);
		assertThat(call(HttpMethod.POST, path, "Bearer " + TestTokens.READER, null)).hasStatus(403);
		assertThat(deployments.current().generation()).isEqualTo(generation);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/admin/status", "/admin/check-canary-health", "/admin/check-canary-health/latest",
			"/admin/latency", "/admin/models", "/admin/power-analysis", "/actuator/metrics", "/actuator/env",
			"/actuator" })
	void readEndpointsAndOtherActuatorEndpointsNeedATokenToo(String path) {
		assertThat(call(HttpMethod.GET, path, null, null)).hasStatus(401);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/admin/status", "/admin/check-canary-health", "/admin/check-canary-health/latest",
			"/admin/latency", "/admin/models", "/admin/power-analysis" })
	void theReadTokenReadsAndTheOperatorTokenReadsToo(String path) {
		assertThat(call(HttpMethod.GET, path, "Bearer " + TestTokens.READER, null)).hasStatusOk();
		assertThat(call(HttpMethod.GET, path, "Bearer " + TestTokens.OPERATOR, null)).hasStatusOk();
	}

	@Test
	void theReadTokenMayNotChangeTheDeployment() {
		MvcTestResult result = call(HttpMethod.POST, "/admin/deploy-canary", "Bearer " + TestTokens.READER,
				"{\"version\": \"v2\"}");

		assertThat(result).hasStatus(403);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:ml-canary:problem:forbidden");
		assertThat(deployments.current().hasCanary()).isFalse();
	}

	@Test
	void aTypoWithTheReadTokenIsToldWhatTheReadTokenMayCall() {
		MvcTestResult result = call(HttpMethod.GET, "/admin/statuss", "Bearer " + TestTokens.READER, null);

		assertThat(result).hasStatus(403);
		assertThat(result).bodyJson()
			.extractingPath("$.detail")
			.asString()
			.startsWith("The read-only token may only call GET /admin/status, ")
			.endsWith("; this call needs the operator token.");
	}

	@Test
	void theOperatorTokenDeploysAndTheSchemeIsCaseInsensitive() {
		assertThat(
				call(HttpMethod.POST, "/admin/deploy-canary", "bearer " + TestTokens.OPERATOR, "{\"version\": \"v2\"}"))
			.hasStatusOk();
		assertThat(deployments.current().canary().version()).isEqualTo("v2");
	}

	@Test
	void predictionsHealthAndInfoStayOpen() {
		assertThat(call(HttpMethod.POST, "/predict", null, TestRequests.PREDICT_BODY)).hasStatusOk();
		assertThat(call(HttpMethod.GET, "/actuator/health", null, null)).hasStatusOk();
		assertThat(call(HttpMethod.GET, "/actuator/health/readiness", null, null)).hasStatusOk();
		assertThat(call(HttpMethod.GET, "/actuator/info", null, null)).hasStatusOk();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/index.html", "/dashboard.js", "/charts.js", "/dashboard.css",
			"/webjars/uplot/dist/uPlot.esm.js", "/webjars/uplot/dist/uPlot.min.css" })
	void theDashboardIsOpenAndForbidsInlineCode(String path) {
		MvcTestResult result = call(HttpMethod.GET, path, null, null);

		assertThat(result).hasStatusOk();
		assertThat(result).headers()
			.hasValue("Content-Security-Policy", SecurityConfiguration.CONTENT_SECURITY_POLICY)
			.hasValue("X-Content-Type-Options", "nosniff")
			.hasValue("Referrer-Policy", "no-referrer");
		assertThat(SecurityConfiguration.CONTENT_SECURITY_POLICY)
			.contains("default-src 'self'", "script-src 'self';", "style-src 'self';")
			.doesNotContain("unsafe");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/swagger-ui/index.html", "/v3/api-docs" })
	void theApiDocsMayApplyInlineStylesButRunOnlyTheirOwnScripts(String path) {
		MvcTestResult result = call(HttpMethod.GET, path, null, null);

		assertThat(result).hasStatusOk();
		assertThat(result).headers()
			.hasValue("Content-Security-Policy", SecurityConfiguration.API_DOCS_CONTENT_SECURITY_POLICY);
		assertThat(SecurityConfiguration.API_DOCS_CONTENT_SECURITY_POLICY).contains("script-src 'self';",
				"style-src 'self' 'unsafe-inline';");
	}

	@Test
	void aWrongTokenOnAnOpenEndpointIsIgnored() {
		assertThat(call(HttpMethod.POST, "/predict", "Bearer wrong", TestRequests.PREDICT_BODY)).hasStatusOk();
	}

	@Test
	void forcingARouteNeedsTheOperatorToken() {
		String body = TestRequests.PREDICT_BODY;
		assertThat(mvc.post()
			.uri("/predict")
			.header("X-Canary-Route", "canary")
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange()).as("no token").hasStatus(401);
		assertThat(mvc.post()
			.uri("/predict")
			.header("X-Canary-Route", "canary")
			.header("Authorization", "Bearer " + TestTokens.READER)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange()).as("read token").hasStatus(403);
		assertThat(mvc.post()
			.uri("/predict")
			.header("X-Canary-Route", "canary")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange()).as("no canary deployed").hasStatus(409);

		assertThat(call(HttpMethod.POST, "/admin/deploy-canary", "Bearer " + TestTokens.OPERATOR,
				"{\"version\": \"v2\", \"weight\": 0.01}"))
			.hasStatusOk();
		MvcTestResult forced = mvc.post()
			.uri("/predict")
			.header("X-Canary-Route", "canary")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
		assertThat(forced).hasStatusOk();
		assertThat(forced).bodyJson().extractingPath("$.model_used").isEqualTo("canary");
		assertThat(forced).bodyJson().extractingPath("$.model_version").isEqualTo("v2");
		assertThat(mvc.post()
			.uri("/predict")
			.header("X-Canary-Route", "STABLE")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange()).as("case-insensitive").hasStatusOk();
		assertThat(mvc.post()
			.uri("/predict")
			.header("X-Canary-Route", "sideways")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange()).hasStatus(400);
	}

	@Test
	void aRequestKeyNeedsNoTokenAndSticks() {
		assertThat(call(HttpMethod.POST, "/admin/deploy-canary", "Bearer " + TestTokens.OPERATOR,
				"{\"version\": \"v2\", \"weight\": 0.5}"))
			.hasStatusOk();
		String body = TestRequests.PREDICT_BODY;
		String first = null;
		for (int i = 0; i < 10; i++) {
			MvcTestResult result = mvc.post()
				.uri("/predict")
				.header("X-Request-Key", "customer-7")
				.contentType(MediaType.APPLICATION_JSON)
				.content(body)
				.exchange();
			assertThat(result).hasStatusOk();
			String version = new String(result.getResponse().getContentAsByteArray(),
					java.nio.charset.StandardCharsets.UTF_8);
			version = version.replaceAll(".*\"model_version\":\"(v\\d)\".*", "$1");
			if (first == null) {
				first = version;
			}
			assertThat(version).isEqualTo(first);
		}
		assertThat(mvc.post()
			.uri("/predict")
			.header("X-Request-Key", "k".repeat(300))
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange()).hasStatus(400);
	}

	private MvcTestResult call(HttpMethod method, String path, String authorization, String body) {
		return TestRequests.call(mvc, method, path, authorization, body);
	}

}
