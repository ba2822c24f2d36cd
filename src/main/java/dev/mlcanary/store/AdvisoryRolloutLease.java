package dev.mlcanary.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rollout lease of a fleet: a PostgreSQL session-level advisory lock
 * ({@code pg_try_advisory_lock}) held on a dedicated connection of its own, outside the
 * pool, by a thread of its own.
 *
 * <p>
 * A replica without the lease tries to take it every
 * {@code canary.fleet.publish-interval}. The holder confirms it every half interval, on
 * the same connection: a confirmation that fails (the connection broke, the database is
 * gone or does not answer within {@code canary.fleet.database-timeout}) ends the lease at
 * once, and {@link #held()} also turns false by itself when no confirmation succeeded for
 * two intervals, so a holder that cannot reach the database stops driving before anyone
 * else can start.
 *
 * <p>
 * PostgreSQL releases the lock when the session ends: the holder's process died (kill -9
 * closes its socket), its connection was terminated, or, for a holder that vanished
 * without closing anything (a host gone, a network cut), when the server's
 * {@code idle_session_timeout}, set on this session to {@code replica-timeout} minus one
 * publish interval, ends the silent session. So another replica takes over within
 * {@code canary.fleet.replica-timeout}. Acting is never guarded by the lease alone: every
 * rollout step is a compare-and-set on the deployment's generation, so even two replicas
 * that both believed they held it for a moment could not apply one step twice.
 *
 * <p>
 * The holder also writes its replica id and its session's process id into
 * {@code rollout_lease}; {@link #holder()} names it only while that session really holds
 * the lock ({@code pg_locks}), so a stale row never names a dead replica.
 */
final class AdvisoryRolloutLease implements RolloutLease, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(AdvisoryRolloutLease.class);

	/** The lock's two keys: the service ({@code 'mlca'}) and what is leased. */
	static final int KEY_SERVICE = 0x6d6c6361;

	static final int KEY_ROLLOUT = 1;

	private static final String HELD_HERE = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
			+ "AND pid = pg_backend_pid() AND classid = " + KEY_SERVICE + " AND objid = " + KEY_ROLLOUT
			+ " AND objsubid = 2 AND granted";

	private final HikariDataSource dataSource;

	private final JdbcTemplate jdbc;

	private final FleetProperties fleet;

	private final CountDownLatch closed = new CountDownLatch(1);

	private @Nullable Thread thread;

	/** The lock's connection; only the lease thread uses it. */
	private @Nullable Connection connection;

	private volatile boolean held;

	/** {@link System#nanoTime()} of the last successful confirmation. */
	private volatile long confirmedAt;

	/**
	 * Whether the last attempt to reach the database failed, so that it is logged once.
	 */
	private boolean failing;

	AdvisoryRolloutLease(HikariDataSource dataSource, JdbcTemplate jdbc, FleetProperties fleet) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.fleet = fleet;
	}

	@Override
	public boolean held() {
		return held && System.nanoTime() - confirmedAt < fleet.publishInterval().multipliedBy(2).toNanos();
	}

	@Override
	public Optional<String> holder() {
		try {
			List<String> holders = jdbc.queryForList(
					"SELECT l.replica_id FROM rollout_lease l JOIN pg_locks k "
							+ "ON k.pid = l.backend_pid WHERE l.id = 1 AND k.locktype = 'advisory' AND k.classid = "
							+ KEY_SERVICE + " AND k.objid = " + KEY_ROLLOUT + " AND k.objsubid = 2 AND k.granted",
					String.class);
			return holders.stream().findFirst();
		}
		catch (DataAccessException ex) {
			throw StoreUnavailableException.cannotRead("rollout lease", ex);
		}
	}

	// --- the lease thread

	private void run() {
		while (closed.getCount() > 0) {
			try {
				if (connection == null) {
					connection = open();
				}
				if (held) {
					confirm(connection);
				}
				else {
					tryToTake(connection);
				}
				if (failing) {
					log.info("Replica {} reaches the PostgreSQL store again for the rollout lease.", fleet.replicaId());
					failing = false;
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (closed.getCount() == 0) {
					break;
				}
				lost(ex);
			}
			Duration pause = held ? fleet.publishInterval().dividedBy(2) : fleet.publishInterval();
			try {
				if (closed.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
					break;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		release();
	}

	private Connection open() throws SQLException {
		Connection c = DedicatedConnections.open(dataSource, "rollout lease");
		c.setAutoCommit(true);
		Duration idle = fleet.replicaTimeout().minus(fleet.publishInterval());
		try (PreparedStatement s = c.prepareStatement("SELECT set_config('idle_session_timeout', ?, false)")) {
			s.setString(1, idle.toMillis() + "ms");
			s.execute();
		}
		catch (SQLException ex) {
			// PostgreSQL before 14: a vanished holder's session ends by TCP keepalive
			log.debug("idle_session_timeout not set on the rollout lease's connection: {}", ex.getMessage());
		}
		return c;
	}

	private void tryToTake(Connection c) throws SQLException {
		boolean taken;
		try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
			s.setInt(1, KEY_SERVICE);
			s.setInt(2, KEY_ROLLOUT);
			try (ResultSet rs = s.executeQuery()) {
				taken = rs.next() && rs.getBoolean(1);
			}
		}
		if (!taken) {
			return;
		}
		try (PreparedStatement s = c.prepareStatement("INSERT INTO rollout_lease (id, replica_id, backend_pid, "
				+ "acquired_at) VALUES (1, ?, pg_backend_pid(), now()) ON CONFLICT (id) DO UPDATE SET "
				+ "replica_id = excluded.replica_id, backend_pid = excluded.backend_pid, acquired_at = now()")) {
			s.setString(1, fleet.replicaId());
			s.executeUpdate();
		}
		confirmedAt = System.nanoTime();
		held = true;
		log.info("Replica {} took the rollout lease: it drives the automated rollouts of the fleet now.",
				fleet.replicaId());
	}

	private void confirm(Connection c) throws SQLException {
		try (PreparedStatement s = c.prepareStatement(HELD_HERE); ResultSet rs = s.executeQuery()) {
			if (!rs.next() || rs.getLong(1) != 1) {
				throw new SQLException("the advisory lock is no longer held by this session");
			}
		}
		confirmedAt = System.nanoTime();
	}

	/**
	 * The lease could not be taken or confirmed: drop it (closing the session releases
	 * the lock, if the server still counts it as ours) and try again later.
	 */
	private void lost(Exception ex) {
		if (held) {
			held = false;
			log.warn(
					"Replica {} lost the rollout lease ({}): it stops driving automated rollouts at once, and "
							+ "tries to take the lease again every {} ms.",
					fleet.replicaId(), StoreUnavailableException.describeCause(ex), fleet.publishInterval().toMillis());
		}
		else if (!failing) {
			log.warn("Replica {} cannot try the rollout lease ({}); retrying every {} ms.", fleet.replicaId(),
					StoreUnavailableException.describeCause(ex), fleet.publishInterval().toMillis());
			failing = true;
		}
		closeConnection();
	}

	private void release() {
		boolean was = held;
		held = false;
		closeConnection();
		if (was) {
			log.info("Replica {} released the rollout lease.", fleet.replicaId());
		}
	}

	private void closeConnection() {
		Connection c = connection;
		connection = null;
		if (c != null) {
			try {
				c.close();
			}
			catch (SQLException ex) {
				// closing anyway
			}
		}
	}

	// --- lifecycle

	@Override
	public synchronized void start() {
		if (thread != null) {
			return;
		}
		Thread t = new Thread(this::run, "store-lease");
		t.setDaemon(true);
		t.start();
		thread = t;
	}

	@Override
	public synchronized void stop() {
		Thread t = thread;
		if (t == null) {
			return;
		}
		held = false;
		closed.countDown();
		try {
			t.join(fleet.databaseTimeout().multipliedBy(2).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		thread = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return thread != null;
	}

	/** Starts before the rollout scheduler and stops after it (the default phase). */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

}
