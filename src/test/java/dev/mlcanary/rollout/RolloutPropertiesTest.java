package dev.mlcanary.rollout;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RolloutPropertiesTest {

	@Test
	void maxInconclusiveDefaultsToTenMinutesAndBindsFromAnyDurationForm() {
		assertThat(bind(Map.of()).maxInconclusive()).isEqualTo(Duration.ofMinutes(10));
		assertThat(bind(Map.of("canary.rollout.max-inconclusive", "90s")).maxInconclusive()).hasSeconds(90);
	}

	@Test
	void maxInconclusiveMustBeBetweenASecondAndADay() {
		assertThatThrownBy(() -> new RolloutProperties(Duration.ZERO))
			.hasMessage("canary.rollout.max-inconclusive must be between 1s and 24h, was 0s");
		assertThatThrownBy(() -> new RolloutProperties(Duration.ofHours(25)))
			.hasMessageContaining("canary.rollout.max-inconclusive");
		assertThatCode(() -> new RolloutProperties(Duration.ofSeconds(1))).doesNotThrowAnyException();
		assertThatCode(() -> new RolloutProperties(Duration.ofHours(24))).doesNotThrowAnyException();
	}

	private static RolloutProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("canary.rollout",
				RolloutProperties.class);
	}

}
