package dev.mlcanary.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import dev.mlcanary.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail of a fleet: the {@code audit_event} table (db/migration), one order
 * (its id) for every replica's events, each stamped with the replica that recorded it. It
 * keeps the newest {@code maxEvents}: every hundredth event deletes the older ones, so
 * the table holds at most a hundred more.
 */
final class JdbcAuditTrail implements AuditTrail {

	private static final Logger log = LoggerFactory.getLogger(JdbcAuditTrail.class);

	private static final int PRUNE_EVERY = 100;

	private final JdbcTemplate jdbc;

	private final JsonMapper json;

	private final String replicaId;

	private final int maxEvents;

	JdbcAuditTrail(JdbcTemplate jdbc, JsonMapper json, String replicaId, int maxEvents) {
		this.jdbc = jdbc;
		this.json = json;
		this.replicaId = replicaId;
		this.maxEvents = maxEvents;
	}

	@Override
	public void append(AuditEvent event) {
		try {
			insert(event);
		}
		catch (DataAccessException ex) {
			log.warn("Could not record {} {} ({}) in the audit table: {}", event.action(), event.outcome(),
					event.status(), StoreUnavailableException.describeCause(ex));
		}
	}

	/**
	 * Inserts one event, in the caller's transaction if there is one.
	 * @throws DataAccessException if the database refused it
	 */
	void insert(AuditEvent event) {
		AuditEvent stamped = event.replicaId() == null ? event.byReplica(replicaId) : event;
		Long id = jdbc.queryForObject(
				"INSERT INTO audit_event (time, replica_id, action, outcome, status, generation, event) "
						+ "VALUES (?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id",
				Long.class, OffsetDateTime.ofInstant(stamped.time(), ZoneOffset.UTC), stamped.replicaId(),
				stamped.action(), stamped.outcome(), stamped.status(), stamped.generation(),
				json.writeValueAsString(stamped));
		if (id != null && id % PRUNE_EVERY == 0) {
			jdbc.update("DELETE FROM audit_event WHERE id < (SELECT id FROM audit_event ORDER BY id DESC "
					+ "OFFSET ? LIMIT 1)", maxEvents - 1);
		}
	}

	@Override
	public List<AuditEvent> newest(int limit) {
		try {
			return jdbc.query("SELECT event FROM audit_event ORDER BY id DESC LIMIT ?",
					(rs, n) -> json.readValue(rs.getString(1), AuditEvent.class), limit);
		}
		catch (DataAccessException ex) {
			throw StoreUnavailableException.cannotRead("audit trail", ex);
		}
	}

}
