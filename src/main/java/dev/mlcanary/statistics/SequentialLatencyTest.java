package dev.mlcanary.statistics;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.StatUtils;

/**
 * Always-valid p-values for "the canary's mean latency is higher than stable's", for a
 * canary that is checked again and again while its samples accumulate.
 *
 * <p>
 * Why: a fixed-sample test (Welch's t at 0.05) is valid for one look. Run at every
 * analysis interval of a rollout, each look is another chance for noise to cross the
 * line, and the chance that some look of an A/A canary raises a false alarm grows far
 * beyond 5% ({@code SequentialLatencyTestSimulationTest} measures it). This class keeps
 * per-canary state across looks so that the probability of <em>ever</em> rejecting a true
 * null hypothesis, over any number of looks taken at any times, stays at most
 * {@code alpha}.
 *
 * <p>
 * Method: the mixture sequential probability ratio test (mSPRT) of R. Johari, P. Koomen,
 * L. Pekelis and D. Walsh, "Always valid inference: continuous monitoring of A/B tests",
 * <em>Operations Research</em> 70(3), 1806-1821 (2022; first circulated 2015/2017), going
 * back to H. Robbins, "Statistical methods related to the law of the iterated logarithm"
 * (1970). Let {@code D = mean(canary) - mean(stable)} and
 * {@code V = s_c^2 / n_c + s_s^2 / n_s} its variance with plug-in sample variances. In
 * information time {@code I = 1/V}, {@code S = D / V} behaves like a Brownian motion with
 * drift {@code delta} (the true difference). Mixing the likelihood ratios
 * {@code exp(theta S - theta^2 I / 2)} over a half-normal prior on {@code theta > 0} with
 * scale {@code tau} gives the closed form
 *
 * <pre>
 *   Lambda = 2 Phi(x) exp(x^2 / 2) / sqrt(1 + tau^2 / V),   x = D tau / sqrt(V (V + tau^2)).
 * </pre>
 *
 * <p>
 * Whenever {@code delta <= 0} each ratio with {@code theta > 0} is a non-negative
 * supermartingale with mean at most 1, and so is their mixture {@code Lambda}. By Ville's
 * inequality {@code P(sup Lambda >= 1/alpha) <= alpha}, so the p-value
 * {@code p_k = min(p_(k-1), 1 / Lambda_k)} (starting at 1) is always valid:
 * {@code P(exists k: p_k <= alpha) <= alpha}. {@code p_k} never increases, so a rejection
 * is final.
 *
 * <p>
 * Choices, and why:
 * <ul>
 * <li>mSPRT rather than group-sequential alpha spending (Lan-DeMets with an
 * O'Brien-Fleming-type boundary): a rollout does not know in advance how many looks it
 * will take (an INCONCLUSIVE step holds and is analysed again, operators also check by
 * hand), and alpha spending needs a planned maximum number of looks and breaks when it is
 * exceeded. The mSPRT is valid for any number of looks at any times, needs no numerical
 * integration, and its state is a single number.</li>
 * <li>One-sided (canary slower): the alert logic acts only on a slower canary, and
 * putting all the mixture mass on {@code theta > 0} detects slowdowns sooner than the
 * two-sided mixture at the same alpha. The null hypothesis is composite,
 * {@code delta <= 0}; a faster canary never rejects.</li>
 * <li>Mixture variance {@code tau^2} in ms^2 ({@link #DEFAULT_MIXTURE_VARIANCE} = 1 ms^2
 * by default, matching the service's default practical threshold of a 1 ms slowdown): the
 * mixture puts its weight on effects of roughly the size {@code tau}, so those are
 * detected soonest (Johari et al. discuss the choice). Validity does not depend on
 * it.</li>
 * <li>Plug-in variances, as in Johari et al.'s deployment: {@code Lambda} treats
 * {@code V} as known. With the normal approximation of the sample means this is
 * asymptotically exact; {@code SequentialLatencyTestSimulationTest} checks the
 * false-alarm rate with only 10 canary samples at the first look: over 20 looks of 2,000
 * A/A canaries it measured 0.0015 (lognormal latencies) and 0.0065 (normal latencies)
 * where naive repeated one-sided Welch tests at 0.05 reached 0.135 and 0.22. The price is
 * power for small effects: a slowdown of a third of a standard deviation was found by
 * look 20 in 91% of the runs, against 100% (by look 20) for the naive test.</li>
 * </ul>
 *
 * <p>
 * Contract: at each look pass all samples collected since the canary was deployed (each
 * look a superset of the previous one), with the allocation between canary and stable
 * roughly constant; the supermartingale argument assumes the increments between looks are
 * independent. Thread-safe: looks are serialized.
 */
public final class SequentialLatencyTest {

	/** Mixture variance of {@link #withDefaults}: (1 ms)^2. */
	public static final double DEFAULT_MIXTURE_VARIANCE = 1.0;

	/** Smallest sample per version: a variance needs two values. */
	public static final int MIN_SAMPLES = 2;

	/**
	 * The outcome of one look.
	 *
	 * @param number 1 for the first look, then 2, 3, ...
	 * @param pValue always-valid p-value in [0, 1]: the smallest {@code 1 / Lambda} so
	 * far, capped at 1
	 * @param reject {@code pValue <= alpha}; once true it stays true for this canary
	 * @param method a short description of the test and its parameters, for reports
	 */
	public record Look(int number, double pValue, boolean reject, String method) {
	}

	private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

	private static final double LOG_2 = Math.log(2);

	private final double alpha;

	private final double mixtureVariance;

	private final String method;

	private int looks;

	private double pValue = 1;

	/**
	 * @param alpha family-wise false-alarm rate over all looks, in (0, 1)
	 * @param mixtureVariance {@code tau^2} in ms^2, positive and finite: the scale of the
	 * slowdowns the test is tuned to detect
	 * @throws IllegalArgumentException if a parameter is out of range
	 */
	public SequentialLatencyTest(double alpha, double mixtureVariance) {
		if (!(alpha > 0 && alpha < 1)) {
			throw new IllegalArgumentException("alpha must be strictly between 0 and 1, was " + alpha);
		}
		if (!(mixtureVariance > 0 && Double.isFinite(mixtureVariance))) {
			throw new IllegalArgumentException(
					"the mixture variance tau^2 must be positive and finite, was " + mixtureVariance);
		}
		this.alpha = alpha;
		this.mixtureVariance = mixtureVariance;
		this.method = "mSPRT, one-sided (canary mean higher), half-normal mixture tau^2 = " + mixtureVariance
				+ " ms^2, plug-in variances";
	}

	/**
	 * A test with the default mixture variance {@value #DEFAULT_MIXTURE_VARIANCE} ms^2.
	 */
	public static SequentialLatencyTest withDefaults(double alpha) {
		return new SequentialLatencyTest(alpha, DEFAULT_MIXTURE_VARIANCE);
	}

	/**
	 * Takes one look at the samples collected so far.
	 * @param canary every canary latency (ms) since the canary was deployed
	 * @param stable every stable latency (ms) over the same period
	 * @throws IllegalArgumentException if a sample has fewer than {@value #MIN_SAMPLES}
	 * values or a value that is not finite; the look is then not counted
	 */
	public synchronized Look look(double[] canary, double[] stable) {
		check("canary", canary);
		check("stable", stable);
		double difference = StatUtils.mean(canary) - StatUtils.mean(stable);
		double variance = StatUtils.variance(canary) / canary.length + StatUtils.variance(stable) / stable.length;
		pValue = Math.min(pValue, inverseLikelihoodRatio(difference, variance, mixtureVariance));
		looks++;
		return new Look(looks, pValue, pValue <= alpha, method);
	}

	/**
	 * {@code min(1, 1 / Lambda)} for the observed difference {@code d} with variance
	 * {@code v}. For {@code d <= 0}, {@code Lambda < 1} (since
	 * {@code Phi(x) exp(x^2/2) <= 1/2} for {@code x <= 0}): no evidence, 1.
	 */
	static double inverseLikelihoodRatio(double d, double v, double tau2) {
		if (!(d > 0)) {
			return 1;
		}
		if (v == 0) {
			return 0; // two constant samples, canary higher: a certain difference
		}
		double x = d * Math.sqrt(tau2) / Math.sqrt(v * (v + tau2));
		double logLambda = LOG_2 + Math.log(STANDARD_NORMAL.cumulativeProbability(x)) + x * x / 2
				- Math.log1p(tau2 / v) / 2;
		return Math.min(1, Math.exp(-logLambda));
	}

	public double alpha() {
		return alpha;
	}

	public double mixtureVariance() {
		return mixtureVariance;
	}

	/** Looks taken so far. */
	public synchronized int looks() {
		return looks;
	}

	/** The current always-valid p-value: 1 before the first look. */
	public synchronized double pValue() {
		return pValue;
	}

	private static void check(String name, double[] sample) {
		if (sample == null || sample.length < MIN_SAMPLES) {
			throw new IllegalArgumentException("the sequential test needs at least " + MIN_SAMPLES + " " + name
					+ " samples, got " + (sample == null ? 0 : sample.length));
		}
		for (double value : sample) {
			if (!Double.isFinite(value)) {
				throw new IllegalArgumentException(name + " samples must be finite, got " + value);
			}
		}
	}

}
