package dev.mlcanary.analysis;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mlcanary.shared.AgreementStats;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code latency_window} rows of a fleet (db/migration V1 and V2): each replica's
 * samples of the period it serves, two rows (stable, canary) written by one statement.
 * Plain SQL, one statement per method.
 */
final class PublishedSamples {

	/**
	 * One replica's period as it publishes it.
	 *
	 * @param generation the deployment generation it serves
	 * @param stableVersion the stable version
	 * @param canaryVersion the canary, or {@code null} without one
	 * @param stableNanos the stable window's samples
	 * @param canaryNanos the canary window's samples
	 */
	record Publish(long generation, String stableVersion, @Nullable String canaryVersion, long[] stableNanos,
			long[] canaryNanos, long stableRecorded, long canaryRecorded, long stableErrors, long canaryErrors,
			boolean stableWrapped, boolean canaryWrapped, AgreementStats.Snapshot agreement) {

		/**
		 * What changes whenever the samples do; an unchanged publish only renews the
		 * rows.
		 */
		List<Long> signature() {
			return List.of(generation, (long) stableNanos.length, (long) canaryNanos.length, stableRecorded,
					canaryRecorded, stableErrors, canaryErrors, agreement.pairs());
		}

	}

	private static final String UPSERT = "INSERT INTO latency_window (replica_id, role, generation, version, "
			+ "published_at, recorded_count, error_count, latency_nanos, wrapped, agreement_pairs, "
			+ "stable_only_positive, canary_only_positive, mean_absolute_difference) VALUES "
			+ "(?, 'stable', ?, ?, now(), ?, ?, ?, ?, 0, 0, 0, 0), (?, 'canary', ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?) "
			+ "ON CONFLICT (replica_id, role) DO UPDATE SET generation = excluded.generation, "
			+ "version = excluded.version, published_at = excluded.published_at, "
			+ "recorded_count = excluded.recorded_count, error_count = excluded.error_count, "
			+ "latency_nanos = excluded.latency_nanos, wrapped = excluded.wrapped, "
			+ "agreement_pairs = excluded.agreement_pairs, stable_only_positive = excluded.stable_only_positive, "
			+ "canary_only_positive = excluded.canary_only_positive, "
			+ "mean_absolute_difference = excluded.mean_absolute_difference";

	/**
	 * The rows of one generation of the other live replicas: heard from (heartbeat) and
	 * published within the timeout, both by the database's clock.
	 */
	private static final String LIVE = "SELECT w.replica_id, w.role, w.recorded_count, w.error_count, "
			+ "w.latency_nanos, w.wrapped, w.agreement_pairs, w.stable_only_positive, w.canary_only_positive, "
			+ "w.mean_absolute_difference FROM latency_window w JOIN replica_heartbeat h ON h.replica_id = w.replica_id "
			+ "WHERE w.generation = ? AND w.replica_id <> ? AND h.last_seen > now() - ? * interval '1 millisecond' "
			+ "AND w.published_at > now() - ? * interval '1 millisecond' ORDER BY w.replica_id, w.role";

	private final JdbcTemplate jdbc;

	PublishedSamples(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Replaces this replica's two rows, in one statement. */
	void publish(String replicaId, Publish p) {
		jdbc.update(con -> {
			PreparedStatement s = con.prepareStatement(UPSERT);
			// pgjdbc's own createArrayOf takes a long[] as it is, and sends it in binary
			PGConnection pg = con.unwrap(PGConnection.class);
			Array stable = pg.createArrayOf("int8", p.stableNanos());
			Array canary = pg.createArrayOf("int8", p.canaryNanos());
			AgreementStats.Snapshot a = p.agreement();
			int i = 0;
			s.setString(++i, replicaId);
			s.setLong(++i, p.generation());
			s.setString(++i, p.stableVersion());
			s.setLong(++i, p.stableRecorded());
			s.setLong(++i, p.stableErrors());
			s.setArray(++i, stable);
			s.setBoolean(++i, p.stableWrapped());
			s.setString(++i, replicaId);
			s.setLong(++i, p.generation());
			s.setString(++i, p.canaryVersion());
			s.setLong(++i, p.canaryRecorded());
			s.setLong(++i, p.canaryErrors());
			s.setArray(++i, canary);
			s.setBoolean(++i, p.canaryWrapped());
			s.setLong(++i, a.pairs());
			s.setLong(++i, a.stableOnlyPositive());
			s.setLong(++i, a.canaryOnlyPositive());
			s.setDouble(++i, a.pairs() == 0 ? 0 : a.meanAbsoluteDifference());
			return s;
		});
	}

	/**
	 * Marks this replica's rows as published now, for a publish whose samples have not
	 * changed.
	 * @return whether both rows were there
	 */
	boolean renew(String replicaId, long generation) {
		return jdbc.update("UPDATE latency_window SET published_at = now() WHERE replica_id = ? AND generation = ?",
				replicaId, generation) == 2;
	}

	/**
	 * The samples of {@code generation} that the other live replicas published, one
	 * {@link PeriodSamples} each, ordered by replica id.
	 */
	List<PeriodSamples> othersLive(long generation, String replicaId, Duration timeout) {
		Map<String, Rows> byReplica = new LinkedHashMap<>();
		jdbc.query(LIVE, (ResultSet rs) -> {
			Rows rows = byReplica.computeIfAbsent(rs.getString(1), id -> new Rows());
			if ("canary".equals(rs.getString(2))) {
				rows.readCanary(rs);
			}
			else {
				rows.readStable(rs);
			}
		}, generation, replicaId, timeout.toMillis(), timeout.toMillis());
		List<PeriodSamples> out = new ArrayList<>(byReplica.size());
		byReplica.forEach((id, rows) -> out.add(rows.samples(id)));
		return out;
	}

	/** One replica's two rows, as they are read. */
	private static final class Rows {

		private double[] stableMillis = new double[0];

		private double[] canaryMillis = new double[0];

		private long stableRecorded;

		private long canaryRecorded;

		private long stableErrors;

		private long canaryErrors;

		private boolean wrapped;

		private AgreementStats.Snapshot agreement = new AgreementStats.Snapshot(0, 0, 0, Double.NaN);

		void readStable(ResultSet rs) throws SQLException {
			stableRecorded = rs.getLong(3);
			stableErrors = rs.getLong(4);
			stableMillis = millis(rs.getArray(5));
			wrapped |= rs.getBoolean(6);
		}

		void readCanary(ResultSet rs) throws SQLException {
			canaryRecorded = rs.getLong(3);
			canaryErrors = rs.getLong(4);
			canaryMillis = millis(rs.getArray(5));
			wrapped |= rs.getBoolean(6);
			long pairs = rs.getLong(7);
			agreement = new AgreementStats.Snapshot(pairs, rs.getLong(8), rs.getLong(9),
					pairs == 0 ? Double.NaN : rs.getDouble(10));
		}

		PeriodSamples samples(String replicaId) {
			return new PeriodSamples(stableMillis, canaryMillis, stableRecorded, canaryRecorded, stableErrors,
					canaryErrors, agreement, wrapped,
					List.of(new ReplicaSamples(replicaId, stableMillis.length, canaryMillis.length)));
		}

		/** Nanoseconds to milliseconds exactly as a local window converts them. */
		private static double[] millis(Array array) throws SQLException {
			Object[] nanos = (Object[]) array.getArray();
			double[] out = new double[nanos.length];
			for (int i = 0; i < nanos.length; i++) {
				out[i] = ((Number) nanos[i]).longValue() / 1_000_000.0;
			}
			array.free();
			return out;
		}

	}

}
