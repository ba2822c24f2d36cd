package dev.mlcanary.prediction;

import dev.mlcanary.system.FilterOrder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PredictionConfiguration {

	/**
	 * The fast path sees {@code /predict} only, after the body limit, and can be switched
	 * off.
	 */
	@Bean
	FilterRegistrationBean<PredictFastPath> predictFastPath(PredictionService predictions, JsonMapper json,
			PredictionProperties properties) {
		FilterRegistrationBean<PredictFastPath> registration = new FilterRegistrationBean<>(
				new PredictFastPath(predictions, json));
		registration.addUrlPatterns(PredictionController.PATH);
		registration.setOrder(FilterOrder.PREDICT_FAST_PATH);
		registration.setEnabled(properties.fastPath());
		return registration;
	}

}
