package dev.mlcanary.store;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The rollout lease of each store. */
@Configuration(proxyBeanMethods = false)
class LeaseConfiguration {

	@Bean
	@ConditionalOnStore(Store.FILE)
	RolloutLease singleProcessLease(FleetProperties fleet) {
		return RolloutLease.single(fleet.replicaId());
	}

	@Bean
	@ConditionalOnStore(Store.POSTGRES)
	AdvisoryRolloutLease advisoryRolloutLease(HikariDataSource dataSource, JdbcTemplate jdbc, FleetProperties fleet) {
		return new AdvisoryRolloutLease(dataSource, jdbc, fleet);
	}

}
