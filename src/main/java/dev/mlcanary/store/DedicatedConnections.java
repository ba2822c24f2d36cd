package dev.mlcanary.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Connections outside the pool, for what a pooled connection cannot do: a {@code LISTEN}
 * registration and a session-level advisory lock both belong to one session, which the
 * pool would hand to other callers. They are opened with the pool's URL, credentials and
 * driver properties (so the same timeouts apply), and named in
 * {@code pg_stat_activity.application_name} by what they are for.
 */
final class DedicatedConnections {

	private DedicatedConnections() {
	}

	static Connection open(HikariDataSource dataSource, String purpose) throws SQLException {
		Properties properties = new Properties();
		properties.putAll(dataSource.getDataSourceProperties());
		if (dataSource.getUsername() != null) {
			properties.setProperty("user", dataSource.getUsername());
		}
		if (dataSource.getPassword() != null) {
			properties.setProperty("password", dataSource.getPassword());
		}
		properties.setProperty("ApplicationName",
				properties.getProperty("ApplicationName", "ml-canary") + " " + purpose);
		return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
	}

}
