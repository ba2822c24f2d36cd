package dev.mlcanary.statistics;

import java.util.Arrays;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum test) of sample {@code a} against
 * sample {@code b}.
 *
 * <p>
 * Why a rank test next to Welch's t-test: latency distributions are skewed and have long
 * tails, so a few slow requests move the mean a lot. The U test compares whole
 * distributions through ranks (it estimates P(A &gt; B) + P(A = B)/2 against 1/2), so it
 * is not dominated by outliers and still sees a canary that is slower for most requests.
 *
 * <p>
 * Definitions follow H. B. Mann and D. R. Whitney, "On a test of whether one of two
 * random variables is stochastically larger than the other", <em>Annals of Mathematical
 * Statistics</em> 18(1), 50-60 (1947), and match {@code scipy.stats.mannwhitneyu} (scipy
 * 1.10):
 * <ul>
 * <li>{@code U} of {@code a} is {@code R_a - n1 (n1 + 1) / 2}, where {@code R_a} is the
 * sum of the ranks of {@code a} in the combined sample, tied values getting the mean of
 * their ranks (midranks). Equivalently, the number of pairs with {@code a_i > b_j} plus
 * half the tied pairs.</li>
 * <li>{@link Method#EXACT}: the null distribution of {@code U}, from Commons Statistics'
 * {@link MannWhitneyUTest} with {@link PValueMethod#EXACT}. It counts the orderings with
 * Mann and Whitney's recursion {@code f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u)} (all
 * {@code C(m+n, m)} orderings are equally likely when there are no ties). The two-sided
 * p-value is {@code 2 P(U <= min(U_a, n1 n2 - U_a))}, at most 1. Used when there are no
 * ties and both samples have at most {@value #EXACT_MAX_SAMPLE_SIZE} values. The library
 * keeps its table of counts in a static cache held by a soft reference, which the garbage
 * collector may clear. The cache only grows, up to about 26 MB for 50 against 50; the
 * first test that grows it takes tens of milliseconds, and later ones take microseconds.
 * Beyond 50 the normal approximation is within about 1e-3 of the exact p-value anyway
 * (0.0093 against 0.0088 at 50 and 50 in {@code MannWhitneyTest}). With ties the
 * permutation distribution depends on the tie pattern, so the exact method is not
 * offered.</li>
 * <li>{@link Method#NORMAL}: {@code U} is approximately normal with mean
 * {@code n1 n2 / 2} and variance
 * {@code n1 n2 / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1)))}, the sum running over
 * groups of {@code t} tied values (the tie correction of the variance; E. L. Lehmann,
 * <em>Nonparametrics: Statistical Methods Based on Ranks</em>, 1975, chapter 1). With the
 * continuity correction {@code z = (|U_a - n1 n2 / 2| - 1/2) / sigma} and
 * {@code p = 2 (1 - Phi(z))}, at most 1, as
 * {@code mannwhitneyu(method='asymptotic', use_continuity=True)}. Hand-written, not the
 * library's {@link PValueMethod#ASYMPTOTIC}. The library's p-value is the same except
 * when every value is tied: its variance is then 0 and it returns NaN. But it does not
 * expose {@code z}, which the health report shows. {@code z} needs the midrank sum and
 * the tie counts, and once those are known the p-value is one line. The library would
 * rank both samples a second time, boxing every value, which takes 3.5 to 4 times as long
 * at 10,000 against 10,000.</li>
 * </ul>
 *
 * <p>
 * Ranking sorts copies of the two samples and merges them, {@code O(n log n)} without
 * boxing, so two samples of 10,000 values take milliseconds.
 */
public final class MannWhitney {

	/**
	 * Largest sample size (of each sample) for which the exact distribution is used when
	 * there are no ties.
	 */
	public static final int EXACT_MAX_SAMPLE_SIZE = 50;

	/** How the p-value was obtained. */
	public enum Method {

		/** Exact null distribution of U (no ties, small samples). */
		EXACT,
		/** Normal approximation with tie-corrected variance and continuity correction. */
		NORMAL

	}

	/**
	 * Outcome of the test.
	 *
	 * @param u U statistic of {@code a}: pairs with {@code a_i > b_j} plus half the tied
	 * pairs, in {@code [0, n1 n2]}; above {@code n1 n2 / 2} when {@code a} tends to be
	 * larger
	 * @param z the continuity-corrected normal statistic, signed like
	 * {@code u - n1 n2 / 2}; computed for both methods (for {@link Method#EXACT} it is
	 * informative only, the p-value does not use it); 0 when all values are tied; never
	 * NaN
	 * @param pValue two-sided p-value in [0, 1], never NaN
	 * @param method how the p-value was obtained
	 */
	public record Result(double u, double z, double pValue, Method method) {
	}

	private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

	/** Two-sided, exact p-value; the samples are checked for ties before it is used. */
	private static final MannWhitneyUTest EXACT = MannWhitneyUTest.withDefaults().with(PValueMethod.EXACT);

	private MannWhitney() {
	}

	/**
	 * Two-sided test, exact when there are no ties and both samples have at most
	 * {@value #EXACT_MAX_SAMPLE_SIZE} values, the normal approximation otherwise.
	 * @throws IllegalArgumentException if a sample is empty or contains NaN
	 */
	public static Result test(double[] a, double[] b) {
		return test(a, b, null);
	}

	/**
	 * Two-sided test with the given method, or the automatic choice when {@code method}
	 * is null.
	 * @throws IllegalArgumentException if a sample is empty or contains NaN, or if
	 * {@link Method#EXACT} is asked for samples with ties or larger than
	 * {@value #EXACT_MAX_SAMPLE_SIZE}
	 */
	public static Result test(double[] a, double[] b, Method method) {
		check("a", a);
		check("b", b);
		Ranks ranks = Ranks.of(a, b);
		int n1 = a.length;
		int n2 = b.length;
		double u = ranks.rankSumOfA - n1 * (n1 + 1.0) / 2;
		double z = normalZ(u, n1, n2, ranks.tieTerm);
		boolean exactPossible = !ranks.hasTies && n1 <= EXACT_MAX_SAMPLE_SIZE && n2 <= EXACT_MAX_SAMPLE_SIZE;
		Method chosen = method != null ? method : exactPossible ? Method.EXACT : Method.NORMAL;
		if (chosen == Method.EXACT) {
			if (!exactPossible) {
				throw new IllegalArgumentException(
						ranks.hasTies ? "the exact Mann-Whitney distribution needs samples without ties"
								: "the exact Mann-Whitney distribution is limited to " + EXACT_MAX_SAMPLE_SIZE
										+ " values per sample, got " + n1 + " and " + n2);
			}
			// No ties here, so the library takes its exact path (it falls back to the
			// normal approximation
			// only with ties or beyond binom(n1 + n2, n1) ~ 1e308).
			return new Result(u, z, Math.min(1, EXACT.test(a, b).getPValue()), Method.EXACT);
		}
		return new Result(u, z, Math.min(1, 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z))), Method.NORMAL);
	}

	/**
	 * Continuity-corrected z, signed like {@code u - n1 n2 / 2}; 0 when every value is
	 * tied.
	 */
	private static double normalZ(double u, int n1, int n2, double tieTerm) {
		double n = (double) n1 + n2;
		double mean = (double) n1 * n2 / 2;
		double variance = n == 1 ? 0 : (double) n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)));
		double distance = Math.max(0, Math.abs(u - mean) - 0.5);
		if (distance == 0 || !(variance > 0)) {
			// |U - mean| <= 1/2: the corrected statistic is 0 and p = 1. A zero variance
			// means all values
			// are tied, and then U equals its mean exactly.
			return 0;
		}
		return Math.copySign(distance / Math.sqrt(variance), u - mean);
	}

	private static void check(String name, double[] sample) {
		if (sample == null || sample.length == 0) {
			throw new IllegalArgumentException("Mann-Whitney U needs at least one value in sample " + name);
		}
		for (double value : sample) {
			if (Double.isNaN(value)) {
				throw new IllegalArgumentException("sample " + name + " contains NaN");
			}
		}
	}

	/** Midrank sum of {@code a} in the combined sample, and the tie statistics. */
	private static final class Ranks {

		double rankSumOfA;

		double tieTerm;

		boolean hasTies;

		static Ranks of(double[] a, double[] b) {
			double[] sa = a.clone();
			double[] sb = b.clone();
			Arrays.sort(sa);
			Arrays.sort(sb);
			Ranks ranks = new Ranks();
			int i = 0;
			int j = 0;
			long position = 0; // values ranked so far
			while (i < sa.length || j < sb.length) {
				double value = j >= sb.length || (i < sa.length && sa[i] <= sb[j]) ? sa[i] : sb[j];
				int fromA = 0;
				while (i < sa.length && sa[i] == value) {
					i++;
					fromA++;
				}
				int fromB = 0;
				while (j < sb.length && sb[j] == value) {
					j++;
					fromB++;
				}
				double t = fromA + fromB;
				// The group occupies ranks position + 1 .. position + t; each gets the
				// mean of those.
				double midrank = position + (t + 1) / 2;
				ranks.rankSumOfA += fromA * midrank;
				if (t > 1) {
					ranks.hasTies = true;
					ranks.tieTerm += t * t * t - t;
				}
				position += (long) t;
			}
			return ranks;
		}

	}

}
