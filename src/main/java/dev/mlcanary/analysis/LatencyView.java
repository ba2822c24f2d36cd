package dev.mlcanary.analysis;

import dev.mlcanary.shared.LatencyWindow;
import dev.mlcanary.statistics.LatencySummary;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /admin/latency}: what each version's latency window holds now,
 * for watching a canary without running (and recording) a health check. Percentiles are
 * R-7 as in the health check; a statistic of an empty window is {@code null}.
 *
 * @param generation the deployment generation the windows belong to
 * @param stable the stable version's window
 * @param canary the canary's window, or {@code null} without a canary
 */
public record LatencyView(long generation, VersionLatency stable, @Nullable VersionLatency canary) {

	/**
	 * One version's window.
	 *
	 * @param version the model version
	 * @param sampleCount samples held (at most {@code canary.window-size})
	 * @param requestCount requests recorded in this deployment period
	 * @param meanMs mean latency in milliseconds
	 * @param p50Ms median
	 * @param p95Ms 95th percentile
	 * @param p99Ms 99th percentile
	 */
	public record VersionLatency(String version, int sampleCount, long requestCount, @Nullable Double meanMs,
			@Nullable Double p50Ms, @Nullable Double p95Ms, @Nullable Double p99Ms) {

		static VersionLatency of(String version, LatencyWindow window) {
			long recorded = window.recordedCount();
			LatencySummary s = LatencySummary.of(window.samplesMillis());
			return new VersionLatency(version, s.count(), recorded, HealthReport.finite(s.mean()),
					HealthReport.finite(s.p50()), HealthReport.finite(s.p95()), HealthReport.finite(s.p99()));
		}

	}

}
