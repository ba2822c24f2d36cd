package dev.mlcanary.statistics;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * McNemar's test for paired binary outcomes (Q. McNemar, "Note on the sampling error of
 * the difference between correlated proportions or percentages", <em>Psychometrika</em>
 * 12(2), 153-157, 1947).
 *
 * <p>
 * Why a paired test: when both models score the same request, their predicted classes are
 * two observations of one unit, not two independent samples. Requests on which the models
 * agree say nothing about which model says "1" more often; only the discordant pairs do.
 * With {@code b} the number of requests where stable says 1 and canary 0, and {@code c}
 * the reverse, the null hypothesis "both models predict class 1 equally often" makes each
 * discordant pair a fair coin: {@code b ~ Binomial(b + c, 1/2)} given {@code b + c}.
 * <ul>
 * <li>{@link Method#EXACT} when {@code b + c <} {@value #EXACT_BELOW}: the two-sided
 * binomial p-value {@code min(1, 2 P(X <= min(b, c)))}, {@code X ~ Binomial(b + c, 1/2)}
 * (as statsmodels' {@code mcnemar(exact=True)}), with {@code P(X <= min(b, c))} from
 * Commons Statistics' one-sided {@link BinomialTest}. Not its two-sided test: that one
 * sums the outcomes whose probability is {@code <=} the observed one in floating point.
 * With probability 1/2, {@code P(k) = P(n - k)} exactly, and whenever rounding puts the
 * mirror term an ulp above, it is left out. For {@code b = 3, c = 10} it gives 0.057
 * instead of 0.092, and 10 of the 324 cases below {@value #EXACT_BELOW} are wrong. The
 * threshold is a common rule of thumb for where the chi-square approximation becomes
 * adequate.</li>
 * <li>{@link Method#CHI_SQUARE} otherwise: Edwards' continuity-corrected statistic
 * {@code (|b - c| - 1)^2 / (b + c)} on one degree of freedom (A. L. Edwards,
 * <em>Psychometrika</em> 13(3), 185-187, 1948). The correction is capped so that
 * {@code b = c} gives 0 (p = 1) rather than {@code 1 / (b + c)}; statsmodels does not cap
 * it, which differs only when {@code b = c}. Hand-written: Commons Statistics has no
 * continuity-corrected McNemar statistic.</li>
 * </ul>
 * No discordant pairs ({@code b + c = 0}) is no evidence of a difference: p = 1.
 */
public final class McNemar {

	/** Discordant totals below this use the exact binomial test. */
	public static final int EXACT_BELOW = 25;

	private static final BinomialTest LOWER_TAIL = BinomialTest.withDefaults().with(AlternativeHypothesis.LESS_THAN);

	/** How the p-value was obtained. */
	public enum Method {

		/** Exact two-sided binomial test on the discordant pairs. */
		EXACT,
		/** Chi-square on one degree of freedom with continuity correction. */
		CHI_SQUARE

	}

	/**
	 * Outcome of the test.
	 *
	 * @param statistic {@code min(b, c)} for {@link Method#EXACT} (as statsmodels), the
	 * corrected chi-square statistic for {@link Method#CHI_SQUARE}; never NaN
	 * @param pValue two-sided p-value in [0, 1], never NaN
	 * @param method how the p-value was obtained
	 */
	public record Result(double statistic, double pValue, Method method) {
	}

	private McNemar() {
	}

	/**
	 * Two-sided McNemar test.
	 * @param b discordant pairs where stable says 1 and canary 0
	 * @param c discordant pairs where stable says 0 and canary 1
	 * @throws IllegalArgumentException if a count is negative
	 */
	public static Result test(long b, long c) {
		if (b < 0 || c < 0) {
			throw new IllegalArgumentException("discordant counts must not be negative, got b = " + b + ", c = " + c);
		}
		long n = b + c;
		if (n < 0) {
			throw new IllegalArgumentException("discordant counts are too large: b = " + b + ", c = " + c);
		}
		if (n == 0) {
			return new Result(0, 1, Method.EXACT);
		}
		if (n < EXACT_BELOW) {
			long smaller = Math.min(b, c);
			double p = Math.min(1, 2 * LOWER_TAIL.test((int) n, (int) smaller, 0.5).getPValue());
			return new Result(smaller, p, Method.EXACT);
		}
		double excess = Math.max(0, Math.abs((double) b - c) - 1);
		double statistic = excess * excess / n;
		// The chi-square(1) upper tail is erfc(sqrt(x / 2)), which keeps its precision
		// where 1 - CDF would not.
		return new Result(statistic, Erf.erfc(Math.sqrt(statistic / 2)), Method.CHI_SQUARE);
	}

}
