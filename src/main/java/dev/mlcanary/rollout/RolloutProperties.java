package dev.mlcanary.rollout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the automated rollout, under {@code canary.rollout.} (environment
 * {@code CANARY_ROLLOUT_...}).
 *
 * @param maxInconclusive how long one step may stay INCONCLUSIVE: the first analysis at
 * or after this long since the step started (or since the service started, after a
 * restart) that is still INCONCLUSIVE rolls the canary back (or halts the rollout without
 * {@code auto_rollback}). Per step, because every step starts with empty latency windows
 * and needs its own samples. 1s to 24h.
 */
@ConfigurationProperties(prefix = "canary.rollout")
record RolloutProperties(@DefaultValue("10m") Duration maxInconclusive) {

	RolloutProperties {
		if (maxInconclusive == null || maxInconclusive.compareTo(Duration.ofSeconds(1)) < 0
				|| maxInconclusive.compareTo(Duration.ofHours(24)) > 0) {
			throw new IllegalArgumentException("canary.rollout.max-inconclusive must be between 1s and 24h, was "
					+ (maxInconclusive == null ? "empty" : maxInconclusive.toSeconds() + "s"));
		}
	}

}
