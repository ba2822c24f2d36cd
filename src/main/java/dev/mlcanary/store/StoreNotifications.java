package dev.mlcanary.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * PostgreSQL's {@code LISTEN}, each channel on a dedicated connection of its own (outside
 * the pool, where a connection would be shared and its registration lost) and its own
 * thread, which waits in pgjdbc's {@link PGConnection#getNotifications(int)}. A lost
 * connection is reopened with a growing pause (up to {@link #MAX_PAUSE}); after every
 * (re)connection the listener is told, so that it can read what changed while nobody was
 * listening. Notifications are hints, never the data: a listener re-reads the state.
 */
public final class StoreNotifications implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(StoreNotifications.class);

	private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final int WAIT_MILLIS = 500;

	/** A silent connection is probed this often, so that a half-open one is noticed. */
	private static final Duration PROBE_EVERY = Duration.ofSeconds(5);

	static final Duration MAX_PAUSE = Duration.ofSeconds(5);

	private final HikariDataSource dataSource;

	private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

	StoreNotifications(HikariDataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** What a subscription calls, on its own thread. */
	public interface Listener {

		/** Listening (again): anything may have changed since the last notification. */
		void connected();

		void notified(String payload);

	}

	/**
	 * Starts listening on {@code channel}; closing the returned subscription stops it.
	 */
	public Subscription listen(String channel, Listener listener) {
		if (!CHANNEL.matcher(channel).matches()) {
			throw new IllegalArgumentException("not a plain channel name: " + channel);
		}
		Subscription subscription = new Subscription(channel, listener);
		subscriptions.add(subscription);
		subscription.thread.start();
		return subscription;
	}

	@Override
	public void destroy() {
		subscriptions.forEach(Subscription::close);
	}

	/** One channel's connection and thread. */
	public final class Subscription implements AutoCloseable {

		private final String channel;

		private final Listener listener;

		private final Thread thread;

		private final CountDownLatch closed = new CountDownLatch(1);

		private volatile Connection connection;

		private Subscription(String channel, Listener listener) {
			this.channel = channel;
			this.listener = listener;
			this.thread = new Thread(this::run, "store-listen-" + channel);
			this.thread.setDaemon(true);
		}

		private void run() {
			Duration pause = Duration.ofMillis(250);
			boolean failing = false;
			while (closed.getCount() > 0) {
				try (Connection c = open()) {
					connection = c;
					try (Statement statement = c.createStatement()) {
						statement.execute("LISTEN " + channel);
					}
					if (failing) {
						log.info("Listening on {} again.", channel);
					}
					failing = false;
					pause = Duration.ofMillis(250);
					listener.connected();
					listen(c);
				}
				catch (SQLException | RuntimeException ex) {
					if (closed.getCount() == 0) {
						return;
					}
					if (!failing) {
						log.warn("Not listening on {} ({}); the periodic re-read covers it until the connection is "
								+ "back, retrying.", channel, StoreUnavailableException.describeCause(ex));
					}
					failing = true;
				}
				finally {
					connection = null;
				}
				if (await(pause)) {
					return;
				}
				pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
			}
		}

		private void listen(Connection c) throws SQLException {
			PGConnection pg = c.unwrap(PGConnection.class);
			long lastHeard = System.nanoTime();
			while (closed.getCount() > 0) {
				PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
				if (notifications != null && notifications.length > 0) {
					lastHeard = System.nanoTime();
					for (PGNotification n : notifications) {
						deliver(n.getParameter());
					}
				}
				else if (System.nanoTime() - lastHeard > PROBE_EVERY.toNanos()) {
					try (Statement probe = c.createStatement()) {
						probe.execute("SELECT 1");
					}
					lastHeard = System.nanoTime();
				}
			}
		}

		private void deliver(String payload) {
			try {
				listener.notified(payload);
			}
			catch (RuntimeException ex) {
				log.error("The listener of {} failed on notification '{}'", channel, payload, ex);
			}
		}

		private Connection open() throws SQLException {
			return DedicatedConnections.open(dataSource, "listener");
		}

		/** Waits, or returns true at once when closed. */
		private boolean await(Duration pause) {
			try {
				return closed.await(pause.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return true;
			}
		}

		/** Stops listening and waits (briefly) for the thread to end. */
		@Override
		public void close() {
			closed.countDown();
			subscriptions.remove(this);
			try {
				thread.join(WAIT_MILLIS * 4L);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Connection c = connection;
			if (c != null) {
				try {
					c.close();
				}
				catch (SQLException ex) {
					// closing anyway
				}
			}
		}

	}

}
