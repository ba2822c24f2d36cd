package dev.mlcanary.statistics;

import dev.mlcanary.statistics.McNemar.Method;
import dev.mlcanary.statistics.McNemar.Result;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Values checked by hand, with commons-math3's distributions, and with scipy (as noted).
 */
class McNemarTest {

	@Test
	void allDiscordantPairsOneWayIsTwiceTheProbabilityOfTenHeads() {
		Result result = McNemar.test(10, 0);

		assertThat(result.method()).isEqualTo(Method.EXACT);
		assertThat(result.pValue()).isEqualTo(2 * Math.pow(0.5, 10)); // 0.001953125,
																		// exact in binary
		assertThat(result.statistic()).isZero();
		assertThat(McNemar.test(0, 10).pValue()).isEqualTo(0.001953125);
	}

	/** 2 (1 + 8 + 28 + 56) / 256; scipy binomtest(3, 8) = 0.7265625. */
	@Test
	void aSmallExactCase() {
		Result result = McNemar.test(3, 5);

		assertThat(result.pValue()).isEqualTo(186.0 / 256);
		assertThat(result.statistic()).isEqualTo(3.0);
	}

	@Test
	void theExactTestAgreesWithTheBinomialDistributionForEverySmallTotal() {
		for (int n = 1; n < McNemar.EXACT_BELOW; n++) {
			BinomialDistribution binomial = new BinomialDistribution(null, n, 0.5);
			for (int b = 0; b <= n; b++) {
				double expected = Math.min(1, 2 * binomial.cumulativeProbability(Math.min(b, n - b)));
				Result result = McNemar.test(b, n - b);
				assertThat(result.method()).isEqualTo(Method.EXACT);
				assertThat(result.pValue()).as("b=%d c=%d", b, n - b).isCloseTo(expected, within(expected * 1e-12));
			}
		}
	}

	/**
	 * Mirror outcomes are exactly as probable with p = 1/2, and Commons Statistics 1.1's
	 * two-sided binomial test leaves some out to rounding (0.057 for the first), see
	 * {@link McNemar}. 2 (1 + 13 + 78 + 286) / 2^13; scipy binomtest(3, 13) =
	 * 0.09228515625, binomtest(2, 3) and binomtest(10, 21) = 1.0.
	 */
	@Test
	void bothTailsAreCounted() {
		assertThat(McNemar.test(3, 10).pValue()).isCloseTo(756.0 / 8192, within(756.0 / 8192 * 1e-12));
		assertThat(McNemar.test(2, 1).pValue()).isEqualTo(1.0);
		assertThat(McNemar.test(10, 11).pValue()).isEqualTo(1.0);
	}

	/** (|30 - 10| - 1)^2 / 40 = 9.025; scipy chi2.sf(9.025, 1) = 0.002663119259138558. */
	@Test
	void largerTotalsUseTheContinuityCorrectedChiSquare() {
		Result result = McNemar.test(30, 10);

		assertThat(result.method()).isEqualTo(Method.CHI_SQUARE);
		assertThat(result.statistic()).isCloseTo(9.025, within(1e-12));
		double expected = 1 - new ChiSquaredDistribution(null, 1).cumulativeProbability(9.025);
		assertThat(result.pValue()).isCloseTo(expected, within(expected * 1e-9));
		assertThat(result.pValue()).isCloseTo(0.002663119259138558, within(0.002663119259138558 * 1e-9));
		assertThat(McNemar.test(10, 30).pValue()).isEqualTo(result.pValue());
	}

	/**
	 * scipy: 2 binom.cdf(4, 24, 0.5) = 0.001543879508972168; chi2.sf(7.84, 1) =
	 * 0.005110260660855866.
	 */
	@Test
	void theThresholdBetweenExactAndChiSquare() {
		Result below = McNemar.test(20, 4);
		Result at = McNemar.test(20, 5);

		assertThat(below.method()).isEqualTo(Method.EXACT);
		assertThat(below.pValue()).isEqualTo(2 * 12951 / Math.pow(2, 24));
		assertThat(at.method()).isEqualTo(Method.CHI_SQUARE);
		assertThat(at.statistic()).isCloseTo(7.84, within(1e-12));
		assertThat(at.pValue()).isCloseTo(0.005110260660855866, within(0.005110260660855866 * 1e-9));
	}

	@Test
	void noDiscordantPairsOrABalanceIsNoEvidence() {
		assertThat(McNemar.test(0, 0)).isEqualTo(new Result(0, 1, Method.EXACT));
		assertThat(McNemar.test(12, 12).pValue()).isEqualTo(1.0);
		Result balanced = McNemar.test(40, 40);
		assertThat(balanced.statistic()).isZero();
		assertThat(balanced.pValue()).isEqualTo(1.0);
		assertThat(McNemar.test(40, 41).pValue()).isEqualTo(1.0);
	}

	/** Far tails keep their precision: erfc, not 1 - CDF. */
	@Test
	void largeCountsStayFinite() {
		Result result = McNemar.test(1_000_000, 990_000);

		assertThat(result.statistic()).isCloseTo(9999.0 * 9999 / 1_990_000, within(1e-9));
		// scipy: chi2.sf(9999 ** 2 / 1990000, 1) = 1.3596260149554946e-12
		assertThat(result.pValue()).isCloseTo(1.3596260149554946e-12, within(1.3596260149554946e-12 * 1e-9));
		assertThat(McNemar.test(10_000_000, 0).pValue()).isZero();
	}

	@Test
	void invalidCountsAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> McNemar.test(-1, 3))
			.withMessage("discordant counts must not be negative, got b = -1, c = 3");
		assertThatIllegalArgumentException().isThrownBy(() -> McNemar.test(Long.MAX_VALUE, 1))
			.withMessageContaining("too large");
	}

}
