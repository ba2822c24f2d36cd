package dev.mlcanary.inference;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The protocol's {@code $inference_request}.
 *
 * @param id echoed in the answer when given
 * @param parameters accepted and ignored: this server defines no request parameters
 * @param inputs exactly one, {@code features}
 * @param outputs the outputs wanted: only {@code churn_probability}; all when left out
 */
@Schema(description = "An inference request of the Open Inference Protocol (KServe V2).")
record InferenceRequest(@Schema(description = "Echoed in the answer.", example = "42") @Nullable String id, @Schema(
		description = "Accepted and ignored: no request parameters are defined.") @Nullable Map<String, Object> parameters,
		@ArraySchema(schema = @Schema(implementation = RequestInput.class), minItems = 1, maxItems = 1,
				arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
						description = "Exactly one input, `features`.")) @Nullable List<RequestInput> inputs,
		@ArraySchema(schema = @Schema(implementation = RequestOutput.class),
				arraySchema = @Schema(description = "The outputs wanted: only `churn_probability`, which is also "
						+ "what is answered when this is left out.")) @Nullable List<RequestOutput> outputs) {

	/**
	 * The protocol's {@code $request_input}.
	 *
	 * @param name {@code features}
	 * @param shape {@code [N, 5]}
	 * @param datatype {@code FP64} or {@code FP32}
	 * @param parameters accepted and ignored
	 * @param data N times 5 numbers, flat or one array per row
	 */
	@Schema(name = "RequestInput", description = "The one input: N rows of the model's 5 features.")
	record RequestInput(
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "features") @Nullable String name,
			@ArraySchema(schema = @Schema(type = "integer", format = "int64"), minItems = 2, maxItems = 2,
					arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
							description = "`[N, 5]`: N rows, 1 to `canary.inference.max-batch-rows` (10,000).")) long @Nullable [] shape,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {
					"FP64", "FP32" }) @Nullable String datatype,
			@Schema(description = "Accepted and ignored.") @Nullable Map<String, Object> parameters,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					description = "Described in full by InferenceConfiguration.") @JsonDeserialize(
							using = TensorDataDeserializer.class) @Nullable TensorData data){

	}

	/**
	 * The protocol's {@code $request_output}.
	 *
	 * @param name {@code churn_probability}
	 * @param parameters accepted and ignored
	 */
	@Schema(name = "RequestOutput", description = "An output wanted.")
	record RequestOutput(
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "churn_probability") @Nullable String name,
			@Schema(description = "Accepted and ignored.") @Nullable Map<String, Object> parameters) {

	}

}
