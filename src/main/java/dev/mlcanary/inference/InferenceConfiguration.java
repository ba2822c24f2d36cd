package dev.mlcanary.inference;

import java.util.List;
import java.util.Set;

import dev.mlcanary.system.ProblemCustomizer;
import dev.mlcanary.system.RequestBodyLimit;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

	static final String PREFIX = "/v2";

	private static final String DATA_DESCRIPTION = "N times 5 finite numbers in row-major order, flat or one array "
			+ "of 5 per row; each within -1e6 and 1e6. In order: support_calls, monthly_charges, contract_length, "
			+ "usage_decline, payment_delays.";

	/** Batches are larger than a {@code /predict} body. */
	@Bean
	RequestBodyLimit inferenceBodyLimit(InferenceProperties properties) {
		return new RequestBodyLimit(PREFIX + "/models/", properties.inference().maxRequestSize());
	}

	/**
	 * {@code data} is read by {@link TensorDataDeserializer}, which swagger-core cannot
	 * see: describe it as the protocol does, an array of numbers or of rows of numbers.
	 */
	@Bean
	OpenApiCustomizer tensorDataSchema() {
		return openApi -> {
			Schema<?> input = openApi.getComponents().getSchemas().get("RequestInput");
			if (input == null || input.getProperties() == null) {
				return;
			}
			// The record swagger-core described in its place.
			openApi.getComponents().getSchemas().remove("TensorData");
			Schema<?> number = new Schema<>().types(Set.of("number")).format("double");
			Schema<?> row = new Schema<>().types(Set.of("array"))
				.items(new Schema<>().types(Set.of("number")).format("double"));
			input.getProperties()
				.put("data",
						new Schema<>().types(Set.of("array"))
							.description(DATA_DESCRIPTION)
							.items(new Schema<>().oneOf(List.of(number, row))));
		};
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
