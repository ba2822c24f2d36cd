package dev.mlcanary.statistics;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Welch's unequal-variance t-test of {@code a} against {@code b}, two-sided, from
 * commons-math3, with the degenerate cases that commons-math3 answers with NaN resolved
 * the way a statistician would: identical constant samples show no difference (t = 0, p =
 * 1); constant samples with different values differ with certainty (t = ±∞, p = 0).
 *
 * @param t the t statistic, positive when mean(a) &gt; mean(b); may be infinite, never
 * NaN
 * @param degreesOfFreedom Welch–Satterthwaite degrees of freedom, or NaN when undefined
 * @param pValue two-sided p-value in [0, 1], never NaN
 */
public record WelchTest(double t, double degreesOfFreedom, double pValue) {

	public static WelchTest of(LatencySummary a, LatencySummary b, double[] aSamples, double[] bSamples) {
		double se2 = a.variance() / a.count() + b.variance() / b.count();
		if (se2 == 0 || !Double.isFinite(se2)) {
			double diff = a.mean() - b.mean();
			if (diff == 0) {
				return new WelchTest(0, Double.NaN, 1);
			}
			return new WelchTest(Math.copySign(Double.POSITIVE_INFINITY, diff), Double.NaN, 0);
		}
		TTest test = new TTest();
		double t = test.t(aSamples, bSamples);
		double p = test.tTest(aSamples, bSamples);
		double df = welchDegreesOfFreedom(a, b);
		if (Double.isNaN(p)) {
			p = 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(t));
		}
		return new WelchTest(t, df, p);
	}

	/** Welch–Satterthwaite approximation. */
	static double welchDegreesOfFreedom(LatencySummary a, LatencySummary b) {
		double va = a.variance() / a.count();
		double vb = b.variance() / b.count();
		return (va + vb) * (va + vb) / (va * va / (a.count() - 1) + vb * vb / (b.count() - 1));
	}

}
