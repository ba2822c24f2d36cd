package dev.mlcanary.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.mlcanary.Application;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole lifecycle against the real service on a random port: every verdict as
 * expected, and the service left as it was found (no canary, no slowdown). The service
 * requires an admin token, so this also proves that the simulator sends it on every admin
 * call.
 */
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "canary.admin.token=" + TrafficSimulatorEndToEndTest.TOKEN)
class TrafficSimulatorEndToEndTest {

	static final String TOKEN = "simulator-e2e-token-0123456789";

	@LocalServerPort
	int port;

	@org.springframework.beans.factory.annotation.Autowired
	dev.mlcanary.deployment.DeploymentService deployments;

	@Test
	void theLifecycleRunsAsExpectedAndLeavesTheServiceClean() throws Exception {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		int exitCode = TrafficSimulator.run(
				new String[] { "--url", "http://localhost:" + port, "--requests", "300", "--seed", "1", "--token",
						TOKEN },
				java.util.Map.of(), new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
				System.err, false);
		String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);

		assertThat(exitCode).as(printed).isZero();
		assertThat(printed).contains("expected no alert, got no alert: OK")
			.contains("expected alert, got alert: OK")
			.contains("served by stable")
			.contains("power analysis: 37 samples per group recommended");
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/status"))
				.header("Authorization", "Bearer " + TOKEN)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode status = JsonMapper.builder().build().readTree(response.body());
		assertThat(status.path("canary_version").isNull()).as("no canary active: %s", status).isTrue();
		assertThat(status.path("simulate_slowdown").asBoolean(true)).as("slowdown off: %s", status).isFalse();
		assertThat(status.path("stable_version").asString()).isEqualTo("v1");
	}

	@Test
	void afterAPromotionOfTheCanaryVersionItSaysHowToGoBack() {
		deployments.deployCanary("v2", null, null, null, null);
		deployments.promoteCanary(null);
		try {
			java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
			int exitCode = TrafficSimulator.run(new String[] { "--url", "http://localhost:" + port, "--token", TOKEN },
					java.util.Map.of(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
					new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), false);

			assertThat(exitCode).isEqualTo(3);
			assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
				.contains("The service already serves v2 as stable")
				.contains("--canary-version");
			assertThat(deployments.current().hasCanary()).as("nothing deployed").isFalse();
		}
		finally {
			deployments.deployCanary("v1", null, null, null, null);
			deployments.promoteCanary(null);
		}
	}

}
