package dev.mlcanary.analysis;

import java.util.List;

import dev.mlcanary.shared.Verdict;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /admin/check-canary-health}. The prototype's fields keep their
 * names; a statistic that is undefined or infinite is {@code null}, never NaN or Infinity
 * in JSON. {@code verdict} is {@code FAIL} when the alert is raised, {@code INCONCLUSIVE}
 * without a canary or with too few samples, {@code PASS} otherwise; {@code reasons} say
 * why in plain sentences. In a fleet the samples are every live replica's, and
 * {@code replicas} says who contributed how many.
 */
@Schema(description = "The verdict of the five judges, their reasons, and the "
		+ "prototype's Welch test fields. Statistics that are undefined or infinite are `null`.")
public record HealthReport(boolean alertTriggered, Verdict verdict, java.util.List<String> reasons, String message,
		String explanation, java.util.Map<String, JudgeReport> judges, @Nullable Double pValue,
		@Nullable Double tStatistic, @Nullable Double degreesOfFreedom, double alpha, double minLatencyIncreaseMs,
		int minSamples, String stableVersion, @Nullable String canaryVersion, int stableSampleCount,
		int canarySampleCount, @Nullable Double stableAvgLatencyMs, @Nullable Double canaryAvgLatencyMs,
		@Nullable Double latencyIncreaseMs, @Nullable Double stableLatencyStddevMs,
		@Nullable Double canaryLatencyStddevMs, @Nullable Double stableP50LatencyMs,
		@Nullable Double stableP95LatencyMs, @Nullable Double stableP99LatencyMs, @Nullable Double canaryP50LatencyMs,
		@Nullable Double canaryP95LatencyMs, @Nullable Double canaryP99LatencyMs,
		@Schema(description = "Who contributed the samples judged, and how many each: in file mode the one process, "
				+ "in a fleet every live replica whose samples of the current generation were pooled (the "
				+ "sample counts above are their totals).") List<ReplicaSamples> replicas) {

	HealthReport with(boolean alert, Verdict newVerdict, java.util.List<String> newReasons, String newMessage,
			java.util.Map<String, JudgeReport> newJudges) {
		return new HealthReport(alert, newVerdict, newReasons, newMessage, explanation, newJudges, pValue, tStatistic,
				degreesOfFreedom, alpha, minLatencyIncreaseMs, minSamples, stableVersion, canaryVersion,
				stableSampleCount, canarySampleCount, stableAvgLatencyMs, canaryAvgLatencyMs, latencyIncreaseMs,
				stableLatencyStddevMs, canaryLatencyStddevMs, stableP50LatencyMs, stableP95LatencyMs,
				stableP99LatencyMs, canaryP50LatencyMs, canaryP95LatencyMs, canaryP99LatencyMs, replicas);
	}

	static @Nullable Double finite(double value) {
		return Double.isFinite(value) ? value : null;
	}

}
