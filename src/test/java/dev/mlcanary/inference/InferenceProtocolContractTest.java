package dev.mlcanary.inference;

import dev.mlcanary.TestRequests;
import dev.mlcanary.TestTokens;
import dev.mlcanary.WithAdminTokens;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.model.BundledModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every endpoint of the Open Inference Protocol (KServe V2, REST) as the protocol
 * specifies it. The requests and answers are those of the protocol's own examples
 * (kserve/kserve, docs/predict-api/v2/required_api.md, "Inference Request Examples" and
 * "Tensor Data"; Apache-2.0), adapted to this model: one input {@code features} of shape
 * {@code [N, 5]} and one output {@code churn_probability}.
 */
@WithAdminTokens
class InferenceProtocolContractTest {

	private static final String OPERATOR = "Bearer " + TestTokens.OPERATOR;

	private static final double[] ROW = { 0.5, 1.2, 0.8, 0.3, 1.1 };

	private static final double[] ROW2 = { 0.1, 0.4, 1.3, 0.0, 0.2 };

	/** The spec's example request, with this model's input and output. */
	private static final String SPEC_EXAMPLE = """
			{
			  "id" : "42",
			  "inputs" : [
			    {
			      "name" : "features",
			      "shape" : [ 2, 5 ],
			      "datatype" : "FP64",
			      "data" : [ 0.5, 1.2, 0.8, 0.3, 1.1, 0.1, 0.4, 1.3, 0.0, 0.2 ]
			    }
			  ],
			  "outputs" : [
			    {
			      "name" : "churn_probability"
			    }
			  ]
			}""";

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	@Autowired
	DeploymentService deployments;

	@Autowired
	ApplicationContext context;

	@BeforeEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void serverMetadataNamesTheServerItsVersionAndNoExtensions() {
		JsonNode body = ok(get("/v2"));

		assertThat(body.get("name").asString()).isEqualTo("ml-canary");
		assertThat(body.get("version").asString()).isNotBlank();
		assertThat(body.get("extensions").isArray()).isTrue();
		assertThat(body.get("extensions").size()).isZero();
	}

	@Test
	void liveAndReadyAre200WithAnEmptyBody() {
		for (String path : new String[] { "/v2/health/live", "/v2/health/ready", "/v2/models/churn/ready",
				"/v2/models/churn/versions/v1/ready" }) {
			MvcTestResult result = get(path);
			assertThat(result).as(path).hasStatusOk();
			assertThat(result.getResponse().getContentAsByteArray()).as(path).isEmpty();
		}
	}

	@Test
	void notReadyIsA400WithAnEmptyBodyWhileReadinessRefusesTraffic() {
		AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
		try {
			for (String path : new String[] { "/v2/health/ready", "/v2/models/churn/ready" }) {
				MvcTestResult result = get(path);
				assertThat(result).as(path).hasStatus(400);
				assertThat(result.getResponse().getContentAsByteArray()).as(path).isEmpty();
			}
			assertThat(get("/v2/health/live")).as("still live").hasStatusOk();
		}
		finally {
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
		}
		assertThat(get("/v2/health/ready")).hasStatusOk();
	}

	@Test
	void notLiveIsA400WithAnEmptyBodyWhileLivenessIsBroken() {
		AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
		try {
			MvcTestResult result = get("/v2/health/live");
			assertThat(result).hasStatus(400);
			assertThat(result.getResponse().getContentAsByteArray()).isEmpty();
		}
		finally {
			AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
		}
		assertThat(get("/v2/health/live")).hasStatusOk();
	}

	@Test
	void modelMetadataListsTheServingVersionsAndTheTensors() {
		JsonNode stableOnly = ok(get("/v2/models/churn"));
		assertThat(stableOnly.get("name").asString()).isEqualTo("churn");
		assertThat(stableOnly.get("versions").toString()).isEqualTo("[\"v1\"]");
		assertThat(stableOnly.get("platform").asString()).isEqualTo("smile-logistic-regression");
		assertThat(stableOnly.get("inputs").toString())
			.isEqualTo("[{\"name\":\"features\",\"datatype\":\"FP64\",\"shape\":[-1,5]}]");
		assertThat(stableOnly.get("outputs").toString())
			.isEqualTo("[{\"name\":\"churn_probability\",\"datatype\":\"FP64\",\"shape\":[-1]}]");

		deployments.deployCanary("v2", null, 0.1, null);
		assertThat(ok(get("/v2/models/churn")).get("versions").toString()).isEqualTo("[\"v1\",\"v2\"]");
		assertThat(ok(get("/v2/models/churn/versions/v2")).get("name").asString()).isEqualTo("churn");
		assertThat(get("/v2/models/churn/versions/v2/ready")).hasStatusOk();
	}

	@Test
	void theSpecsExampleIsAnsweredWithTheIdTheVersionTheRoleAndOneProbabilityPerRow() {
		JsonNode body = ok(post("/v2/models/churn/infer", SPEC_EXAMPLE));

		assertThat(body.get("model_name").asString()).isEqualTo("churn");
		assertThat(body.get("model_version").asString()).isEqualTo("v1");
		assertThat(body.get("id").asString()).isEqualTo("42");
		assertThat(body.get("parameters").toString()).isEqualTo("{\"role\":\"stable\"}");
		JsonNode output = body.at("/outputs/0");
		assertThat(body.get("outputs").size()).isEqualTo(1);
		assertThat(output.get("name").asString()).isEqualTo("churn_probability");
		assertThat(output.get("datatype").asString()).isEqualTo("FP64");
		assertThat(output.get("shape").toString()).isEqualTo("[2]");
		assertThat(output.at("/data/0").asDouble()).isEqualTo(BundledModels.V1.churnProbability(ROW));
		assertThat(output.at("/data/1").asDouble()).isEqualTo(BundledModels.V1.churnProbability(ROW2));
	}

	@Test
	void withoutAnIdTheAnswerHasNone() {
		JsonNode body = ok(post("/v2/models/churn/infer", request("FP64", "[1, 5]", "[0.5, 1.2, 0.8, 0.3, 1.1]")));

		assertThat(body.has("id")).isFalse();
		assertThat(body.at("/outputs/0/data/0").asDouble()).isEqualTo(BundledModels.V1.churnProbability(ROW));
	}

	/**
	 * The spec's "Tensor Data": the natural nested form and the flat form are the same
	 * tensor.
	 */
	@Test
	void nestedDataIsTheSameTensorAsFlatData() {
		JsonNode flat = ok(post("/v2/models/churn/infer",
				request("FP64", "[2, 5]", "[0.5, 1.2, 0.8, 0.3, 1.1, 0.1, 0.4, 1.3, 0.0, 0.2]")));
		JsonNode nested = ok(post("/v2/models/churn/infer",
				request("FP64", "[2, 5]", "[[0.5, 1.2, 0.8, 0.3, 1.1], [0.1, 0.4, 1.3, 0.0, 0.2]]")));

		assertThat(nested.get("outputs")).isEqualTo(flat.get("outputs"));
	}

	@Test
	void fp32DataIsRoundedToFloatsAndScoredInDoublePrecision() {
		JsonNode body = ok(post("/v2/models/churn/infer", request("FP32", "[1, 5]", "[0.5, 1.2, 0.8, 0.3, 1.1]")));

		double[] floats = new double[ROW.length];
		for (int i = 0; i < ROW.length; i++) {
			floats[i] = (float) ROW[i];
		}
		assertThat(body.at("/outputs/0/datatype").asString()).isEqualTo("FP64");
		assertThat(body.at("/outputs/0/data/0").asDouble()).isEqualTo(BundledModels.V1.churnProbability(floats))
			.isCloseTo(BundledModels.V1.churnProbability(ROW), within(1e-6));
	}

	@Test
	void aVersionPathIsServedByThatVersion() {
		deployments.deployCanary("v2", null, 0.1, null);
		String body = request("FP64", "[1, 5]", "[0.5, 1.2, 0.8, 0.3, 1.1]");

		JsonNode canary = ok(post("/v2/models/churn/versions/v2/infer", body));
		JsonNode stable = ok(post("/v2/models/churn/versions/v1/infer", body));

		assertThat(canary.get("model_version").asString()).isEqualTo("v2");
		assertThat(canary.get("parameters").toString()).isEqualTo("{\"role\":\"canary\"}");
		assertThat(canary.at("/outputs/0/data/0").asDouble()).isEqualTo(BundledModels.V2.churnProbability(ROW));
		assertThat(stable.get("model_version").asString()).isEqualTo("v1");
	}

	@Test
	void theCanaryRouteHeaderSendsTheBatchToTheCanaryWithTheOperatorToken() {
		deployments.deployCanary("v2", null, 0.1, null);

		MvcTestResult result = mvc.post()
			.uri("/v2/models/churn/infer")
			.header("X-Canary-Route", "canary")
			.header("Authorization", OPERATOR)
			.contentType(MediaType.APPLICATION_JSON)
			.content(SPEC_EXAMPLE)
			.exchange();

		assertThat(ok(result).get("model_version").asString()).isEqualTo("v2");
		MvcTestResult withoutToken = mvc.post()
			.uri("/v2/models/churn/infer")
			.header("X-Canary-Route", "canary")
			.contentType(MediaType.APPLICATION_JSON)
			.content(SPEC_EXAMPLE)
			.exchange();
		assertThat(withoutToken).hasStatus(401);
		assertThat(withoutToken).bodyJson()
			.extractingPath("$.error")
			.isEqualTo("X-Canary-Route needs the admin token: send 'Authorization: Bearer <token>'.");
	}

	@Test
	void everyRefusalIsProblemJsonWithTheProtocolsErrorBesideDetail() {
		String[][] cases = { { "/v2/models/churn/infer", request("INT32", "[1, 5]", "[1, 2, 3, 4, 5]"), "400" },
				{ "/v2/models/churn/infer", request("FP64", "[1, 4]", "[1, 2, 3, 4]"), "400" },
				{ "/v2/models/churn/infer", request("FP64", "[1, 5]", "[1, 2, 3, 4]"), "400" },
				{ "/v2/models/churn/infer", request("FP64", "[2, 5]", "[[1, 2, 3, 4, 5], [1, 2, 3, 4]]"), "400" },
				{ "/v2/models/churn/infer", request("FP64", "[1, 5]", "[1, 2, 3, 4, 1e400]"), "400" },
				{ "/v2/models/churn/infer", request("FP32", "[1, 5]", "[1, 2, 3, 4, 1e39]"), "400" },
				{ "/v2/models/churn/infer", request("FP64", "[1, 5]", "[1, \"2\", 3, 4, 5]"), "400" },
				{ "/v2/models/churn/infer", "{\"inputs\": [", "400" },
				{ "/v2/models/churn/infer", "{\"inputs\": []}", "400" },
				{ "/v2/models/mymodel/infer", SPEC_EXAMPLE, "404" },
				{ "/v2/models/churn/versions/v9/infer", SPEC_EXAMPLE, "404" },
				{ "/v2/models/churn/infer", SPEC_EXAMPLE.replace("\"churn_probability\"", "\"output0\""), "400" },
				{ "/v2/models/churn/infer", SPEC_EXAMPLE.replace("\"features\"", "\"input0\""), "400" } };
		for (String[] c : cases) {
			MvcTestResult result = post(c[0], c[1]);
			assertThat(result).as(c[1]).hasStatus(Integer.parseInt(c[2]));
			assertThat(result).as(c[1]).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
			JsonNode problem = json.readTree(result.getResponse().getContentAsByteArray());
			assertThat(problem.get("error").asString()).as(c[1]).isEqualTo(problem.get("detail").asString());
		}
		MvcTestResult unknown = get("/v2/models/mymodel");
		assertThat(unknown).hasStatus(404);
		assertThat(unknown).bodyJson()
			.extractingPath("$.error")
			.isEqualTo("Unknown model 'mymodel'; this server serves one model, 'churn'.");
		assertThat(get("/v2/models/churn/versions/v9")).hasStatus(404)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("Version 'v9' is not being served; the serving versions are v1 (stable).");
	}

	@Test
	void aBatchOverTheLimitIsA413ThatSaysTheLimit() {
		StringBuilder data = new StringBuilder("[");
		for (int i = 0; i < 10_001 * 5; i++) {
			data.append(i == 0 ? "" : ",").append('1');
		}
		MvcTestResult result = post("/v2/models/churn/infer", request("FP64", "[10001, 5]", data + "]"));

		assertThat(result).hasStatus(413);
		assertThat(result).bodyJson().extractingPath("$.max_batch_rows").isEqualTo(10_000);
		assertThat(result).bodyJson().extractingPath("$.error").asString().contains("at most 10000 rows");
	}

	@Test
	void bodiesUnderV2ModelsHaveTheirOwnLimitAndItsRefusalCarriesError() {
		String large = request("FP64", "[1, 5]", "[1, 2, 3, 4, 5]") + " ".repeat(100_000);
		assertThat(post("/v2/models/churn/infer", large)).as("over /predict's 64 KiB, under 2 MB").hasStatusOk();
		assertThat(post("/predict", TestRequests.PREDICT_BODY + " ".repeat(100_000))).hasStatus(413);

		MvcTestResult tooLarge = post("/v2/models/churn/infer", large + " ".repeat(2_100_000));

		assertThat(tooLarge).hasStatus(413);
		assertThat(tooLarge).bodyJson()
			.extractingPath("$.error")
			.isEqualTo("The request body is larger than the limit of 2097152 bytes.");
	}

	@Test
	void aBatchAtTheLimitIsServed() {
		StringBuilder data = new StringBuilder("[");
		for (int i = 0; i < 10_000 * 5; i++) {
			data.append(i == 0 ? "" : ",").append("0.5");
		}
		JsonNode body = ok(post("/v2/models/churn/infer", request("FP64", "[10000, 5]", data + "]")));

		assertThat(body.at("/outputs/0/shape").toString()).isEqualTo("[10000]");
		assertThat(body.at("/outputs/0/data").size()).isEqualTo(10_000);
	}

	static String request(String datatype, String shape, String data) {
		return "{\"inputs\": [{\"name\": \"features\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
				+ "\", \"data\": " + data + "}]}";
	}

	private JsonNode ok(MvcTestResult result) {
		assertThat(result).hasStatusOk();
		return json.readTree(result.getResponse().getContentAsByteArray());
	}

	private MvcTestResult get(String path) {
		return TestRequests.call(mvc, HttpMethod.GET, path, null, null);
	}

	private MvcTestResult post(String path, String body) {
		return TestRequests.call(mvc, HttpMethod.POST, path, null, body);
	}

}
