package dev.mlcanary.fleet;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.mlcanary.store.ConditionalOnStore;
import dev.mlcanary.store.FleetProperties;
import dev.mlcanary.store.RolloutLease;
import dev.mlcanary.store.Store;
import dev.mlcanary.store.StoreUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The fleet from the heartbeats every replica writes each
 * {@code canary.fleet.publish-interval} ({@code replica_heartbeat}), the shared
 * generation, and the holder of the rollout lease. Liveness is judged by the database's
 * clock, which wrote {@code last_seen}, so replicas' clocks need not agree. A replica not
 * heard from for an hour is left out.
 */
@Component
@ConditionalOnStore(Store.POSTGRES)
class PostgresFleet implements Fleet {

	private static final String REPLICAS = "SELECT replica_id, last_seen, "
			+ "last_seen >= now() - make_interval(secs => ?) AS live, applied_generation, loaded_models, "
			+ "stable_samples, canary_samples, problem FROM replica_heartbeat "
			+ "WHERE last_seen >= now() - interval '1 hour' ORDER BY replica_id";

	private final JdbcTemplate jdbc;

	private final FleetProperties fleet;

	private final RolloutLease lease;

	PostgresFleet(JdbcTemplate jdbc, FleetProperties fleet, RolloutLease lease) {
		this.jdbc = jdbc;
		this.fleet = fleet;
		this.lease = lease;
	}

	@Override
	public FleetView view() {
		Optional<String> leader = lease.holder();
		try {
			Long generation = jdbc.queryForObject("SELECT generation FROM deployment WHERE id = 1", Long.class);
			List<FleetView.ReplicaView> replicas = jdbc.query(REPLICAS, (rs, n) -> replica(rs, leader.orElse(null)),
					fleet.replicaTimeout().toMillis() / 1000.0);
			return new FleetView("postgres", generation == null ? 0 : generation, fleet.replicaId(), replicas);
		}
		catch (DataAccessException ex) {
			throw StoreUnavailableException.cannotRead("fleet", ex);
		}
	}

	private static FleetView.ReplicaView replica(ResultSet rs, @Nullable String leader) throws SQLException {
		String id = rs.getString("replica_id");
		Instant lastSeen = rs.getObject("last_seen", OffsetDateTime.class).toInstant();
		boolean live = rs.getBoolean("live");
		Array models = rs.getArray("loaded_models");
		String problem = rs.getString("problem");
		return new FleetView.ReplicaView(id, live, lastSeen, rs.getLong("applied_generation"),
				live && id.equals(leader), Arrays.asList((String[]) models.getArray()), problem == null, problem,
				new FleetView.Samples(rs.getInt("stable_samples"), rs.getInt("canary_samples")), lastSeen);
	}

}
