package dev.mlcanary.simulator;

import java.util.Map;

import dev.mlcanary.simulator.SimulatorOptions.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorOptionsTest {

	private static final Map<String, String> NO_ENV = Map.of();

	private static SimulatorOptions parse(String... args) throws UsageException {
		return SimulatorOptions.parse(args, NO_ENV);
	}

	@Test
	void defaults() throws UsageException {
		SimulatorOptions o = parse();

		assertThat(o.baseUrl()).isEqualTo("http://localhost:8000");
		assertThat(o.requests()).isEqualTo(300);
		assertThat(o.seed()).isEqualTo(42);
		assertThat(o.canaryVersion()).isEqualTo("v2");
		assertThat(o.token()).isNull();
		assertThat(o.help()).isFalse();
	}

	@Test
	void everyOptionWithItsValueAsTheNextArgument() throws UsageException {
		SimulatorOptions o = parse("--url", "http://127.0.0.1:9000", "--requests", "50", "--seed", "-7",
				"--canary-version", "v3", "--token", "s3cr3t");

		assertThat(o).isEqualTo(new SimulatorOptions("http://127.0.0.1:9000", 50, -7, "v3", "s3cr3t", false));
	}

	@Test
	void everyOptionWithItsValueAfterAnEqualsSign() throws UsageException {
		SimulatorOptions o = parse("--url=https://canary.example:8443/base/", "--requests=1", "--seed=9",
				"--canary-version=v2.1", "--token=abc.def-ghi_jkl~mno+p/q==");

		assertThat(o).isEqualTo(new SimulatorOptions("https://canary.example:8443/base", 1, 9, "v2.1",
				"abc.def-ghi_jkl~mno+p/q==", false));
	}

	@Test
	void theUrlLosesItsTrailingSlashes() throws UsageException {
		assertThat(parse("--url", "http://localhost:8000//").baseUrl()).isEqualTo("http://localhost:8000");
	}

	@Test
	void theTokenComesFromTheEnvironmentUnlessGiven() throws UsageException {
		Map<String, String> env = Map.of("CANARY_ADMIN_TOKEN", " from-env\n");

		assertThat(SimulatorOptions.parse(new String[0], env).token()).isEqualTo("from-env");
		assertThat(SimulatorOptions.parse(new String[] { "--token", "given" }, env).token()).isEqualTo("given");
		assertThat(SimulatorOptions.parse(new String[] { "--token=" }, env).token()).isNull();
		assertThat(SimulatorOptions.parse(new String[0], Map.of("CANARY_ADMIN_TOKEN", "")).token()).isNull();
	}

	@Test
	void helpIsAnOptionWithoutValue() throws UsageException {
		assertThat(parse("--help").help()).isTrue();
		assertThat(parse("--requests", "5", "--help").help()).isTrue();
		assertThat(SimulatorOptions.USAGE).contains("--url", "--requests", "--seed", "--canary-version", "--token",
				"--help", "CANARY_ADMIN_TOKEN", "Exit codes");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|',
			value = { "--verbose                       | unknown option --verbose",
					"-r 5                            | unexpected argument '-r'",
					"extra                           | unexpected argument 'extra'",
					"--requests                      | --requests needs a value",
					"--requests --seed 3             | --requests needs a value",
					"--requests abc                  | --requests must be a whole number, got 'abc'",
					"--requests 1.5                  | --requests must be a whole number",
					"--requests 0                    | --requests must be between 1 and 1000000, got 0",
					"--requests -3                   | --requests must be between 1 and 1000000",
					"--requests 1000001              | --requests must be between 1 and 1000000",
					"--requests 99999999999999999999 | --requests must be a whole number",
					"--seed x                        | --seed must be a whole number",
					"--seed                          | --seed needs a value",
					"--requests 5 --requests 6       | --requests given twice",
					"--url ftp://host                | --url must be an http:// or https:// URL",
					"--url localhost:8000            | --url must be an http:// or https:// URL",
					"--url http://                   | --url",
					"--url http://h/?a=b             | --url must be a base URL without user info, query or fragment",
					"--url http://u:p@h              | --url must be a base URL without user info",
					"--url http://h^h                | --url is not a valid URL",
					"--canary-version ../etc         | --canary-version must be a model version",
					"--token a\tb                    | --token is not a valid bearer token",
					"--help=yes                      | --help takes no value" })
	void badCommandLinesAreUsageErrors(String line, String message) {
		assertThatThrownBy(() -> parse(line.split(" "))).isInstanceOf(UsageException.class)
			.hasMessageContaining(message);
	}

	@Test
	void aBadTokenInTheEnvironmentIsNamed() {
		assertThatThrownBy(() -> SimulatorOptions.parse(new String[0], Map.of("CANARY_ADMIN_TOKEN", "two words")))
			.isInstanceOf(UsageException.class)
			.hasMessageContaining("$CANARY_ADMIN_TOKEN is not a valid bearer token");
	}

	@Test
	void scenariosChooseTheirCanaryUnlessOneIsGiven() throws UsageException {
		assertThat(parse().scenario()).isEqualTo(SimulatorOptions.Scenario.CLASSIC);
		assertThat(parse("--scenario", "bad-model").canaryVersion()).isEqualTo("v3");
		assertThat(parse("--scenario=progressive").canaryVersion()).isEqualTo("v2");
		assertThat(parse("--scenario", "slow", "--canary-version", "v3").canaryVersion()).isEqualTo("v3");
		assertThatThrownBy(() -> parse("--scenario", "chaos")).isInstanceOf(UsageException.class)
			.hasMessageContaining("classic, progressive, slow, bad-model");
	}

}
