package dev.mlcanary.analysis;

import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.store.ConditionalOnStore;
import dev.mlcanary.store.FleetProperties;
import dev.mlcanary.store.Store;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * In file mode a check judges this process's windows; in postgres mode
 * ({@link PooledSampleSource}, {@link SamplePublisher}) the union of every live
 * replica's.
 */
@Configuration(proxyBeanMethods = false)
class SampleSourceConfiguration {

	@Bean
	@ConditionalOnStore(Store.FILE)
	SampleSource localSamples(FleetProperties fleet) {
		return SampleSource.local(fleet.replicaId());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnStore(Store.POSTGRES)
	static class Pooled {

		@Bean
		PublishedSamples publishedSamples(JdbcTemplate jdbc) {
			return new PublishedSamples(jdbc);
		}

		@Bean
		PooledSampleSource pooledSamples(PublishedSamples published, FleetProperties fleet) {
			return new PooledSampleSource(published, fleet);
		}

		@Bean
		SamplePublisher samplePublisher(DeploymentService deployments, PublishedSamples published,
				FleetProperties fleet) {
			return new SamplePublisher(deployments, published, fleet);
		}

	}

}
