package dev.mlcanary.routing;

import java.util.SplittableRandom;

import dev.mlcanary.shared.Role;
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

		// A two-sided 99.9% interval of Binomial(REQUESTS, weight): a fair router lands
		// inside it.
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

	@Test
	void stickyRoutingIsDeterministicAndMonotoneInTheWeight() {
		CanaryRouter router = new CanaryRouter(() -> {
			throw new AssertionError("keyed routing must not draw random numbers");
		});
		for (int k = 0; k < 10_000; k++) {
			String key = "customer-" + k;
			boolean at10 = router.routeByKey(true, 0.10, key, "v2") == Role.CANARY;
			boolean at25 = router.routeByKey(true, 0.25, key, "v2") == Role.CANARY;
			boolean at50 = router.routeByKey(true, 0.50, key, "v2") == Role.CANARY;
			assertThat(router.routeByKey(true, 0.10, key, "v2") == Role.CANARY).isEqualTo(at10);
			if (at10) {
				assertThat(at25).as("%s on the canary at 10%% stays there at 25%%", key).isTrue();
			}
			if (at25) {
				assertThat(at50).isTrue();
			}
		}
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.10, 0.25, 0.5 })
	void stickyRoutingSplitsKeysWithinBinomialBounds(double weight) {
		CanaryRouter router = new CanaryRouter(() -> 0.0);
		int canary = 0;
		for (int k = 0; k < REQUESTS; k++) {
			if (router.routeByKey(true, weight, "user-" + k, "v2") == Role.CANARY) {
				canary++;
			}
		}

		BinomialDistribution expected = new BinomialDistribution(null, REQUESTS, weight);
		assertThat(canary).isBetween(expected.inverseCumulativeProbability(0.0005),
				expected.inverseCumulativeProbability(0.9995));
	}

	@Test
	void aNewCanaryVersionSamplesADifferentCohort() {
		int both = 0;
		int onV2 = 0;
		for (int k = 0; k < REQUESTS; k++) {
			boolean v2 = CanaryRouter.unitPoint("user-" + k, "v2") < 0.1;
			boolean v3 = CanaryRouter.unitPoint("user-" + k, "v3") < 0.1;
			onV2 += v2 ? 1 : 0;
			both += v2 && v3 ? 1 : 0;
		}
		// Independent cohorts overlap in about 10% of the first one.
		assertThat(both).isBetween(onV2 / 20, onV2 / 5);
	}

	@Test
	void unitPointIsStableAcrossReleases() {
		// Pinned: changing the hash would move every sticky key to another side.
		assertThat(CanaryRouter.unitPoint("customer-42", "v2")).isEqualTo(0.5550733143237484);
		assertThat(CanaryRouter.unitPoint("", "")).isEqualTo(0.3805047004330069);
	}

}
