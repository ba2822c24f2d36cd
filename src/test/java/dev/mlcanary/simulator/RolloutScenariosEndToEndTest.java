package dev.mlcanary.simulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.mlcanary.Application;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The automated scenarios end to end against the real service on a random port: the
 * rollout promotes a good canary step by step, rolls back a slow one on latency, and
 * rolls back v3 on prediction agreement, each on its own, through the real scheduler.
 */
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "canary.admin.token=" + RolloutScenariosEndToEndTest.TOKEN)
class RolloutScenariosEndToEndTest {

	static final String TOKEN = "scenario-e2e-token-0123456789";

	@LocalServerPort
	int port;

	@ParameterizedTest
	@CsvSource({ "progressive, expected promoted, got promoted: OK",
			"slow, expected rolled back by the mean, distribution or tail latency judge, got rolled back: OK",
			"bad-model, expected rolled back by the prediction agreement judge, got rolled back: OK" })
	void theRolloutEndsAsTheScenarioExpects(String scenario, String verdict) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int exit = TrafficSimulator.run(
				new String[] { "--url", "http://localhost:" + port, "--scenario", scenario, "--token", TOKEN },
				Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err, false);
		String printed = out.toString(StandardCharsets.UTF_8);

		assertThat(exit).as(printed).isZero();
		assertThat(printed).contains(verdict).contains("Result: every expectation held");
	}

}
