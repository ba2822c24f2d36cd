package dev.mlcanary.audit;

import java.time.Clock;

import dev.mlcanary.deployment.DeploymentProperties;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.system.FilterOrder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

	/** How many events the trail keeps, and the most {@code GET /admin/events} shows. */
	static final int MAX_EVENTS = 10_000;

	@Bean
	EventLog eventLog(DeploymentProperties properties, JsonMapper json) {
		return new EventLog(properties.stateDir(), MAX_EVENTS, json);
	}

	/** Outside Spring Security's filters, so that refusals by authentication are recorded too. */
	@Bean
	FilterRegistrationBean<AuditFilter> auditFilter(EventLog events, DeploymentService deployments, Clock clock) {
		FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(
				new AuditFilter(events, deployments, clock));
		registration.setOrder(FilterOrder.AUDIT);
		registration.addUrlPatterns("/admin/*");
		return registration;
	}

}
