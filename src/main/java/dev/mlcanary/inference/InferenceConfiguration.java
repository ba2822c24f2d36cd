package dev.mlcanary.inference;

import dev.mlcanary.system.ProblemCustomizer;
import dev.mlcanary.system.RequestBodyLimit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

	static final String PREFIX = "/v2";

	/** Batches are larger than a {@code /predict} body. */
	@Bean
	RequestBodyLimit inferenceBodyLimit(InferenceProperties properties) {
		return new RequestBodyLimit(PREFIX + "/models/", properties.inference().maxRequestSize());
	}

	/**
	 * The protocol's error object is {@code {"error": "..."}}: every problem under
	 * {@code /v2} carries it beside {@code detail}, with the same text, so a protocol
	 * client and an RFC 9457 client both find what went wrong.
	 */
	@Bean
	ProblemCustomizer protocolErrorMember() {
		return (request, problem) -> {
			String path = request.getRequestURI();
			if (path != null && (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) && problem.getDetail() != null) {
				problem.setProperty("error", problem.getDetail());
			}
		};
	}

}
