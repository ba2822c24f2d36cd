package dev.mlcanary.analysis;

import java.util.Locale;

import dev.mlcanary.system.CanaryProperties;

/**
 * The judges of a canary. Each looks at one kind of evidence, needs a minimum sample before it
 * decides (below it: INCONCLUSIVE, never PASS), and fails only on a difference that is both
 * statistically significant and large enough to matter.
 */
final class Judges {

	private final CanaryProperties.Health health;

	private final AnalysisProperties analysis;

	Judges(CanaryProperties.Health health, AnalysisProperties analysis) {
		this.health = health;
		this.analysis = analysis;
	}

	/** Mean latency, Welch's t-test, with the practical threshold {@code min-latency-increase-ms}. */
	JudgeReport welch(Evidence e) {
		LatencySummary s = e.stableSummary();
		LatencySummary c = e.canarySummary();
		JudgeReport.Builder numbers = JudgeReport.builder().put("stable_samples", s.count()).put("canary_samples", c.count());
		if (s.count() < health.minSamples() || c.count() < health.minSamples()) {
			return numbers.verdict(Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
					"Mean latency: need %d samples per version, have %d stable and %d canary.", health.minSamples(), s.count(),
					c.count()));
		}
		WelchTest welch = WelchTest.of(c, s, e.canary(), e.stable());
		double increase = c.mean() - s.mean();
		numbers.put("t_statistic", welch.t()).put("p_value", welch.pValue()).put("mean_increase_ms", increase);
		boolean fail = welch.pValue() < health.alpha() && increase > 0 && increase >= health.minLatencyIncreaseMs();
		return numbers.verdict(fail ? Verdict.FAIL : Verdict.PASS, String.format(Locale.ROOT,
				"Mean latency: canary %s stable by %.4f ms (Welch p = %.3g)%s.", increase > 0 ? "above" : "below",
				Math.abs(increase), welch.pValue(), fail ? ", significant and at least " + health.minLatencyIncreaseMs() + " ms"
						: ", within limits"));
	}

	/** p95 and p99: the canary's may be at most {@code tail-latency-ratio} times stable's (and above by the practical threshold). */
	JudgeReport tailLatency(Evidence e) {
		LatencySummary s = e.stableSummary();
		LatencySummary c = e.canarySummary();
		JudgeReport.Builder numbers = JudgeReport.builder().put("allowed_ratio", analysis.tailLatencyRatio());
		if (s.count() < analysis.minTailSamples() || c.count() < analysis.minTailSamples()) {
			return numbers.verdict(Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
					"Tail latency: need %d samples per version for p99, have %d stable and %d canary.",
					analysis.minTailSamples(), s.count(), c.count()));
		}
		numbers.put("stable_p95_ms", s.p95()).put("canary_p95_ms", c.p95()).put("stable_p99_ms", s.p99())
			.put("canary_p99_ms", c.p99());
		boolean p95Fails = c.p95() > limit(s.p95());
		boolean p99Fails = c.p99() > limit(s.p99());
		String reason = String.format(Locale.ROOT, "Tail latency: canary p95 %.4f ms vs stable %.4f ms, p99 %.4f ms vs %.4f ms",
				c.p95(), s.p95(), c.p99(), s.p99());
		return numbers.verdict(p95Fails || p99Fails ? Verdict.FAIL : Verdict.PASS,
				reason + (p95Fails || p99Fails ? ": above " + analysis.tailLatencyRatio() + "x stable." : ": within limits."));
	}

	private double limit(double stable) {
		return Math.max(stable * analysis.tailLatencyRatio(), stable + health.minLatencyIncreaseMs());
	}

	/** Class agreement on shadow-scored requests, against {@code agreement-floor}. */
	JudgeReport agreement(Evidence e) {
		AgreementStats.Snapshot a = e.agreement();
		JudgeReport.Builder numbers = JudgeReport.builder().put("pairs", a.pairs()).put("floor", analysis.agreementFloor());
		if (a.pairs() < analysis.minAgreementPairs()) {
			return numbers.verdict(Verdict.INCONCLUSIVE, String.format(Locale.ROOT,
					"Prediction agreement: need %d requests scored by both models, have %d.", analysis.minAgreementPairs(),
					a.pairs()));
		}
		numbers.put("agreement", a.agreement()).put("mean_absolute_difference", a.meanAbsoluteDifference())
			.put("stable_only_positive", a.stableOnlyPositive()).put("canary_only_positive", a.canaryOnlyPositive());
		boolean fail = a.agreement() < analysis.agreementFloor();
		return numbers.verdict(fail ? Verdict.FAIL : Verdict.PASS, String.format(Locale.ROOT,
				"Prediction agreement: the models agree on %.1f%% of %d requests (floor %.1f%%), mean probability difference %.4f.",
				100 * a.agreement(), a.pairs(), 100 * analysis.agreementFloor(), a.meanAbsoluteDifference()));
	}

}
