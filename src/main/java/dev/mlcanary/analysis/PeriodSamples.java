package dev.mlcanary.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.mlcanary.shared.AgreementStats;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;

/**
 * A deployment period's samples as a check judges them: one replica's windows, or the
 * union of several replicas' ({@link #plus}). The statistics never know which.
 *
 * @param stable stable latency samples (ms)
 * @param canary canary latency samples (ms)
 * @param stableRecorded stable samples recorded in the period, overwritten ones included
 * @param canaryRecorded canary samples recorded in the period, overwritten ones included
 * @param stableErrors stable model failures
 * @param canaryErrors canary model failures
 * @param agreement shadow-scoring results
 * @param wrapped whether any contributing window has overwritten samples of the period
 * @param replicas who contributed how many samples, ordered by replica id
 */
record PeriodSamples(double[] stable, double[] canary, long stableRecorded, long canaryRecorded, long stableErrors,
		long canaryErrors, AgreementStats.Snapshot agreement, boolean wrapped, List<ReplicaSamples> replicas) {

	/** What this replica's windows hold now. */
	static PeriodSamples local(String replicaId, LatencyWindows period) {
		double[] stable = period.stable().samplesMillis();
		double[] canary = period.canary().samplesMillis();
		AgreementStats.Snapshot agreement = period.agreement().snapshot();
		long stableErrors = period.errors(Role.STABLE);
		long canaryErrors = period.errors(Role.CANARY);
		return new PeriodSamples(stable, canary, period.stable().recordedCount(), period.canary().recordedCount(),
				stableErrors, canaryErrors, agreement, period.wrapped(),
				List.of(new ReplicaSamples(replicaId, stable.length, canary.length)));
	}

	/** The union of these samples and the others': samples joined, counts added. */
	PeriodSamples plus(List<PeriodSamples> others) {
		if (others.isEmpty()) {
			return this;
		}
		List<PeriodSamples> all = new ArrayList<>(others.size() + 1);
		all.add(this);
		all.addAll(others);
		long pairs = 0;
		long stableOnly = 0;
		long canaryOnly = 0;
		double absoluteDifference = 0;
		List<ReplicaSamples> who = new ArrayList<>();
		boolean anyWrapped = false;
		long stableCount = 0;
		long canaryCount = 0;
		long stableErr = 0;
		long canaryErr = 0;
		for (PeriodSamples p : all) {
			AgreementStats.Snapshot a = p.agreement();
			pairs += a.pairs();
			stableOnly += a.stableOnlyPositive();
			canaryOnly += a.canaryOnlyPositive();
			if (a.pairs() > 0) {
				absoluteDifference += a.meanAbsoluteDifference() * a.pairs();
			}
			who.addAll(p.replicas());
			anyWrapped |= p.wrapped();
			stableCount += p.stableRecorded();
			canaryCount += p.canaryRecorded();
			stableErr += p.stableErrors();
			canaryErr += p.canaryErrors();
		}
		who.sort(Comparator.comparing(ReplicaSamples::replicaId));
		return new PeriodSamples(join(all, PeriodSamples::stable), join(all, PeriodSamples::canary), stableCount,
				canaryCount, stableErr, canaryErr, new AgreementStats.Snapshot(pairs, stableOnly, canaryOnly,
						pairs == 0 ? Double.NaN : absoluteDifference / pairs),
				anyWrapped, List.copyOf(who));
	}

	private static double[] join(List<PeriodSamples> all, java.util.function.Function<PeriodSamples, double[]> part) {
		int length = all.stream().mapToInt(p -> part.apply(p).length).sum();
		double[] joined = Arrays.copyOf(part.apply(all.get(0)), length);
		int at = part.apply(all.get(0)).length;
		for (PeriodSamples p : all.subList(1, all.size())) {
			double[] more = part.apply(p);
			System.arraycopy(more, 0, joined, at, more.length);
			at += more.length;
		}
		return joined;
	}

}
