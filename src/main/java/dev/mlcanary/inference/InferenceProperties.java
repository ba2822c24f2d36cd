package dev.mlcanary.inference;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The Open Inference Protocol's settings, under the {@code canary.} prefix.
 *
 * @param modelName the model's name in {@code /v2/models/{name}}
 * ({@code canary.model-name}): 1 to 64 lower-case letters, digits, {@code .}, {@code _}
 * or {@code -}, starting with a letter or digit
 * @param inference the limits of a batch ({@code canary.inference.*})
 */
@Validated
@ConfigurationProperties(prefix = "canary")
record InferenceProperties(@DefaultValue("churn") @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,63}",
		message = "must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit") String modelName,
		@DefaultValue @Valid @NotNull Limits inference) {

	/**
	 * @param maxBatchRows the most rows one inference request may hold (413 beyond), 1 to
	 * 1,000,000
	 * @param maxRequestSize the largest body of a {@code /v2/models/} request (instead of
	 * {@code canary.max-request-size}): 10,000 rows of five numbers take about 1 MB
	 */
	record Limits(@DefaultValue("10000") @Min(1) @Max(1_000_000) int maxBatchRows,
			@DefaultValue("2MB") @NotNull DataSize maxRequestSize) {

	}

	static InferenceProperties defaults() {
		return new InferenceProperties("churn", new Limits(10_000, DataSize.ofMegabytes(2)));
	}

}
