package dev.mlcanary.analysis;

import dev.mlcanary.routing.Role;

/**
 * The two latency windows of one deployment period. A new pair starts whenever a canary is
 * deployed, promoted or rolled back, so stable and canary are always compared over the same period
 * and a request that began before the change records into the old pair, never the new one.
 */
public final class LatencyWindows {

	private final LatencyWindow stable;

	private final LatencyWindow canary;

	public LatencyWindows(int capacity) {
		this.stable = new LatencyWindow(capacity);
		this.canary = new LatencyWindow(capacity);
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
