package dev.mlcanary.prediction;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Spring MVC writes {@link PredictionResponse} as the fast path does: with
 * {@link PredictionJson#write}.
 */
final class PredictionResponseSerializer extends ValueSerializer<PredictionResponse> {

	@Override
	public void serialize(PredictionResponse value, JsonGenerator generator, SerializationContext context) {
		PredictionJson.write(value, generator);
	}

}
