package dev.mlcanary.statistics;

import java.util.SplittableRandom;

import dev.mlcanary.statistics.MannWhitney.Method;
import dev.mlcanary.statistics.MannWhitney.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Reference values: ../shared/reference/statistics.md (scipy 1.10, checked with mpmath)
 * for pair A; the others from {@code scipy.stats.mannwhitneyu} (scipy 1.17), as noted at
 * each test.
 */
class MannWhitneyTest {

	private static final double[] A = { 10.2, 11.5, 9.8, 12.1, 10.9, 11.7, 10.4, 13.0 };

	private static final double[] B = { 9.1, 9.5, 10.0, 8.7, 9.9, 9.3, 10.1 };

	@Test
	void smallSamplesWithoutTiesUseTheExactDistribution() {
		Result result = MannWhitney.test(A, B);

		assertThat(result.method()).isEqualTo(Method.EXACT);
		assertThat(result.u()).isEqualTo(53.0);
		assertClose(result.pValue(), 14.0 / 6435);
		assertClose(result.pValue(), 0.0021756021756021756);
		assertThat(result.z()).isFinite().isPositive();
	}

	@Test
	void theNormalApproximationWithContinuityCorrectionMatchesScipy() {
		Result result = MannWhitney.test(A, B, Method.NORMAL);

		assertThat(result.method()).isEqualTo(Method.NORMAL);
		assertThat(result.u()).isEqualTo(53.0);
		assertClose(result.pValue(), 0.004577922357685606);
	}

	@Test
	void swappingTheSamplesMirrorsUAndKeepsP() {
		Result exact = MannWhitney.test(B, A);
		Result normal = MannWhitney.test(B, A, Method.NORMAL);

		assertThat(exact.u()).isEqualTo(56 - 53.0);
		assertClose(exact.pValue(), 14.0 / 6435);
		assertThat(normal.z()).isCloseTo(-MannWhitney.test(A, B, Method.NORMAL).z(), within(1e-15));
		assertClose(normal.pValue(), 0.004577922357685606);
	}

	/**
	 * scipy: mannwhitneyu([1,2,2,3,3,3,4,5], [2,3,4,4,5,5,6]) = (13.5,
	 * 0.0983349877585014).
	 */
	@Test
	void tiesUseMidranksAndTheTieCorrectedVariance() {
		double[] a = { 1, 2, 2, 3, 3, 3, 4, 5 };
		double[] b = { 2, 3, 4, 4, 5, 5, 6 };

		Result result = MannWhitney.test(a, b);

		assertThat(result.method()).isEqualTo(Method.NORMAL);
		assertThat(result.u()).isEqualTo(13.5);
		assertClose(result.pValue(), 0.0983349877585014);
		assertThat(result.z()).isNegative();
	}

	/**
	 * The largest exact case, 50 against 50. scipy: exact p = 0.008849841994354004, U =
	 * 1628; the asymptotic p = 0.009256921836236156 is close, which is why larger samples
	 * use it.
	 */
	@Test
	void exactAtTheSizeLimitMatchesScipyAndIsCloseToTheNormalApproximation() {
		double[] a = new double[50];
		double[] b = new double[50];
		for (int k = 0; k < 50; k++) {
			a[k] = (k * 37) % 101 + 0.5;
			b[k] = (k * 53) % 103 - 12.25;
		}

		Result exact = MannWhitney.test(a, b);
		Result normal = MannWhitney.test(a, b, Method.NORMAL);

		assertThat(exact.method()).isEqualTo(Method.EXACT);
		assertThat(exact.u()).isEqualTo(1628.0);
		assertClose(exact.pValue(), 0.008849841994354004);
		assertClose(normal.pValue(), 0.009256921836236156);
	}

	@Test
	void aboveTheSizeLimitTheNormalApproximationIsUsed() {
		double[] a = new double[MannWhitney.EXACT_MAX_SAMPLE_SIZE + 1];
		for (int k = 0; k < a.length; k++) {
			a[k] = k;
		}

		assertThat(MannWhitney.test(a, new double[] { 0.5, 1.5 }).method()).isEqualTo(Method.NORMAL);
		assertThatIllegalArgumentException().isThrownBy(() -> MannWhitney.test(a, new double[] { 0.5 }, Method.EXACT))
			.withMessageContaining("limited to 50 values per sample");
	}

	@Test
	void theExactMethodRefusesTies() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MannWhitney.test(new double[] { 1, 2 }, new double[] { 2, 3 }, Method.EXACT))
			.withMessageContaining("without ties");
	}

	/**
	 * The exact p-value against brute force: every way of choosing which of m + n ranks
	 * belong to a, each arrangement tested as samples of those ranks.
	 */
	@Test
	void theExactPValueMatchesCompleteEnumeration() {
		for (int m = 1; m <= 6; m++) {
			for (int n = 1; n <= 6; n++) {
				long[] counts = new long[m * n + 1];
				int total = 0;
				for (int mask = 0; mask < 1 << (m + n); mask++) {
					if (Integer.bitCount(mask) == m) {
						counts[uOf(mask, m + n)]++;
						total++;
					}
				}
				// upperTail[k] = P(U >= k)
				double[] upperTail = new double[m * n + 2];
				long tail = 0;
				for (int k = m * n; k >= 0; k--) {
					tail += counts[k];
					upperTail[k] = (double) tail / total;
				}
				for (int mask = 0; mask < 1 << (m + n); mask++) {
					if (Integer.bitCount(mask) != m) {
						continue;
					}
					double[] a = new double[m];
					double[] b = new double[n];
					int i = 0;
					int j = 0;
					for (int rank = 0; rank < m + n; rank++) {
						if ((mask >> rank & 1) == 1) {
							a[i++] = rank;
						}
						else {
							b[j++] = rank;
						}
					}
					int u = uOf(mask, m + n);
					double expected = Math.min(1, 2 * upperTail[Math.max(u, m * n - u)]);
					Result result = MannWhitney.test(a, b, Method.EXACT);
					assertThat(result.u()).isEqualTo(u);
					assertThat(result.pValue()).as("m=%d n=%d u=%d", m, n, u).isCloseTo(expected, within(2e-15));
				}
			}
		}
	}

	/** U of a: for each a (bit set), the number of b's (bits clear) below it. */
	private static int uOf(int mask, int size) {
		int u = 0;
		int bsBelow = 0;
		for (int rank = 0; rank < size; rank++) {
			if ((mask >> rank & 1) == 1) {
				u += bsBelow;
			}
			else {
				bsBelow++;
			}
		}
		return u;
	}

	/**
	 * scipy: U = 48366990, p = 6.335801311151537e-05 (asymptotic, continuity); 1,018
	 * distinct values.
	 */
	@Test
	void tenThousandAgainstTenThousandWithManyTies() {
		double[] a = new double[10_000];
		double[] b = new double[10_000];
		for (long i = 0; i < a.length; i++) {
			a[(int) i] = ((i * 7919) % 1000) / 10.0;
			b[(int) i] = ((i * 104729 + 13) % 1003) / 10.0 + 1.5;
		}

		Result result = MannWhitney.test(a, b);

		assertThat(result.method()).isEqualTo(Method.NORMAL);
		assertThat(result.u()).isEqualTo(48366990.0);
		assertClose(result.pValue(), 6.335801311151537e-05);
	}

	@Test
	void identicalSamplesShowNoDifference() {
		double[] fives = { 5, 5, 5, 5 };

		Result result = MannWhitney.test(fives, fives.clone());

		assertThat(result.u()).isEqualTo(8.0);
		assertThat(result.z()).isZero();
		assertThat(result.pValue()).isEqualTo(1.0);
		assertThat(result.method()).isEqualTo(Method.NORMAL);
	}

	@Test
	void aSameDistributionGivesNoSignalAndTheInputsAreNotReordered() {
		SplittableRandom random = new SplittableRandom(42);
		double[] a = random.doubles(30).toArray();
		double[] b = random.doubles(40).toArray();
		double[] aCopy = a.clone();

		Result result = MannWhitney.test(a, b);

		assertThat(result.method()).isEqualTo(Method.EXACT);
		assertThat(result.pValue()).isBetween(0.05, 1.0);
		assertThat(a).containsExactly(aCopy);
	}

	@Test
	void singleValuesAreAllowedAndProveNothing() {
		Result result = MannWhitney.test(new double[] { 1 }, new double[] { 2 });

		assertThat(result.u()).isZero();
		assertThat(result.pValue()).isEqualTo(1.0);
	}

	@Test
	void completeSeparationIsTheSmallestPossibleExactP() {
		// 2 / C(8, 4) = 2 / 70
		Result result = MannWhitney.test(new double[] { 5, 6, 7, 8 }, new double[] { 1, 2, 3, 4 });

		assertThat(result.u()).isEqualTo(16.0);
		assertClose(result.pValue(), 2.0 / 70);
	}

	@Test
	void emptyOrNaNInputsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> MannWhitney.test(new double[0], B))
			.withMessage("Mann-Whitney U needs at least one value in sample a");
		assertThatIllegalArgumentException().isThrownBy(() -> MannWhitney.test(A, null))
			.withMessage("Mann-Whitney U needs at least one value in sample b");
		assertThatIllegalArgumentException().isThrownBy(() -> MannWhitney.test(A, new double[] { 1, Double.NaN }))
			.withMessage("sample b contains NaN");
	}

	private static void assertClose(double actual, double expected) {
		assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * 1e-9));
	}

}
