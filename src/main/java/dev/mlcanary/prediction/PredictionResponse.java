package dev.mlcanary.prediction;

import dev.mlcanary.shared.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The answer of {@code POST /predict}; the schema annotations say what each field means.
 */
@Schema(description = "A prediction and the model that made it.")
@JsonSerialize(using = PredictionResponseSerializer.class)
record PredictionResponse(@Schema(description = "Probability of churn (class 1), 0 to 1.") double churnProbability,
		@Schema(description = "Which role served the request.") Role modelUsed,
		@Schema(description = "Which model version served it.", example = "v1") String modelVersion,
		@Schema(description = "Time spent serving the model, the artificial slowdown included, in milliseconds.") double latencyMs) {
}
