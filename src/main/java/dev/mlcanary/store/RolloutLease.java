package dev.mlcanary.store;

import java.util.Optional;

/**
 * Which replica drives automated rollouts: exactly one of a fleet at a time. In file mode
 * the one process always does ({@link #single}); in postgres mode it is whoever holds a
 * session-level advisory lock ({@link AdvisoryRolloutLease}).
 */
public interface RolloutLease {

	/**
	 * Whether this replica holds the lease, as last confirmed within the last two checks:
	 * cheap (no database call), and false as soon as the lease cannot be confirmed.
	 */
	boolean held();

	/**
	 * The replica that holds the lease now, as the database says; empty when none does (a
	 * failover under way, an outage seen from the database's side).
	 * @throws StoreUnavailableException if the store cannot be read
	 */
	Optional<String> holder();

	/** The lease of a process that is its whole fleet: always held, by itself. */
	static RolloutLease single(String replicaId) {
		return new RolloutLease() {

			@Override
			public boolean held() {
				return true;
			}

			@Override
			public Optional<String> holder() {
				return Optional.of(replicaId);
			}

		};
	}

}
