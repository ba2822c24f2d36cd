package dev.mlcanary.analysis;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Thresholds of the canary health check, under {@code canary.health.}.
 *
 * @param alpha significance level of the Welch test
 * @param minSamples fewer samples than this for either version means "insufficient data"
 * @param minLatencyIncreaseMs smallest mean increase (ms) worth an alert: practical
 * significance
 */
@Validated
@ConfigurationProperties(prefix = "canary.health")
public record HealthProperties(
		@DefaultValue("0.05") @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1",
				inclusive = false) double alpha,
		@DefaultValue("20") @Min(2) int minSamples, @DefaultValue("1.0") @PositiveOrZero double minLatencyIncreaseMs) {

	/** The defaults, for tests and tools that run without a Spring context. */
	public static HealthProperties defaults() {
		return new HealthProperties(0.05, 20, 1.0);
	}

}
