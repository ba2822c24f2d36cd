package dev.mlcanary.inference;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The protocol's {@code $inference_response}.
 *
 * @param modelName the model's name ({@code canary.model-name})
 * @param modelVersion the version that served the whole batch
 * @param id the request's {@code id}, left out when it had none
 * @param parameters {@code role}: {@code stable} or {@code canary}
 * @param outputs one output, {@code churn_probability}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An inference answer of the Open Inference Protocol (KServe V2).")
record InferenceResponse(@Schema(example = "churn") String modelName,
		@Schema(description = "The version that served the whole batch.", example = "v1") String modelVersion,
		@Schema(description = "The request's `id`; left out when it had none.", example = "42") @Nullable String id,
		@Schema(description = "`role`: `stable` or `canary`, the role of the version that served "
				+ "(stable also when a failing canary fell back).") Map<String, String> parameters,
		@ArraySchema(schema = @Schema(implementation = ResponseOutput.class)) List<ResponseOutput> outputs) {

	/**
	 * The protocol's {@code $response_output}.
	 *
	 * @param name {@code churn_probability}
	 * @param datatype {@code FP64}
	 * @param shape {@code [N]}
	 * @param data one probability per row
	 */
	@Schema(name = "ResponseOutput", description = "One churn probability per row.")
	record ResponseOutput(@Schema(example = "churn_probability") String name, @Schema(example = "FP64") String datatype,
			@ArraySchema(schema = @Schema(type = "integer", format = "int64")) long[] shape,
			@ArraySchema(schema = @Schema(type = "number", format = "double")) double[] data) {

	}

}
