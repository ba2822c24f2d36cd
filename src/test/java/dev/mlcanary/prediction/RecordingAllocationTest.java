package dev.mlcanary.prediction;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;
import dev.mlcanary.analysis.LatencyWindows;
import dev.mlcanary.routing.CanaryRouter;
import dev.mlcanary.routing.Role;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing and recording run on every request, so they must not allocate: no boxing, no capturing
 * lambdas, no per-call keys. Counted, not timed: the bytes this thread allocates over many calls,
 * with a small allowance for the JVM's own bookkeeping (a real allocation of even 16 bytes per call
 * would be 1.6 MB here).
 */
class RecordingAllocationTest {

	private static final int CALLS = 100_000;

	private static final long ALLOWANCE_BYTES = 64 * 1024;

	@Test
	void routingAndRecordingAllocateNothingPerRequest() {
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		assertThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
		LatencyWindows period = new LatencyWindows(10_000);
		PredictionMetrics metrics = new PredictionMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
		CanaryRouter router = new CanaryRouter();
		String[] versions = { "v1", "v2" };
		// First calls register the meters: allowed to allocate once.
		recordOnce(router, period, metrics, versions, 0);
		recordOnce(router, period, metrics, versions, 1);

		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < CALLS; i++) {
			recordOnce(router, period, metrics, versions, i);
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;

		assertThat(allocated).as("bytes allocated by %d routing and recording calls", CALLS).isLessThan(ALLOWANCE_BYTES);
		assertThat(period.stable().recordedCount() + period.canary().recordedCount()).isEqualTo(CALLS + 2);
	}

	private static void recordOnce(CanaryRouter router, LatencyWindows period, PredictionMetrics metrics,
			String[] versions, int i) {
		Role role = router.route(true, 0.1);
		long nanos = 1_000 + (i & 1023);
		period.of(role).record(nanos);
		metrics.recordPrediction(versions[role.ordinal()], role, nanos);
		period.agreement().record((i & 7) / 8.0, (i & 3) / 4.0);
	}

}
