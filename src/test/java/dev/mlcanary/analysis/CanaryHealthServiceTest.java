package dev.mlcanary.analysis;

import java.time.Instant;
import java.util.SplittableRandom;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.model.BundledModels;
import dev.mlcanary.model.LoadedModel;
import dev.mlcanary.shared.LatencyWindow;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Verdict;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class CanaryHealthServiceTest {

	private static final LoadedModel v1 = BundledModels.V1;

	private static final LoadedModel v2 = BundledModels.V2;

	private final CanaryHealthService health = new CanaryHealthService(properties(0.05, 1.0),
			AnalysisProperties.defaults());

	@Test
	void withoutACanaryThereIsNothingToMonitor() {
		HealthReport report = health.check(deployment(false));

		assertThat(report.alertTriggered()).isFalse();
		assertThat(report.message()).isEqualTo("No active canary deployment to monitor.");
		assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
		assertThat(report.pValue()).isNull();
	}

	@Test
	void fewerThanTwentySamplesIsInsufficientData() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 500, 0.15, 0.03, 1);
		record(d.samples().canary(), 19, 0.15, 0.03, 2);

		HealthReport report = health.check(d);

		assertThat(report.alertTriggered()).isFalse();
		assertThat(report.message()).startsWith("Insufficient data for statistical analysis");
		assertThat(report.verdict()).as("too few samples is never a pass").isEqualTo(Verdict.INCONCLUSIVE);
		assertThat(report.explanation()).contains("500 stable").contains("19 canary");
		assertThat(report.stableSampleCount()).isEqualTo(500);
		assertThat(report.canarySampleCount()).isEqualTo(19);
	}

	@Test
	void sameLatencyDistributionRaisesNoAlert() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 900, 0.15, 0.03, 3);
		record(d.samples().canary(), 100, 0.15, 0.03, 4);

		HealthReport report = health.check(d);

		assertThat(report.alertTriggered()).isFalse();
		assertThat(report.judges().get("welch").verdict()).isEqualTo(Verdict.PASS);
		assertThat(report.verdict()).as("no shadow-scored pairs yet: the agreement judge cannot decide")
			.isEqualTo(Verdict.INCONCLUSIVE);
		assertThat(report.message()).as("not called acceptable while a judge cannot decide")
			.isEqualTo("No alert so far: not enough data yet for the agreement check.");
		assertThat(report.pValue()).isBetween(0.0, 1.0);
	}

	@Test
	void tenMillisecondSlowdownRaisesTheAlert() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 900, 0.15, 0.03, 5);
		record(d.samples().canary(), 100, 10.15, 0.05, 6);

		HealthReport report = health.check(d);

		assertThat(report.alertTriggered()).isTrue();
		assertThat(report.message()).isEqualTo("ALERT: Canary latency is significantly higher than stable.");
		assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
		assertThat(report.judges().get("welch").verdict()).isEqualTo(Verdict.FAIL);
		assertThat(report.judges().get("tail_latency").verdict()).isEqualTo(Verdict.FAIL);
		assertThat(report.reasons()).anySatisfy(r -> assertThat(r).startsWith("Mean latency").contains("significant"));
		assertThat(report.pValue()).isLessThan(1e-10);
		assertThat(report.tStatistic()).isPositive();
		assertThat(report.latencyIncreaseMs()).isBetween(9.9, 10.1);
		assertThat(report.canaryP50LatencyMs()).isBetween(10.0, 10.3);
		assertThat(report.canaryLatencyStddevMs()).isBetween(0.04, 0.06);
	}

	@Test
	void significantButTinyIncreaseIsNotAnAlert() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 10_000, 0.132, 0.01, 7);
		record(d.samples().canary(), 10_000, 0.137, 0.01, 8);

		HealthReport report = health.check(d);

		assertThat(report.pValue()).isLessThan(1e-10);
		assertThat(report.alertTriggered()).isFalse();
		assertThat(report.explanation()).contains("below the practical threshold");
	}

	@Test
	void withoutAPracticalThresholdSignificanceAloneAlerts() {
		CanaryHealthService strict = new CanaryHealthService(properties(0.05, 0.0), AnalysisProperties.defaults());
		Deployment d = deployment(true);
		record(d.samples().stable(), 10_000, 0.132, 0.01, 7);
		record(d.samples().canary(), 10_000, 0.137, 0.01, 8);

		assertThat(strict.check(d).alertTriggered()).isTrue();
	}

	@Test
	void fasterCanaryIsNeverAnAlert() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 500, 10.0, 0.1, 9);
		record(d.samples().canary(), 500, 0.1, 0.01, 10);

		HealthReport report = health.check(d);

		assertThat(report.alertTriggered()).isFalse();
		assertThat(report.tStatistic()).isNegative();
	}

	@Test
	void identicalLatenciesGiveNoDifferenceAndValidJson() {
		Deployment d = deployment(true);
		for (int i = 0; i < 50; i++) {
			d.samples().stable().record(100_000);
			d.samples().canary().record(100_000);
		}

		HealthReport report = health.check(d);

		assertThat(report.alertTriggered()).isFalse();
		assertThat(report.pValue()).isEqualTo(1.0);
		assertThat(report.tStatistic()).isZero();
		assertThat(json(report)).doesNotContain("NaN").doesNotContain("Infinity");
	}

	@Test
	void constantButDifferentLatenciesAlertWithoutInfinityInJson() {
		Deployment d = deployment(true);
		for (int i = 0; i < 50; i++) {
			d.samples().stable().record(100_000);
			d.samples().canary().record(12_100_000);
		}

		HealthReport report = health.check(d);

		assertThat(report.alertTriggered()).isTrue();
		assertThat(report.pValue()).isZero();
		assertThat(report.tStatistic()).as("t = +inf is reported as null").isNull();
		assertThat(json(report)).doesNotContain("NaN").doesNotContain("Infinity").contains("\"t_statistic\":null");
	}

	@Test
	void allJudgesPassingIsAPass() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 900, 0.15, 0.03, 11);
		record(d.samples().canary(), 150, 0.15, 0.03, 12);
		for (int i = 0; i < 200; i++) {
			d.samples().agreement().record(0.3, 0.31);
		}

		HealthReport report = health.check(d);

		assertThat(report.judges()).containsOnlyKeys("welch", "mann_whitney", "tail_latency", "errors", "agreement");
		assertThat(report.judges().values()).allSatisfy(j -> assertThat(j.verdict()).isEqualTo(Verdict.PASS));
		assertThat(report.verdict()).isEqualTo(Verdict.PASS);
		assertThat(report.alertTriggered()).isFalse();
	}

	@Test
	void aModelThatPredictsDifferentlyFailsTheAgreementJudgeEvenWhenFast() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 900, 0.15, 0.03, 13);
		record(d.samples().canary(), 150, 0.15, 0.03, 14);
		for (int i = 0; i < 200; i++) {
			d.samples().agreement().record(i % 5 == 0 ? 0.7 : 0.3, 0.3);
		}

		HealthReport report = health.check(d);

		assertThat(report.judges().get("agreement").verdict()).isEqualTo(Verdict.FAIL);
		assertThat(report.judges().get("welch").verdict()).isEqualTo(Verdict.PASS);
		assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
		assertThat(report.alertTriggered()).isTrue();
		assertThat(report.message()).isEqualTo("ALERT: Canary failed the agreement check.");
		assertThat(json(report)).contains("\"agreement\":0.8");
	}

	@Test
	void aSlowTailFailsTheTailLatencyJudge() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 1000, 1.0, 0.1, 15);
		SplittableRandom random = new SplittableRandom(16);
		for (int i = 0; i < 200; i++) {
			// The same median, but one request in ten takes 20 ms longer.
			double ms = 1.0 + 0.1 * random.nextGaussian() + (i % 10 == 0 ? 20 : 0);
			d.samples().canary().record((long) (ms * 1_000_000));
		}

		HealthReport report = health.check(d);

		assertThat(report.judges().get("tail_latency").verdict()).isEqualTo(Verdict.FAIL);
		assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
	}

	@Test
	void tooFewSamplesIsInconclusiveForEveryJudge() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 10, 0.15, 0.03, 17);
		record(d.samples().canary(), 5, 0.15, 0.03, 18);

		HealthReport report = health.check(d);

		assertThat(report.judges().values()).allSatisfy(j -> assertThat(j.verdict()).isEqualTo(Verdict.INCONCLUSIVE));
		assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
	}

	@Test
	void aCanaryThatFailsMoreOftenFailsTheErrorsJudge() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 900, 0.15, 0.03, 19);
		record(d.samples().canary(), 100, 0.15, 0.03, 20);
		for (int i = 0; i < 15; i++) {
			d.samples().recordError(dev.mlcanary.shared.Role.CANARY);
		}

		HealthReport report = health.check(d);

		JudgeReport errors = report.judges().get("errors");
		assertThat(errors.verdict()).isEqualTo(Verdict.FAIL);
		assertThat(errors.statistics()).containsEntry("canary_errors", 15L).containsEntry("stable_errors", 0L);
		assertThat((Double) errors.statistics().get("p_value")).isLessThan(1e-6);
		assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
	}

	@Test
	void aShiftedDistributionFailsTheMannWhitneyJudge() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 500, 1.0, 0.2, 21);
		record(d.samples().canary(), 60, 3.0, 0.2, 22);

		JudgeReport mw = health.check(d).judges().get("mann_whitney");

		assertThat(mw.verdict()).isEqualTo(Verdict.FAIL);
		assertThat(mw.statistics()).containsEntry("method", "normal");
		assertThat((Double) mw.statistics().get("median_increase_ms")).isBetween(1.9, 2.1);
	}

	@Test
	void sequentialModeCountsLooksAndCatchesASlowdown() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 300, 0.15, 0.03, 23);
		record(d.samples().canary(), 30, 0.15, 0.03, 24);

		JudgeReport first = health.check(d, AnalysisMode.SEQUENTIAL).judges().get("welch");
		JudgeReport second = health.check(d, AnalysisMode.SEQUENTIAL).judges().get("welch");
		record(d.samples().canary(), 30, 10.15, 0.05, 25);
		JudgeReport third = health.check(d, AnalysisMode.SEQUENTIAL).judges().get("welch");

		assertThat(first.statistics()).containsEntry("mode", "sequential").containsEntry("look", 1);
		assertThat(first.verdict()).isEqualTo(Verdict.PASS);
		assertThat(second.statistics()).containsEntry("look", 2);
		assertThat(third.verdict()).isEqualTo(Verdict.FAIL);
		assertThat(health.check(d).judges().get("welch").statistics()).doesNotContainKey("mode");
	}

	@Test
	void aSequentialTestBelongsToItsPeriod() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 300, 0.15, 0.03, 26);
		record(d.samples().canary(), 30, 0.15, 0.03, 27);
		health.check(d, AnalysisMode.SEQUENTIAL);

		Deployment next = deployment(true);
		record(next.samples().stable(), 300, 0.15, 0.03, 28);
		record(next.samples().canary(), 30, 0.15, 0.03, 29);

		assertThat(health.check(next, AnalysisMode.SEQUENTIAL).judges().get("welch").statistics()).containsEntry("look",
				1);
	}

	@Test
	void oneSlowRequestDoesNotFailTheTailLatencyJudge() {
		Deployment d = deployment(true);
		record(d.samples().stable(), 1200, 0.005, 0.001, 30);
		record(d.samples().canary(), 125, 0.005, 0.001, 31);
		// A garbage-collection pause hits two canary requests: the canary's p99 jumps to
		// ~2.8 ms.
		d.samples().canary().record(2_800_000);
		d.samples().canary().record(2_900_000);

		JudgeReport tail = health.check(d).judges().get("tail_latency");

		assertThat((Double) tail.statistics().get("canary_p99_ms")).isGreaterThan(1.0);
		assertThat(tail.verdict()).as("two outliers in 127 are within chance for a p99").isEqualTo(Verdict.PASS);
	}

	private static String json(HealthReport report) {
		return JsonMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.build()
			.writeValueAsString(report);
	}

	private static void record(LatencyWindow window, int n, double meanMs, double sdMs, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		for (int i = 0; i < n; i++) {
			window.record((long) (Math.max(0.001, meanMs + sdMs * random.nextGaussian()) * 1_000_000));
		}
	}

	private static Deployment deployment(boolean withCanary) {
		return new Deployment(v1, withCanary ? v2 : null, 0.1, false, withCanary ? Instant.EPOCH : null, 2,
				new LatencyWindows(10_000));
	}

	static HealthProperties properties(double alpha, double minIncreaseMs) {
		return new HealthProperties(alpha, 20, minIncreaseMs);
	}

}
