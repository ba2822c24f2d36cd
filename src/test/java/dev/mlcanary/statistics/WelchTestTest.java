package dev.mlcanary.statistics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Reference values: ../shared/reference/statistics.md (scipy 1.10, checked with mpmath).
 */
class WelchTestTest {

	private static final double[] A = { 10.2, 11.5, 9.8, 12.1, 10.9, 11.7, 10.4, 13.0 };

	private static final double[] B = { 9.1, 9.5, 10.0, 8.7, 9.9, 9.3, 10.1 };

	@Test
	void matchesTheReferenceValues() {
		WelchTest welch = run(A, B);

		assertThat(welch.t()).isCloseTo(3.9450397084241384, within(3.9450397084241384 * 1e-9));
		assertThat(welch.degreesOfFreedom()).isCloseTo(10.357940323708887, within(10.357940323708887 * 1e-9));
		assertThat(welch.pValue()).isCloseTo(0.0025717270412179394, within(0.0025717270412179394 * 1e-9));
	}

	@Test
	void isAntisymmetricInItsArguments() {
		WelchTest reversed = run(B, A);

		assertThat(reversed.t()).isCloseTo(-3.9450397084241384, within(1e-9));
		assertThat(reversed.pValue()).isCloseTo(0.0025717270412179394, within(0.0025717270412179394 * 1e-9));
	}

	@Test
	void identicalConstantSamplesShowNoDifference() {
		WelchTest welch = run(new double[] { 5, 5, 5, 5 }, new double[] { 5, 5, 5, 5 });

		assertThat(welch.t()).isZero();
		assertThat(welch.pValue()).isEqualTo(1.0);
	}

	@Test
	void differentConstantSamplesDifferWithCertainty() {
		WelchTest welch = run(new double[] { 5, 5, 5, 5 }, new double[] { 6, 6, 6, 6 });

		assertThat(welch.t()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(welch.pValue()).isZero();
	}

	@Test
	void oneConstantSampleStillGivesAFiniteAnswer() {
		WelchTest welch = run(new double[] { 5, 5, 5, 5 }, new double[] { 5, 6, 5, 6 });

		assertThat(welch.t()).isFinite().isNegative();
		assertThat(welch.pValue()).isBetween(0.0, 1.0);
	}

	private static WelchTest run(double[] a, double[] b) {
		return WelchTest.of(LatencySummary.of(a), LatencySummary.of(b), a, b);
	}

}
