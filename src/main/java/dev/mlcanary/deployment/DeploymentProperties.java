package dev.mlcanary.deployment;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the deployment starts with and how it keeps its state, under the {@code canary.}
 * prefix. Every property can also be set from the environment ({@code CANARY_WEIGHT=0.2}
 * for {@code canary.weight}).
 *
 * @param stableVersion version served as stable at startup
 * @param weight default share of traffic routed to a canary, 0 &lt; weight &le; 1
 * @param slowdownDelay artificial delay added to canary requests while the slowdown is on
 * @param windowSize samples kept per version and deployment generation (a ring buffer)
 * @param stateDir directory holding {@code deployment.json}, the deployment that survives
 * a restart
 */
@Validated
@ConfigurationProperties(prefix = "canary")
public record DeploymentProperties(@DefaultValue("v1") @NotBlank String stableVersion,
		@DefaultValue("0.10") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double weight,
		@DefaultValue("10ms") @NotNull Duration slowdownDelay, @DefaultValue("10000") @Min(20) int windowSize,
		@DefaultValue("state") @NotNull Path stateDir) {

	public DeploymentProperties {
		if (slowdownDelay != null
				&& (slowdownDelay.isNegative() || slowdownDelay.compareTo(Duration.ofSeconds(60)) > 0)) {
			throw new IllegalArgumentException(
					"canary.slowdown-delay must be between 0 and 60s, was " + slowdownDelay.toMillis() + "ms");
		}
	}

	/**
	 * The defaults, with the given slowdown delay and window size: for tests and tools
	 * without a Spring context.
	 */
	public static DeploymentProperties of(Duration slowdownDelay, int windowSize, Path stateDir) {
		return new DeploymentProperties("v1", 0.10, slowdownDelay, windowSize, stateDir);
	}

}
