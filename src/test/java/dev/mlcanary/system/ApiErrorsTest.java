package dev.mlcanary.system;

import java.util.stream.Stream;

import dev.mlcanary.TestRequests;
import dev.mlcanary.deployment.DeploymentService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every kind of bad request gets a 4xx problem+json with a useful detail, changes
 * nothing, and the service keeps serving. The whole application runs on a mock servlet
 * environment with the bundled models, so the filter, the JSON configuration and the
 * error advice are the production ones.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ApiErrorsTest {

	private static final String VALID = TestRequests.PREDICT_BODY;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@BeforeEach
	void startFromStableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	static Stream<Arguments> badRequests() {
		String big = "{\"features\": [" + "1,".repeat(40_000) + "1]}";
		return Stream.of(
				// /predict: the input of a prediction
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, 1.2, 0.8, 0.3]}", 400,
						"exactly 5 numbers"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, 1.2, 0.8, 0.3, 1.1, 2]}", 400,
						"got 6"),
				arguments("POST", "/predict", "application/json", "{\"features\": []}", 400, "got 0"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, NaN, 0.8, 0.3, 1.1]}", 400,
						"NaN and Infinity"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, Infinity, 0.8, 0.3, 1.1]}", 400,
						"NaN and Infinity"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, 1e999, 0.8, 0.3, 1.1]}", 400,
						"features[1] must be a finite number"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, \"1.2\", 0.8, 0.3, 1.1]}", 400,
						"features[1] must be a number, got a string"),
				arguments("POST", "/predict", "application/json", "{\"features\": [null, 1.2, 0.8, 0.3, 1.1]}", 400,
						"features[0] must be a number, got null"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, 1.2, true, 0.3, 1.1]}", 400,
						"features[2] must be a number, got a boolean"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, 1.2, 0.8, [0.3], 1.1]}", 400,
						"features[3] must be a number, got a nested array"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, 1.2, 0.8, 0.3, {\"x\": 1}]}",
						400, "features[4] must be a number, got an object"),
				arguments("POST", "/predict", "application/json", "{\"features\": \"0.5,1.2\"}", 400,
						"must be an array of 5 numbers, got a string"),
				arguments("POST", "/predict", "application/json", "{\"features\": null}", 400, "got null"),
				arguments("POST", "/predict", "application/json", "{}", 400, "\"features\" is required"),
				arguments("POST", "/predict", "application/json",
						"{\"features\": [0.5, 1.2, 0.8, 0.3, 1.1], \"extra\": 1}", 400, "Unknown field \"extra\""),
				arguments("POST", "/predict", "application/json", "", 400, "request body is empty"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5,", 400, "not valid JSON"),
				arguments("POST", "/predict", "application/json", "{\"features\": [0.5, 1.2, 0.8, 0.3, 1.1]} trailing",
						400, "not valid JSON"),
				arguments("POST", "/predict", "application/json", "[0.5, 1.2, 0.8, 0.3, 1.1]", 400,
						"must be a JSON object"),
				arguments("POST", "/predict", "application/json", "\"hello\"", 400, "must be a JSON object"),
				arguments("POST", "/predict", "application/json", "42", 400, "must be a JSON object"),
				arguments("POST", "/predict", "application/json",
						"{\"features\": [0.5, 1.2, 0.8, 0.3, 1.1], \"features\": [1, 1, 1, 1, 1]}", 400,
						"Duplicate Object property \"features\""),
				arguments("POST", "/predict", "application/json",
						"{\"features\": [" + "9".repeat(5000) + ", 1, 1, 1, 1]}", 400, "too many digits"),
				arguments("POST", "/predict", "text/plain", VALID, 415, "text/plain"),
				arguments("POST", "/predict", null, VALID, 415, "Content-Type: application/json"),
				arguments("POST", "/predict/", "application/json", VALID, 404, "POST /predict/"),
				arguments("POST", "/predict", "application/xml", "<features/>", 415, "application/xml"),
				arguments("POST", "/predict", "application/json", big, 413, "65536 bytes"),
				arguments("GET", "/predict", null, null, 405, "use POST"),
				// /admin/deploy-canary: model references and options
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v9\"}", 404,
						"Available versions: v1, v2, v3"),
				arguments("POST", "/admin/deploy-canary", "application/json",
						"{\"model_path\": \"models/model_v9.ser\"}", 404, "No model file"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"model_path\": \"../../etc/passwd\"}",
						400, "outside the model directory"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"model_path\": \"/etc/passwd\"}", 400,
						"outside the model directory"),
				arguments("POST", "/admin/deploy-canary", "application/json",
						"{\"model_path\": \"models/model_v2.json\"}", 400, "not a registered model"),
				arguments("POST", "/admin/deploy-canary", "application/json",
						"{\"model_path\": \"models/x\\u0000.ser\"}", 400, "NUL"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v1\"}", 409,
						"stable version already"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{}", 400, "exactly one of"),
				arguments("POST", "/admin/deploy-canary", "application/json",
						"{\"version\": \"v2\", \"model_path\": \"models/model_v2.ser\"}", 400, "exactly one of"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"model_path\": 123}", 400,
						"\"model_path\" must be a string"),
				arguments("POST", "/admin/deploy-canary", "application/json",
						"{\"version\": \"v2\", \"weight\": \"abc\"}", 400, "\"weight\" must be a number"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v2\", \"weight\": 0}",
						400, "greater than 0 and at most 1"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v2\", \"weight\": 1.5}",
						400, "greater than 0 and at most 1"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v2\", \"weight\": -0.1}",
						400, "greater than 0 and at most 1"),
				arguments("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v2\", \"weight\": NaN}",
						400, "NaN and Infinity"),
				arguments("POST", "/admin/deploy-canary", "application/json",
						"{\"version\": \"v2\", \"colour\": \"red\"}", 400, "Unknown field \"colour\""),
				arguments("POST", "/admin/deploy-canary", "application/json", "", 400, "request body is empty"),
				arguments("POST", "/admin/deploy-canary", "text/plain", "v2", 415, "text/plain"),
				// state conflicts
				arguments("POST", "/admin/promote-canary", null, null, 409, "No canary is deployed"),
				arguments("POST", "/admin/rollback-canary", null, null, 409, "No canary is deployed"),
				// power analysis parameters
				arguments("GET", "/admin/power-analysis?alpha=1.5", null, null, 400, "alpha"),
				arguments("GET", "/admin/power-analysis?alpha=0", null, null, 400, "alpha"),
				arguments("GET", "/admin/power-analysis?alpha=abc", null, null, 400,
						"Parameter 'alpha' must be a number"),
				arguments("GET", "/admin/power-analysis?power=0.01", null, null, 400, "power"),
				arguments("GET", "/admin/power-analysis?power=1", null, null, 400, "power"),
				arguments("GET", "/admin/power-analysis?effect_size=0", null, null, 400, "effect"),
				arguments("GET", "/admin/power-analysis?effect_size=-1", null, null, 400, "effect"),
				arguments("GET", "/admin/power-analysis?effect_size=NaN", null, null, 400, "effect"),
				arguments("GET", "/admin/power-analysis?effect_size=Infinity", null, null, 400, "effect"),
				arguments("GET", "/admin/check-canary-health?mode=bayesian", null, null, 400, "mode must be"),
				arguments("GET", "/admin/events?limit=0", null, null, 400, "limit must be between 1 and 10000"),
				arguments("GET", "/admin/events?limit=abc", null, null, 400, "Parameter 'limit' must be a number"),
				// numbers out of range say so, with the range, however large
				arguments("GET", "/admin/events?limit=10001", null, null, 400,
						"limit must be between 1 and 10000, was 10001."),
				arguments("GET", "/admin/events?limit=-5", null, null, 400,
						"limit must be between 1 and 10000, was -5."),
				arguments("GET", "/admin/events?limit=99999999999999", null, null, 400,
						"limit must be between 1 and 10000, was 99999999999999."),
				arguments("POST", "/admin/toggle-slowdown?expected_generation=99999999999999999999", null, null, 400,
						"expected_generation must be between -9223372036854775808 and 9223372036854775807, was 99999999999999999999."),
				arguments("POST", "/admin/deploy-canary", "application/json",
						"{\"version\": \"v2\", \"expected_generation\": 99999999999999999999}", 400,
						"Field \"expected_generation\" must be a whole number between -9223372036854775808 and 9223372036854775807, was 99999999999999999999."),
				arguments("GET", "/admin/power-analysis?effect_size=1e400", null, null, 400,
						"effect_size must be a positive finite number"),
				arguments("GET", "/admin/nothing-here", null, null, 404, "/admin/nothing-here"));
	}

	@ParameterizedTest(name = "{0} {1} [{2}] {3} -> {4}")
	@MethodSource("badRequests")
	void badRequestsGetAProblemAndChangeNothing(String method, String path, String contentType, String body, int status,
			String detail) {
		long generation = deployments.current().generation();

		MvcTestResult result = exchange(method, path, contentType, body);

		assertThat(result).hasStatus(status);
		assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.status").asNumber().isEqualTo(status);
		assertThat(result).bodyJson().extractingPath("$.title").asString().isNotBlank();
		assertThat(result).bodyJson().extractingPath("$.type").asString().startsWith("urn:ml-canary:problem:");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detail);
		assertThat(deployments.current().generation()).as("a refused request changes nothing").isEqualTo(generation);
		assertThat(exchange("POST", "/predict", "application/json", VALID)).as("still serving").hasStatusOk();
	}

	@Test
	void conflictingDeployWhileACanaryIsActiveIsRefused() {
		assertThat(exchange("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v2\"}")).hasStatusOk();
		long generation = deployments.current().generation();

		MvcTestResult again = exchange("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v2\"}");

		assertThat(again).hasStatus(409);
		assertThat(again).bodyJson().extractingPath("$.detail").asString().contains("already deployed");
		assertThat(again).bodyJson()
			.extractingPath("$.type")
			.asString()
			.isEqualTo("urn:ml-canary:problem:deployment-conflict");
		assertThat(deployments.current().generation()).isEqualTo(generation);
		assertThat(deployments.current().canary().version()).isEqualTo("v2");
	}

	@Test
	void unknownVersionListsTheAvailableOnes() {
		MvcTestResult result = exchange("POST", "/admin/deploy-canary", "application/json", "{\"version\": \"v9\"}");

		assertThat(result).bodyJson()
			.extractingPath("$.available_versions")
			.asArray()
			.containsExactly("v1", "v2", "v3");
		assertThat(result).bodyJson()
			.extractingPath("$.type")
			.asString()
			.isEqualTo("urn:ml-canary:problem:model-not-found");
	}

	@Test
	void aValidPredictionNamesItsModel() {
		MvcTestResult result = exchange("POST", "/predict", "application/json", VALID);

		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson().extractingPath("$.model_used").isEqualTo("stable");
		assertThat(result).bodyJson().extractingPath("$.model_version").isEqualTo("v1");
		assertThat(result).bodyJson()
			.extractingPath("$.churn_probability")
			.asNumber()
			.satisfies(p -> assertThat(p.doubleValue()).isBetween(0.0, 1.0));
		assertThat(result).bodyJson()
			.extractingPath("$.latency_ms")
			.asNumber()
			.satisfies(ms -> assertThat(ms.doubleValue()).isGreaterThanOrEqualTo(0.0));
	}

	private MvcTestResult exchange(String method, String path, String contentType, String body) {
		var request = mvc.method(HttpMethod.valueOf(method)).uri(path);
		if (contentType != null) {
			request = request.contentType(contentType);
		}
		if (body != null) {
			request = request.content(body);
		}
		return request.exchange();
	}

}
