package dev.mlcanary.deployment;

import java.time.Instant;
import java.util.stream.Stream;

import dev.mlcanary.TestRequests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code strategy} on POST /admin/deploy-canary, and the rollout in the answer and in GET
 * /admin/status.
 */
@SpringBootTest
@AutoConfigureMockMvc
class RolloutApiTest {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeploymentService deployments;

	@BeforeEach
	void stableOnly() {
		TestRequests.startFromStableOnly(deployments);
	}

	static Stream<Arguments> badStrategies() {
		String v2 = "{\"version\": \"v2\", ";
		return Stream.of(
				arguments(v2 + "\"strategy\": {\"steps\": [1e999], \"interval\": \"30s\"}}",
						"strategy.steps[0] must be a percentage from 0.1 to 100, got Infinity."),
				arguments(v2 + "\"strategy\": {\"steps\": [1e-300, 50], \"interval\": \"30s\"}}",
						"strategy.steps[0] must be a percentage from 0.1 to 100, got 0.0000"),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 50], \"interval\": 1e999}}",
						"strategy.interval must be a duration"),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 50], \"interval\": 99999999999999999999}}",
						"got 99999999999999999999s."),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 5], \"interval\": \"30s\"}}",
						"strategy.steps must be strictly increasing: steps[1] (5) is not greater than steps[0] (10)."),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 120], \"interval\": \"30s\"}}",
						"strategy.steps[1] must be a percentage from 0.1 to 100, got 120."),
				arguments(v2 + "\"strategy\": {\"steps\": [], \"interval\": \"30s\"}}", "strategy.steps must list"),
				arguments(v2 + "\"strategy\": {\"interval\": \"30s\"}}", "strategy.steps must list"),
				arguments(v2 + "\"strategy\": {\"steps\": [100], \"interval\": \"30s\"}}",
						"must include a percentage below 100"),
				arguments(v2 + "\"strategy\": {\"steps\": [10, null], \"interval\": \"30s\"}}",
						"strategy.steps[1] must be a number, got null."),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 50]}}", "strategy.interval is required"),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 50], \"interval\": \"soon\"}}",
						"strategy.interval must be a duration such as \"30s\", \"2m\" or \"1h\", or a whole number of "
								+ "seconds such as 30, got \"soon\"."),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 50], \"interval\": 0}}",
						"strategy.interval must be a whole number of seconds between 1s and 1h, got 0s."),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 50], \"interval\": \"2h\"}}",
						"between 1s and 1h, got 2h."),
				arguments(v2 + "\"weight\": 0.2, \"strategy\": {\"steps\": [10, 50], \"interval\": \"30s\"}}",
						"Give either \"weight\" or \"strategy\", not both"),
				arguments(v2 + "\"strategy\": {\"steps\": [10, \"50\"], \"interval\": \"30s\"}}", "strategy.steps[1]"),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 50], \"interval\": \"30s\", \"auto_promote\": \"yes\"}}",
						"strategy.auto_promote"),
				arguments(v2 + "\"strategy\": {\"steps\": [10, 50], \"interval\": \"30s\", \"pause\": 1}}",
						"Unknown field \"pause\". Known fields: auto_promote, auto_rollback, interval, steps."),
				arguments(v2 + "\"strategy\": [10, 50]}", "\"strategy\""));
	}

	@ParameterizedTest
	@MethodSource("badStrategies")
	void anInvalidStrategyIsAProblemThatSaysWhatToFixAndChangesNothing(String body, String detail) {
		long generation = deployments.current().generation();

		MvcTestResult result = deploy(body);

		assertThat(result).hasStatus(400);
		assertThat(result).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").asString().startsWith("urn:ml-canary:problem:");
		assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(detail);
		assertThat(deployments.current().generation()).isEqualTo(generation);
		assertThat(deployments.current().hasCanary()).isFalse();
	}

	@Test
	void aDeployWithAStrategyStartsAtTheFirstStepAndShowsTheRollout() {
		MvcTestResult result = deploy("{\"version\": \"v2\", \"strategy\": {\"steps\": [10, 25, 50, 100], "
				+ "\"interval\": \"1h\", \"auto_rollback\": true, \"auto_promote\": false}}");

		assertThat(result).hasStatusOk();
		Deployment d = deployments.current();
		Instant started = d.canaryStartTime();
		assertThat(d.weight()).isEqualTo(0.10);
		assertThat(result).bodyJson().extractingPath("$.weight").isEqualTo(0.1);
		assertThat(result).bodyJson()
			.extractingPath("$.message")
			.asString()
			.isEqualTo("Canary v2 deployed; it receives 10% of /predict traffic. Automated rollout: "
					+ "10% -> 25% -> 50% -> 100%, analysed every 1h.");
		for (MvcTestResult answer : new MvcTestResult[] { result, mvc.get().uri("/admin/status").exchange() }) {
			assertThat(answer).bodyJson()
				.extractingPath("$.rollout.strategy.steps")
				.asArray()
				.containsExactly(10, 25, 50, 100);
			assertThat(answer).bodyJson().extractingPath("$.rollout.strategy.interval").isEqualTo(3600);
			assertThat(answer).bodyJson().extractingPath("$.rollout.strategy.auto_rollback").isEqualTo(true);
			assertThat(answer).bodyJson().extractingPath("$.rollout.strategy.auto_promote").isEqualTo(false);
			assertThat(answer).bodyJson().extractingPath("$.rollout.phase").isEqualTo("progressing");
			assertThat(answer).bodyJson().extractingPath("$.rollout.step_index").isEqualTo(0);
			assertThat(answer).bodyJson().extractingPath("$.rollout.step_percent").isEqualTo(10);
			assertThat(answer).bodyJson().extractingPath("$.rollout.step_started_at").isEqualTo(started.toString());
			assertThat(answer).bodyJson()
				.extractingPath("$.rollout.next_analysis_at")
				.isEqualTo(started.plusSeconds(3600).toString());
			assertThat(answer).bodyJson()
				.extractingPath("$.rollout.inconclusive_deadline")
				.isEqualTo(started.plusSeconds(600).toString());
			assertThat(answer).bodyJson().extractingPath("$.rollout.last_verdict").isNull();
			assertThat(answer).bodyJson()
				.extractingPath("$.rollout.message")
				.asString()
				.startsWith("At step 1/4 (10%), analysed every 1h. A PASS moves it to step 2/4 (25%)");
		}
	}

	@Test
	void withoutAStrategyTheRolloutIsNull() {
		assertThat(mvc.get().uri("/admin/status").exchange()).bodyJson().extractingPath("$.rollout").isNull();

		MvcTestResult result = deploy("{\"version\": \"v2\", \"strategy\": null}");

		assertThat(result).hasStatusOk();
		assertThat(result).bodyJson().extractingPath("$.rollout").isNull();
		assertThat(mvc.get().uri("/admin/status").exchange()).bodyJson().extractingPath("$.rollout").isNull();
	}

	@Test
	void aNumberOfSecondsIsAnInterval() {
		assertThat(deploy("{\"version\": \"v2\", \"strategy\": {\"steps\": [50], \"interval\": 90}}")).hasStatusOk();

		assertThat(deployments.current().rollout().strategy().interval()).hasSeconds(90);
		assertThat(deployments.current().weight()).isEqualTo(0.5);
	}

	private MvcTestResult deploy(String body) {
		return mvc.post().uri("/admin/deploy-canary").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

}
