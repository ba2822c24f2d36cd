package dev.mlcanary.prediction;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import dev.mlcanary.TestRequests;
import dev.mlcanary.deployment.DeploymentService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.method.HandlerMethod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the whole application (its filters, JSON configuration and controller), a
 * prediction answered by {@link PredictFastPath} and the same prediction answered by
 * Spring MVC's controller (reached by an Accept list, which the fast path leaves to MVC)
 * have the same status, content type and JSON, but for the measured latency; with a
 * canary at 50%, the same keys land on the same models. Over real HTTP both carry the
 * same headers (Tomcat sets the controller's Content-Length, which a mock response does
 * not show).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
class PredictFastPathEquivalenceTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	MockMvcTester mvc;

	@LocalServerPort
	int port;

	@Autowired
	DeploymentService deployments;

	@AfterEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	@Test
	void fastPathAndControllerGiveTheSameAnswer() {
		String[] bodies = { "{\"features\":[0.5,1.2,0.8,0.3,1.1]}", "{ \"features\": [1, 0, 2, 0, 1] }",
				"{\"features\":[-3.5e2,1e-9,0,12345.678,1e6]}" };
		for (String body : bodies) {
			assertSameAnswer(body, null);
		}
	}

	@Test
	void stickyKeysLandOnTheSameModelEitherWay() {
		deployments.deployCanary("v2", null, 0.5, null);
		int canary = 0;
		for (int i = 0; i < 40; i++) {
			canary += assertSameAnswer("{\"features\":[0.5,1.2,0.8,0.3,1.1]}", "customer-" + i).equals("canary") ? 1
					: 0;
		}
		assertThat(canary).as("both roles seen").isBetween(1, 39);
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "application/json;charset=UTF-8", "application/json; charset=utf-8",
			"APPLICATION/JSON", "application/ json", "application/json;charset=ISO-8859-1", "application/json;v=1" })
	void eachContentTypeGetsTheSameStatusAndAnswerEitherWay(String contentType) {
		// (an unparsable charset such as "utf -8" cannot be sent through MockMvc;
		// PredictFastPathTest covers it)
		String body = "{\"features\":[0.5,1.2,0.8,0.3,1.1]}";
		MvcTestResult fast = mvc.post().uri("/predict").contentType(contentType).content(body).exchange();
		MvcTestResult controller = mvc.post()
			.uri("/predict")
			.contentType(contentType)
			.content(body)
			.header("Accept", "application/json, */*")
			.exchange();

		assertThat(fast.getResponse().getStatus()).as(contentType).isEqualTo(controller.getResponse().getStatus());
		if (controller.getResponse().getStatus() == 200) {
			assertThat(withoutLatency(fast)).isEqualTo(withoutLatency(controller));
		}
	}

	@Test
	void aRepeatedRequestKeyIsReadAsTheControllerReadsIt() {
		deployments.deployCanary("v2", null, 0.5, null);
		for (int i = 0; i < 20; i++) {
			String[] keys = { "a" + i, "b" };
			MvcTestResult fast = mvc.post()
				.uri("/predict")
				.contentType("application/json")
				.content("{\"features\":[0.5,1.2,0.8,0.3,1.1]}")
				.header(RouteHint.REQUEST_KEY, (Object[]) keys)
				.exchange();
			MvcTestResult controller = mvc.post()
				.uri("/predict")
				.contentType("application/json")
				.content("{\"features\":[0.5,1.2,0.8,0.3,1.1]}")
				.header(RouteHint.REQUEST_KEY, (Object[]) keys)
				.header("Accept", "application/json, */*")
				.exchange();

			assertThat(withoutLatency(fast)).as(String.join(",", keys)).isEqualTo(withoutLatency(controller));
		}
		String longKey = "k".repeat(200);
		assertThat(mvc.post()
			.uri("/predict")
			.contentType("application/json")
			.content("{\"features\":[0.5,1.2,0.8,0.3,1.1]}")
			.header(RouteHint.REQUEST_KEY, longKey, longKey)
			.exchange()).as("two keys of 200 characters are one of 401").hasStatus(400);
	}

	@Test
	void overHttpBothAnswerWithTheSameHeaders() throws Exception {
		String body = "{\"features\":[0.5,1.2,0.8,0.3,1.1]}";
		HttpResponse<String> fast = post(body, null);
		HttpResponse<String> controller = post(body, "application/json, */*");

		assertThat(fast.statusCode()).isEqualTo(200);
		assertThat(controller.statusCode()).isEqualTo(200);
		assertThat(fast.headers().map().keySet())
			.containsExactlyInAnyOrderElementsOf(controller.headers().map().keySet());
		assertThat(fast.headers().firstValue("content-type"))
			.isEqualTo(controller.headers().firstValue("content-type"));
		assertThat(fast.headers().firstValueAsLong("content-length"))
			.hasValue(fast.body().getBytes(StandardCharsets.UTF_8).length);
	}

	private HttpResponse<String> post(String body, String accept) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/predict"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (accept != null) {
			request.header("Accept", accept);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Returns the role that served. */
	private String assertSameAnswer(String body, String key) {
		MvcTestResult fast = exchange(body, key, null);
		MvcTestResult controller = exchange(body, key, "application/json, */*");

		assertThat(fast.getMvcResult().getHandler()).as("answered before Spring MVC").isNull();
		assertThat(controller.getMvcResult().getHandler()).as("answered by the controller")
			.isInstanceOf(HandlerMethod.class);
		assertThat(fast).hasStatusOk();
		assertThat(controller).hasStatusOk();
		assertThat(fast.getResponse().getContentType()).isEqualTo(controller.getResponse().getContentType());
		JsonNode fastJson = withoutLatency(fast);
		assertThat(fastJson).as(body).isEqualTo(withoutLatency(controller));
		return fastJson.get("model_used").stringValue();
	}

	private MvcTestResult exchange(String body, String key, String accept) {
		var request = mvc.post().uri("/predict").contentType("application/json").content(body);
		if (key != null) {
			request = request.header(RouteHint.REQUEST_KEY, key);
		}
		if (accept != null) {
			request = request.header("Accept", accept);
		}
		return request.exchange();
	}

	private static JsonNode withoutLatency(MvcTestResult result) {
		try {
			ObjectNode json = (ObjectNode) JSON.readTree(result.getResponse().getContentAsString());
			assertThat(json.remove("latency_ms").isNumber()).isTrue();
			return json;
		}
		catch (java.io.UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
