package dev.mlcanary.analysis;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The most recent latency samples of one model version, in a fixed-size ring: memory does not grow
 * with traffic (the prototype kept every latency forever). Recording is lock-free, one atomic
 * increment and one ordered store, so the hot path never waits for a reader or another writer.
 */
public final class LatencyWindow {

	private static final long EMPTY = -1;

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
		long slot = recorded.getAndIncrement();
		nanos.setRelease((int) (slot % nanos.length()), Math.max(0, latencyNanos));
	}

	/** Samples recorded since this window was created, including those that have been overwritten. */
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
	 * A copy of the held samples in milliseconds. A slot claimed by a writer that has not stored its
	 * value yet is skipped, so the copy never contains a made-up value.
	 */
	public double[] samplesMillis() {
		int size = size();
		double[] out = new double[size];
		int n = 0;
		for (int i = 0; i < size; i++) {
			long value = nanos.getAcquire(i);
			if (value != EMPTY) {
				out[n++] = value / 1_000_000.0;
			}
		}
		return n == size ? out : java.util.Arrays.copyOf(out, n);
	}

}
