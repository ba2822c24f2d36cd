package dev.mlcanary.prediction;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one warning through per interval and counts the ones it held back, so a model that
 * fails on every request writes one log line per interval instead of one per request (the
 * failures are still counted, per request, by the errors metric and the errors judge).
 * Lock-free and allocation-free on the path that holds a warning back.
 */
final class ThrottledWarning {

	private final long intervalNanos;

	private final LongSupplier nanoTime;

	/** When the next warning may be written; {@link Long#MIN_VALUE} before the first. */
	private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);

	private final AtomicLong suppressed = new AtomicLong();

	ThrottledWarning(Duration interval) {
		this(interval, System::nanoTime);
	}

	ThrottledWarning(Duration interval, LongSupplier nanoTime) {
		this.intervalNanos = interval.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Whether to write this warning now: {@code -1} to hold it back, or else how many
	 * warnings were held back since the last one written.
	 */
	long acquire() {
		long now = nanoTime.getAsLong();
		long next = nextAllowed.get();
		if ((next != Long.MIN_VALUE && now - next < 0) || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
			suppressed.incrementAndGet();
			return -1;
		}
		return suppressed.getAndSet(0);
	}

}
