package dev.mlcanary.audit;

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
 * Every admin action, refused ones included, lands in the audit trail with who, what and
 * how it ended.
 */
@WithAdminTokens
class AuditTrailTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	EventLog events;

	@Autowired
	DeploymentService deployments;

	@BeforeEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void aSuccessfulDeployIsRecordedWithActorAndVersions() {
		assertThat(post("/admin/deploy-canary", "{\"version\": \"v2\", \"weight\": 0.25}", TestTokens.OPERATOR))
			.hasStatusOk();

		AuditEvent event = events.newest(1).get(0);
		assertThat(event.action()).isEqualTo("deploy-canary");
		assertThat(event.outcome()).isEqualTo("success");
		assertThat(event.actor()).isEqualTo("operator-token");
		assertThat(event.stableBefore()).isEqualTo("v1");
		assertThat(event.canaryBefore()).isNull();
		assertThat(event.canaryAfter()).isEqualTo("v2");
		assertThat(event.weight()).isEqualTo(0.25);
	}

	@Test
	void refusedCallsAreRecordedWithTheirReason() {
		assertThat(post("/admin/promote-canary", null, TestTokens.OPERATOR)).hasStatus(409);
		AuditEvent conflict = events.newest(1).get(0);
		assertThat(conflict.outcome()).isEqualTo("refused");
		assertThat(conflict.status()).isEqualTo(409);
		assertThat(conflict.detail()).contains("No canary is deployed");

		assertThat(post("/admin/rollback-canary", null, "wrong-token-0123456789")).hasStatus(401);
		AuditEvent unauthenticated = events.newest(1).get(0);
		assertThat(unauthenticated.actor()).isEqualTo("anonymous");
		assertThat(unauthenticated.status()).isEqualTo(401);
		assertThat(unauthenticated.detail()).contains("not valid");
	}

	@Test
	void healthChecksAreRecordedWithTheirVerdict() {
		assertThat(mvc.get()
			.uri("/admin/check-canary-health")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.exchange()).hasStatusOk();

		AuditEvent event = events.newest(1).get(0);
		assertThat(event.action()).isEqualTo("check-canary-health");
		assertThat(event.verdict()).isNotNull();
		assertThat(event.verdict().alertTriggered()).isFalse();
		assertThat(event.verdict().message()).isEqualTo("No active canary deployment to monitor.");
		assertThat(event.verdict().verdict()).isEqualTo(dev.mlcanary.shared.Verdict.INCONCLUSIVE);
	}

	@Test
	void aToggleRecordsWhetherTheSlowdownWentOnOrOff() {
		assertThat(post("/admin/toggle-slowdown", null, TestTokens.OPERATOR)).hasStatusOk();
		boolean first = events.newest(1).get(0).slowdown();
		assertThat(post("/admin/toggle-slowdown", null, TestTokens.OPERATOR)).hasStatusOk();

		assertThat(events.newest(1).get(0).slowdown()).isEqualTo(!first).isEqualTo(deployments.current().slowdown());
	}

	@Test
	void theEventsEndpointListsTheNewestFirst() {
		post("/admin/deploy-canary", "{\"version\": \"v2\"}", TestTokens.OPERATOR);
		post("/admin/rollback-canary", null, TestTokens.OPERATOR);

		MvcTestResult result = mvc.get()
			.uri("/admin/events?limit=2")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.exchange();

		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson().extractingPath("$.count").isEqualTo(2);
		assertThat(result).bodyJson().extractingPath("$.events[0].action").isEqualTo("rollback-canary");
		assertThat(result).bodyJson().extractingPath("$.events[1].action").isEqualTo("deploy-canary");
		assertThat(mvc.get()
			.uri("/admin/events?limit=0")
			.header("Authorization", "Bearer " + TestTokens.OPERATOR)
			.exchange()).hasStatus(400);
		assertThat(mvc.get().uri("/admin/events").exchange()).as("reading the trail needs a token").hasStatus(401);
	}

	private MvcTestResult post(String path, String body, String token) {
		var request = mvc.post().uri(path).header("Authorization", "Bearer " + token);
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).content(body);
		}
		return request.exchange();
	}

}
