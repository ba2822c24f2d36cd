package dev.mlcanary.deployment;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where the deployment survives a restart: {@code canary.state-dir}. */
@Configuration(proxyBeanMethods = false)
class DeploymentStateConfiguration {

	@Bean
	DeploymentStateStore deploymentStateStore(DeploymentProperties properties, Clock clock) {
		return new DeploymentStateStore(properties.stateDir(), clock);
	}

}
