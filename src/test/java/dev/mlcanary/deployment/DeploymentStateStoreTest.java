package dev.mlcanary.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeploymentStateStoreTest {

	private static final int FORMAT = SavedDeployment.FORMAT_VERSION;

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);

	private static final SavedDeployment WITH_CANARY = new SavedDeployment(FORMAT, "v1", "v2", 0.25, true,
			Instant.parse("2026-01-02T03:00:00.123456789Z"), 7);

	private static final SavedDeployment STABLE_ONLY = new SavedDeployment(FORMAT, "v2", null, 0.25, false, null, 8);

	@TempDir
	Path dir;

	@Test
	void savedStateReadsBackEqual() {
		DeploymentStateStore store = new DeploymentStateStore(dir, CLOCK);

		store.save(WITH_CANARY);

		assertThat(store.load()).contains(WITH_CANARY);
		assertThat(new DeploymentStateStore(dir, CLOCK).load()).as("another process reads it too")
			.contains(WITH_CANARY);
	}

	@Test
	void theFileIsPlainJsonWithAFormatVersion() throws IOException {
		new DeploymentStateStore(dir, CLOCK).save(WITH_CANARY);

		String json = Files.readString(dir.resolve("deployment.json"));

		assertThat(json).contains("\"format_version\" : 2", "\"stable_version\" : \"v1\"",
				"\"canary_version\" : \"v2\"", "\"weight\" : 0.25", "\"slowdown\" : true",
				"\"canary_start_time\" : \"2026-01-02T03:00:00.123456789Z\"", "\"generation\" : 7");
	}

	@Test
	void replacingTheStateLeavesOnlyTheStateFile() throws IOException {
		DeploymentStateStore store = new DeploymentStateStore(dir, CLOCK);

		store.save(WITH_CANARY);
		store.save(STABLE_ONLY);
		store.save(STABLE_ONLY);

		assertThat(files()).containsExactly("deployment.json");
		assertThat(store.load()).contains(STABLE_ONLY);
	}

	@Test
	void createsAMissingStateDirectoryOnTheFirstSave() {
		Path nested = dir.resolve("a/b/state");

		new DeploymentStateStore(nested, CLOCK).save(STABLE_ONLY);

		assertThat(nested.resolve("deployment.json")).isRegularFile();
	}

	@Test
	void noFileMeansNothingToRestore() {
		Path missing = dir.resolve("state");

		assertThat(new DeploymentStateStore(missing, CLOCK).load()).isEmpty();
		assertThat(missing).as("loading creates nothing").doesNotExist();
	}

	@Test
	void aTemporaryFileLeftByACrashIsNotTheStateAndIsRemoved() throws IOException {
		DeploymentStateStore store = new DeploymentStateStore(dir, CLOCK);
		store.save(STABLE_ONLY);
		Files.writeString(dir.resolve("deployment.json.tmp"), "{\"format_version\" : 1, \"stable_ver");

		assertThat(store.load()).contains(STABLE_ONLY);
		assertThat(files()).containsExactly("deployment.json");
	}

	@Test
	void aFailedSaveThrowsAndKeepsThePreviousFile() throws IOException {
		DeploymentStateStore store = new DeploymentStateStore(dir, CLOCK);
		Path file = dir.resolve("deployment.json");
		// A directory where the file belongs: the rename fails, even for root, who
		// ignores permissions.
		Files.createDirectories(file.resolve("blocker"));

		assertThatThrownBy(() -> store.save(STABLE_ONLY)).isInstanceOf(StateNotSavedException.class)
			.hasMessageStartingWith("The change was not applied")
			.hasCauseInstanceOf(IOException.class);
		assertThat(files()).as("no temporary file left").containsExactly("deployment.json");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "{", "null", "[]", "{\"format_version\": 1}", "not json at all",
			"{\"format_version\": 1, \"stable_version\": \"v1\", \"canary_version\": null, \"weight\": 0.1, \"slowdown\": false, \"canary_start_time\": null, \"generation\": 3} trailing",
			"{\"format_version\": 3, \"stable_version\": \"v1\", \"canary_version\": null, \"weight\": 0.1, \"slowdown\": false, \"canary_start_time\": null, \"generation\": 3, \"rollout\": null}",
			"{\"format_version\": 1, \"stable_version\": \"v1\", \"canary_version\": null, \"weight\": 0, \"slowdown\": false, \"canary_start_time\": null, \"generation\": 3}",
			"{\"format_version\": 1, \"stable_version\": \"v1\", \"canary_version\": null, \"weight\": 0.1, \"slowdown\": false, \"canary_start_time\": null, \"generation\": 0}",
			"{\"format_version\": 1, \"stable_version\": \"v1\", \"canary_version\": \"v1\", \"weight\": 0.1, \"slowdown\": false, \"canary_start_time\": \"2026-01-01T00:00:00Z\", \"generation\": 3}",
			"{\"format_version\": 1, \"stable_version\": \"v1\", \"canary_version\": \"v2\", \"weight\": 0.1, \"slowdown\": false, \"canary_start_time\": null, \"generation\": 3}",
			"{\"format_version\": 1, \"stable_version\": \"\", \"canary_version\": null, \"weight\": 0.1, \"slowdown\": false, \"canary_start_time\": null, \"generation\": 3}",
			"{\"format_version\": 1, \"stable_version\": \"v1\", \"canary_version\": null, \"weight\": 0.1, \"slowdown\": null, \"canary_start_time\": null, \"generation\": 3}",
			"{\"format_version\": 1, \"stable_version\": \"v1\", \"canary_version\": null, \"weight\": 0.1, \"slowdown\": false, \"canary_start_time\": null, \"generation\": 3, \"extra\": 1}" })
	void aFileThatDoesNotDescribeADeploymentIsUnreadable(String content) throws IOException {
		Files.writeString(dir.resolve("deployment.json"), content);

		assertThatThrownBy(() -> new DeploymentStateStore(dir, CLOCK).load())
			.isInstanceOf(UnreadableStateException.class);
	}

	@Test
	void aBadFileIsSetAsideUnderATimestampedName() throws IOException {
		DeploymentStateStore store = new DeploymentStateStore(dir, CLOCK);
		Files.writeString(dir.resolve("deployment.json"), "{ torn");

		Path aside = store.setAside();
		Files.writeString(dir.resolve("deployment.json"), "{ torn again");
		Path second = store.setAside();

		assertThat(aside.getFileName()).hasToString("deployment.json.corrupt-20260102T030405Z");
		assertThat(second.getFileName()).hasToString("deployment.json.corrupt-20260102T030405Z-2");
		assertThat(aside).content(StandardCharsets.UTF_8).isEqualTo("{ torn");
		assertThat(store.load()).isEmpty();
	}

	private List<String> files() throws IOException {
		try (Stream<Path> list = Files.list(dir)) {
			return list.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

}
