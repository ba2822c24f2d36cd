package dev.mlcanary.system;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CanaryPropertiesTest {

	@Test
	void slowdownDelayMustBeBetweenZeroAndAMinute() {
		assertThatThrownBy(() -> withDelay(Duration.ofMillis(-5))).hasMessageContaining("canary.slowdown-delay");
		assertThatThrownBy(() -> withDelay(Duration.ofMinutes(2))).hasMessageContaining("canary.slowdown-delay");
		assertThatCode(() -> withDelay(Duration.ZERO)).doesNotThrowAnyException();
		assertThatCode(() -> withDelay(Duration.ofMillis(10))).doesNotThrowAnyException();
	}

	private static CanaryProperties withDelay(Duration delay) {
		return new CanaryProperties(Path.of("models"), "v1", 0.1, delay, 100, DataSize.ofKilobytes(64),
				new CanaryProperties.Health(0.05, 20, 1.0), Path.of("state"));
	}

}
