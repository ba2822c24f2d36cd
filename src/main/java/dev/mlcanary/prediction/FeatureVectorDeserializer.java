package dev.mlcanary.prediction;

import dev.mlcanary.model.ChurnFeatures;
import dev.mlcanary.system.BadRequestException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads {@code features} strictly: a JSON array of exactly {@link ChurnFeatures#COUNT} finite
 * numbers. Strings, booleans, nulls, nested arrays or objects, numbers too large for a double and
 * values beyond {@link #MAX_ABS} are refused with a message that names the offending position, so
 * the caller learns what to fix (the prototype answered such input with a 500).
 */
final class FeatureVectorDeserializer extends ValueDeserializer<double[]> {

	/** Beyond this, w·x could overflow to ±Infinity; no real feature of this schema comes close. */
	static final double MAX_ABS = 1e6;

	@Override
	public double[] deserialize(JsonParser p, DeserializationContext ctxt) {
		if (p.currentToken() != JsonToken.START_ARRAY) {
			throw BadRequestException.because("\"features\" must be an array of " + ChurnFeatures.COUNT + " numbers, got " + describe(p.currentToken()) + ".");
		}
		double[] values = new double[ChurnFeatures.COUNT];
		int n = 0;
		for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
			if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
				throw BadRequestException.because("features[" + n + "] must be a number, got " + describe(token) + ".");
			}
			double value = p.getDoubleValue();
			if (!Double.isFinite(value) || Math.abs(value) > MAX_ABS) {
				throw BadRequestException.because("features[" + n + "] must be a finite number between -1e6 and 1e6, got " + p.getText() + ".");
			}
			if (n < values.length) {
				values[n] = value;
			}
			n++;
		}
		if (n != ChurnFeatures.COUNT) {
			throw BadRequestException.because("\"features\" must hold exactly " + ChurnFeatures.COUNT
					+ " numbers (" + String.join(", ", ChurnFeatures.NAMES) + "), got " + n + ".");
		}
		return values;
	}

	/** A missing field reaches {@link PredictionRequest}'s constructor, which says it is required. */
	@Override
	public Object getAbsentValue(DeserializationContext ctxt) {
		return null;
	}

	@Override
	public double[] getNullValue(DeserializationContext ctxt) {
		throw BadRequestException.because("\"features\" must be an array of " + ChurnFeatures.COUNT + " numbers, got null.");
	}

	private static String describe(JsonToken token) {
		if (token == null) {
			return "nothing";
		}
		return switch (token) {
			case VALUE_STRING -> "a string";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			case START_ARRAY -> "a nested array";
			case START_OBJECT -> "an object";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			default -> token.toString();
		};
	}

}
