package dev.mlcanary.prediction;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;
import dev.mlcanary.routing.CanaryRouter;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Role;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing and recording run on every request, so they must not allocate: no boxing, no
 * capturing lambdas, no per-call keys. Counted, not timed: the bytes this thread
 * allocates over many calls, with a small allowance for the JVM's own bookkeeping (a real
 * allocation of even 16 bytes per call would be 1.6 MB here).
 */
class RecordingAllocationTest {

	private static final int CALLS = 100_000;

	private static final long ALLOWANCE_BYTES = 64 * 1024;

	@Test
	void routingAndRecordingAllocateNothingPerRequest() {
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		assertThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
		LatencyWindows period = new LatencyWindows(10_000);
		CanaryRouter router = new CanaryRouter();
		recordOnce(router, period, 0);
		recordOnce(router, period, 1);

		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < CALLS; i++) {
			recordOnce(router, period, i);
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;

		assertThat(allocated).as("bytes allocated by %d routing and recording calls", CALLS)
			.isLessThan(ALLOWANCE_BYTES);
		assertThat(period.stable().recordedCount() + period.canary().recordedCount()).isEqualTo(CALLS + 2);
	}

	/**
	 * What a request thread does besides inference ({@link PredictionMetrics} exports off
	 * the thread).
	 */
	private static void recordOnce(CanaryRouter router, LatencyWindows period, int i) {
		Role role = router.route(true, 0.1);
		period.of(role).record(1_000 + (i & 1023));
		period.agreement().record((i & 7) / 8.0, (i & 3) / 4.0);
	}

}
