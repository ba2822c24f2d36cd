package dev.mlcanary.store;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * The connection to PostgreSQL, made only with {@code canary.store=postgres}. Spring
 * Boot's own DataSource auto-configuration is excluded ({@code Application}): it would
 * fail without a URL, and file mode must start with no database configured. So this is
 * the one place a pool is made; the JDBC template, transaction manager and Flyway
 * auto-configurations follow it, and back off in file mode because no DataSource exists.
 *
 * <p>
 * Every wait on the database is bounded by {@code canary.fleet.database-timeout}: the
 * pool's wait for a connection, and the driver's connect, login and socket timeouts (set
 * as defaults: parameters in {@code spring.datasource.url} and
 * {@code spring.datasource.hikari.*} win). Without the socket timeout a hung database
 * would hold an admin call forever.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnStore(Store.POSTGRES)
@EnableConfigurationProperties(DataSourceProperties.class)
class StoreConfiguration {

	/** Admin changes are rare; the listener has its own connection outside the pool. */
	static final int POOL_SIZE = 4;

	@Bean
	@ConfigurationProperties("spring.datasource.hikari")
	HikariDataSource dataSource(DataSourceProperties properties, FleetProperties fleet) {
		if (!StringUtils.hasText(properties.getUrl())) {
			throw new StoreStartupException("canary.store=postgres needs the database's JDBC URL in "
					+ "spring.datasource.url (SPRING_DATASOURCE_URL), e.g. jdbc:postgresql://db:5432/canary.");
		}
		HikariDataSource pool = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
		Duration timeout = fleet.databaseTimeout();
		String seconds = String.valueOf(Math.max(1, (timeout.toMillis() + 999) / 1000));
		pool.setPoolName("canary-store");
		pool.setMaximumPoolSize(POOL_SIZE);
		pool.setMinimumIdle(1);
		pool.setConnectionTimeout(timeout.toMillis());
		pool.setValidationTimeout(Math.max(250, timeout.toMillis() / 2));
		pool.addDataSourceProperty("connectTimeout", seconds);
		pool.addDataSourceProperty("loginTimeout", seconds);
		pool.addDataSourceProperty("socketTimeout", seconds);
		pool.addDataSourceProperty("ApplicationName", "ml-canary " + fleet.replicaId());
		return pool;
	}

	@Bean
	StoreNotifications storeNotifications(HikariDataSource dataSource) {
		return new StoreNotifications(dataSource);
	}

}
