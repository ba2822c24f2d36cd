package dev.mlcanary.prediction;

import dev.mlcanary.model.ChurnFeatures;
import dev.mlcanary.system.BadRequestException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads {@code features} for Spring MVC with {@link PredictionJson#readFeatures}: a JSON
 * array of exactly {@link ChurnFeatures#COUNT} finite numbers; anything else is a 400
 * naming the offending position (the prototype answered such input with a 500).
 */
final class FeatureVectorDeserializer extends ValueDeserializer<double[]> {

	@Override
	public double[] deserialize(JsonParser p, DeserializationContext ctxt) {
		return PredictionJson.readFeatures(p);
	}

	/**
	 * A missing field reaches {@link PredictionRequest}'s constructor, which says it is
	 * required.
	 */
	@Override
	public @Nullable Object getAbsentValue(DeserializationContext ctxt) {
		return null;
	}

	@Override
	public double[] getNullValue(DeserializationContext ctxt) {
		throw BadRequestException
			.because("\"features\" must be an array of " + ChurnFeatures.COUNT + " numbers, got null.");
	}

}
