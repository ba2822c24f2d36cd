package dev.mlcanary.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mlcanary.MutableClock;
import dev.mlcanary.model.ModelStore;
import dev.mlcanary.system.BadRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transitions of an automated rollout: atomic with the canary's weight, saved, and
 * restored after a restart.
 */
class RolloutTransitionsTest {

	private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

	private static final ModelStore BUNDLED = new ModelStore(Path.of("models"));

	private static final RolloutStrategy STRATEGY = RolloutStrategy.parse(List.of(10.0, 25.0, 50.0, 100.0), "30s", true,
			false);

	private final MutableClock clock = new MutableClock(T0);

	@TempDir
	Path dir;

	@Test
	void aStrategyStartsTheCanaryAtItsFirstStep() {
		FileBackedDeploymentService service = service();

		Deployment d = service.deployCanary("v2", null, null, STRATEGY, 1L).after();

		assertThat(d.weight()).isEqualTo(0.10);
		assertThat(d.rollout()).isEqualTo(new Rollout(STRATEGY, 0, RolloutPhase.PROGRESSING, T0));
		assertThat(d.canaryStartTime()).isEqualTo(T0);
	}

	@Test
	void aStrategyAndAWeightTogetherAreRefused() {
		FileBackedDeploymentService service = service();

		assertThatThrownBy(() -> service.deployCanary("v2", null, 0.5, STRATEGY, null))
			.isInstanceOf(BadRequestException.class)
			.hasMessage("Give either \"weight\" or \"strategy\", not both: with a strategy the canary starts at the "
					+ "first step (10%) and the strategy moves its weight.");
		assertThat(service.current().generation()).isEqualTo(1);
	}

	@Test
	void aNewStepChangesOnlyTheWeightAndStartsFreshWindows() {
		FileBackedDeploymentService service = service();
		Deployment before = service.deployCanary("v2", null, null, STRATEGY, null).after();
		before.samples().canary().record(1_000_000);
		clock.set(T0.plusSeconds(30));

		Deployment after = service.updateRollout(1, RolloutPhase.PROGRESSING, before.generation()).after();

		assertThat(after.weight()).isEqualTo(0.25);
		assertThat(after.generation()).isEqualTo(before.generation() + 1);
		assertThat(after.rollout().step()).isEqualTo(1);
		assertThat(after.rollout().stepStartedAt()).isEqualTo(T0.plusSeconds(30));
		assertThat(after.samples()).as("a step is judged on its own traffic").isNotSameAs(before.samples());
		assertThat(after.samples().canary().recordedCount()).isZero();
		assertThat(after.canary()).isSameAs(before.canary());
		assertThat(after.canaryStartTime()).isEqualTo(before.canaryStartTime());
		assertThat(after.stable()).isSameAs(before.stable());
	}

	@Test
	void aChangeOfPhaseAloneKeepsTheWindowsAndTheStepStart() {
		FileBackedDeploymentService service = service();
		Deployment before = service.deployCanary("v2", null, null, STRATEGY, null).after();
		clock.set(T0.plusSeconds(30));

		Deployment after = service.updateRollout(0, RolloutPhase.HALTED, before.generation()).after();

		assertThat(after.samples()).isSameAs(before.samples());
		assertThat(after.weight()).isEqualTo(0.10);
		assertThat(after.rollout()).isEqualTo(new Rollout(STRATEGY, 0, RolloutPhase.HALTED, T0));
	}

	@Test
	void theRolloutNeedsTheGenerationItAnalysedAndARollout() {
		FileBackedDeploymentService service = service();
		assertThatThrownBy(() -> service.updateRollout(1, RolloutPhase.PROGRESSING, 1L))
			.isInstanceOf(DeploymentConflictException.class)
			.hasMessageContaining("No automated rollout is running");
		Deployment deployed = service.deployCanary("v2", null, null, STRATEGY, null).after();
		service.toggleSlowdown(null);

		assertThatThrownBy(() -> service.updateRollout(1, RolloutPhase.PROGRESSING, deployed.generation()))
			.isInstanceOf(DeploymentConflictException.class)
			.hasMessageContaining("The deployment changed");
		assertThat(service.current().rollout()).as("toggling the slowdown keeps the rollout")
			.isEqualTo(deployed.rollout());
		assertThat(service.current().weight()).isEqualTo(0.10);
	}

	@Test
	void promotingOrRollingBackEndsTheRollout() {
		FileBackedDeploymentService service = service();
		service.deployCanary("v2", null, null, STRATEGY, null);
		assertThat(service.rollbackCanary(null).after().rollout()).isNull();
		service.deployCanary("v2", null, null, STRATEGY, null);
		assertThat(service.promoteCanary(null).after().rollout()).isNull();
		assertThat(service.deployCanary("v1", null, null, null).after().rollout()).as("a plain deploy has none")
			.isNull();
	}

	@Test
	void aRestartResumesTheRolloutAtItsStep() {
		FileBackedDeploymentService first = service();
		Deployment deployed = first.deployCanary("v2", null, null, STRATEGY, null).after();
		clock.set(T0.plusSeconds(60));
		Deployment moved = first.updateRollout(2, RolloutPhase.PROGRESSING, deployed.generation()).after();

		Deployment restored = service().current();

		assertThat(restored.rollout()).isEqualTo(moved.rollout());
		assertThat(restored.rollout().strategy()).isEqualTo(STRATEGY);
		assertThat(restored.weight()).isEqualTo(0.5);
		assertThat(restored.generation()).isEqualTo(moved.generation());
	}

	@Test
	void theRolloutIsPartOfTheStateFile() throws IOException {
		service().deployCanary("v2", null, null, STRATEGY, null);

		String json = Files.readString(dir.resolve("deployment.json"));

		assertThat(json).contains("\"format_version\" : 2", "\"rollout\" : {",
				"\"steps\" : [ 10.0, 25.0, 50.0, 100.0 ]", "\"interval_seconds\" : 30", "\"auto_rollback\" : true",
				"\"auto_promote\" : false", "\"step\" : 0", "\"phase\" : \"PROGRESSING\"",
				"\"step_started_at\" : \"2026-01-02T03:04:05Z\"");
	}

	@Test
	void aStateFileOfFormatOneReadsAsADeploymentWithoutRollout() throws IOException {
		Files.writeString(dir.resolve("deployment.json"), """
				{"format_version": 1, "stable_version": "v1", "canary_version": "v2", "weight": 0.25,
				 "slowdown": false, "canary_start_time": "2026-01-01T00:00:00Z", "generation": 4}""");

		Deployment restored = service().current();

		assertThat(restored.canary().version()).isEqualTo("v2");
		assertThat(restored.generation()).isEqualTo(4);
		assertThat(restored.rollout()).isNull();
	}

	@Test
	void aSavedRolloutThatDoesNotFitItsDeploymentIsRefused() {
		String canary = "\"stable_version\": \"v1\", \"canary_version\": \"v2\", \"slowdown\": false, "
				+ "\"canary_start_time\": \"2026-01-01T00:00:00Z\", \"generation\": 4";
		String rollout = "\"steps\": [10.0, 50.0], \"interval_seconds\": 30, \"auto_rollback\": true, "
				+ "\"auto_promote\": true, \"phase\": \"PROGRESSING\", \"step_started_at\": \"2026-01-01T00:00:00Z\"";
		DeploymentStateStore store = new DeploymentStateStore(dir, clock);
		for (String bad : List.of(
				"{\"format_version\": 2, " + canary + ", \"weight\": 0.1, \"rollout\": {" + rollout + ", \"step\": 2}}",
				"{\"format_version\": 2, " + canary + ", \"weight\": 0.5, \"rollout\": {" + rollout + ", \"step\": 0}}",
				"{\"format_version\": 1, " + canary + ", \"weight\": 0.1, \"rollout\": {" + rollout + ", \"step\": 0}}",
				"{\"format_version\": 2, " + canary + ", \"weight\": 0.1}",
				"{\"format_version\": 2, " + canary + ", \"weight\": 0.1, \"rollout\": {"
						+ rollout.replace("PROGRESSING", "GONE") + ", \"step\": 0}}",
				"{\"format_version\": 2, " + canary + ", \"weight\": 0.1, \"rollout\": {"
						+ rollout.replace("[10.0, 50.0]", "[50.0, 10.0]") + ", \"step\": 0}}")) {
			try {
				Files.writeString(dir.resolve("deployment.json"), bad);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			assertThatThrownBy(store::load).as(bad).isInstanceOf(UnreadableStateException.class);
		}
	}

	private FileBackedDeploymentService service() {
		DeploymentProperties properties = DeploymentProperties.of(Duration.ofMillis(10), 100, dir);
		return new FileBackedDeploymentService(BUNDLED, properties, clock, new DeploymentStateStore(dir, clock));
	}

}
