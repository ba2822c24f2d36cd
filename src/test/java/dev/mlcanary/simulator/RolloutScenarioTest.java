package dev.mlcanary.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RolloutScenarioTest {

	@Test
	void slowExpectsARollbackExplainedBySignificantlyHigherLatency() {
		RolloutScenario.Expectation slow = RolloutScenario.Expectation.of(SimulatorOptions.Scenario.SLOW);

		assertThat(slow.heldBy(false,
				"step 1/4 (10%) failed: rolled back v2. Mean latency (sequential, look 1): canary "
						+ "above stable by 11.3 ms (always-valid p = 0.00), significant and at least 1.0 ms. Tail ..."))
			.isTrue();
		assertThat(
				slow.heldBy(false, "Mean latency (sequential, look 1): canary below stable by 0.0 ms, within limits."))
			.isFalse();
		assertThat(slow.heldBy(false,
				"step 1/4 (10%) failed: rolled back v2. Latency distribution: canary median above "
						+ "stable's by 9.9876 ms (Mann-Whitney p = 1.2e-30), significant and at least 1.0 ms."))
			.isTrue();
		assertThat(slow.heldBy(false, "Tail latency: canary p95 10.1 ms vs stable 0.01 ms, p99 12.1 ms vs 0.01 ms: "
				+ "significantly more canary requests above 1.5x stable's tail."))
			.isTrue();
		assertThat(slow.heldBy(false, "Latency distribution: canary median above stable's by 0.0001 ms (Mann-Whitney "
				+ "p = 0.400), within limits."))
			.isFalse();
		assertThat(slow.heldBy(true, "")).isFalse();
	}

	@Test
	void badModelExpectsARollbackExplainedByAgreementBelowTheFloor() {
		RolloutScenario.Expectation bad = RolloutScenario.Expectation.of(SimulatorOptions.Scenario.BAD_MODEL);

		assertThat(bad.heldBy(false, "Prediction agreement: the models agree on 23.1% of 270 requests (floor 95.0%)"))
			.isTrue();
		assertThat(bad.heldBy(false, "Prediction agreement: the models agree on 99.6% of 270 requests (floor 95.0%)"))
			.isFalse();
		assertThat(bad.heldBy(false, "Prediction agreement: the models agree on 100.0% of 270 requests (floor 95.0%)"))
			.isFalse();
	}

	@Test
	void progressiveExpectsAPromotion() {
		RolloutScenario.Expectation progressive = RolloutScenario.Expectation.of(SimulatorOptions.Scenario.PROGRESSIVE);

		assertThat(progressive.heldBy(true, "")).isTrue();
		assertThat(progressive.heldBy(false, "")).isFalse();
	}

}
