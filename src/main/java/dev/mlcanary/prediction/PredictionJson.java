package dev.mlcanary.prediction;

import dev.mlcanary.model.ChurnFeatures;
import dev.mlcanary.system.BadRequestException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of {@code POST /predict}, read and written in one place. Spring MVC reads the
 * features through {@link FeatureVectorDeserializer} and writes the answer through
 * {@link PredictionResponseSerializer}; {@link PredictFastPath} reads and writes with the
 * same two methods, so the two paths cannot disagree on what is valid or on the answer's
 * fields.
 */
final class PredictionJson {

	static final String FEATURES = "features";

	/**
	 * Beyond this, w·x could overflow to ±Infinity; no real feature of this schema comes
	 * close.
	 */
	static final double MAX_ABS = 1e6;

	private PredictionJson() {
	}

	/**
	 * Reads {@code features} strictly, from the parser at its {@code START_ARRAY}:
	 * exactly {@link ChurnFeatures#COUNT} finite numbers within {@link #MAX_ABS}.
	 * Anything else is refused with a message that names the offending position.
	 * @throws BadRequestException for anything but such an array
	 */
	static double[] readFeatures(JsonParser p) {
		if (p.currentToken() != JsonToken.START_ARRAY) {
			throw BadRequestException.because("\"features\" must be an array of " + ChurnFeatures.COUNT
					+ " numbers, got " + describe(p.currentToken()) + ".");
		}
		double[] values = new double[ChurnFeatures.COUNT];
		int n = 0;
		for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
			if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
				throw BadRequestException.because("features[" + n + "] must be a number, got " + describe(token) + ".");
			}
			double value = p.getDoubleValue();
			if (!Double.isFinite(value) || Math.abs(value) > MAX_ABS) {
				throw BadRequestException.because(
						"features[" + n + "] must be a finite number between -1e6 and 1e6, got " + p.getText() + ".");
			}
			if (n < values.length) {
				values[n] = value;
			}
			n++;
		}
		if (n != ChurnFeatures.COUNT) {
			throw BadRequestException.because("\"features\" must hold exactly " + ChurnFeatures.COUNT + " numbers ("
					+ String.join(", ", ChurnFeatures.NAMES) + "), got " + n + ".");
		}
		return values;
	}

	/**
	 * The features of a body that is exactly {@code {"features": [n, n, n, n, n]}} and
	 * nothing after it, read as {@link #readFeatures} reads them; {@code null} for any
	 * other body, which is left to the controller to refuse with its problem+json.
	 */
	static double @Nullable [] readRequest(JsonMapper json, byte[] body) {
		try (JsonParser parser = json.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.PROPERTY_NAME
					|| !FEATURES.equals(parser.currentName())) {
				return null;
			}
			parser.nextToken();
			double[] features = readFeatures(parser);
			boolean complete = parser.nextToken() == JsonToken.END_OBJECT && parser.nextToken() == null;
			return complete ? features : null;
		}
		catch (JacksonException | BadRequestException ex) {
			return null;
		}
	}

	/** The answer: snake_case names in the record's order. */
	static void write(PredictionResponse answer, JsonGenerator generator) {
		generator.writeStartObject();
		generator.writeNumberProperty("churn_probability", answer.churnProbability());
		generator.writeStringProperty("model_used", answer.modelUsed().wireName());
		generator.writeStringProperty("model_version", answer.modelVersion());
		generator.writeNumberProperty("latency_ms", answer.latencyMs());
		generator.writeEndObject();
	}

	private static String describe(@Nullable JsonToken token) {
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
