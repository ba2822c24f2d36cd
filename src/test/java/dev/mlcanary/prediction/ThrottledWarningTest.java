package dev.mlcanary.prediction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottledWarningTest {

	private final AtomicLong now = new AtomicLong(5_000);

	private final ThrottledWarning warning = new ThrottledWarning(Duration.ofSeconds(10), now::get);

	@Test
	void oneWarningPerIntervalThenTheCountOfThoseHeldBack() {
		assertThat(warning.acquire()).as("the first warning is written").isZero();
		for (int i = 0; i < 99; i++) {
			assertThat(warning.acquire()).isEqualTo(-1);
		}
		now.addAndGet(Duration.ofSeconds(10).toNanos() - 1);
		assertThat(warning.acquire()).as("one nanosecond early").isEqualTo(-1);
		now.addAndGet(1);
		assertThat(warning.acquire()).as("99 + 1 held back").isEqualTo(100);
		now.addAndGet(Duration.ofHours(1).toNanos());
		assertThat(warning.acquire()).isZero();
	}

	@Test
	void worksWhenTheNanoClockIsNegative() {
		now.set(Long.MIN_VALUE + 1);
		assertThat(warning.acquire()).isZero();
		assertThat(warning.acquire()).isEqualTo(-1);
	}

	@Test
	void concurrentCallersLetExactlyOneThrough() throws Exception {
		int threads = 8;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Integer>> written = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				written.add(pool.submit(() -> {
					start.await();
					int n = 0;
					for (int i = 0; i < 10_000; i++) {
						n += warning.acquire() >= 0 ? 1 : 0;
					}
					return n;
				}));
			}
			start.countDown();
			int total = 0;
			for (Future<Integer> f : written) {
				total += f.get();
			}
			assertThat(total).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
		now.addAndGet(Duration.ofSeconds(10).toNanos());
		assertThat(warning.acquire()).isEqualTo(8 * 10_000 - 1);
	}

}
