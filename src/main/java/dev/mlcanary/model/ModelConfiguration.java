package dev.mlcanary.model;

import dev.mlcanary.store.ConditionalOnStore;
import dev.mlcanary.store.FleetProperties;
import dev.mlcanary.store.Store;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

	/** File mode: uploads are files of the model directory. */
	@Bean
	@ConditionalOnStore(Store.FILE)
	ModelStore modelStore(ModelProperties properties) {
		return new ModelStore(properties.modelDir());
	}

	/**
	 * Postgres mode: uploads are rows of the shared database, which every replica reads.
	 */
	@Bean
	@ConditionalOnStore(Store.POSTGRES)
	ModelStore sharedModelStore(ModelProperties properties, JdbcTemplate jdbc, FleetProperties fleet) {
		return new ModelStore(properties.modelDir(), new JdbcSharedModels(jdbc, fleet.replicaId()));
	}

}
