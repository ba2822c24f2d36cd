package dev.mlcanary.deployment;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.mlcanary.system.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RolloutStrategyTest {

	private static final List<Double> STEPS = List.of(10.0, 25.0, 50.0, 100.0);

	static Stream<Arguments> intervals() {
		return Stream.of(arguments("30s", Duration.ofSeconds(30)), arguments("2m", Duration.ofMinutes(2)),
				arguments("1h", Duration.ofHours(1)), arguments(" 45 ", Duration.ofSeconds(45)),
				arguments(30, Duration.ofSeconds(30)), arguments(90L, Duration.ofSeconds(90)),
				arguments(60.0, Duration.ofMinutes(1)), arguments("1s", Duration.ofSeconds(1)),
				arguments("60m", Duration.ofHours(1)));
	}

	@ParameterizedTest
	@MethodSource("intervals")
	void intervalIsAStringWithAUnitOrANumberOfSeconds(Object interval, Duration expected) {
		assertThat(RolloutStrategy.parse(STEPS, interval, null, null).interval()).isEqualTo(expected);
	}

	@Test
	void theSwitchesDefaultToOnAndCanBeTurnedOff() {
		RolloutStrategy defaults = RolloutStrategy.parse(STEPS, "30s", null, null);
		RolloutStrategy manual = RolloutStrategy.parse(STEPS, "30s", false, false);

		assertThat(defaults.autoRollback()).isTrue();
		assertThat(defaults.autoPromote()).isTrue();
		assertThat(manual.autoRollback()).isFalse();
		assertThat(manual.autoPromote()).isFalse();
	}

	static Stream<Arguments> invalid() {
		return Stream.of(arguments(null, "30s", "strategy.steps must list the canary's traffic percentages"),
				arguments(List.of(), "30s", "strategy.steps must list"),
				arguments(Arrays.asList(10.0, null), "30s", "strategy.steps[1] must be a number, got null."),
				arguments(List.of(0.0, 50.0), "30s", "strategy.steps[0] must be a percentage from 0.1 to 100, got 0."),
				arguments(List.of(-5.0), "30s", "got -5."),
				arguments(List.of(10.0, 150.0), "30s",
						"strategy.steps[1] must be a percentage from 0.1 to 100, got 150."),
				arguments(List.of(10.0, 50.0, 25.0), "30s",
						"strategy.steps must be strictly increasing: steps[2] (25) is not greater than steps[1] (50)."),
				arguments(List.of(10.0, 10.0), "30s", "strictly increasing"),
				arguments(List.of(100.0), "30s", "strategy.steps must include a percentage below 100"),
				arguments(java.util.Collections.nCopies(21, 1.0), "30s", "at most 20 percentages, got 21"),
				arguments(STEPS, null, "strategy.interval is required"),
				arguments(STEPS, "0s",
						"strategy.interval must be a whole number of seconds between 1s and 1h, got 0s."),
				arguments(STEPS, 0, "between 1s and 1h, got 0s."), arguments(STEPS, -1, "between 1s and 1h"),
				arguments(STEPS, "2h", "between 1s and 1h, got 2h."), arguments(STEPS, 3601, "got 3601s."),
				arguments(STEPS, new BigInteger("99999999999999999999"), "between 1s and 1h"),
				arguments(STEPS, "30 seconds",
						"strategy.interval must be a duration such as \"30s\", \"2m\" or \"1h\", "
								+ "or a whole number of seconds such as 30, got \"30 seconds\"."),
				arguments(STEPS, "1.5m", "got \"1.5m\""), arguments(STEPS, "", "got \"\""),
				arguments(STEPS, "PT30S", "got \"PT30S\""), arguments(STEPS, 1.5, "got 1.5."),
				arguments(STEPS, true, "got a JSON boolean."), arguments(STEPS, List.of(30), "got a JSON array."),
				arguments(STEPS, Map.of("s", 30), "got a JSON object."));
	}

	@ParameterizedTest
	@MethodSource("invalid")
	void anInvalidStrategyIsABadRequestThatNamesTheField(List<Double> steps, Object interval, String detail) {
		assertThatThrownBy(() -> RolloutStrategy.parse(steps, interval, true, true))
			.isInstanceOf(BadRequestException.class)
			.hasMessageContaining(detail);
	}

	@Test
	void aTrailingHundredIsNeverAnalysed() {
		RolloutStrategy toFull = RolloutStrategy.parse(STEPS, "30s", true, true);
		RolloutStrategy partial = RolloutStrategy.parse(List.of(5.0, 20.0), "30s", true, true);

		assertThat(toFull.endsAtFullTraffic()).isTrue();
		assertThat(toFull.lastAnalysedStep()).isEqualTo(2);
		assertThat(partial.endsAtFullTraffic()).isFalse();
		assertThat(partial.lastAnalysedStep()).isEqualTo(1);
		assertThat(toFull.weight(1)).isEqualTo(0.25);
	}

	@Test
	void describesItselfForLogsAndAnswers() {
		assertThat(RolloutStrategy.parse(List.of(2.5, 25.0, 100.0), 90, true, true).describe())
			.isEqualTo("2.5% -> 25% -> 100%, analysed every 90s");
		assertThat(RolloutStrategy.parse(STEPS, "2m", true, true).describe()).endsWith("analysed every 2m");
		assertThat(new Rollout(RolloutStrategy.parse(STEPS, "2m", true, true), 1, RolloutPhase.PROGRESSING,
				java.time.Instant.EPOCH)
			.describeStep()).isEqualTo("step 2/4 (25%)");
	}

	@Test
	void theConstructorRefusesWhatParseRefuses() {
		assertThatThrownBy(() -> new RolloutStrategy(List.of(50.0, 10.0), Duration.ofSeconds(30), true, true))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("strictly increasing");
	}

}
