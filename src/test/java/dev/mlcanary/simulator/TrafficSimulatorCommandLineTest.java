package dev.mlcanary.simulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit codes that need no server: usage errors and help. */
class TrafficSimulatorCommandLineTest {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int run(String... args) {
		return TrafficSimulator.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), false);
	}

	@Test
	void anUnknownOptionIsAUsageErrorWithExitCodeTwo() {
		assertThat(run("--requets", "5")).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("simulate: unknown option --requets")
			.contains("Usage: java -jar ml-canary.jar simulate");
		assertThat(out.size()).isZero();
	}

	@Test
	void aBadNumberIsAUsageErrorWithExitCodeTwo() {
		assertThat(run("--requests", "many")).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("--requests must be a whole number, got 'many'");
	}

	@Test
	void helpPrintsTheUsageAndExitsZeroWithoutCallingTheService() {
		assertThat(run("--url", "http://127.0.0.1:1", "--help")).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: java -jar ml-canary.jar simulate");
		assertThat(err.size()).isZero();
	}

}
