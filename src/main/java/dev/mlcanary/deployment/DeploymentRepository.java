package dev.mlcanary.deployment;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code deployment} row of the PostgreSQL store (db/migration) and the heartbeat
 * beside it: plain SQL, one statement per method. Writes join the caller's transaction.
 */
final class DeploymentRepository {

	/**
	 * The channel a committed change is announced on; the payload is informative only.
	 */
	static final String CHANNEL = "canary_deployment";

	private static final String COLUMNS = "generation, stable_version, canary_version, weight, slowdown, "
			+ "canary_start_time, rollout";

	private final JdbcTemplate jdbc;

	DeploymentRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The shared deployment, or empty before the first replica wrote it. */
	Optional<SavedDeployment> read() {
		List<SavedDeployment> rows = jdbc.query("SELECT " + COLUMNS + " FROM deployment WHERE id = 1",
				(rs, n) -> row(rs));
		return rows.stream().findFirst();
	}

	/**
	 * The shared deployment, locked until the transaction ends: a change that would put a
	 * model into service waits, and a change committed meanwhile is the one read.
	 */
	SavedDeployment readForUpdate() {
		return jdbc.query("SELECT " + COLUMNS + " FROM deployment WHERE id = 1 FOR UPDATE", (rs, n) -> row(rs))
			.stream()
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("the deployment row is missing from the PostgreSQL store"));
	}

	/**
	 * Writes the first deployment unless another replica was first.
	 * @return whether this call wrote it
	 */
	boolean insertIfAbsent(SavedDeployment first, String replicaId) {
		return jdbc.update(
				"INSERT INTO deployment (id, " + COLUMNS + ", updated_by) "
						+ "VALUES (1, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (id) DO NOTHING",
				first.generation(), first.stableVersion(), first.canaryVersion(), first.weight(), first.slowdown(),
				timestamp(first.canaryStartTime()), rollout(first), replicaId) == 1;
	}

	/**
	 * Replaces the deployment if it is still at {@code expectedGeneration}: the row lock
	 * makes a racing second writer wait, then find the generation moved and change
	 * nothing.
	 * @return whether it was replaced
	 */
	boolean compareAndSet(long expectedGeneration, SavedDeployment next, String replicaId) {
		return jdbc.update(
				"UPDATE deployment SET generation = ?, stable_version = ?, canary_version = ?, weight = ?, "
						+ "slowdown = ?, canary_start_time = ?, rollout = ?::jsonb, updated_at = now(), updated_by = ? "
						+ "WHERE id = 1 AND generation = ?",
				next.generation(), next.stableVersion(), next.canaryVersion(), next.weight(), next.slowdown(),
				timestamp(next.canaryStartTime()), rollout(next), replicaId, expectedGeneration) == 1;
	}

	long generation() {
		Long generation = jdbc.queryForObject("SELECT generation FROM deployment WHERE id = 1", Long.class);
		return generation == null ? 0 : generation;
	}

	/**
	 * Sent when the surrounding transaction commits, and only then (PostgreSQL's rule).
	 */
	void announce(long generation, String replicaId) {
		jdbc.queryForList("SELECT pg_notify(?, ?)", CHANNEL, generation + " " + replicaId);
	}

	void heartbeat(String replicaId, Instant startedAt, long appliedGeneration, Collection<String> loadedModels,
			int stableSamples, int canarySamples, @Nullable String problem) {
		jdbc.update(con -> {
			var statement = con.prepareStatement("INSERT INTO replica_heartbeat "
					+ "(replica_id, started_at, last_seen, applied_generation, loaded_models, stable_samples, "
					+ "canary_samples, problem) VALUES (?, ?, now(), ?, ?, ?, ?, ?) "
					+ "ON CONFLICT (replica_id) DO UPDATE SET started_at = excluded.started_at, last_seen = now(), "
					+ "applied_generation = excluded.applied_generation, loaded_models = excluded.loaded_models, "
					+ "stable_samples = excluded.stable_samples, canary_samples = excluded.canary_samples, "
					+ "problem = excluded.problem");
			Array models = con.createArrayOf("text", loadedModels.toArray());
			statement.setString(1, replicaId);
			statement.setObject(2, timestamp(startedAt));
			statement.setLong(3, appliedGeneration);
			statement.setArray(4, models);
			statement.setInt(5, stableSamples);
			statement.setInt(6, canarySamples);
			statement.setString(7, problem);
			return statement;
		});
	}

	private static SavedDeployment row(ResultSet rs) throws SQLException {
		OffsetDateTime start = rs.getObject("canary_start_time", OffsetDateTime.class);
		String rollout = rs.getString("rollout");
		return new SavedDeployment(SavedDeployment.FORMAT_VERSION, rs.getString("stable_version"),
				rs.getString("canary_version"), rs.getDouble("weight"), rs.getBoolean("slowdown"),
				start == null ? null : start.toInstant(), rs.getLong("generation"), rollout == null ? null
						: DeploymentStateStore.JSON.readValue(rollout, SavedDeployment.SavedRollout.class));
	}

	private static @Nullable String rollout(SavedDeployment saved) {
		return saved.rollout() == null ? null : DeploymentStateStore.JSON.writeValueAsString(saved.rollout());
	}

	private static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
		return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
