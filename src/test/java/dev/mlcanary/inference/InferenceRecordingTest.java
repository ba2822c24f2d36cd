package dev.mlcanary.inference;

import dev.mlcanary.TestRequests;
import dev.mlcanary.TestTokens;
import dev.mlcanary.WithAdminTokens;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through HTTP: what an inference request records for the health check (a batch of more
 * than one row: no latency sample; one row: one, as {@code /predict}), and that a routing
 * key sends each whole batch to one side, the side {@code /predict} gives that key.
 */
@WithAdminTokens
class InferenceRecordingTest {

	private static final String THREE_ROWS = InferenceProtocolContractTest.request("FP64", "[3, 5]",
			"[0.5, 1.2, 0.8, 0.3, 1.1, 0.1, 0.4, 1.3, 0.0, 0.2, 1.4, 0.2, 0.1, 1.0, 0.9]");

	private static final String ONE_ROW = InferenceProtocolContractTest.request("FP64", "[1, 5]",
			"[0.5, 1.2, 0.8, 0.3, 1.1]");

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	DeploymentService deployments;

	@BeforeEach
	void canaryAtHalf() {
		TestRequests.startFromStableOnly(deployments);
		deployments.deployCanary("v2", null, 0.5, null);
	}

	@Test
	void aBatchAddsNoLatencySampleAndOneRowAddsOne() {
		Deployment deployment = deployments.current();

		for (String route : new String[] { "canary", "stable" }) {
			assertThat(infer(THREE_ROWS, route, null)).hasStatusOk();
		}
		assertThat(deployment.samples().canary().recordedCount()).isZero();
		assertThat(deployment.samples().stable().recordedCount()).isZero();

		assertThat(infer(ONE_ROW, "canary", null)).hasStatusOk();
		assertThat(infer(ONE_ROW, "stable", null)).hasStatusOk();
		assertThat(deployment.samples().canary().recordedCount()).isEqualTo(1);
		assertThat(deployment.samples().stable().recordedCount()).isEqualTo(1);
	}

	@Test
	void aRequestKeySendsEveryBatchToTheSideItsPredictionsGo() {
		for (int key = 0; key < 20; key++) {
			String requestKey = "customer-" + key;
			String predicted = json
				.readTree(mvc.post()
					.uri("/predict")
					.header("X-Request-Key", requestKey)
					.contentType(MediaType.APPLICATION_JSON)
					.content(TestRequests.PREDICT_BODY)
					.exchange()
					.getResponse()
					.getContentAsByteArray())
				.get("model_version")
				.asString();
			for (int i = 0; i < 3; i++) {
				MvcTestResult result = infer(THREE_ROWS, null, requestKey);
				JsonNode body = json.readTree(result.getResponse().getContentAsByteArray());
				assertThat(body.get("model_version").asString()).as(requestKey).isEqualTo(predicted);
			}
		}
	}

	private MvcTestResult infer(String body, String route, String requestKey) {
		var request = mvc.post().uri("/v2/models/churn/infer").contentType(MediaType.APPLICATION_JSON).content(body);
		if (route != null) {
			request = request.header("X-Canary-Route", route).header("Authorization", "Bearer " + TestTokens.OPERATOR);
		}
		if (requestKey != null) {
			request = request.header("X-Request-Key", requestKey);
		}
		return request.exchange();
	}

}
