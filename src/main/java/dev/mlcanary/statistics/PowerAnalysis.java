package dev.mlcanary.statistics;

import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.util.FastMath;

/**
 * Sample size per group for a two-sided, two-sample t-test with equal group sizes,
 * computed the way statsmodels' {@code TTestIndPower.solve_power} (ratio 1) defines it.
 *
 * <p>
 * With {@code n} observations per group the test has {@code df = 2n - 2} degrees of
 * freedom and, under the alternative, its statistic is noncentral t with noncentrality
 * {@code e * sqrt(n / 2)}. The power is the probability that it falls beyond either
 * critical value, {@code P(T' > t(1-alpha/2)) +
 * P(T' < t(alpha/2))}. The exact (real) root of {@code power(n) = target} is found with
 * Brent's method and the recommendation is its ceiling: rounding down, or to nearest,
 * would recommend a sample that falls short of the requested power.
 *
 * <p>
 * Why exact rather than the usual normal-approximation formula: the normal formula
 * underestimates the sample size for small samples (it ignores the t distribution's
 * heavier tails), so it would disagree with statsmodels and G*Power, which clients will
 * check against.
 */
public final class PowerAnalysis {

	/**
	 * Largest sample size per group the solver considers. Beyond it the answer is no
	 * longer useful (and effect sizes this small are indistinguishable from rounding
	 * noise), so the request is refused.
	 */
	public static final double MAX_SAMPLE_SIZE_PER_GROUP = 1e9;

	/**
	 * Smallest sample size per group searched: two per group gives the t-test two degrees
	 * of freedom.
	 */
	public static final double MIN_SAMPLE_SIZE_PER_GROUP = 2;

	/**
	 * Degrees of freedom above which the t quantile comes from the Cornish-Fisher
	 * expansion, which from this size on (to the {@code 1/df^4} term) is more accurate
	 * than solving on the exact CDF, whose continued fraction loses about
	 * {@code df * 1.5e-18}.
	 */
	static final double MAX_EXACT_QUANTILE_DF = 1e5;

	private static final double QUANTILE_RELATIVE_ACCURACY = 1e-15;

	private static final double ROOT_RELATIVE_ACCURACY = 1e-14;

	private static final double ROOT_ABSOLUTE_ACCURACY = 1e-11;

	private static final double ROOT_FUNCTION_ACCURACY = 1e-15;

	private static final int MAX_EVALUATIONS = 500;

	private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

	private PowerAnalysis() {
	}

	/**
	 * The outcome of {@link #solveSampleSize}.
	 *
	 * @param effectSize Cohen's d the test should detect
	 * @param alpha two-sided significance level
	 * @param power requested probability of rejecting the null hypothesis under the
	 * alternative
	 * @param exactSampleSizePerGroup the real {@code n} at which the power equals the
	 * request (or {@value #MIN_SAMPLE_SIZE_PER_GROUP} when even two per group exceed it)
	 * @param recommendedSampleSizePerGroup the ceiling of
	 * {@code exactSampleSizePerGroup}: the smallest whole sample per group that reaches
	 * the requested power
	 */
	public record Result(double effectSize, double alpha, double power, double exactSampleSizePerGroup,
			long recommendedSampleSizePerGroup) {
	}

	/**
	 * Power of the two-sided two-sample t-test with {@code n} observations in each group.
	 * @param effectSize standardized difference of the means (Cohen's d), finite; its
	 * sign does not matter for a two-sided test
	 * @param alpha significance level, strictly between 0 and 1
	 * @param n observations per group, a finite real number greater than 1
	 * @return the power, in [0, 1]
	 * @throws InvalidPowerAnalysisException if a parameter is outside its range
	 */
	public static double power(double effectSize, double alpha, double n) {
		if (!Double.isFinite(effectSize)) {
			throw new InvalidPowerAnalysisException("effect_size must be a finite number, but was " + effectSize + ".");
		}
		checkAlpha(alpha);
		if (!(n > 1) || Double.isInfinite(n)) {
			throw new InvalidPowerAnalysisException(
					"The sample size per group must be a finite number greater than 1, but was " + n + ".");
		}
		return powerUnchecked(effectSize, alpha, n);
	}

	/**
	 * Smallest sample size per group at which the two-sided two-sample t-test (equal
	 * groups) detects {@code effectSize} at level {@code alpha} with probability
	 * {@code power}.
	 * @param effectSize Cohen's d, a positive finite number
	 * @param alpha significance level, strictly between 0 and 1
	 * @param power requested power, strictly between {@code alpha} and 1
	 * @return the exact root and its ceiling; when two observations per group already
	 * reach the power (very large effects), both are {@value #MIN_SAMPLE_SIZE_PER_GROUP},
	 * the smallest sample searched
	 * @throws InvalidPowerAnalysisException if a parameter is outside its range, or if
	 * the effect is so small that more than {@link #MAX_SAMPLE_SIZE_PER_GROUP} samples
	 * per group would be needed
	 */
	public static Result solveSampleSize(double effectSize, double alpha, double power) {
		if (!(effectSize > 0) || Double.isInfinite(effectSize)) {
			throw new InvalidPowerAnalysisException(
					"effect_size must be a positive finite number, but was " + effectSize + ".");
		}
		checkAlpha(alpha);
		if (!(power > alpha && power < 1)) {
			throw new InvalidPowerAnalysisException(
					"power must be greater than alpha (" + alpha + ") and less than 1, but was " + power + ".");
		}
		UnivariateFunction shortfall = (n) -> powerUnchecked(effectSize, alpha, n) - power;

		double hi = MAX_SAMPLE_SIZE_PER_GROUP;
		if (shortfall.value(hi) < 0) {
			throw new InvalidPowerAnalysisException(
					"effect_size " + effectSize + " is too small: reaching power " + power + " at alpha " + alpha
							+ " would need more than " + (long) MAX_SAMPLE_SIZE_PER_GROUP + " samples per group.");
		}
		double lo = MIN_SAMPLE_SIZE_PER_GROUP;
		if (shortfall.value(lo) >= 0) {
			return new Result(effectSize, alpha, power, lo, (long) lo);
		}
		// Narrow [lo, hi] around the normal-approximation guess, so that Brent starts
		// from a bracket a
		// factor of two wide instead of [2, 1e9].
		double guess = normalApproximationSampleSize(effectSize, alpha, power);
		if (guess > lo && guess < hi) {
			if (shortfall.value(guess) < 0) {
				lo = guess;
				for (double n = 2 * guess; n < hi; n *= 2) {
					if (shortfall.value(n) >= 0) {
						hi = n;
						break;
					}
					lo = n;
				}
			}
			else {
				hi = guess;
				for (double n = guess / 2; n > lo; n /= 2) {
					if (shortfall.value(n) < 0) {
						lo = n;
						break;
					}
					hi = n;
				}
			}
		}
		BrentSolver solver = new BrentSolver(ROOT_RELATIVE_ACCURACY, ROOT_ABSOLUTE_ACCURACY, ROOT_FUNCTION_ACCURACY);
		double root = solver.solve(MAX_EVALUATIONS, shortfall, lo, hi);
		return new Result(effectSize, alpha, power, root, (long) Math.ceil(root));
	}

	private static double powerUnchecked(double effectSize, double alpha, double n) {
		double df = 2 * n - 2;
		double noncentrality = effectSize * Math.sqrt(n / 2);
		if (Double.isInfinite(noncentrality)) {
			return 1;
		}
		double lowerCritical = studentTQuantile(alpha / 2, df);
		double upperCritical = -lowerCritical;
		double upperTail = 1 - NoncentralTDistribution.cumulativeProbability(upperCritical, df, noncentrality);
		double lowerTail = NoncentralTDistribution.cumulativeProbability(lowerCritical, df, noncentrality);
		return FastMath.min(1, upperTail + lowerTail);
	}

	/**
	 * Quantile of the central t distribution for {@code 0 <= p <= 0.5}.
	 *
	 * <p>
	 * Up to {@link #MAX_EXACT_QUANTILE_DF} it solves {@code log F(x) = log p} with
	 * Brent's method to 1e-15 relative accuracy, {@code F} being
	 * {@link NoncentralTDistribution#centralLowerTail}. Not commons-math's
	 * {@link TDistribution}: its {@code inverseCumulativeProbability} accepts any
	 * {@code x} with {@code |F(x) - p| <= 1e-15} as the root, so for {@code p} below
	 * about 1e-15 it answers with a point near its starting bracket (-7.07e149 for
	 * {@code p = 5e-301}, {@code df = 1e5}); and its CDF evaluates the incomplete beta
	 * function at {@code df / (df + t^2)}, which rounds away {@code t^2} when it is small
	 * against {@code df}: about {@code df * 1e-16} absolute error (3.7e-12 at
	 * {@code df = 5e4}) and, near {@code t = 0}, relative error in {@code F - 1/2} (alpha
	 * = 0.999 put the root off by 2.7e-10 relative). Above that many degrees of freedom
	 * the quantile is the Cornish-Fisher expansion of Abramowitz and Stegun 26.7.5.
	 * @return the quantile, or negative infinity when it is beyond the range of doubles
	 */
	static double studentTQuantile(double p, double df) {
		if (p == 0) {
			return Double.NEGATIVE_INFINITY;
		}
		if (df > MAX_EXACT_QUANTILE_DF) {
			return cornishFisherQuantile(p, df);
		}
		double logP = Math.log(p);
		UnivariateFunction excess = (x) -> Math.log(NoncentralTDistribution.centralLowerTail(x, df)) - logP;
		// excess(0) = log(0.5 / p) >= 0; move left by doubling until the excess turns
		// negative.
		double hi = 0;
		double lo = -1;
		while (excess.value(lo) >= 0) {
			if (lo == -Double.MAX_VALUE) {
				return Double.NEGATIVE_INFINITY;
			}
			hi = lo;
			lo = Math.max(2 * lo, -Double.MAX_VALUE);
		}
		return new BrentSolver(QUANTILE_RELATIVE_ACCURACY, Double.MIN_NORMAL, 0).solve(MAX_EVALUATIONS, excess, lo, hi);
	}

	/** Abramowitz and Stegun 26.7.5, to the {@code 1/df^4} term. */
	private static double cornishFisherQuantile(double p, double df) {
		double z = normalQuantile(p);
		double z2 = z * z;
		double g1 = (z2 + 1) * z / 4;
		double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
		double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
		double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
		return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
	}

	/**
	 * Standard normal quantile for {@code p <= 0.5}, polished by Newton steps on
	 * {@code log Phi} so that it stays accurate far into the tail, where commons-math's
	 * {@code erfInv(2p - 1)} loses precision.
	 */
	static double normalQuantile(double p) {
		if (p == 0) {
			return Double.NEGATIVE_INFINITY;
		}
		double z = (p > 1e-10) ? STANDARD_NORMAL.inverseCumulativeProbability(p)
				// Asymptotic start for the far tail.
				: -Math.sqrt(-2 * Math.log(p) - Math.log(-2 * Math.log(p)) - Math.log(2 * Math.PI));
		double logP = Math.log(p);
		for (int i = 0; i < 20; i++) {
			double cdf = NoncentralTDistribution.normalCdf(z);
			double density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
			double step = (Math.log(cdf) - logP) * cdf / density;
			z -= step;
			if (!(Math.abs(step) > 1e-15 * Math.abs(z))) {
				break;
			}
		}
		return z;
	}

	/**
	 * The textbook formula {@code 2 ((z(1-alpha/2) + z(power)) / d)^2}, used only as a
	 * starting point.
	 */
	private static double normalApproximationSampleSize(double effectSize, double alpha, double power) {
		double zAlpha = -normalQuantile(alpha / 2);
		double zPower = (power >= 0.5) ? -normalQuantile(1 - power) : normalQuantile(power);
		double ratio = (zAlpha + zPower) / effectSize;
		return 2 * ratio * ratio;
	}

	private static void checkAlpha(double alpha) {
		if (!(alpha > 0 && alpha < 1)) {
			throw new InvalidPowerAnalysisException(
					"alpha must be a number greater than 0 and less than 1, but was " + alpha + ".");
		}
	}

}
