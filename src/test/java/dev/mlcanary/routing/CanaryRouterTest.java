package dev.mlcanary.routing;

import java.util.SplittableRandom;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CanaryRouterTest {

	private static final int REQUESTS = 100_000;

	@ParameterizedTest
	@ValueSource(doubles = { 0.01, 0.10, 0.25, 0.5, 0.9 })
	void splitsTrafficWithinBinomialBounds(double weight) {
		SplittableRandom random = new SplittableRandom(42);
		CanaryRouter router = new CanaryRouter(random::nextDouble);

		int canary = 0;
		for (int i = 0; i < REQUESTS; i++) {
			if (router.route(true, weight) == Role.CANARY) {
				canary++;
			}
		}

		// A two-sided 99.9% interval of Binomial(REQUESTS, weight): a fair router lands inside it.
		BinomialDistribution expected = new BinomialDistribution(null, REQUESTS, weight);
		assertThat(canary).isBetween(expected.inverseCumulativeProbability(0.0005),
				expected.inverseCumulativeProbability(0.9995));
	}

	@Test
	void withoutACanaryEverythingGoesToStable() {
		CanaryRouter router = new CanaryRouter(() -> 0.0);

		assertThat(router.route(false, 1.0)).isEqualTo(Role.STABLE);
	}

	@Test
	void fullWeightSendsEverythingToTheCanary() {
		SplittableRandom random = new SplittableRandom(7);
		CanaryRouter router = new CanaryRouter(random::nextDouble);

		for (int i = 0; i < 10_000; i++) {
			assertThat(router.route(true, 1.0)).isEqualTo(Role.CANARY);
		}
	}

	@Test
	void wireNamesAreLowerCase() {
		assertThat(Role.STABLE.wireName()).isEqualTo("stable");
		assertThat(Role.CANARY.wireName()).isEqualTo("canary");
	}

}
