package dev.mlcanary.model;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON form of manifests: snake_case, indented, the same with or without a Spring
 * context.
 */
final class ModelJson {

	private ModelJson() {
	}

	static JsonMapper mapper() {
		return JsonMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
			.enable(SerializationFeature.INDENT_OUTPUT)
			.build();
	}

}
