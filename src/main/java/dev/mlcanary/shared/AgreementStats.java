package dev.mlcanary.shared;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often the canary model agrees with stable on the same requests: for stable-routed
 * requests the canary is scored too (shadow scoring), and the pair of answers is counted
 * here. Class agreement uses the 0.5 threshold; the discordant counts feed McNemar's
 * paired test. Lock-free adders, so the hot path never waits.
 */
public final class AgreementStats {

	private final LongAdder pairs = new LongAdder();

	private final LongAdder stableOnlyPositive = new LongAdder();

	private final LongAdder canaryOnlyPositive = new LongAdder();

	private final DoubleAdder absoluteDifference = new DoubleAdder();

	public void record(double stableProbability, double canaryProbability) {
		pairs.increment();
		boolean stablePositive = stableProbability >= 0.5;
		boolean canaryPositive = canaryProbability >= 0.5;
		if (stablePositive && !canaryPositive) {
			stableOnlyPositive.increment();
		}
		else if (canaryPositive && !stablePositive) {
			canaryOnlyPositive.increment();
		}
		absoluteDifference.add(Math.abs(stableProbability - canaryProbability));
	}

	/** A consistent-enough copy for analysis (each counter is read once). */
	public Snapshot snapshot() {
		long n = pairs.sum();
		return new Snapshot(n, stableOnlyPositive.sum(), canaryOnlyPositive.sum(),
				n == 0 ? Double.NaN : absoluteDifference.sum() / n);
	}

	/**
	 * @param pairs requests scored by both models
	 * @param stableOnlyPositive stable said churn, canary did not (McNemar's b)
	 * @param canaryOnlyPositive canary said churn, stable did not (McNemar's c)
	 * @param meanAbsoluteDifference mean |p_stable - p_canary|
	 */
	public record Snapshot(long pairs, long stableOnlyPositive, long canaryOnlyPositive,
			double meanAbsoluteDifference) {

		public double agreement() {
			return pairs == 0 ? Double.NaN : (pairs - stableOnlyPositive - canaryOnlyPositive) / (double) pairs;
		}

	}

}
