package dev.mlcanary.system;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything an operator can tune, under the {@code canary.} prefix. Every property can also be set
 * from the environment ({@code CANARY_WEIGHT=0.2} for {@code canary.weight}).
 *
 * @param modelDir directory holding the model files and their JSON manifests
 * @param stableVersion version served as stable at startup
 * @param weight default share of traffic routed to a canary, 0 &lt; weight &le; 1
 * @param slowdownDelay artificial delay added to canary requests while the slowdown is on
 * @param windowSize samples kept per version and deployment generation (a ring buffer)
 * @param maxRequestSize largest request body accepted; larger bodies are answered with 413
 * @param health thresholds of the canary health check
 * @param stateDir directory holding {@code deployment.json}, the deployment that survives a restart
 */
@Validated
@ConfigurationProperties(prefix = "canary")
public record CanaryProperties(
		@DefaultValue("models") @NotNull Path modelDir,
		@DefaultValue("v1") @NotBlank String stableVersion,
		@DefaultValue("0.10") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double weight,
		@DefaultValue("10ms") @NotNull Duration slowdownDelay,
		@DefaultValue("10000") @Min(20) int windowSize,
		@DefaultValue("64KB") @NotNull DataSize maxRequestSize,
		@DefaultValue @Valid @NotNull Health health,
		@DefaultValue("state") @NotNull Path stateDir) {

	public CanaryProperties {
		if (slowdownDelay != null && (slowdownDelay.isNegative() || slowdownDelay.compareTo(Duration.ofSeconds(60)) > 0)) {
			throw new IllegalArgumentException(
					"canary.slowdown-delay must be between 0 and 60s, was " + slowdownDelay.toMillis() + "ms");
		}
	}

	/**
	 * @param alpha significance level of the Welch test
	 * @param minSamples fewer samples than this for either version means "insufficient data"
	 * @param minLatencyIncreaseMs smallest mean increase (ms) worth an alert: practical significance
	 */
	public record Health(
			@DefaultValue("0.05") @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1", inclusive = false) double alpha,
			@DefaultValue("20") @Min(2) int minSamples,
			@DefaultValue("1.0") @PositiveOrZero double minLatencyIncreaseMs) {
	}

}
