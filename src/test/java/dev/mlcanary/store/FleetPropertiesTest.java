package dev.mlcanary.store;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetPropertiesTest {

	@Test
	void theReplicaIdDefaultsToTheHostAndTheProcess() {
		FleetProperties defaults = new FleetProperties(null, Duration.ofSeconds(1), Duration.ofSeconds(10),
				Duration.ofSeconds(3));
		assertThat(defaults.replicaId()).endsWith("-" + ProcessHandle.current().pid()).matches("[A-Za-z0-9._:@-]+");
	}

	@Test
	void aReplicaIdIsAPlainName() {
		assertThatThrownBy(() -> FleetProperties.of("web 1")).hasMessageContaining("canary.fleet.replica-id");
		assertThatThrownBy(() -> FleetProperties.of("")).hasMessageContaining("canary.fleet.replica-id");
		assertThatThrownBy(() -> FleetProperties.of("x".repeat(101))).hasMessageContaining("canary.fleet.replica-id");
		assertThat(FleetProperties.of("web-1.eu:8000").replicaId()).isEqualTo("web-1.eu:8000");
	}

	@Test
	void intervalsAndTimeoutsAreBounded() {
		assertThatThrownBy(
				() -> new FleetProperties("a", Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofSeconds(3)))
			.hasMessageContaining("canary.fleet.publish-interval");
		assertThatThrownBy(
				() -> new FleetProperties("a", Duration.ofSeconds(5), Duration.ofSeconds(9), Duration.ofSeconds(3)))
			.as("a replica must be given at least two publish intervals")
			.hasMessageContaining("canary.fleet.replica-timeout");
		assertThatThrownBy(
				() -> new FleetProperties("a", Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(100)))
			.hasMessageContaining("canary.fleet.database-timeout");
	}

	@Test
	void theStoreIsFileUnlessTheEnvironmentNamesPostgres() {
		assertThat(Store.configured(new MockEnvironment())).isEqualTo(Store.FILE);
		assertThat(Store.configured(new MockEnvironment().withProperty("canary.store", "postgres")))
			.isEqualTo(Store.POSTGRES);
		MockEnvironment fromVariables = new MockEnvironment();
		fromVariables.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("variables", Map.of("CANARY_STORE", "postgres")));
		assertThat(Store.configured(fromVariables)).as("CANARY_STORE, as the conditions read it")
			.isEqualTo(Store.POSTGRES);
		assertThatThrownBy(() -> Store.configured(new MockEnvironment().withProperty("canary.store", "mysql")))
			.isInstanceOf(BindException.class)
			.hasMessageContaining("canary.store");
	}

}
