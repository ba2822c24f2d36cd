package dev.mlcanary.analysis;

import java.util.List;

import dev.mlcanary.statistics.LatencySummary;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /admin/latency}: what each version's latency window holds now,
 * for watching a canary without running (and recording) a health check. Percentiles are
 * R-7 as in the health check; a statistic of an empty window is {@code null}.
 *
 * @param generation the deployment generation the windows belong to
 * @param stable the stable version's window
 * @param canary the canary's window, or {@code null} without a canary
 * @param replicas who contributed the samples, and how many each (in a fleet the counts
 * above are the live replicas' totals)
 */
public record LatencyView(long generation, VersionLatency stable, @Nullable VersionLatency canary,
		@Schema(description = "Who contributed the samples, and how many each: "
				+ "in file mode the one process, in a fleet every live replica whose samples of the current "
				+ "generation were pooled (the counts above are their totals).") List<ReplicaSamples> replicas) {

	/**
	 * One version's window.
	 *
	 * @param version the model version
	 * @param sampleCount samples held (at most {@code canary.window-size} per replica)
	 * @param requestCount requests recorded in this deployment period
	 * @param meanMs mean latency in milliseconds
	 * @param p50Ms median
	 * @param p95Ms 95th percentile
	 * @param p99Ms 99th percentile
	 */
	public record VersionLatency(String version, int sampleCount, long requestCount, @Nullable Double meanMs,
			@Nullable Double p50Ms, @Nullable Double p95Ms, @Nullable Double p99Ms) {

		static VersionLatency of(String version, double[] samples, long recorded) {
			LatencySummary s = LatencySummary.of(samples);
			return new VersionLatency(version, s.count(), recorded, HealthReport.finite(s.mean()),
					HealthReport.finite(s.p50()), HealthReport.finite(s.p95()), HealthReport.finite(s.p99()));
		}

	}

}
