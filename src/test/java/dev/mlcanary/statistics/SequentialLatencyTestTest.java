package dev.mlcanary.statistics;

import dev.mlcanary.statistics.SequentialLatencyTest.Look;
import org.apache.commons.math3.analysis.integration.SimpsonIntegrator;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * The mSPRT mechanics; the false-alarm guarantee is measured in
 * {@link SequentialLatencyTestSimulationTest}.
 */
class SequentialLatencyTestTest {

	private static final double[] STABLE = { 1, 2, 3 };

	private static final double[] SLOWER = { 2, 3, 4 };

	/**
	 * canary {2, 3, 4} against stable {1, 2, 3}: D = 1, V = 1/3 + 1/3, tau^2 = 1, so x =
	 * 1 / sqrt(10/9) and 1 / Lambda = sqrt(2.5) / (2 Phi(x) exp(x^2 / 2)) =
	 * 0.6083559640066086 (evaluated with scipy).
	 */
	@Test
	void oneLookByHand() {
		Look look = SequentialLatencyTest.withDefaults(0.05).look(SLOWER, STABLE);

		assertThat(look.number()).isEqualTo(1);
		assertThat(look.pValue()).isCloseTo(0.6083559640066086, within(0.6083559640066086 * 1e-12));
		assertThat(look.reject()).isFalse();
		assertThat(look.method()).startsWith("mSPRT, one-sided (canary mean higher)").contains("tau^2 = 1.0 ms^2");
	}

	/**
	 * The closed form against the definition: the likelihood ratios exp(theta S - theta^2
	 * I / 2) of a Brownian motion with drift, integrated numerically over the half-normal
	 * prior on theta &gt; 0. scipy's quad gives 1 / Lambda = 0.05844821755560997 for D =
	 * 0.3, V = 0.01, tau^2 = 1.
	 */
	@Test
	void theClosedFormIsTheHalfNormalMixtureOfLikelihoodRatios() {
		double d = 0.3;
		double v = 0.01;
		double tau2 = 1;
		double s = d / v;
		double information = 1 / v;
		NormalDistribution prior = new NormalDistribution(null, 0, Math.sqrt(tau2));
		double lambda = new SimpsonIntegrator(1e-13, 1e-15, 3, 30).integrate(10_000_000,
				theta -> Math.exp(theta * s - theta * theta * information / 2) * 2 * prior.density(theta), 0, 2);

		double inverse = SequentialLatencyTest.inverseLikelihoodRatio(d, v, tau2);

		assertThat(inverse).isCloseTo(1 / lambda, within(1e-9 / lambda));
		assertThat(inverse).isCloseTo(0.05844821755560997, within(0.05844821755560997 * 1e-12));
	}

	@Test
	void aFasterOrEqualCanaryIsNoEvidence() {
		SequentialLatencyTest test = new SequentialLatencyTest(0.05, 0.25);

		assertThat(test.look(STABLE, SLOWER).pValue()).isEqualTo(1.0);
		assertThat(test.look(STABLE, STABLE).pValue()).isEqualTo(1.0);
		assertThat(test.look(new double[] { 1, 1 }, new double[] { 1, 1, 1 }).pValue()).isEqualTo(1.0);
		assertThat(SequentialLatencyTest.inverseLikelihoodRatio(-5, 1e-6, 1)).isEqualTo(1.0);
	}

	@Test
	void constantSamplesWithTheCanaryHigherAreACertainDifference() {
		Look look = SequentialLatencyTest.withDefaults(0.01).look(new double[] { 2, 2 }, new double[] { 1, 1, 1 });

		assertThat(look.pValue()).isZero();
		assertThat(look.reject()).isTrue();
	}

	@Test
	void thePValueNeverRisesSoARejectionIsFinal() {
		SequentialLatencyTest test = SequentialLatencyTest.withDefaults(0.05);
		double[] stable = new double[100];
		double[] slower = new double[100];
		for (int i = 0; i < 100; i++) {
			stable[i] = 1 + (i % 10) / 10.0;
			slower[i] = stable[i] + 0.5;
		}

		Look first = test.look(SLOWER, STABLE);
		Look second = test.look(slower, stable);
		Look third = test.look(stable, slower);

		assertThat(second.number()).isEqualTo(2);
		assertThat(second.pValue()).isLessThan(first.pValue()).isLessThanOrEqualTo(0.05);
		assertThat(second.reject()).isTrue();
		assertThat(third.number()).isEqualTo(3);
		assertThat(third.pValue()).isEqualTo(second.pValue());
		assertThat(third.reject()).isTrue();
		assertThat(test.looks()).isEqualTo(3);
		assertThat(test.pValue()).isEqualTo(second.pValue());
	}

	@Test
	void aSmallerMixtureVarianceFavoursSmallerEffects() {
		double[] stable = new double[200];
		double[] slower = new double[200];
		for (int i = 0; i < 200; i++) {
			stable[i] = 1 + (i % 20) / 20.0;
		}
		for (int i = 0; i < 200; i++) {
			slower[i] = stable[(i + 7) % 200] + 0.05;
		}

		double tuned = new SequentialLatencyTest(0.05, 0.05 * 0.05).look(slower, stable).pValue();
		double wide = new SequentialLatencyTest(0.05, 1).look(slower, stable).pValue();

		assertThat(tuned).isLessThan(wide);
	}

	@Test
	void defaults() {
		SequentialLatencyTest test = SequentialLatencyTest.withDefaults(0.05);

		assertThat(test.alpha()).isEqualTo(0.05);
		assertThat(test.mixtureVariance()).isEqualTo(SequentialLatencyTest.DEFAULT_MIXTURE_VARIANCE).isEqualTo(1.0);
		assertThat(test.looks()).isZero();
		assertThat(test.pValue()).isEqualTo(1.0);
	}

	@Test
	void invalidParametersAreRejected() {
		for (double alpha : new double[] { 0, 1, -0.1, Double.NaN }) {
			assertThatIllegalArgumentException().isThrownBy(() -> new SequentialLatencyTest(alpha, 1))
				.withMessageStartingWith("alpha must be strictly between 0 and 1");
		}
		for (double tau2 : new double[] { 0, -1, Double.POSITIVE_INFINITY, Double.NaN }) {
			assertThatIllegalArgumentException().isThrownBy(() -> new SequentialLatencyTest(0.05, tau2))
				.withMessageStartingWith("the mixture variance tau^2 must be positive and finite");
		}
	}

	@Test
	void tooFewOrNonFiniteSamplesAreRejectedWithoutCountingALook() {
		SequentialLatencyTest test = SequentialLatencyTest.withDefaults(0.05);

		assertThatIllegalArgumentException().isThrownBy(() -> test.look(new double[] { 1 }, STABLE))
			.withMessage("the sequential test needs at least 2 canary samples, got 1");
		assertThatIllegalArgumentException().isThrownBy(() -> test.look(SLOWER, new double[0]))
			.withMessage("the sequential test needs at least 2 stable samples, got 0");
		assertThatIllegalArgumentException().isThrownBy(() -> test.look(SLOWER, null))
			.withMessage("the sequential test needs at least 2 stable samples, got 0");
		assertThatIllegalArgumentException().isThrownBy(() -> test.look(new double[] { 1, Double.NaN }, STABLE))
			.withMessage("canary samples must be finite, got NaN");
		assertThat(test.looks()).isZero();
		assertThat(test.look(SLOWER, STABLE).number()).isEqualTo(1);
	}

}
