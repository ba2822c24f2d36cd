package dev.mlcanary.statistics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.SplittableRandom;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Reference values: ../shared/reference/statistics.md for [[90, 10], [70, 30]] (scipy
 * 1.10, checked with mpmath); the others from {@code scipy.stats.fisher_exact} (scipy
 * 1.17) and from exact rational arithmetic computed here with {@link BigInteger}.
 */
class FisherExactTest {

	/** mpmath (see below) agrees: 0.00065041070760342097. */
	@Test
	void matchesTheReferenceTable() {
		assertClose(FisherExact.twoSided(90, 10, 70, 30), 0.0006504107076034208);
	}

	@Test
	void oneSidedMatchesScipy() {
		assertClose(FisherExact.greater(90, 10, 70, 30), 0.0003252053538017104);
		// "less" is "greater" with the rows swapped
		assertClose(FisherExact.greater(70, 30, 90, 10), 0.9999227971381831);
		assertClose(FisherExact.greater(10, 20, 30, 40), 0.8676419647894413);
		assertClose(FisherExact.greater(30, 40, 10, 20), 0.2533310713617557);
		assertClose(FisherExact.greater(3, 1, 1, 3), 0.24285714285714283);
	}

	@Test
	void twoSidedMatchesScipy() {
		assertClose(FisherExact.twoSided(3, 1, 1, 3), 0.48571428571428565);
		assertClose(FisherExact.twoSided(10, 20, 30, 40), 0.5044757698516285);
		assertClose(FisherExact.twoSided(500, 0, 480, 20), 1.5713305204493155e-06);
		assertClose(FisherExact.greater(500, 0, 480, 20), 7.856652602246577e-07);
	}

	@Test
	void zerosInTheTable() {
		// Only the two extreme tables are as unlikely as this one: 2 / C(10, 5).
		assertClose(FisherExact.twoSided(0, 5, 5, 0), 2.0 / 252);
		assertThat(FisherExact.greater(0, 5, 5, 0)).isEqualTo(1.0);
		assertClose(FisherExact.greater(5, 0, 0, 5), 1.0 / 252);
	}

	@Test
	void aZeroMarginOrAnEmptyTableHasOnlyOneArrangement() {
		assertThat(FisherExact.twoSided(0, 0, 0, 0)).isEqualTo(1.0);
		assertThat(FisherExact.twoSided(0, 0, 3, 7)).isEqualTo(1.0);
		assertThat(FisherExact.twoSided(0, 4, 0, 9)).isEqualTo(1.0);
		assertThat(FisherExact.greater(0, 0, 0, 7)).isEqualTo(1.0);
		assertThat(FisherExact.greater(6, 0, 2, 0)).isEqualTo(1.0);
	}

	@Test
	void twoSidedIsInvariantUnderTranspositionAndRowSwaps() {
		double p = FisherExact.twoSided(12, 5, 3, 9);

		assertClose(FisherExact.twoSided(12, 3, 5, 9), p);
		assertClose(FisherExact.twoSided(3, 9, 12, 5), p);
		assertClose(FisherExact.twoSided(9, 3, 5, 12), p);
	}

	/** Every table with at most 14 items, against exact rational arithmetic. */
	@Test
	void agreesWithExactArithmeticOnAllSmallTables() {
		int tables = 0;
		for (int a = 0; a <= 14; a++) {
			for (int b = 0; a + b <= 14; b++) {
				for (int c = 0; a + b + c <= 14; c++) {
					for (int d = 0; a + b + c + d <= 14; d++) {
						compareWithExact(a, b, c, d);
						tables++;
					}
				}
			}
		}
		assertThat(tables).isEqualTo(3060);
	}

	@Test
	void agreesWithExactArithmeticOnRandomLargerTables() {
		SplittableRandom random = new SplittableRandom(11);
		for (int i = 0; i < 300; i++) {
			compareWithExact(random.nextInt(200), random.nextInt(200), random.nextInt(200), random.nextInt(30));
		}
	}

	/**
	 * References summed with mpmath at 35 significant digits (log-gamma for the mode,
	 * then the exact term ratios outwards). scipy 1.17 gives 0.02898802582424389 and
	 * 0.014539059541190493 for the first table (1.6e-9 off) and 0.2635774585927704 for
	 * the second (3e-7 off: its probabilities lose precision at this size,
	 * commons-math3's saddle-point expansion does not).
	 */
	@Test
	void countsInTheMillionsAndBillions() {
		assertClose(FisherExact.twoSided(1_000_000, 1_000, 999_000, 1_100), 0.028988025819523717, 1e-11);
		assertClose(FisherExact.greater(1_000_000, 1_000, 999_000, 1_100), 0.014539059539922507, 1e-11);
		assertClose(FisherExact.twoSided(500_000_000, 500_000_000, 500_050_000, 500_000_000), 0.26357754567457394,
				1e-11);
		assertClose(FisherExact.greater(500_000_000, 500_000_000, 500_050_000, 500_000_000), 0.86822435852768799,
				1e-11);
		assertThat(FisherExact.twoSided(1_000_000, 1_000_000, 1_000_000, 1_000_000)).isEqualTo(1.0);
		assertThat(FisherExact.greater(1_000_000, 1_000_000, 1_000_000, 1_000_000)).isBetween(0.5, 0.51);
		// 2 / C(2e6, 1e6): far below the smallest double, so 0, without hanging or
		// overflowing.
		assertThat(FisherExact.twoSided(1_000_000, 0, 0, 1_000_000)).isZero();
		assertThat(FisherExact.greater(0, 1_000_000, 1_000_000, 0)).isEqualTo(1.0);
	}

	/**
	 * Tables with another table exactly as probable as the observed one, where Commons
	 * Statistics 1.1's two-sided test drops that table to rounding (see
	 * {@link FisherExact#twoSided}), found by a search of all tables with at most 40
	 * items. scipy 1.17: 0.5164835164835164 (47 / 91) for the first, where the library
	 * gives 0.275, and 1.0 for the second.
	 */
	@Test
	void tablesExactlyAsProbableAsTheObservedOneAreCounted() {
		assertClose(FisherExact.twoSided(0, 4, 4, 7), 47.0 / 91);
		assertThat(FisherExact.twoSided(0, 2, 2, 3)).isEqualTo(1.0); // at a double mode
		compareWithExact(0, 4, 4, 7);
		compareWithExact(0, 7, 18, 11);
		compareWithExact(0, 13, 17, 4);
		compareWithExact(1, 2, 10, 4);
		compareWithExact(1, 4, 17, 14);
	}

	/**
	 * Either side of the width at which {@code greater} leaves the library for the short
	 * tail sums.
	 */
	@Test
	void theLibraryAndTheTailSumsAgreeWhereGreaterSwitches() {
		int limit = FisherExact.LIBRARY_MAX_SUPPORT;
		for (int width : new int[] { limit, limit + 1 }) {
			// Column 0 holds `width` items, row 0 more than that: X ranges over 0..width.
			long a = width / 2 + 300;
			long c = width - a;
			long b = 90_000;
			long d = 90_300;
			double viaLibrary = libraryGreater(a, b, c, d);
			assertClose(FisherExact.greater(a, b, c, d), viaLibrary, 1e-11);
			assertClose(FisherExact.greaterBySummation(a, b, c, d), viaLibrary, 1e-11);
		}
		SplittableRandom random = new SplittableRandom(5);
		for (int i = 0; i < 100; i++) {
			long a = random.nextInt(3000);
			long b = random.nextInt(3000);
			long c = random.nextInt(3000);
			long d = random.nextInt(300);
			double expected = FisherExact.greater(a, b, c, d);
			assertThat(FisherExact.greaterBySummation(a, b, c, d)).as("[[%d, %d], [%d, %d]]", a, b, c, d)
				.isCloseTo(expected, within(expected * 1e-11 + 1e-14));
		}
	}

	@Test
	void invalidCountsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> FisherExact.twoSided(1, -1, 2, 3))
			.withMessage("counts in a 2x2 table must not be negative, got [[1, -1], [2, 3]]");
		assertThatIllegalArgumentException().isThrownBy(() -> FisherExact.greater(Integer.MAX_VALUE, 1, 0, 0))
			.withMessage("the table total must not exceed 2147483647");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FisherExact.twoSided(Long.MAX_VALUE, Long.MAX_VALUE, 1, 1))
			.withMessageContaining("must not exceed");
	}

	private static void compareWithExact(int a, int b, int c, int d) {
		int n = a + b; // row 0
		int k = a + c; // column 0
		int total = a + b + c + d;
		int lo = Math.max(0, n - (total - k));
		int hi = Math.min(n, k);
		BigInteger denominator = binomial(total, n);
		BigInteger observed = binomial(k, a).multiply(binomial(total - k, n - a));
		BigInteger twoSided = BigInteger.ZERO;
		BigInteger greater = BigInteger.ZERO;
		BigInteger scale = BigInteger.valueOf(10_000_000);
		BigInteger observedWithTolerance = observed.multiply(scale.add(BigInteger.ONE));
		for (int x = lo; x <= hi; x++) {
			BigInteger ways = binomial(k, x).multiply(binomial(total - k, n - x));
			if (ways.multiply(scale).compareTo(observedWithTolerance) <= 0) {
				twoSided = twoSided.add(ways);
			}
			if (x >= a) {
				greater = greater.add(ways);
			}
		}
		double expectedTwoSided = Math.min(1, ratio(twoSided, denominator));
		double expectedGreater = ratio(greater, denominator);
		assertThat(FisherExact.twoSided(a, b, c, d)).as("two-sided [[%d, %d], [%d, %d]]", a, b, c, d)
			.isCloseTo(expectedTwoSided, within(expectedTwoSided * 1e-11 + 1e-300));
		// The lower-tail complement loses relative precision only where the answer is
		// close to 1.
		assertThat(FisherExact.greater(a, b, c, d)).as("greater [[%d, %d], [%d, %d]]", a, b, c, d)
			.isCloseTo(expectedGreater, within(expectedGreater * 1e-11 + 1e-14));
	}

	/**
	 * Commons Statistics directly (its class has this test's simple name, hence the full
	 * name).
	 */
	private static double libraryGreater(long a, long b, long c, long d) {
		int[][] table = { { (int) a, (int) b }, { (int) c, (int) d } };
		return org.apache.commons.statistics.inference.FisherExactTest.withDefaults()
			.with(AlternativeHypothesis.GREATER_THAN)
			.test(table)
			.getPValue();
	}

	private static double ratio(BigInteger numerator, BigInteger denominator) {
		return new BigDecimal(numerator).divide(new BigDecimal(denominator), MathContext.DECIMAL128).doubleValue();
	}

	private static BigInteger binomial(int n, int r) {
		BigInteger result = BigInteger.ONE;
		for (int i = 0; i < r; i++) {
			result = result.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
		}
		return result;
	}

	private static void assertClose(double actual, double expected) {
		assertClose(actual, expected, 1e-9);
	}

	private static void assertClose(double actual, double expected, double relative) {
		assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * relative));
	}

}
