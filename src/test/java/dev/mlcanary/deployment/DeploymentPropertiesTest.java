package dev.mlcanary.deployment;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentPropertiesTest {

	@Test
	void slowdownDelayMustBeBetweenZeroAndAMinute() {
		assertThatThrownBy(() -> withDelay(Duration.ofMillis(-5))).hasMessageContaining("canary.slowdown-delay");
		assertThatThrownBy(() -> withDelay(Duration.ofMinutes(2))).hasMessageContaining("canary.slowdown-delay");
		assertThatCode(() -> withDelay(Duration.ZERO)).doesNotThrowAnyException();
		assertThatCode(() -> withDelay(Duration.ofMillis(10))).doesNotThrowAnyException();
	}

	private static DeploymentProperties withDelay(Duration delay) {
		return DeploymentProperties.of(delay, 100, Path.of("state"));
	}

}
