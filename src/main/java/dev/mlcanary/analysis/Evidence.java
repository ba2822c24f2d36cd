package dev.mlcanary.analysis;

import dev.mlcanary.shared.AgreementStats;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;
import dev.mlcanary.statistics.LatencySummary;

/**
 * Everything the judges look at, read once from the current deployment period.
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

	static Evidence of(LatencyWindows period) {
		double[] stable = period.stable().samplesMillis();
		double[] canary = period.canary().samplesMillis();
		AgreementStats.Snapshot agreement = period.agreement().snapshot();
		long stableErrors = period.errors(Role.STABLE);
		long canaryErrors = period.errors(Role.CANARY);
		return new Evidence(stable, canary, LatencySummary.of(stable), LatencySummary.of(canary),
				period.stable().recordedCount() + stableErrors, stableErrors,
				period.canary().recordedCount() + agreement.pairs() + canaryErrors, canaryErrors, agreement);
	}

}
