package dev.mlcanary.audit;

import java.util.List;

/**
 * Where the audit trail is kept: {@code events.jsonl} of one process ({@link EventLog}),
 * or the events table a fleet shares ({@code canary.store=postgres}).
 */
public interface AuditTrail {

	/**
	 * Appends one event. A failure to write is logged, never thrown: auditing must not
	 * fail an admin call (a change to a shared deployment is recorded in its own
	 * transaction instead, {@link TransactionalAuditRecorder}).
	 */
	void append(AuditEvent event);

	/** The newest events first, at most {@code limit}. */
	List<AuditEvent> newest(int limit);

}
