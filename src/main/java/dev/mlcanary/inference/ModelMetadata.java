package dev.mlcanary.inference;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The protocol's {@code $metadata_model_response}.
 *
 * @param name the model's name
 * @param versions the versions being served, stable first, then the canary if any
 * @param platform {@code smile-logistic-regression}
 * @param inputs {@code features}, FP64, {@code [-1, 5]}
 * @param outputs {@code churn_probability}, FP64, {@code [-1]}
 */
@Schema(description = "What the model takes and answers, and the versions serving it.")
record ModelMetadata(@Schema(example = "churn") String name,
		@ArraySchema(schema = @Schema(example = "v1"),
				arraySchema = @Schema(description = "The versions being served: stable first, then the canary if any. "
						+ "Each can be asked for with /versions/{version}.")) List<String> versions,
		@Schema(example = "smile-logistic-regression") String platform,
		@ArraySchema(schema = @Schema(implementation = TensorMetadata.class)) List<TensorMetadata> inputs,
		@ArraySchema(schema = @Schema(implementation = TensorMetadata.class)) List<TensorMetadata> outputs) {

	/**
	 * The protocol's {@code $metadata_tensor}.
	 *
	 * @param name the tensor's name
	 * @param datatype its element type
	 * @param shape its shape, -1 for the batch dimension
	 */
	@Schema(name = "TensorMetadata", description = "A tensor's name, element type and shape (-1: any size).")
	record TensorMetadata(String name, String datatype,
			@ArraySchema(schema = @Schema(type = "integer", format = "int64")) long[] shape) {

	}

}
