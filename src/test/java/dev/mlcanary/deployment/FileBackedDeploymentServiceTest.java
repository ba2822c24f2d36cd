package dev.mlcanary.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import dev.mlcanary.ExpectedLog;
import dev.mlcanary.model.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

/**
 * Restoring at construction, saving before publishing, and compare-and-set on the
 * generation.
 */
class FileBackedDeploymentServiceTest {

	private static final int FORMAT = SavedDeployment.FORMAT_VERSION;

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

	private static final ModelStore BUNDLED = new ModelStore(Path.of("models"));

	@TempDir
	Path dir;

	/**
	 * The errors the refused saves and restores log: asserted here rather than printed in
	 * the build log.
	 */
	@RegisterExtension
	final ExpectedLog log = ExpectedLog.of(FileBackedDeploymentService.class);

	@Test
	void withoutAStateFileTheConfiguredStableServesAtGenerationOne() {
		FileBackedDeploymentService service = service(BUNDLED);

		assertThat(SavedDeployment.of(service.current()))
			.isEqualTo(new SavedDeployment(FORMAT, "v1", null, 0.1, false, null, 1));
		assertThat(dir.resolve("deployment.json")).as("nothing to save until something changes").doesNotExist();
	}

	@Test
	void aRestartRestoresTheLastChangeWithFreshWindows() {
		FileBackedDeploymentService first = service(BUNDLED);
		first.deployCanary("v2", null, 0.25, null);
		first.toggleSlowdown(null);
		first.current().samples().canary().record(1_000_000);

		Deployment restored = service(BUNDLED).current();

		assertThat(SavedDeployment.of(restored))
			.isEqualTo(new SavedDeployment(FORMAT, "v1", "v2", 0.25, true, CLOCK.instant(), 3));
		assertThat(restored.canary().modelPath()).isEqualTo("models/model_v2.ser");
		assertThat(restored.samples().canary().recordedCount()).as("latencies are measured afresh").isZero();
	}

	@Test
	void theSavedStateWinsOverTheConfiguredStableVersion() {
		FileBackedDeploymentService first = service(BUNDLED);
		first.deployCanary("v2", null, null, null);
		first.promoteCanary(null);

		assertThat(service(BUNDLED).current().stable().version()).isEqualTo("v2");
	}

	@Test
	void everyTransitionIsSavedBeforeItIsPublished() {
		FileBackedDeploymentService service = service(BUNDLED);
		DeploymentStateStore store = new DeploymentStateStore(dir, CLOCK);

		for (Runnable change : List.<Runnable>of(() -> service.deployCanary(null, "models/model_v2.ser", 0.5, null),
				() -> service.toggleSlowdown(2L), () -> service.rollbackCanary(3L),
				() -> service.deployCanary("v2", null, null, 4L), () -> service.promoteCanary(5L))) {
			change.run();
			assertThat(store.load()).contains(SavedDeployment.of(service.current()));
		}
		assertThat(service.current().generation()).isEqualTo(6);
	}

	@Test
	void aChangeThatCannotBeSavedIsNotPublished() throws IOException {
		FileBackedDeploymentService service = service(BUNDLED);
		service.deployCanary("v2", null, null, null);
		Deployment before = service.current();
		Path file = dir.resolve("deployment.json");
		Path kept = dir.resolve("kept.json");
		Files.move(file, kept);
		Files.createDirectories(file.resolve("blocker"));

		assertThatThrownBy(() -> service.promoteCanary(null)).isInstanceOf(StateNotSavedException.class)
			.hasMessageContaining("not applied");

		assertThat(service.current()).as("the very same snapshot still serves").isSameAs(before);
		assertThat(log.messages(Level.ERROR)).singleElement(as(STRING))
			.startsWith("Generation 3 not applied (promoted v2 to stable)");
		Files.delete(file.resolve("blocker"));
		Files.delete(file);
		Files.move(kept, file);
		assertThat(service.promoteCanary(2L).after().stable().version()).as("works again once the disk does")
			.isEqualTo("v2");
	}

	@Test
	void aStaleExpectedGenerationIsRefusedAndChangesNothing() {
		FileBackedDeploymentService service = service(BUNDLED);
		service.deployCanary("v2", null, null, 1L);
		Deployment before = service.current();

		for (Runnable stale : List.<Runnable>of(() -> service.promoteCanary(1L), () -> service.rollbackCanary(5L),
				() -> service.toggleSlowdown(0L), () -> service.deployCanary("v2", null, null, 1L))) {
			assertThatThrownBy(stale::run).isInstanceOf(DeploymentConflictException.class)
				.hasMessageMatching("The deployment changed: generation is now 2, the request expected \\d; "
						+ "re-read /admin/status and retry\\.");
		}

		assertThat(service.current()).isSameAs(before);
		assertThat(new DeploymentStateStore(dir, CLOCK).load()).contains(SavedDeployment.of(before));
		assertThat(service.rollbackCanary(2L).after().generation()).isEqualTo(3);
	}

	@Test
	void aCorruptFileIsSetAsideAndTheConfiguredStableServes() throws IOException {
		Files.writeString(dir.resolve("deployment.json"), "{\"format_version\": 1, \"stable_vers");

		FileBackedDeploymentService service = service(BUNDLED);

		assertThat(SavedDeployment.of(service.current()))
			.isEqualTo(new SavedDeployment(FORMAT, "v1", null, 0.1, false, null, 1));
		assertThat(files()).containsExactly("deployment.json.corrupt-20260102T030405Z");
		assertOneErrorLine("is not a valid state file", "moved it to deployment.json.corrupt-20260102T030405Z",
				"serving the configured stable version v1");
		service.toggleSlowdown(1L);
		assertThat(files()).containsExactly("deployment.json", "deployment.json.corrupt-20260102T030405Z");
	}

	@Test
	void aFileNamingAMissingModelIsSetAside() throws IOException {
		new DeploymentStateStore(dir, CLOCK)
			.save(new SavedDeployment(FORMAT, "v1", "v9", 0.5, false, CLOCK.instant(), 4));

		FileBackedDeploymentService service = service(BUNDLED);

		assertThat(service.current().hasCanary()).isFalse();
		assertThat(service.current().stable().version()).isEqualTo("v1");
		assertThat(files()).containsExactly("deployment.json.corrupt-20260102T030405Z");
		assertOneErrorLine("a model it names cannot be served (Unknown model version 'v9'",
				"serving the configured stable version v1");
	}

	@Test
	void aFileNamingAModelThatFailsItsChecksumIsSetAside() throws IOException {
		Path models = copyOfBundledModels();
		byte[] bytes = Files.readAllBytes(models.resolve("model_v2.ser"));
		bytes[bytes.length - 1] ^= 1;
		Files.write(models.resolve("model_v2.ser"), bytes);
		new DeploymentStateStore(dir, CLOCK).save(new SavedDeployment(FORMAT, "v2", null, 0.1, false, null, 9));

		FileBackedDeploymentService service = service(new ModelStore(models));

		assertThat(service.current().stable().version()).isEqualTo("v1");
		assertThat(service.current().generation()).isEqualTo(1);
		assertOneErrorLine("failed its integrity check", "serving the configured stable version v1");
	}

	private void assertOneErrorLine(String... parts) {
		assertThat(log.messages(Level.ERROR)).singleElement(as(STRING))
			.contains("Cannot restore the deployment from")
			.contains(parts);
	}

	private Path copyOfBundledModels() throws IOException {
		Path models = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-models"));
		try (Stream<Path> files = Files.list(Path.of("models"))) {
			for (Path file : files.toList()) {
				Files.copy(file, models.resolve(file.getFileName()));
			}
		}
		return models;
	}

	private FileBackedDeploymentService service(ModelStore models) {
		DeploymentProperties properties = DeploymentProperties.of(Duration.ofMillis(10), 100, dir);
		return new FileBackedDeploymentService(models, properties, CLOCK, new DeploymentStateStore(dir, CLOCK));
	}

	private List<String> files() throws IOException {
		try (Stream<Path> list = Files.list(dir)) {
			return list.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

}
