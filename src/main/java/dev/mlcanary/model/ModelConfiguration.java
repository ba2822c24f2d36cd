package dev.mlcanary.model;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

	@Bean
	ModelStore modelStore(ModelProperties properties) {
		return new ModelStore(properties.modelDir());
	}

}
