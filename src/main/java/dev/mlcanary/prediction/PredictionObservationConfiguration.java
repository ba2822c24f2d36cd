package dev.mlcanary.prediction;

import dev.mlcanary.system.FilterOrder;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.Filter;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

@Configuration(proxyBeanMethods = false)
class PredictionObservationConfiguration {

	/**
	 * {@code POST /predict} is timed by {@link RequestTimingFilter} (with the serving
	 * version and role, which {@code http.server.requests} cannot know), so Spring's
	 * generic request observation skips it: per prediction it built tags and looked
	 * meters up for a second timer of the same request.
	 */
	@Bean
	ObservationPredicate predictionsTimedOnce() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& PredictionController.PATH.equals(request.getCarrier().getRequestURI()));
	}

	/**
	 * A Prometheus scrape first drains the samples recorded since the last drain into the
	 * timers and counters ({@link PredictionMetrics}), so that it sees every prediction
	 * answered before it.
	 */
	@Bean
	FilterRegistrationBean<Filter> drainPredictionMetricsBeforeScrape(PredictionMetrics metrics,
			WebEndpointProperties endpoints) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			metrics.drain();
			chain.doFilter(request, response);
		});
		registration.addUrlPatterns(endpoints.getBasePath() + "/prometheus");
		registration.setOrder(FilterOrder.BEFORE_ENDPOINT);
		return registration;
	}

}
