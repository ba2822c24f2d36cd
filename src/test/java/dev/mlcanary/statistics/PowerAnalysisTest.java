package dev.mlcanary.statistics;

import java.time.Duration;

import dev.mlcanary.statistics.PowerAnalysis.Result;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class PowerAnalysisTest {

	/**
	 * References: statsmodels
	 * {@code TTestIndPower().solve_power(effect_size, alpha=..., power=...)} and scipy,
	 * confirmed with mpmath at 50 digits.
	 */
	@ParameterizedTest(name = "d={0} alpha={1} power={2}: n={3}, recommended {4}")
	@CsvSource({ "0.666, 0.05, 0.8, 36.3763824444632, 37", "0.5, 0.01, 0.9, 120.705485855328, 121" })
	void sampleSizeMatchesStatsmodels(double effectSize, double alpha, double power, double exact, long recommended) {
		Result result = PowerAnalysis.solveSampleSize(effectSize, alpha, power);
		assertThat(result.exactSampleSizePerGroup()).isCloseTo(exact, offset(exact * 1e-8));
		assertThat(result.recommendedSampleSizePerGroup()).isEqualTo(recommended);
		assertThat(result.effectSize()).isEqualTo(effectSize);
		assertThat(result.alpha()).isEqualTo(alpha);
		assertThat(result.power()).isEqualTo(power);
	}

	@Test
	void powerMatchesStatsmodels() {
		assertThat(PowerAnalysis.power(0.5, 0.05, 64)).isCloseTo(0.80145955792225, offset(0.80145955792225 * 1e-8));
	}

	/**
	 * Roots where df is large enough for the normal approximations (scipy's {@code nct},
	 * each root checked by evaluating the power with a 30-digit mpmath quadrature).
	 */
	@ParameterizedTest(name = "d={0}: n={1}")
	@CsvSource({ "0.01, 156978.17055699432", "0.001, 15697721.979017158", "5, 2.1172199111125733" })
	void sampleSizeAtTheExtremesOfTheAnswer(double effectSize, double exact) {
		Result result = PowerAnalysis.solveSampleSize(effectSize, 0.05, 0.8);
		assertThat(result.exactSampleSizePerGroup()).isCloseTo(exact, offset(exact * 1e-8));
		assertThat(result.recommendedSampleSizePerGroup()).isEqualTo((long) Math.ceil(exact));
	}

	/**
	 * Extreme significance levels (scipy, the last confirmed with mpmath): below alpha =
	 * 2e-15 commons-math's own inverse t CDF returns nonsense, and near alpha = 1 its CDF
	 * rounds away the tiny critical value.
	 */
	@ParameterizedTest(name = "d=0.5 alpha={0} power={1}: n={2}")
	@CsvSource({ "1e-300, 0.9, 12104.507705565873", "1e-12, 0.8, 521.0853018114856", "1e-20, 0.8, 850.3281749421353",
			"0.999, 0.9995, 11.090361136433303" })
	void sampleSizeAtExtremeSignificanceLevels(double alpha, double power, double exact) {
		Result result = PowerAnalysis.solveSampleSize(0.5, alpha, power);
		assertThat(result.exactSampleSizePerGroup()).isCloseTo(exact, offset(exact * 1e-8));
	}

	/** scipy's {@code t.ppf}. */
	@ParameterizedTest(name = "t({0}; df={1}) = {2}")
	@CsvSource({ "5e-301, 70, -156192.8034582574", "5e-301, 99999.99, -37.193555729992816",
			"5e-301, 100000.01, -37.1935557043659", "5e-13, 2, -999999.9999992499", "5e-13, 70, -8.68531848304478",
			"0.025, 0.5, -164.55767348048846", "0.025, 2, -4.302652729749464", "0.025, 70, -1.9944371117711868",
			"0.025, 99999.99, -1.9599877075369818", "0.025, 100000.01, -1.9599877075322372",
			"0.3, 70, -0.5267970357186224", "0.4995, 20.18, -0.0012689313409281915", "0.5, 7, 0" })
	void studentTQuantileMatchesScipy(double p, double df, double expected) {
		assertThat(PowerAnalysis.studentTQuantile(p, df)).isCloseTo(expected, offset(Math.abs(expected) * 5e-12));
	}

	/** mpmath, 30 digits. */
	@ParameterizedTest(name = "z({0}) = {1}")
	@CsvSource({ "0.025, -1.9599639845400542355", "1e-5, -4.2648907939228246285", "1e-10, -6.3613409024040562047",
			"1e-11, -6.7060231554951362873", "1e-100, -21.273453560965324295" })
	void normalQuantileMatchesMpmath(double p, double expected) {
		assertThat(PowerAnalysis.normalQuantile(p)).isCloseTo(expected, offset(Math.abs(expected) * 1e-14));
	}

	@ParameterizedTest
	@CsvSource({ "0.666, 0.05, 0.8", "0.5, 0.01, 0.9", "0.2, 0.05, 0.5", "1.3, 0.1, 0.95", "0.05, 0.001, 0.99",
			"0.3, 0.05, 0.06" })
	void recommendationIsTheSmallestWholeSampleReachingThePower(double effectSize, double alpha, double power) {
		Result result = PowerAnalysis.solveSampleSize(effectSize, alpha, power);
		assertThat(PowerAnalysis.power(effectSize, alpha, result.exactSampleSizePerGroup())).isCloseTo(power,
				offset(1e-12));
		long n = result.recommendedSampleSizePerGroup();
		assertThat(PowerAnalysis.power(effectSize, alpha, n)).isGreaterThanOrEqualTo(power);
		if (n > 2) {
			assertThat(PowerAnalysis.power(effectSize, alpha, n - 1)).isLessThan(power);
		}
	}

	@Test
	void withoutAnEffectThePowerIsAlpha() {
		for (double n : new double[] { 1.5, 2, 10, 1e3, 1e6, 1e9 }) {
			for (double alpha : new double[] { 1e-6, 0.01, 0.05, 0.5, 0.9 }) {
				assertThat(PowerAnalysis.power(0, alpha, n)).as("n=%s alpha=%s", n, alpha)
					.isCloseTo(alpha, offset(alpha * 1e-9));
			}
		}
	}

	@Test
	void powerGrowsWithSampleSizeAndEffectAndIgnoresTheEffectsSign() {
		double previous = 0;
		for (double n = 2; n < 1e6; n *= 1.5) {
			double power = PowerAnalysis.power(0.3, 0.05, n);
			if (previous < 0.999) {
				assertThat(power).isGreaterThan(previous);
			}
			else {
				assertThat(power).isGreaterThanOrEqualTo(previous - 1e-13);
			}
			assertThat(PowerAnalysis.power(-0.3, 0.05, n)).isCloseTo(power, offset(1e-14));
			assertThat(PowerAnalysis.power(0.31, 0.05, n)).isGreaterThanOrEqualTo(power - 1e-13);
			previous = power;
		}
	}

	@Test
	void quantileIsContinuousWhereItSwitchesToCornishFisher() {
		double df = PowerAnalysis.MAX_EXACT_QUANTILE_DF;
		for (double p : new double[] { 1e-300, 1e-8, 0.005, 0.025, 0.3, 0.4999 }) {
			double exact = PowerAnalysis.studentTQuantile(p, df);
			assertThat(PowerAnalysis.studentTQuantile(p, df * (1 + 1e-12))).isCloseTo(exact,
					offset(Math.abs(exact) * 1e-10));
		}
	}

	@Test
	void quantileInvertsCommonsMathsCentralT() {
		for (double df : new double[] { 2, 7.5, 70.75, 1000 }) {
			TDistribution central = new TDistribution(null, df);
			for (double p : new double[] { 1e-6, 0.005, 0.025, 0.3 }) {
				assertThat(central.cumulativeProbability(PowerAnalysis.studentTQuantile(p, df))).isCloseTo(p,
						offset(p * 1e-11));
			}
		}
	}

	@Test
	void anEffectTooLargeForTheMinimumSampleAsksForTwoPerGroup() {
		Result result = PowerAnalysis.solveSampleSize(10, 0.05, 0.8);
		assertThat(result.exactSampleSizePerGroup()).isEqualTo(2);
		assertThat(result.recommendedSampleSizePerGroup()).isEqualTo(2);
		assertThat(PowerAnalysis.solveSampleSize(Double.MAX_VALUE, 0.05, 0.8).recommendedSampleSizePerGroup())
			.isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(doubles = { 1e-4, 1e-6, 1e-12, Double.MIN_VALUE })
	void tinyEffectsAreRefusedPromptly(double effectSize) {
		// A hang guard, not a speed requirement.
		assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> assertThatExceptionOfType(InvalidPowerAnalysisException.class)
					.isThrownBy(() -> PowerAnalysis.solveSampleSize(effectSize, 0.05, 0.8))
					.withMessageContaining("effect_size")
					.withMessageContaining("would need more than 1000000000 samples per group"));
	}

	@Test
	void smallEffectJustUnderTheCapIsAnswered() {
		Result result = assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> PowerAnalysis.solveSampleSize(1.3e-4, 0.05, 0.8));
		assertThat(result.exactSampleSizePerGroup()).isBetween(9e8, 1e9);
		assertThat(result.recommendedSampleSizePerGroup())
			.isEqualTo((long) Math.ceil(result.exactSampleSizePerGroup()));
	}

	@ParameterizedTest
	@ValueSource(doubles = { 1.5, 0, -0.1, 1, Double.NaN, Double.POSITIVE_INFINITY })
	void rejectsAlphaOutsideZeroOne(double alpha) {
		assertThatExceptionOfType(InvalidPowerAnalysisException.class)
			.isThrownBy(() -> PowerAnalysis.solveSampleSize(0.5, alpha, 0.8))
			.withMessageStartingWith("alpha must be a number greater than 0 and less than 1");
		assertThatExceptionOfType(InvalidPowerAnalysisException.class)
			.isThrownBy(() -> PowerAnalysis.power(0.5, alpha, 20))
			.withMessageStartingWith("alpha must be");
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.01, 0.05, 1, 1.2, -0.5, Double.NaN })
	void rejectsPowerOutsideAlphaOne(double power) {
		assertThatExceptionOfType(InvalidPowerAnalysisException.class)
			.isThrownBy(() -> PowerAnalysis.solveSampleSize(0.5, 0.05, power))
			.withMessageStartingWith("power must be greater than alpha (0.05) and less than 1");
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0, -0.0, -0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY })
	void rejectsEffectSizesThatAreNotPositiveAndFinite(double effectSize) {
		assertThatExceptionOfType(InvalidPowerAnalysisException.class)
			.isThrownBy(() -> PowerAnalysis.solveSampleSize(effectSize, 0.05, 0.8))
			.withMessageStartingWith("effect_size must be a positive finite number");
	}

	@ParameterizedTest
	@ValueSource(doubles = { 1, 0.5, -3, Double.NaN, Double.POSITIVE_INFINITY })
	void powerRejectsSampleSizesNotAboveOne(double n) {
		assertThatExceptionOfType(InvalidPowerAnalysisException.class)
			.isThrownBy(() -> PowerAnalysis.power(0.5, 0.05, n))
			.withMessageContaining("greater than 1");
	}

	@Test
	void powerRejectsNonFiniteEffectSizes() {
		assertThatExceptionOfType(InvalidPowerAnalysisException.class)
			.isThrownBy(() -> PowerAnalysis.power(Double.NaN, 0.05, 10))
			.withMessageStartingWith("effect_size must be a finite number");
	}

}
