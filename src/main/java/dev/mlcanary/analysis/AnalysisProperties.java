package dev.mlcanary.analysis;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Thresholds of the judges beyond Welch's test, under {@code canary.analysis.}.
 *
 * @param shadowFraction share of stable-routed requests on which the canary is scored
 * too, for the agreement judge (0 switches shadow scoring off)
 * @param agreementFloor class agreement below this fails the agreement judge
 * @param minAgreementPairs shadow-scored requests needed before the agreement judge
 * decides
 * @param tailLatencyRatio canary p95 and p99 may be at most this multiple of stable's
 * @param minTailSamples samples per version needed before the tail-latency judge decides
 */
@Validated
@ConfigurationProperties(prefix = "canary.analysis")
public record AnalysisProperties(@DefaultValue("1.0") @DecimalMin("0") @DecimalMax("1") double shadowFraction,
		@DefaultValue("0.95") @DecimalMin("0") @DecimalMax("1") double agreementFloor,
		@DefaultValue("100") @Min(1) int minAgreementPairs,
		@DefaultValue("1.5") @DecimalMin("1") double tailLatencyRatio,
		@DefaultValue("100") @Min(20) int minTailSamples) {

	/** The defaults, for tests and tools that run without a Spring context. */
	public static AnalysisProperties defaults() {
		return new AnalysisProperties(1.0, 0.95, 100, 1.5, 100);
	}

}
