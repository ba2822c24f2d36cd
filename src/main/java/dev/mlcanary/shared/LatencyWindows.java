package dev.mlcanary.shared;

import java.util.concurrent.atomic.LongAdder;

import dev.mlcanary.statistics.SequentialLatencyTest;

/**
 * What one deployment period observed: the two latency windows, model failures per
 * version and the shadow-scoring agreement. A new pair starts whenever a canary is
 * deployed, promoted or rolled back, so stable and canary are always compared over the
 * same period and a request that began before the change records into the old pair, never
 * the new one.
 */
public final class LatencyWindows {

	private final LatencyWindow stable;

	private final LatencyWindow canary;

	private final LongAdder stableErrors = new LongAdder();

	private final LongAdder canaryErrors = new LongAdder();

	private final AgreementStats agreement = new AgreementStats();

	private SequentialLatencyTest sequential;

	public LatencyWindows(int capacity) {
		this.stable = new LatencyWindow(capacity);
		this.canary = new LatencyWindow(capacity);
	}

	/**
	 * A model failure (an exception or a non-finite answer) of the version in this role.
	 */
	public void recordError(Role role) {
		(role == Role.CANARY ? canaryErrors : stableErrors).increment();
	}

	public long errors(Role role) {
		return (role == Role.CANARY ? canaryErrors : stableErrors).sum();
	}

	/**
	 * The sequential latency test of this period, created on first use: its state (the
	 * looks so far) belongs to this canary period and ends with it.
	 */
	public synchronized SequentialLatencyTest sequential(java.util.function.Supplier<SequentialLatencyTest> create) {
		if (sequential == null) {
			sequential = create.get();
		}
		return sequential;
	}

	/** Whether either window has overwritten samples of this period. */
	public boolean wrapped() {
		return stable.recordedCount() > stable.capacity() || canary.recordedCount() > canary.capacity();
	}

	/**
	 * Shadow-scoring results of this period: canary and stable answers on the same
	 * requests.
	 */
	public AgreementStats agreement() {
		return agreement;
	}

	public LatencyWindow of(Role role) {
		return role == Role.CANARY ? canary : stable;
	}

	public LatencyWindow stable() {
		return stable;
	}

	public LatencyWindow canary() {
		return canary;
	}

}
