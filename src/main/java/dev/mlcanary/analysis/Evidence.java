package dev.mlcanary.analysis;

import dev.mlcanary.shared.AgreementStats;
import dev.mlcanary.statistics.LatencySummary;

/**
 * Everything the judges look at, read once from the current deployment period: one
 * replica's windows or the union of a fleet's ({@link PeriodSamples}).
 *
 * @param stable stable latency samples (ms)
 * @param canary canary latency samples (ms)
 * @param stableSummary descriptive statistics of {@code stable}
 * @param canarySummary descriptive statistics of {@code canary}
 * @param stableErrors stable model failures in this period
 * @param canaryErrors canary model failures in this period (routed or shadow-scored
 * requests)
 * @param agreement shadow-scoring results
 */
record Evidence(double[] stable, double[] canary, LatencySummary stableSummary, LatencySummary canarySummary,
		long stableCalls, long stableErrors, long canaryCalls, long canaryErrors, AgreementStats.Snapshot agreement) {

	/** The evidence of a period's samples, one replica's or a fleet's. */
	static Evidence of(PeriodSamples samples) {
		double[] stable = samples.stable();
		double[] canary = samples.canary();
		AgreementStats.Snapshot agreement = samples.agreement();
		long stableErrors = samples.stableErrors();
		long canaryErrors = samples.canaryErrors();
		return new Evidence(stable, canary, LatencySummary.of(stable), LatencySummary.of(canary),
				samples.stableRecorded() + stableErrors, stableErrors,
				samples.canaryRecorded() + agreement.pairs() + canaryErrors, canaryErrors, agreement);
	}

}
