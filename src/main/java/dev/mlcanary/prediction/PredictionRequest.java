package dev.mlcanary.prediction;

import dev.mlcanary.system.BadRequestException;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonDeserialize;

/** {@code {"features": [f1, f2, f3, f4, f5]}}, validated while it is read. */
@Schema(description = "One customer's features.")
record PredictionRequest(@ArraySchema(minItems = 5, maxItems = 5, arraySchema = @Schema(
		requiredMode = Schema.RequiredMode.REQUIRED,
		description = "In order: support_calls, monthly_charges, contract_length, usage_decline, payment_delays; "
				+ "normalised, roughly 0 to 1.5. Exactly five finite JSON numbers."),
		schema = @Schema(minimum = "-1e6", maximum = "1e6")) @JsonDeserialize(
				using = FeatureVectorDeserializer.class) double[] features) {

	PredictionRequest {
		if (features == null) {
			throw BadRequestException.because(
					"\"features\" is required: an array of 5 numbers, e.g. {\"features\": [0.5, 1.2, 0.8, 0.3, 1.1]}.");
		}
	}

}
