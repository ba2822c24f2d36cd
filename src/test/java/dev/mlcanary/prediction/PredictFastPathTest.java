package dev.mlcanary.prediction;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import dev.mlcanary.ExpectedLog;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.model.BundledModels;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.system.ProblemResponses;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import smile.classification.LogisticRegression;
import smile.util.IntSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The fast path answers exactly the requests the controller would answer 200, with the
 * same JSON, and hands every other request on with its body intact (the controller's
 * problem+json for each of those is {@code ApiErrorsTest}'s;
 * {@code PredictFastPathEquivalenceTest} compares the two answers over HTTP).
 */
class PredictFastPathTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final LoadedModel v1 = BundledModels.V1;

	private static final LoadedModel v2 = BundledModels.V2;

	/**
	 * The 500's cause, logged with its stack trace: asserted here rather than printed in
	 * the build log.
	 */
	@RegisterExtension
	final ExpectedLog log = ExpectedLog.of(ProblemResponses.class);

	static Stream<Arguments> answeredHere() {
		return Stream.of(
				arguments("{\"features\":[0.5,1.2,0.8,0.3,1.1]}", "application/json", null, null,
						new double[] { 0.5, 1.2, 0.8, 0.3, 1.1 }),
				arguments(" {\n \"features\" : [ 1 , 0 , 2 , 0 , 1 ] }\n", "application/json", "*/*", null,
						new double[] { 1, 0, 2, 0, 1 }),
				arguments("{\"features\":[5e-1,-1.2E0,0.8,1e6,-1e6]}", "application/json;charset=UTF-8",
						"application/json", null, new double[] { 0.5, -1.2, 0.8, 1e6, -1e6 }),
				arguments("{\"features\":[0.5,1.2,0.8,0.3,1.1]}", "application/json; charset=utf-8", null,
						"customer-42", new double[] { 0.5, 1.2, 0.8, 0.3, 1.1 }));
	}

	@ParameterizedTest
	@MethodSource("answeredHere")
	void answersAValidPredictionItselfWithTheControllersJson(String body, String contentType, String accept, String key,
			double[] features) throws Exception {
		MockHttpServletRequest request = request(body, contentType);
		if (accept != null) {
			request.addHeader("Accept", accept);
		}
		if (key != null) {
			request.addHeader(RouteHint.REQUEST_KEY, key);
		}
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		fastPath(stableOnly(v1)).doFilter(request, response, chain);

		assertThat(chain.getRequest()).as("not passed on").isNull();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).isEqualTo("application/json");
		assertThat(response.getContentLength()).isEqualTo(response.getContentAsByteArray().length);
		JsonNode answer = JSON.readTree(response.getContentAsString());
		assertThat(answer.propertyNames()).containsExactly("churn_probability", "model_used", "model_version",
				"latency_ms");
		assertThat(answer.get("churn_probability").doubleValue()).isEqualTo(v1.churnProbability(features));
		assertThat(answer.get("model_used").stringValue()).isEqualTo("stable");
		assertThat(answer.get("model_version").stringValue()).isEqualTo("v1");
		assertThat(answer.get("latency_ms").doubleValue()).isNotNegative();
		assertThat(request.getAttribute(RequestTimingFilter.SERVED)).isInstanceOf(PredictionResponse.class);
	}

	@Test
	void aRequestKeyRoutesAsTheControllerDoes() throws Exception {
		PredictionService service = PredictionServiceTest.service(
				new Deployment(v1, v2, 0.5, false, Instant.EPOCH, 2, new LatencyWindows(100)), 0.0, Duration.ZERO,
				new SimpleMeterRegistry());
		for (int i = 0; i < 20; i++) {
			String key = "customer-" + i;
			MockHttpServletRequest request = request("{\"features\":[0.5,1.2,0.8,0.3,1.1]}", "application/json");
			request.addHeader(RouteHint.REQUEST_KEY, key);
			MockHttpServletResponse response = new MockHttpServletResponse();

			new PredictFastPath(service, JSON).doFilter(request, response, new MockFilterChain());

			PredictionResponse expected = service.predict(new double[] { 0.5, 1.2, 0.8, 0.3, 1.1 },
					new RouteHint(null, key));
			assertThat(JSON.readTree(response.getContentAsString()).get("model_used").stringValue()).as(key)
				.isEqualTo(expected.modelUsed().wireName());
		}
	}

	static Stream<Arguments> passedOn() {
		String valid = "{\"features\":[0.5,1.2,0.8,0.3,1.1]}";
		return Stream.of(
				// bodies the controller refuses, each with its own message
				arguments("4 features", request("{\"features\":[0.5,1.2,0.8,0.3]}", "application/json")),
				arguments("6 features", request("{\"features\":[0.5,1.2,0.8,0.3,1.1,2]}", "application/json")),
				arguments("NaN", request("{\"features\":[0.5,NaN,0.8,0.3,1.1]}", "application/json")),
				arguments("overflow", request("{\"features\":[0.5,1e999,0.8,0.3,1.1]}", "application/json")),
				arguments("beyond 1e6", request("{\"features\":[0.5,2e6,0.8,0.3,1.1]}", "application/json")),
				arguments("a string", request("{\"features\":[0.5,\"1.2\",0.8,0.3,1.1]}", "application/json")),
				arguments("a null", request("{\"features\":[null,1.2,0.8,0.3,1.1]}", "application/json")),
				arguments("an extra field",
						request("{\"features\":[0.5,1.2,0.8,0.3,1.1],\"extra\":1}", "application/json")),
				arguments("a field before",
						request("{\"extra\":1,\"features\":[0.5,1.2,0.8,0.3,1.1]}", "application/json")),
				arguments("a duplicate",
						request("{\"features\":[0.5,1.2,0.8,0.3,1.1],\"features\":[1,1,1,1,1]}", "application/json")),
				arguments("trailing tokens", request(valid + " {}", "application/json")),
				arguments("trailing garbage", request(valid + " trailing", "application/json")),
				arguments("cut short", request("{\"features\":[0.5,1.2,0.8,0.3,1.1]", "application/json")),
				arguments("an empty object", request("{}", "application/json")),
				arguments("an array", request("[0.5,1.2,0.8,0.3,1.1]", "application/json")),
				arguments("too many digits",
						request("{\"features\":[" + "9".repeat(900) + ",1,1,1,1]}", "application/json")),
				// requests the controller answers differently, or refuses
				arguments("no content type", request(valid, null)),
				arguments("text/plain", request(valid, "text/plain")),
				arguments("another charset", request(valid, "application/json;charset=ISO-8859-1")),
				arguments("a space inside the type", request(valid, "application/ json")),
				arguments("a space inside the charset", request(valid, "application/json; charset=utf -8")),
				arguments("another parameter", request(valid, "application/json;v=1")),
				arguments("a repeated key",
						withHeader(withHeader(request(valid, "application/json"), RouteHint.REQUEST_KEY, "a6"),
								RouteHint.REQUEST_KEY, "b")),
				arguments("Accept text/plain", withHeader(request(valid, "application/json"), "Accept", "text/plain")),
				arguments("Accept a list",
						withHeader(request(valid, "application/json"), "Accept", "application/json, */*")),
				arguments("a forced route",
						withHeader(request(valid, "application/json"), RouteHint.FORCED_ROUTE, "stable")),
				arguments("an empty key", withHeader(request(valid, "application/json"), RouteHint.REQUEST_KEY, "")),
				arguments("a key too long",
						withHeader(request(valid, "application/json"), RouteHint.REQUEST_KEY, "k".repeat(257))),
				arguments("GET", method(request(valid, "application/json"), "GET")),
				arguments("another path", path(request(valid, "application/json"), "/predict/")),
				arguments("no declared length", new HttpServletRequestWrapper(request(valid, "application/json")) {
					@Override
					public int getContentLength() {
						return -1;
					}
				}),
				arguments("a large body",
						request("{\"features\":[0.5,1.2,0.8,0.3,1.1]}" + " ".repeat(PredictFastPath.MAX_BODY),
								"application/json")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("passedOn")
	void passesEveryOtherRequestOnWithItsBodyIntact(String what, jakarta.servlet.http.HttpServletRequest request)
			throws Exception {
		byte[] body = ((MockHttpServletRequest) unwrap(request)).getContentAsByteArray();
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		fastPath(stableOnly(v1)).doFilter(request, response, chain);

		assertThat(chain.getRequest()).as("passed on").isNotNull();
		assertThat(chain.getRequest().getInputStream().readAllBytes()).isEqualTo(body);
		assertThat(response.getContentAsByteArray()).as("nothing written").isEmpty();
		assertThat(request.getAttribute(RequestTimingFilter.SERVED)).isNull();
	}

	@Test
	void aBodyThatFailsToArriveIsPassedOnWithTheSameFailure() throws Exception {
		java.io.IOException aborted = new java.io.IOException("client went away");
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/predict") {
			@Override
			public jakarta.servlet.ServletInputStream getInputStream() {
				return new org.springframework.mock.web.DelegatingServletInputStream(new java.io.InputStream() {
					@Override
					public int read() throws java.io.IOException {
						throw aborted;
					}
				});
			}
		};
		request.setContentType("application/json");
		request.setContent(new byte[35]); // the declared length; reading it fails
		MockFilterChain chain = new MockFilterChain();

		fastPath(stableOnly(v1)).doFilter(request, new MockHttpServletResponse(), chain);

		assertThat(chain.getRequest()).as("passed on").isNotNull();
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> chain.getRequest().getInputStream().read())
			.isSameAs(aborted);
	}

	@Test
	void theReplayedBodyCanAlsoBeReadAsText() throws Exception {
		MockFilterChain chain = new MockFilterChain();

		fastPath(stableOnly(v1)).doFilter(request("{\"features\":[1]}", "application/json"),
				new MockHttpServletResponse(), chain);

		assertThat(chain.getRequest().getReader().readLine()).isEqualTo("{\"features\":[1]}");
	}

	@Test
	void aFailingStableModelGetsTheAdvicesInternalErrorProblem() throws Exception {
		LoadedModel broken = new LoadedModel(v1.manifest(), v1.modelPath(),
				new LogisticRegression.Binomial(new double[] { Double.NaN, 0, 0, 0, 0, 0 }, 0, 0, IntSet.of(2)));
		MockHttpServletResponse response = new MockHttpServletResponse();

		fastPath(stableOnly(broken)).doFilter(request("{\"features\":[0.5,1.2,0.8,0.3,1.1]}", "application/json"),
				response, new MockFilterChain());

		assertThat(response.getStatus()).isEqualTo(500);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		JsonNode problem = JSON.readTree(response.getContentAsString());
		assertThat(problem.get("type").stringValue()).isEqualTo("urn:ml-canary:problem:internal-error");
		assertThat(problem.get("title").stringValue()).isEqualTo("Internal error");
		assertThat(problem.get("instance").stringValue()).isEqualTo("/predict");
		assertThat(log.events()).singleElement().satisfies(event -> {
			assertThat(event.getLevel()).isEqualTo(Level.ERROR);
			assertThat(event.getFormattedMessage()).isEqualTo("Unexpected error");
			assertThat(event.getThrowableProxy().getMessage()).isEqualTo("Stable model v1 failed to score");
		});
	}

	private static PredictFastPath fastPath(Deployment deployment) {
		return new PredictFastPath(
				PredictionServiceTest.service(deployment, 0.0, Duration.ZERO, new SimpleMeterRegistry()), JSON);
	}

	private static Deployment stableOnly(LoadedModel stable) {
		return new Deployment(stable, null, 0.1, false, null, 1, new LatencyWindows(100));
	}

	private static MockHttpServletRequest request(String body, String contentType) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/predict");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		if (contentType != null) {
			request.setContentType(contentType);
		}
		return request;
	}

	private static MockHttpServletRequest withHeader(MockHttpServletRequest request, String name, String value) {
		request.addHeader(name, value);
		return request;
	}

	private static MockHttpServletRequest method(MockHttpServletRequest request, String method) {
		request.setMethod(method);
		return request;
	}

	private static MockHttpServletRequest path(MockHttpServletRequest request, String uri) {
		request.setRequestURI(uri);
		return request;
	}

	private static jakarta.servlet.ServletRequest unwrap(jakarta.servlet.ServletRequest request) {
		return request instanceof HttpServletRequestWrapper wrapper ? unwrap(wrapper.getRequest()) : request;
	}

}
