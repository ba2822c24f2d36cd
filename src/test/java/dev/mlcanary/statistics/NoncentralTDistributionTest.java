package dev.mlcanary.statistics;

import java.time.Duration;
import java.util.stream.Stream;

import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.mlcanary.statistics.NoncentralTDistribution.cumulativeProbability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class NoncentralTDistributionTest {

	private static final double[] DEGREES_OF_FREEDOM = { 0.5, 1, 2, 2.5, 10, 70.75, 1000, 5e4 };

	/**
	 * Where commons-math's own central t is accurate to 1e-12 (it loses about df *
	 * 1e-16).
	 */
	private static final double[] MODERATE_DEGREES_OF_FREEDOM = { 0.5, 1, 2, 2.5, 10, 70.75, 1000 };

	private static final double[] T_VALUES = { -40, -3, -1.96, -0.1, 0, 0.5, 1.96, 3, 40 };

	@Test
	void withoutNoncentralityItIsCommonsMathsCentralT() {
		for (double df : MODERATE_DEGREES_OF_FREEDOM) {
			TDistribution central = new TDistribution(null, df);
			for (double t : T_VALUES) {
				assertThat(cumulativeProbability(t, df, 0)).as("df=%s t=%s", df, t)
					.isCloseTo(central.cumulativeProbability(t), offset(1e-12));
			}
		}
	}

	@Test
	void closedFormsOfTheCentralT() {
		for (double t : T_VALUES) {
			// Cauchy (df = 1) and df = 2 have elementary CDFs.
			assertThat(cumulativeProbability(t, 1, 0)).isCloseTo(0.5 + Math.atan(t) / Math.PI, offset(1e-15));
			assertThat(cumulativeProbability(t, 2, 0)).isCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), offset(1e-15));
		}
	}

	@Test
	void atZeroItIsTheNormalCdfOfMinusDelta() {
		// T' = (Z + delta) / sqrt(V / df) <= 0 exactly when Z <= -delta, whatever df is.
		for (double df : DEGREES_OF_FREEDOM) {
			for (double delta : new double[] { -5, -1, 0.3, 2.8, 38 }) {
				assertThat(cumulativeProbability(0, df, delta)).isCloseTo(NoncentralTDistribution.normalCdf(-delta),
						offset(1e-16));
			}
		}
	}

	/**
	 * Values from an independent 40-digit mpmath quadrature of
	 * {@code E[Phi(t sqrt(V/df) - delta)]}, {@code V ~ chi2(df)}, each agreeing with
	 * scipy's {@code nct.cdf} (Boost) to 5e-15 or better.
	 */
	@ParameterizedTest(name = "F({0}; df={1}, delta={2}) = {3}")
	@CsvSource({ "1.96, 10, 2.8, 0.20720762793412244404", "-1, 5, 1, 0.030807353260750214859",
			"3, 2.5, -0.5, 0.98513516472526450879", "0.5, 1, 2, 0.063276887479946749033",
			"2.2, 70, 3.3, 0.13802733939845004551", "-2.5, 30, -1, 0.079427094376408059853",
			"2, 0.5, 1, 0.52049635181525534373", "-0.3, 3, 0.2, 0.31807432402108390094",
			"1.9908470688116, 70.7527648889264, 2.74634, 0.22598969360959764484", "12, 4, 10, 0.59458328849700970729",
			"1.5, 10000, 3, 0.066813271985911437551", "-0.1, 50000, 0, 0.46017236318350290398",
			"35, 10, 35, 0.44119881898798572359", })
	void matchesReferenceValues(double t, double df, double delta, double expected) {
		assertThat(cumulativeProbability(t, df, delta)).isCloseTo(expected, offset(1e-13));
	}

	/**
	 * Large noncentralities: hundreds to thousands of series terms, some recomputed from
	 * underflow.
	 */
	@ParameterizedTest(name = "F({0}; df={1}, delta={2}) = {3}")
	@CsvSource({ "40, 10, 38.5, 0.50739091735646862771", "60, 6, 50, 0.65394594620061884982",
			"61, 99999, 60, 0.83907763817383650197", "100, 99999, 99.9, 0.53877266858994499094",
			"120, 20, 99, 0.84923010711813487425", })
	void matchesReferenceValuesForLargeNoncentrality(double t, double df, double delta, double expected) {
		assertThat(cumulativeProbability(t, df, delta)).isCloseTo(expected, offset(1e-11));
	}

	@Test
	void reflection() {
		for (double df : DEGREES_OF_FREEDOM) {
			for (double delta : new double[] { -150, -20, -2.8, 0, 0.7, 5, 99 }) {
				for (double t : T_VALUES) {
					assertThat(cumulativeProbability(t, df, delta) + cumulativeProbability(-t, df, -delta))
						.as("df=%s delta=%s t=%s", df, delta, t)
						.isCloseTo(1, offset(1e-13));
				}
			}
		}
	}

	@Test
	void nondecreasingInTAndNonincreasingInDelta() {
		for (double df : new double[] { 1, 4.5, 30, 1e4, 1e7 }) {
			for (double delta : new double[] { -3, 0, 1, 2.8, 10, 60 }) {
				double previous = 0;
				for (double t = -80; t <= 80; t += 0.5) {
					double p = cumulativeProbability(t, df, delta);
					assertThat(p).as("df=%s delta=%s t=%s", df, delta, t).isBetween(previous - 1e-14, 1.0);
					assertThat(cumulativeProbability(t, df, delta + 0.5)).as("df=%s delta=%s t=%s", df, delta, t)
						.isLessThanOrEqualTo(p + 1e-14);
					previous = p;
				}
			}
		}
	}

	@Test
	void tendsToTheShiftedNormalAsDegreesOfFreedomGrow() {
		for (double delta : new double[] { -2, 0, 1, 2.8 }) {
			for (double t : new double[] { -3, -1, 0.5, 1.96, 4 }) {
				double normal = NoncentralTDistribution.normalCdf(t - delta);
				assertThat(cumulativeProbability(t, 1e4, delta)).isCloseTo(normal, offset(1e-3));
				assertThat(cumulativeProbability(t, 1e9, delta)).isCloseTo(normal, offset(1e-7));
			}
		}
	}

	@Test
	void seriesAndNormalApproximationAgreeWhereTheySwitch() {
		for (double delta : new double[] { -2.8, 0, 1, 2.8, 10, 30, 60, 99.9 }) {
			double df = NoncentralTDistribution.MAX_SERIES_DF * (1 + Math.abs(delta) / 2);
			double below = df * (1 - 1e-12);
			double above = df * (1 + 1e-12);
			assertThat(NoncentralTDistribution.usesNormalApproximation(below, delta)).isFalse();
			assertThat(NoncentralTDistribution.usesNormalApproximation(above, delta)).isTrue();
			double tolerance = (Math.abs(delta) <= 3) ? 3e-12 : 1e-10;
			for (double t = -5; t <= Math.abs(delta) + 10; t += 0.25) {
				assertThat(cumulativeProbability(t, above, delta)).as("delta=%s t=%s", delta, t)
					.isCloseTo(cumulativeProbability(t, below, delta), offset(tolerance));
			}
		}
	}

	@Test
	void vanishingDegreesOfFreedomLeaveOnlyTheSignOfZPlusDelta() {
		for (double df : new double[] { Double.MIN_VALUE, 1e-320, 1e-301 }) {
			for (double t : new double[] { -1e300, -40, -1, 1e-200, 2, 1e300 }) {
				assertThat(cumulativeProbability(t, df, 1.5)).isEqualTo(NoncentralTDistribution.normalCdf(-1.5));
			}
		}
	}

	@Test
	void infiniteTIsCertain() {
		assertThat(cumulativeProbability(Double.POSITIVE_INFINITY, 3, 2)).isEqualTo(1);
		assertThat(cumulativeProbability(Double.NEGATIVE_INFINITY, 3, 2)).isEqualTo(0);
	}

	static Stream<Arguments> invalidParameters() {
		return Stream.of(Arguments.of(Double.NaN, 5, 1), Arguments.of(1, 0, 1), Arguments.of(1, -3, 1),
				Arguments.of(1, Double.NaN, 1), Arguments.of(1, Double.POSITIVE_INFINITY, 1),
				Arguments.of(1, 5, Double.NaN), Arguments.of(1, 5, Double.POSITIVE_INFINITY),
				Arguments.of(1, 5, Double.NEGATIVE_INFINITY));
	}

	@ParameterizedTest
	@MethodSource("invalidParameters")
	void rejectsInvalidParameters(double t, double df, double delta) {
		assertThatIllegalArgumentException().isThrownBy(() -> cumulativeProbability(t, df, delta));
	}

	@Test
	void extremeArgumentsGiveAProbabilityPromptly() {
		double[] ts = { -Double.MAX_VALUE, -1e300, -1e6, -40, -1e-200, 0, 1e-200, 40, 1e6, 1e300, Double.MAX_VALUE };
		double[] dfs = { Double.MIN_VALUE, 1e-320, 1e-300, 1e-10, 0.01, 1, 30, 1e5, 1e9, 1e300, Double.MAX_VALUE };
		double[] deltas = { -Double.MAX_VALUE, -1e300, -150, -99.9, -38, 0, 1e-300, 38, 99.9, 150, 1e300,
				Double.MAX_VALUE };
		// A hang guard, not a speed requirement.
		assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
			for (double t : ts) {
				for (double df : dfs) {
					for (double delta : deltas) {
						assertThat(cumulativeProbability(t, df, delta)).as("t=%s df=%s delta=%s", t, df, delta)
							.isBetween(0.0, 1.0);
					}
				}
			}
		});
	}

}
