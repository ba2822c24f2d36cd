package dev.mlcanary.statistics;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why the sequential mode exists, measured: 2,000 simulated canaries, 20 looks each,
 * comparing naive repeated Welch tests with {@link SequentialLatencyTest}.
 *
 * <p>
 * Each look adds {@value #STABLE_PER_LOOK} stable and {@value #CANARY_PER_LOOK} canary
 * latencies (a 10% canary) and analyses everything collected so far. Latencies are
 * lognormal with a median of {@value #MEDIAN_MS} ms and log-scale standard deviation
 * {@value #LOG_SIGMA} (right-skewed like real latencies; mean about 0.57 ms, standard
 * deviation about 0.30 ms); one A/A run repeats the check with symmetric, normal
 * latencies. Both methods test the same one-sided question at the same level, "is the
 * canary slower?", at alpha = 0.05: the naive method rejects when the one-sided Welch
 * p-value (half of commons-math3's two-sided {@code TTest.tTest} when the canary mean is
 * higher) is below 0.05 at any look. The two-sided naive rate is printed as well.
 *
 * <p>
 * Deterministic: every canary draws from its own {@link SplittableRandom} split from a
 * fixed seed. The figures are printed so they can be quoted; the assertions leave room
 * for other seeds. The whole class runs in a few seconds.
 */
class SequentialLatencyTestSimulationTest {

	static final int CANARIES = 2_000;

	static final int LOOKS = 20;

	static final int STABLE_PER_LOOK = 100;

	static final int CANARY_PER_LOOK = 10;

	static final double MEDIAN_MS = 0.5;

	static final double LOG_SIGMA = 0.5;

	static final double ALPHA = 0.05;

	/**
	 * 2.58 binomial standard errors above alpha for 2,000 canaries: a one-sided 99.5%
	 * allowance.
	 */
	static final double SEQUENTIAL_LIMIT = ALPHA + 2.58 * Math.sqrt(ALPHA * (1 - ALPHA) / CANARIES);

	@Test
	void naiveRepeatedWelchInflatesFalseAlarmsButTheSequentialTestDoesNot() {
		long start = System.nanoTime();
		Runs runs = simulate(20_240_601L, 0);
		double naiveOneSided = runs.rate(runs.naiveOneSided, LOOKS);
		double naiveTwoSided = runs.rate(runs.naiveTwoSided, LOOKS);
		double sequential = runs.rate(runs.sequential, LOOKS);
		System.out.printf(Locale.ROOT,
				"A/A, %d canaries x %d looks (%d stable + %d canary samples per look):%n"
						+ "  naive one-sided Welch at 0.05, any look: false-alarm rate %.4f (first look alone: %.4f)%n"
						+ "  naive two-sided Welch at 0.05, any look: false-alarm rate %.4f%n"
						+ "  sequential (mSPRT, alpha 0.05):          false-alarm rate %.4f (limit %.4f)%n"
						+ "  naive one-sided, cumulative by look: %s%n" + "  sequential, cumulative by look:      %s%n"
						+ "  simulated in %d ms%n",
				CANARIES, LOOKS, STABLE_PER_LOOK, CANARY_PER_LOOK, naiveOneSided, runs.rate(runs.naiveOneSided, 1),
				naiveTwoSided, sequential, SEQUENTIAL_LIMIT, runs.cumulative(runs.naiveOneSided),
				runs.cumulative(runs.sequential), (System.nanoTime() - start) / 1_000_000);

		// One look is a valid test (conservative here: right-skewed latencies give the
		// canary-higher tail
		// of the t statistic less mass); it is the repetition that inflates the rate.
		assertThat(runs.rate(runs.naiveOneSided, 1)).as("naive one-sided Welch, first look only")
			.isLessThanOrEqualTo(SEQUENTIAL_LIMIT);
		assertThat(naiveOneSided).as("naive repeated one-sided Welch, any of 20 looks").isGreaterThan(0.10);
		assertThat(naiveTwoSided).as("naive repeated two-sided Welch, any of 20 looks").isGreaterThan(0.10);
		assertThat(sequential).as("sequential false-alarm rate over 20 looks").isLessThanOrEqualTo(SEQUENTIAL_LIMIT);
	}

	/**
	 * The same with symmetric (normal) latencies, where the one-sided naive test is not
	 * helped by the skewness of lognormal data and the plug-in variance of 10 canary
	 * samples is the only approximation.
	 */
	@Test
	void theSequentialTestAlsoHoldsItsLevelWithSymmetricLatencies() {
		long start = System.nanoTime();
		Runs runs = simulate(20_240_604L, 0, NORMAL);
		double naiveOneSided = runs.rate(runs.naiveOneSided, LOOKS);
		double sequential = runs.rate(runs.sequential, LOOKS);
		System.out.printf(Locale.ROOT,
				"A/A with normal latencies (mean 1 ms, sd 0.1 ms), %d canaries x %d looks:%n"
						+ "  naive one-sided Welch at 0.05, any look: false-alarm rate %.4f (first look alone: %.4f)%n"
						+ "  naive two-sided Welch at 0.05, any look: false-alarm rate %.4f%n"
						+ "  sequential (mSPRT, alpha 0.05):          false-alarm rate %.4f (limit %.4f)%n"
						+ "  simulated in %d ms%n",
				CANARIES, LOOKS, naiveOneSided, runs.rate(runs.naiveOneSided, 1), runs.rate(runs.naiveTwoSided, LOOKS),
				sequential, SEQUENTIAL_LIMIT, (System.nanoTime() - start) / 1_000_000);

		assertThat(naiveOneSided).as("naive repeated one-sided Welch, any of 20 looks").isGreaterThan(0.10);
		assertThat(sequential).as("sequential false-alarm rate over 20 looks").isLessThanOrEqualTo(SEQUENTIAL_LIMIT);
	}

	@Test
	void bothDetectARealTenMillisecondSlowdownWithinTheFirstLooks() {
		long start = System.nanoTime();
		Runs runs = simulate(20_240_602L, 10.0);
		System.out.printf(Locale.ROOT,
				"Canary +10 ms, %d canaries x %d looks:%n"
						+ "  naive one-sided Welch, cumulative detection by look: %s%n"
						+ "  sequential (mSPRT), cumulative detection by look:    %s%n" + "  simulated in %d ms%n",
				CANARIES, LOOKS, runs.cumulative(runs.naiveOneSided), runs.cumulative(runs.sequential),
				(System.nanoTime() - start) / 1_000_000);

		assertThat(runs.rate(runs.naiveOneSided, 3)).as("naive detection by look 3").isGreaterThanOrEqualTo(0.99);
		assertThat(runs.rate(runs.sequential, 3)).as("sequential detection by look 3").isGreaterThanOrEqualTo(0.99);
	}

	/**
	 * The price of validity at every look: a slowdown of a third of a standard deviation
	 * (0.1 ms) is found later by the sequential test than by the naive one, whose 5%
	 * promise no longer holds.
	 */
	@Test
	void aSmallSlowdownIsStillFoundByTheSequentialTestThoughLater() {
		long start = System.nanoTime();
		Runs runs = simulate(20_240_603L, 0.1);
		System.out.printf(Locale.ROOT,
				"Canary +0.1 ms, %d canaries x %d looks:%n"
						+ "  naive one-sided Welch, cumulative detection by look: %s%n"
						+ "  sequential (mSPRT), cumulative detection by look:    %s%n" + "  simulated in %d ms%n",
				CANARIES, LOOKS, runs.cumulative(runs.naiveOneSided), runs.cumulative(runs.sequential),
				(System.nanoTime() - start) / 1_000_000);

		assertThat(runs.rate(runs.sequential, LOOKS)).as("sequential detection by look 20").isGreaterThanOrEqualTo(0.8);
		for (int look = 1; look <= LOOKS; look++) {
			assertThat(runs.rate(runs.sequential, look)).isLessThanOrEqualTo(runs.rate(runs.naiveOneSided, look));
		}
	}

	/**
	 * First rejecting look (1-based) of each method, per canary; 0 when it never rejects.
	 */
	record Runs(int[] naiveOneSided, int[] naiveTwoSided, int[] sequential) {

		/** Fraction of canaries rejected at or before {@code look}. */
		double rate(int[] firstRejections, int look) {
			return Arrays.stream(firstRejections).filter(first -> first > 0 && first <= look).count()
					/ (double) firstRejections.length;
		}

		String cumulative(int[] firstRejections) {
			StringBuilder out = new StringBuilder();
			for (int look = 1; look <= LOOKS; look++) {
				out.append(String.format(Locale.ROOT, look == 1 ? "%d:%.3f" : " %d:%.3f", look,
						rate(firstRejections, look)));
			}
			return out.toString();
		}

	}

	/** Draws one latency in ms. */
	interface Latency {

		double draw(SplittableRandom random);

	}

	/**
	 * Lognormal: median {@value #MEDIAN_MS} ms, log-scale standard deviation
	 * {@value #LOG_SIGMA}.
	 */
	static final Latency LOGNORMAL = random -> Math.exp(Math.log(MEDIAN_MS) + LOG_SIGMA * random.nextGaussian());

	/**
	 * Normal, mean 1 ms, standard deviation 0.1 ms: symmetric, so skewness does not help
	 * either test.
	 */
	static final Latency NORMAL = random -> 1 + 0.1 * random.nextGaussian();

	static Runs simulate(long seed, double slowdownMs) {
		return simulate(seed, slowdownMs, LOGNORMAL);
	}

	static Runs simulate(long seed, double slowdownMs, Latency latency) {
		SplittableRandom seeds = new SplittableRandom(seed);
		TTest welch = new TTest();
		int[] naiveOneSided = new int[CANARIES];
		int[] naiveTwoSided = new int[CANARIES];
		int[] sequential = new int[CANARIES];
		for (int run = 0; run < CANARIES; run++) {
			SplittableRandom random = seeds.split();
			double[] stable = new double[LOOKS * STABLE_PER_LOOK];
			double[] canary = new double[LOOKS * CANARY_PER_LOOK];
			for (int i = 0; i < stable.length; i++) {
				stable[i] = latency.draw(random);
			}
			for (int i = 0; i < canary.length; i++) {
				canary[i] = latency.draw(random) + slowdownMs;
			}
			SequentialLatencyTest test = SequentialLatencyTest.withDefaults(ALPHA);
			for (int look = 1; look <= LOOKS; look++) {
				double[] c = Arrays.copyOf(canary, look * CANARY_PER_LOOK);
				double[] s = Arrays.copyOf(stable, look * STABLE_PER_LOOK);
				double twoSided = welch.tTest(c, s);
				double oneSided = welch.t(c, s) > 0 ? twoSided / 2 : 1 - twoSided / 2;
				if (naiveTwoSided[run] == 0 && twoSided < ALPHA) {
					naiveTwoSided[run] = look;
				}
				if (naiveOneSided[run] == 0 && oneSided < ALPHA) {
					naiveOneSided[run] = look;
				}
				if (sequential[run] == 0 && test.look(c, s).reject()) {
					sequential[run] = look;
				}
			}
		}
		return new Runs(naiveOneSided, naiveTwoSided, sequential);
	}

}
