package dev.mlcanary.prediction;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

@Configuration(proxyBeanMethods = false)
class PredictionObservationConfiguration {

	/**
	 * {@code POST /predict} is timed by {@link RequestTimingFilter} (with the serving version and role,
	 * which {@code http.server.requests} cannot know), so Spring's generic request observation skips it:
	 * per prediction it built tags and looked meters up for a second timer of the same request.
	 */
	@Bean
	ObservationPredicate predictionsTimedOnce() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& PredictionController.PATH.equals(request.getCarrier().getRequestURI()));
	}

}
