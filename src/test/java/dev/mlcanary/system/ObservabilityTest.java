package dev.mlcanary.system;

import dev.mlcanary.TestRequests;
import dev.mlcanary.TestTokens;
import dev.mlcanary.WithAdminTokens;
import dev.mlcanary.deployment.DeploymentService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Prometheus scrape after traffic shows per-version series; health and info show the
 * deployment.
 */
@WithAdminTokens
class ObservabilityTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@BeforeEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void aScrapeAfterTrafficShowsPerVersionSeries() throws Exception {
		assertThat(mvc.post()
			.uri("/admin/deploy-canary")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"version\": \"v2\", \"weight\": 0.25}")
			.exchange()).hasStatusOk();
		for (int i = 0; i < 400; i++) {
			assertThat(mvc.post()
				.uri("/predict")
				.contentType(MediaType.APPLICATION_JSON)
				.content(TestRequests.PREDICT_BODY)
				.exchange()).hasStatusOk();
		}
		assertThat(mvc.get()
			.uri("/admin/check-canary-health")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.exchange()).hasStatusOk();

		MvcTestResult scrape = mvc.get()
			.uri("/actuator/prometheus")
			.header("Authorization", "Bearer " + TestTokens.READER)
			.exchange();

		assertThat(scrape).hasStatusOk();
		String text = scrape.getResponse().getContentAsString();
		assertThat(text).contains("canary_model_latency_seconds_bucket{")
			.containsPattern("canary_model_latency_seconds_count\\{[^}]*role=\"stable\"[^}]*version=\"v1\"")
			.containsPattern("canary_model_latency_seconds_count\\{[^}]*role=\"canary\"[^}]*version=\"v2\"")
			.containsPattern("canary_predictions_total\\{[^}]*version=\"v2\"")
			.containsPattern("canary_request_duration_seconds_bucket\\{[^}]*version=\"v1\"")
			.contains("canary_weight 0.25")
			.containsPattern("canary_verdict -?[01]\\.0")
			.containsPattern("canary_judge_p_value\\{judge=\"welch\"")
			.containsPattern("canary_judge_statistic\\{judge=\"agreement\",statistic=\"agreement\"\\} 1\\.0");
		assertThat(bucketBounds(text, "canary_model_latency_seconds_bucket"))
			.as("buckets fine enough for microsecond models")
			.anyMatch(le -> le <= 2e-6)
			.anyMatch(le -> le > 2e-6 && le <= 1e-5)
			.anyMatch(le -> le >= 1.0);
		assertThat(mvc.get().uri("/actuator/prometheus").exchange()).as("scraping needs a token").hasStatus(401);
	}

	@Test
	void afterARollbackTheVerdictGaugesForgetTheRolledBackCanary() throws Exception {
		// The tests share one service: start without the canary another test may have
		// left.
		mvc.post().uri("/admin/rollback-canary").header("Authorization", "Bearer " + TestTokens.OPERATOR).exchange();
		assertThat(mvc.post()
			.uri("/admin/deploy-canary")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"version\": \"v2\", \"weight\": 0.5}")
			.exchange()).hasStatusOk();
		assertThat(mvc.get()
			.uri("/admin/check-canary-health")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.exchange()).hasStatusOk();
		assertThat(scrape()).containsPattern("(?m)^canary_verdict -?[01]\\.0$");

		assertThat(mvc.post()
			.uri("/admin/rollback-canary")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.exchange()).hasStatusOk();

		assertThat(scrape()).containsPattern("(?m)^canary_verdict NaN$")
			.containsPattern("(?m)^canary_judge_p_value\\{judge=\"welch\"\\} NaN$");
	}

	private String scrape() throws Exception {
		return mvc.get()
			.uri("/actuator/prometheus")
			.header("Authorization", "Bearer " + TestTokens.READER)
			.exchange()
			.getResponse()
			.getContentAsString();
	}

	private static java.util.List<Double> bucketBounds(String scrape, String bucket) {
		return java.util.regex.Pattern.compile(bucket + "\\{[^}]*le=\"([^\"]+)\"")
			.matcher(scrape)
			.results()
			.map(m -> m.group(1))
			.filter(le -> !le.equals("+Inf"))
			.map(Double::parseDouble)
			.toList();
	}

	@Test
	void healthAndInfoShowTheDeployment() {
		MvcTestResult health = mvc.get()
			.uri("/actuator/health")
			.header("Authorization", "Bearer " + TestTokens.READER)
			.exchange();
		assertThat(health).hasStatusOk();
		assertThat(health).bodyJson().extractingPath("$.components.canary.status").isEqualTo("UP");
		assertThat(health).bodyJson().extractingPath("$.components.canary.details.stable_version").isEqualTo("v1");
		assertThat(mvc.get().uri("/actuator/health").exchange()).bodyJson().extractingPath("$.status").isEqualTo("UP");
		assertThat(mvc.get().uri("/actuator/health/liveness").exchange()).hasStatusOk();
		assertThat(mvc.get().uri("/actuator/health/readiness").exchange()).hasStatusOk();

		MvcTestResult info = mvc.get().uri("/actuator/info").exchange();
		assertThat(info).bodyJson().extractingPath("$.models.stable").isEqualTo("v1");
		assertThat(info).bodyJson().extractingPath("$.models.available").asArray().contains("v1", "v2", "v3");
		assertThat(info).bodyJson().extractingPath("$.build.artifact").isEqualTo("ml-canary");
	}

}
