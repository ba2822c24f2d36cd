package dev.mlcanary.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencyWindowTest {

	@Test
	void keepsTheMostRecentSamplesAndNeverGrowsPastItsCapacity() {
		LatencyWindow window = new LatencyWindow(100);

		for (int i = 1; i <= 1_000_000; i++) {
			window.record(i * 1_000L);
		}

		assertThat(window.size()).isEqualTo(100);
		assertThat(window.recordedCount()).isEqualTo(1_000_000);
		double[] samples = window.samplesMillis();
		assertThat(samples).hasSize(100);
		// the last 100 recorded values were 999,901 .. 1,000,000 microseconds
		assertThat(java.util.Arrays.stream(samples).min().getAsDouble()).isEqualTo(999_901 / 1000.0);
		assertThat(java.util.Arrays.stream(samples).max().getAsDouble()).isEqualTo(1_000.0);
	}

	@Test
	void convertsNanosecondsToMilliseconds() {
		LatencyWindow window = new LatencyWindow(10);

		window.record(1_500_000);
		window.record(250_000);

		assertThat(window.samplesMillis()).containsExactly(1.5, 0.25);
	}

	@Test
	void concurrentWritersLoseNoSampleBeforeTheWindowFills() throws InterruptedException {
		int threads = 8;
		int perThread = 10_000;
		LatencyWindow window = new LatencyWindow(threads * perThread);
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> writers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			Thread writer = new Thread(() -> {
				awaitQuietly(start);
				for (int i = 0; i < perThread; i++) {
					window.record(1_000_000);
				}
			});
			writer.start();
			writers.add(writer);
		}
		start.countDown();
		for (Thread writer : writers) {
			writer.join();
		}

		assertThat(window.size()).isEqualTo(threads * perThread);
		assertThat(window.samplesMillis()).hasSize(threads * perThread).containsOnly(1.0);
	}

	@Test
	void drainPassesNewSamplesInOrderAndResumesWhereItStopped() {
		LatencyWindow window = new LatencyWindow(10);
		List<Long> seen = new ArrayList<>();
		window.record(5);
		window.record(6);

		long cursor = window.drain(0, seen::add);
		window.record(7);
		cursor = window.drain(cursor, seen::add);

		assertThat(seen).containsExactly(5L, 6L, 7L);
		assertThat(cursor).isEqualTo(3);
		assertThat(window.drain(cursor, seen::add)).isEqualTo(3);
	}

	@Test
	void drainSkipsSamplesOverwrittenSinceTheLastCall() {
		LatencyWindow window = new LatencyWindow(4);
		List<Long> seen = new ArrayList<>();
		for (long i = 1; i <= 11; i++) {
			window.record(i);
		}

		long cursor = window.drain(0, seen::add);

		assertThat(seen).as("the last four of eleven").containsExactly(8L, 9L, 10L, 11L);
		assertThat(cursor).isEqualTo(11);
	}

	@Test
	void drainSkipsSlotsOverwrittenWhileItReads() {
		LatencyWindow window = new LatencyWindow(4);
		window.record(1);
		window.record(2);
		window.record(3);
		List<Long> seen = new ArrayList<>();

		long cursor = window.drain(0, nanos -> {
			seen.add(nanos);
			if (nanos == 1) { // writers lap the ring while the drain is at its first
								// sample
				for (long i = 4; i <= 9; i++) {
					window.record(i);
				}
			}
		});

		// 2 and 3 were overwritten by 6 and 7 (a newer lap): skipped, not passed on as
		// stale values
		assertThat(seen).containsExactly(1L);
		assertThat(cursor).isEqualTo(3);
		window.drain(cursor, seen::add);
		assertThat(seen).containsExactly(1L, 6L, 7L, 8L, 9L);
	}

	@Test
	void lapsWrapAroundTheirStampWithoutLosingTrack() {
		LatencyWindow window = new LatencyWindow(1);
		List<Long> seen = new ArrayList<>();
		long laps = (1L << 24) + 5; // past the 24-bit lap stamp
		for (long i = 0; i < laps; i++) {
			window.record(i & 1023);
		}

		long cursor = window.drain(laps - 1, seen::add);
		window.record(77);
		cursor = window.drain(cursor, seen::add);

		assertThat(seen).containsExactly((laps - 1) & 1023, 77L);
		assertThat(cursor).isEqualTo(laps + 1);
	}

	@Test
	void samplesKeepTheirValueAcrossManyLapsOfTheRing() {
		LatencyWindow window = new LatencyWindow(3);
		List<Long> seen = new ArrayList<>();
		long cursor = 0;
		for (long i = 0; i < 100_000; i++) {
			window.record(1_000_000_000L + i);
			cursor = window.drain(cursor, seen::add);
		}

		assertThat(seen).hasSize(100_000).startsWith(1_000_000_000L).endsWith(1_000_099_999L);
		assertThat(window.samplesMillis()).containsExactlyInAnyOrder(1_000.099997, 1_000.099998, 1_000.099999);
	}

	@Test
	void rejectsANonPositiveCapacity() {
		assertThatThrownBy(() -> new LatencyWindow(0)).isInstanceOf(IllegalArgumentException.class);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
