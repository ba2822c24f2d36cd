package dev.mlcanary.analysis;

import com.jayway.jsonpath.JsonPath;
import dev.mlcanary.TestRequests;
import dev.mlcanary.TestTokens;
import dev.mlcanary.WithAdminTokens;
import dev.mlcanary.audit.EventLog;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.store.FleetProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a dashboard polls besides {@code /admin/status}: the latency windows as they are
 * and the latest health check. Neither runs a check, so polling them leaves the audit
 * trail alone.
 */
@WithAdminTokens
class DashboardEndpointsTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@Autowired
	EventLog events;

	@Autowired
	FleetProperties fleet;

	@BeforeEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void latencyWithoutTrafficOrCanaryHasNoNumbers() {
		MvcTestResult result = get("/admin/latency");

		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson().extractingPath("$.stable.version").isEqualTo("v1");
		assertThat(result).bodyJson().extractingPath("$.stable.sample_count").isEqualTo(0);
		assertThat(result).bodyJson().extractingPath("$.stable.p99_ms").isNull();
		assertThat(result).bodyJson().extractingPath("$.canary").isNull();
		assertThat(result).bodyJson()
			.extractingPath("$.generation")
			.asNumber()
			.isEqualTo((int) deployments.current().generation());
	}

	@Test
	void latencyShowsEachVersionsPercentilesWithoutAuditing() throws Exception {
		deploy();
		predict(300);
		int recorded = events.newest(10_000).size();

		MvcTestResult result = get("/admin/latency");

		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson().extractingPath("$.canary.version").isEqualTo("v2");
		long stable = deployments.current().samples().stable().recordedCount();
		long canary = deployments.current().samples().canary().recordedCount();
		assertThat(stable + canary).isEqualTo(300);
		assertThat(result).bodyJson().extractingPath("$.stable.request_count").asNumber().isEqualTo((int) stable);
		assertThat(result).bodyJson().extractingPath("$.canary.sample_count").asNumber().isEqualTo((int) canary);
		String body = result.getResponse().getContentAsString();
		for (String role : new String[] { "stable", "canary" }) {
			double p50 = JsonPath.<Number>read(body, "$." + role + ".p50_ms").doubleValue();
			double p95 = JsonPath.<Number>read(body, "$." + role + ".p95_ms").doubleValue();
			double p99 = JsonPath.<Number>read(body, "$." + role + ".p99_ms").doubleValue();
			assertThat(p50).as(role).isPositive().isLessThanOrEqualTo(p95);
			assertThat(p95).as(role).isLessThanOrEqualTo(p99);
		}
		assertThat(events.newest(10_000)).hasSize(recorded);
		// File mode: the one process contributed everything.
		assertThat(result).bodyJson().extractingPath("$.replicas").asArray().hasSize(1);
		assertThat(result).bodyJson().extractingPath("$.replicas[0].replica_id").isEqualTo(fleet.replicaId());
		assertThat(result).bodyJson()
			.extractingPath("$.replicas[0].stable_sample_count")
			.asNumber()
			.isEqualTo((int) stable);
		assertThat(result).bodyJson()
			.extractingPath("$.replicas[0].canary_sample_count")
			.asNumber()
			.isEqualTo((int) canary);
	}

	@Test
	void theLatestCheckIsTheLastOneOfThisPeriodAndPollingItRunsNone() throws Exception {
		deploy();
		assertThat(get("/admin/check-canary-health/latest")).bodyJson().extractingPath("$.report").isNull();
		predict(300);
		MvcTestResult check = get("/admin/check-canary-health");
		int recorded = events.newest(10_000).size();

		MvcTestResult latest = get("/admin/check-canary-health/latest");

		assertThat(latest).hasStatusOk();
		assertThat(latest).bodyJson().extractingPath("$.checked_at").isNotNull();
		String checked = check.getResponse().getContentAsString();
		assertThat(latest).bodyJson().extractingPath("$.report.verdict").isEqualTo(JsonPath.read(checked, "$.verdict"));
		assertThat(latest).bodyJson()
			.extractingPath("$.report.canary_sample_count")
			.isEqualTo(JsonPath.read(checked, "$.canary_sample_count"));
		assertThat(latest).bodyJson()
			.extractingPath("$.report.judges")
			.asMap()
			.containsOnlyKeys("welch", "mann_whitney", "tail_latency", "errors", "agreement");
		assertThat(events.newest(10_000)).as("reading the latest check is not a check").hasSize(recorded);
		assertThat(latest).bodyJson()
			.extractingPath("$.report.replicas[0].replica_id")
			.as("file mode: the one process")
			.isEqualTo(fleet.replicaId());
		assertThat(latest).bodyJson()
			.extractingPath("$.report.replicas[0].canary_sample_count")
			.isEqualTo(JsonPath.read(checked, "$.canary_sample_count"));

		deployments.rollbackCanary(null);

		assertThat(get("/admin/check-canary-health/latest")).as("a new period has not been checked")
			.bodyJson()
			.extractingPath("$.report")
			.isNull();
	}

	private void deploy() {
		assertThat(mvc.post()
			.uri("/admin/deploy-canary")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"version\": \"v2\", \"weight\": 0.3}")
			.exchange()).hasStatusOk();
	}

	private void predict(int requests) {
		for (int i = 0; i < requests; i++) {
			assertThat(mvc.post()
				.uri("/predict")
				.contentType(MediaType.APPLICATION_JSON)
				.content(TestRequests.PREDICT_BODY)
				.exchange()).hasStatusOk();
		}
	}

	private MvcTestResult get(String path) {
		return mvc.get().uri(path).header("Authorization", "Bearer " + TestTokens.OPERATOR).exchange();
	}

}
