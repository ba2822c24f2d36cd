package dev.mlcanary.shared;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * The most recent latency samples of one model version, in a fixed-size ring: memory does
 * not grow with traffic (the prototype kept every latency forever). Recording is
 * lock-free, one atomic increment and one ordered store, so the hot path never waits for
 * a reader or another writer.
 *
 * <p>
 * Each slot holds the sample and the lap of the ring it was written in (sample {@code n}
 * is in slot {@code n % capacity}, lap {@code n / capacity}), so that a reader following
 * the samples in order ({@link #drain}) can tell a slot whose writer has claimed it but
 * not stored yet (an older lap) from one already overwritten (a newer lap).
 */
public final class LatencyWindow {

	private static final long EMPTY = -1;

	/**
	 * Samples are kept to this many bits of nanoseconds: up to 549 s, longer ones are
	 * clamped.
	 */
	private static final int NANOS_BITS = 39;

	private static final long NANOS_MASK = (1L << NANOS_BITS) - 1;

	/**
	 * The lap, modulo 2^24, above the sample; the sign bit stays clear, so no slot equals
	 * EMPTY.
	 */
	private static final long LAP_MASK = (1L << 24) - 1;

	private final AtomicLongArray nanos;

	private final AtomicLong recorded = new AtomicLong();

	public LatencyWindow(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be positive, was " + capacity);
		}
		this.nanos = new AtomicLongArray(capacity);
		for (int i = 0; i < capacity; i++) {
			nanos.setPlain(i, EMPTY);
		}
	}

	/** Records one latency; the oldest sample is overwritten once the window is full. */
	public void record(long latencyNanos) {
		long n = recorded.getAndIncrement();
		long lap = n / nanos.length();
		long value = Math.min(Math.max(0, latencyNanos), NANOS_MASK) | ((lap & LAP_MASK) << NANOS_BITS);
		nanos.setRelease((int) (n - lap * nanos.length()), value);
	}

	/**
	 * Passes each sample recorded since {@code cursor} to {@code sink} in nanoseconds,
	 * oldest first, and returns the cursor to pass next time (start with 0). Samples
	 * overwritten before this call are skipped: the cursor moves past them without a call
	 * to the sink. It stops before the first sample whose writer has not stored it yet,
	 * which the next call then passes on.
	 */
	public long drain(long cursor, LongConsumer sink) {
		long end = recorded.get();
		long next = Math.max(cursor, end - nanos.length());
		for (; next < end; next++) {
			long lap = next / nanos.length();
			long value = nanos.getAcquire((int) (next - lap * nanos.length()));
			long behind = value == EMPTY ? 1 : ((lap - (value >>> NANOS_BITS)) & LAP_MASK);
			if (behind == 0) {
				sink.accept(value & NANOS_MASK);
			}
			else if (behind < LAP_MASK / 2) {
				break; // claimed, not stored yet: an older lap (or nothing) is still
						// there
			}
			// else a newer lap has overwritten it: skipped
		}
		return next;
	}

	/**
	 * Samples recorded since this window was created, including those that have been
	 * overwritten.
	 */
	public long recordedCount() {
		return recorded.get();
	}

	/** Samples currently held: at most the capacity. */
	public int size() {
		return (int) Math.min(recorded.get(), nanos.length());
	}

	public int capacity() {
		return nanos.length();
	}

	/**
	 * A copy of the held samples in nanoseconds, in slot order: what a replica of a fleet
	 * publishes. Skips a slot claimed but not stored yet, as {@link #samplesMillis()}
	 * does; {@code samplesNanos()[i] / 1e6} is exactly that method's value.
	 */
	public long[] samplesNanos() {
		int size = size();
		long[] out = new long[size];
		int n = 0;
		for (int i = 0; i < size; i++) {
			long value = nanos.getAcquire(i);
			if (value != EMPTY) {
				out[n++] = value & NANOS_MASK;
			}
		}
		return n == size ? out : java.util.Arrays.copyOf(out, n);
	}

	/**
	 * A copy of the held samples in milliseconds. A slot claimed by a writer that has not
	 * stored its value yet is skipped, so the copy never contains a made-up value.
	 */
	public double[] samplesMillis() {
		int size = size();
		double[] out = new double[size];
		int n = 0;
		for (int i = 0; i < size; i++) {
			long value = nanos.getAcquire(i);
			if (value != EMPTY) {
				out[n++] = (value & NANOS_MASK) / 1_000_000.0;
			}
		}
		return n == size ? out : java.util.Arrays.copyOf(out, n);
	}

}
