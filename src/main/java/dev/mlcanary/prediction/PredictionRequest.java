package dev.mlcanary.prediction;

import dev.mlcanary.system.BadRequestException;
import tools.jackson.databind.annotation.JsonDeserialize;

/** {@code {"features": [f1, f2, f3, f4, f5]}}, validated while it is read. */
record PredictionRequest(@JsonDeserialize(using = FeatureVectorDeserializer.class) double[] features) {

	PredictionRequest {
		if (features == null) {
			throw BadRequestException.because("\"features\" is required: an array of 5 numbers, e.g. {\"features\": [0.5, 1.2, 0.8, 0.3, 1.1]}.");
		}
	}

}
