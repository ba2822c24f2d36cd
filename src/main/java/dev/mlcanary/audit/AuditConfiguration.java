package dev.mlcanary.audit;

import java.time.Clock;

import dev.mlcanary.deployment.DeploymentProperties;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.store.ConditionalOnStore;
import dev.mlcanary.store.FleetProperties;
import dev.mlcanary.store.Store;
import dev.mlcanary.system.FilterOrder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

	/** How many events the trail keeps, and the most {@code GET /admin/events} shows. */
	static final int MAX_EVENTS = 10_000;

	@Bean
	@ConditionalOnStore(Store.FILE)
	EventLog eventLog(DeploymentProperties properties, JsonMapper json) {
		return new EventLog(properties.stateDir(), MAX_EVENTS, json);
	}

	/**
	 * The fleet's trail, and the recorder that writes a change's event in its
	 * transaction.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnStore(Store.POSTGRES)
	static class SharedTrail {

		@Bean
		JdbcAuditTrail jdbcAuditTrail(JdbcTemplate jdbc, JsonMapper json, FleetProperties fleet) {
			return new JdbcAuditTrail(jdbc, json, fleet.replicaId(), MAX_EVENTS);
		}

		@Bean
		TransactionalAuditRecorder transactionalAuditRecorder(JdbcAuditTrail trail, Clock clock) {
			return new TransactionalAuditRecorder(trail, clock);
		}

	}

	/**
	 * Outside Spring Security's filters, so that refusals by authentication are recorded
	 * too.
	 */
	@Bean
	FilterRegistrationBean<AuditFilter> auditFilter(AuditTrail events, DeploymentService deployments, Clock clock) {
		FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(
				new AuditFilter(events, deployments, clock));
		registration.setOrder(FilterOrder.AUDIT);
		registration.addUrlPatterns("/admin/*");
		return registration;
	}

}
