package dev.mlcanary.simulator;

import org.junit.jupiter.api.Test;

import static dev.mlcanary.simulator.ExpectationsTest.json;
import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {

	@Test
	void eachJudgeGetsALineWithItsVerdictAndReason() {
		String text = String.join("\n", Reports.judges(json("""
				{'verdict': 'FAIL', 'judges': {
				  'welch': {'verdict': 'FAIL', 'reason': 'Mean latency: canary above stable by 6.6 ms.'},
				  'agreement': {'verdict': 'INCONCLUSIVE', 'reason': 'Prediction agreement: need 100.'}}}""")));

		assertThat(text).contains("judges    overall FAIL")
			.containsPattern("welch +FAIL +Mean latency: canary above stable by 6.6 ms.")
			.containsPattern("agreement +INCONCLUSIVE +Prediction agreement: need 100.");
		assertThat(Reports.judges(json("{'verdict': 'INCONCLUSIVE'}"))).isEmpty();
	}

	@Test
	void aHealthReportShowsVerdictStatisticsAndALatencyTable() {
		String text = String.join("\n", Reports.health(json("""
				{'alert_triggered': true, 'message': 'ALERT: Canary latency is significantly higher than stable.',
				 'explanation': 'Canary mean is 4.9 ms higher', 'p_value': 2.05e-8, 't_statistic': 6.532, 'alpha': 0.05,
				 'min_latency_increase_ms': 1.0, 'min_samples': 20, 'stable_version': 'v1', 'canary_version': 'v2',
				 'stable_sample_count': 543, 'canary_sample_count': 57, 'stable_avg_latency_ms': 0.0026,
				 'canary_avg_latency_ms': 4.9061, 'latency_increase_ms': 4.9035, 'stable_latency_stddev_ms': 0.0017,
				 'canary_latency_stddev_ms': 5.6676, 'stable_p50_latency_ms': 0.0028, 'stable_p95_latency_ms': 0.0034,
				 'stable_p99_latency_ms': 0.0053, 'canary_p50_latency_ms': 0.0039, 'canary_p95_latency_ms': 12.5422,
				 'canary_p99_latency_ms': 14.5463}""")));

		assertThat(text).contains("verdict   ALERT: Canary latency is significantly higher than stable.")
			.contains("why       Canary mean is 4.9 ms higher")
			.contains("p-value 2.05e-08, t 6.532, alpha 0.05; an alert needs an increase of at least 1.0 ms")
			.containsPattern("stable v1 +543 +0\\.0026 +0\\.0017 +0\\.0028 +0\\.0034 +0\\.0053")
			.containsPattern("canary v2 +57 +4\\.9061 +5\\.6676 +0\\.0039 +12\\.5422 +14\\.5463")
			.contains("increase  +4.9035 ms");
	}

	@Test
	void undefinedStatisticsShowAsNotAvailable() {
		String text = String.join("\n", Reports.health(json("""
				{'alert_triggered': false, 'message': 'Insufficient data for statistical analysis.', 'p_value': null,
				 't_statistic': null, 'alpha': 0.05, 'min_latency_increase_ms': 1.0, 'stable_version': 'v1',
				 'canary_version': 'v2', 'stable_sample_count': 1, 'canary_sample_count': 0,
				 'stable_avg_latency_ms': 0.0095, 'canary_avg_latency_ms': null, 'latency_increase_ms': null}""")));

		assertThat(text).contains("verdict   no alert - Insufficient data for statistical analysis.")
			.contains("p-value n/a, t n/a")
			.containsPattern("canary v2 +0 +n/a +n/a")
			.contains("increase  n/a ms");
	}

	@Test
	void statusIsOneLine() {
		assertThat(Reports.status(json("""
				{'stable_version': 'v1', 'canary_version': 'v2', 'canary_weight': 0.1, 'simulate_slowdown': true,
				 'generation': 7}"""))).isEqualTo("stable v1, canary v2 at weight 0.1, slowdown ON, generation 7");
		assertThat(Reports.status(
				json("{'stable_version': 'v1', 'canary_version': null, 'simulate_slowdown': false, 'generation': 1}")))
			.isEqualTo("stable v1, no canary, slowdown off, generation 1");
	}

	@Test
	void powerAnalysisShowsTheRecommendedSampleSize() {
		assertThat(Reports.power(json("""
				{'effect_size': 0.666, 'alpha': 0.05, 'power': 0.8, 'recommended_sample_size_per_group': 37,
				 'exact_sample_size_per_group': 36.4, 'message': 'Collect at least 37 samples per group.'}""")))
			.containsExactly(
					"    recommended sample size per group: 37 (exact 36.40) for effect size 0.666, alpha 0.05, power 0.8",
					"    Collect at least 37 samples per group.");
	}

}
