package dev.mlcanary.analysis;

import java.util.Locale;

import dev.mlcanary.shared.AgreementStats;
import dev.mlcanary.shared.Verdict;
import dev.mlcanary.statistics.FisherExact;
import dev.mlcanary.statistics.LatencySummary;
import dev.mlcanary.statistics.MannWhitney;
import dev.mlcanary.statistics.McNemar;
import dev.mlcanary.statistics.SequentialLatencyTest;
import dev.mlcanary.statistics.WelchTest;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * The judges of a canary. Each looks at one kind of evidence, needs a minimum sample
 * before it decides (below it: INCONCLUSIVE, never PASS), and fails only on a difference
 * that is both statistically significant and large enough to matter.
 */
final class Judges {

	private final HealthProperties health;

	private final AnalysisProperties analysis;

	Judges(HealthProperties health, AnalysisProperties analysis) {
		this.health = health;
		this.analysis = analysis;
	}

	/**
	 * Mean latency, Welch's t-test, with the practical threshold
	 * {@code min-latency-increase-ms}.
	 */
	JudgeReport welch(Evidence e) {
		LatencySummary s = e.stableSummary();
		LatencySummary c = e.canarySummary();
		JudgeReport.Builder numbers = JudgeReport.builder()
			.put("stable_samples", s.count())
			.put("canary_samples", c.count());
		if (tooFew(s, c)) {
			return needMore(numbers, "Mean latency", s, c);
		}
		WelchTest welch = WelchTest.of(c, s, e.canary(), e.stable());
		double increase = c.mean() - s.mean();
		numbers.put("t_statistic", welch.t()).put("p_value", welch.pValue()).put("mean_increase_ms", increase);
		boolean fail = welch.pValue() < health.alpha() && increase > 0 && increase >= health.minLatencyIncreaseMs();
		return numbers.verdict(fail ? Verdict.FAIL : Verdict.PASS, String.format(Locale.ROOT,
				"Mean latency: canary %s stable by %.4f ms (Welch p = %.3g)%s.", increase > 0 ? "above" : "below",
				Math.abs(increase), welch.pValue(),
				fail ? ", significant and at least " + health.minLatencyIncreaseMs() + " ms" : ", within limits"));
	}

	/**
	 * Mean latency checked sequentially: the always-valid p-value of the mSPRT over every
	 * look at this canary. Once a window has overwritten samples the test can no longer
	 * see all of them, so it stops taking looks and keeps its last p-value (a rejection
	 * stays a rejection).
	 */
	JudgeReport welchSequential(Evidence e, SequentialLatencyTest test, boolean wrapped) {
		LatencySummary s = e.stableSummary();
		LatencySummary c = e.canarySummary();
		JudgeReport.Builder numbers = JudgeReport.builder()
			.put("mode", "sequential")
			.put("stable_samples", s.count())
			.put("canary_samples", c.count());
		if (tooFew(s, c)) {
			return needMore(numbers, "Mean latency", s, c);
		}
		if (wrapped && test.looks() == 0) {
			return numbers.verdict(Verdict.INCONCLUSIVE,
					"Mean latency: the sample windows are full, so a sequential test can no longer start; use mode=fixed.");
		}
		double p = wrapped ? test.pValue() : test.look(e.canary(), e.stable()).pValue();
		double increase = c.mean() - s.mean();
		boolean fail = p < health.alpha() && increase >= health.minLatencyIncreaseMs() && increase > 0;
		numbers.put("look", test.looks()).put("p_value", p).put("mean_increase_ms", increase);
		return numbers.verdict(fail ? Verdict.FAIL : Verdict.PASS, String.format(Locale.ROOT,
				"Mean latency (sequential, look %d): canary %s stable by %.4f ms (always-valid p = %.3g)%s.",
				test.looks(), increase > 0 ? "above" : "below", Math.abs(increase), p,
				fail ? ", significant and at least " + health.minLatencyIncreaseMs() + " ms" : ", within limits"));
	}

	/**
	 * p95 and p99. A raw comparison of a p99 computed from a hundred canary samples would
	 * fail on a single garbage-collection pause, so for each quantile the judge counts
	 * the canary requests that are slower than the limit, {@code tail-latency-ratio}
	 * times stable's quantile and at least the practical threshold above it, and asks
	 * whether there are more of them than chance allows: with no change, at most 5% of
	 * requests exceed stable's p95 (1% its p99), so a one-sided binomial test against
	 * that rate fails the judge only for a real tail regression.
	 */
	JudgeReport tailLatency(Evidence e) {
		LatencySummary s = e.stableSummary();
		LatencySummary c = e.canarySummary();
		JudgeReport.Builder numbers = JudgeReport.builder().put("allowed_ratio", analysis.tailLatencyRatio());
		if (s.count() < analysis.minTailSamples() || c.count() < analysis.minTailSamples()) {
			return numbers.verdict(Verdict.INCONCLUSIVE,
					String.format(Locale.ROOT,
							"Tail latency: need %d samples per version for p99, have %d stable and %d canary.",
							analysis.minTailSamples(), s.count(), c.count()));
		}
		boolean p95Fails = quantileFails(numbers, "p95", 0.95, s.p95(), c.p95(), e.canary());
		boolean p99Fails = quantileFails(numbers, "p99", 0.99, s.p99(), c.p99(), e.canary());
		String reason = String.format(Locale.ROOT,
				"Tail latency: canary p95 %.4f ms vs stable %.4f ms, p99 %.4f ms vs %.4f ms", c.p95(), s.p95(), c.p99(),
				s.p99());
		return numbers.verdict(p95Fails || p99Fails ? Verdict.FAIL : Verdict.PASS, reason + (p95Fails || p99Fails
				? ": significantly more canary requests above " + analysis.tailLatencyRatio() + "x stable's tail."
				: ": within limits."));
	}

	private boolean quantileFails(JudgeReport.Builder numbers, String name, double q, double stableQuantile,
			double canaryQuantile, double[] canary) {
		double limit = limit(stableQuantile);
		int exceed = 0;
		for (double ms : canary) {
			if (ms > limit) {
				exceed++;
			}
		}
		BinomialDistribution chance = new BinomialDistribution(null, canary.length, 1 - q);
		double p = exceed == 0 ? 1.0 : 1.0 - chance.cumulativeProbability(exceed - 1);
		numbers.put("stable_" + name + "_ms", stableQuantile)
			.put("canary_" + name + "_ms", canaryQuantile)
			.put(name + "_limit_ms", limit)
			.put("canary_above_" + name + "_limit", exceed)
			.put(name + "_exceedance_p_value", p);
		return p < health.alpha();
	}

	private double limit(double stable) {
		return Math.max(stable * analysis.tailLatencyRatio(), stable + health.minLatencyIncreaseMs());
	}

	/** Class agreement on shadow-scored requests, against {@code agreement-floor}. */
	JudgeReport agreement(Evidence e) {
		AgreementStats.Snapshot a = e.agreement();
		JudgeReport.Builder numbers = JudgeReport.builder()
			.put("pairs", a.pairs())
			.put("floor", analysis.agreementFloor());
		if (a.pairs() < analysis.minAgreementPairs()) {
			return numbers.verdict(Verdict.INCONCLUSIVE,
					String.format(Locale.ROOT, "Prediction agreement: need %d requests scored by both models, have %d.",
							analysis.minAgreementPairs(), a.pairs()));
		}
		McNemar.Result paired = McNemar.test(a.stableOnlyPositive(), a.canaryOnlyPositive());
		numbers.put("agreement", a.agreement())
			.put("mean_absolute_difference", a.meanAbsoluteDifference())
			.put("stable_only_positive", a.stableOnlyPositive())
			.put("canary_only_positive", a.canaryOnlyPositive())
			.put("mcnemar_p_value", paired.pValue());
		boolean fail = a.agreement() < analysis.agreementFloor();
		return numbers.verdict(fail ? Verdict.FAIL : Verdict.PASS, String.format(Locale.ROOT,
				"Prediction agreement: the models agree on %.1f%% of %d requests (floor %.1f%%), mean probability difference %.4f%s.",
				100 * a.agreement(), a.pairs(), 100 * analysis.agreementFloor(), a.meanAbsoluteDifference(),
				paired.pValue() < health.alpha() ? ", and the canary flips answers systematically one way (McNemar p = "
						+ String.format(Locale.ROOT, "%.3g", paired.pValue()) + ")" : ""));
	}

	/**
	 * Whole latency distributions, Mann-Whitney U: fails when the canary is
	 * stochastically slower (p &lt; alpha) and its median is higher by at least the
	 * practical threshold.
	 */
	JudgeReport mannWhitney(Evidence e) {
		LatencySummary s = e.stableSummary();
		LatencySummary c = e.canarySummary();
		JudgeReport.Builder numbers = JudgeReport.builder()
			.put("stable_samples", s.count())
			.put("canary_samples", c.count());
		if (tooFew(s, c)) {
			return needMore(numbers, "Latency distribution", s, c);
		}
		MannWhitney.Result test = MannWhitney.test(e.canary(), e.stable());
		double medianIncrease = c.p50() - s.p50();
		boolean canarySlower = test.u() > (double) c.count() * s.count() / 2;
		numbers.put("u_statistic", test.u())
			.put("z", test.z())
			.put("p_value", test.pValue())
			.put("method", test.method().name().toLowerCase(Locale.ROOT))
			.put("median_increase_ms", medianIncrease);
		boolean fail = test.pValue() < health.alpha() && canarySlower
				&& medianIncrease >= health.minLatencyIncreaseMs();
		return numbers.verdict(fail ? Verdict.FAIL : Verdict.PASS, String.format(Locale.ROOT,
				"Latency distribution: canary median %s stable's by %.4f ms (Mann-Whitney p = %.3g)%s.",
				medianIncrease > 0 ? "above" : "below", Math.abs(medianIncrease), test.pValue(),
				fail ? ", significant and at least " + health.minLatencyIncreaseMs() + " ms" : ", within limits"));
	}

	/**
	 * Model failures per request, Fisher's exact test: fails when the canary fails
	 * significantly more often.
	 */
	JudgeReport errors(Evidence e) {
		JudgeReport.Builder numbers = JudgeReport.builder()
			.put("stable_requests", e.stableCalls())
			.put("stable_errors", e.stableErrors())
			.put("canary_requests", e.canaryCalls())
			.put("canary_errors", e.canaryErrors());
		if (e.stableCalls() < health.minSamples() || e.canaryCalls() < health.minSamples()) {
			return numbers.verdict(Verdict.INCONCLUSIVE,
					String.format(Locale.ROOT, "Errors: need %d requests per version, have %d stable and %d canary.",
							health.minSamples(), e.stableCalls(), e.canaryCalls()));
		}
		double p = FisherExact.greater(e.canaryErrors(), e.canaryCalls() - e.canaryErrors(), e.stableErrors(),
				e.stableCalls() - e.stableErrors());
		numbers.put("p_value", p);
		boolean fail = p < health.alpha();
		return numbers.verdict(fail ? Verdict.FAIL : Verdict.PASS, String.format(Locale.ROOT,
				"Errors: canary failed %d of %d requests, stable %d of %d (Fisher p = %.3g)%s.", e.canaryErrors(),
				e.canaryCalls(), e.stableErrors(), e.stableCalls(), p, fail ? ", significantly more often" : ""));
	}

	private boolean tooFew(LatencySummary s, LatencySummary c) {
		return s.count() < health.minSamples() || c.count() < health.minSamples();
	}

	private JudgeReport needMore(JudgeReport.Builder numbers, String what, LatencySummary s, LatencySummary c) {
		return numbers.verdict(Verdict.INCONCLUSIVE,
				String.format(Locale.ROOT, "%s: need %d samples per version, have %d stable and %d canary.", what,
						health.minSamples(), s.count(), c.count()));
	}

}
