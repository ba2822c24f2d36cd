package dev.mlcanary.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Level;
import dev.mlcanary.ExpectedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

class EventLogTest {

	private final JsonMapper json = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	@TempDir
	Path dir;

	/**
	 * The warning of a skipped line: asserted here rather than printed in the build log.
	 */
	@RegisterExtension
	final ExpectedLog expectedLog = ExpectedLog.of(EventLog.class);

	@Test
	void returnsTheNewestFirstAndSurvivesAReopen() {
		EventLog log = new EventLog(dir, 100, json);
		for (int i = 1; i <= 5; i++) {
			log.append(event(i));
		}

		EventLog reopened = new EventLog(dir, 100, json);

		assertThat(reopened.newest(3)).extracting(AuditEvent::generation).containsExactly(5L, 4L, 3L);
		assertThat(reopened.newest(100)).hasSize(5);
	}

	@Test
	void staysBoundedAndKeepsTheNewest() throws IOException {
		EventLog log = new EventLog(dir, 10, json);
		for (int i = 1; i <= 100; i++) {
			log.append(event(i));
		}

		assertThat(Files.readAllLines(dir.resolve(EventLog.FILE_NAME))).hasSizeLessThanOrEqualTo(11);
		assertThat(log.newest(10)).extracting(AuditEvent::generation)
			.containsExactly(100L, 99L, 98L, 97L, 96L, 95L, 94L, 93L, 92L, 91L);
		assertThat(dir.resolve(EventLog.FILE_NAME + ".tmp")).doesNotExist();
	}

	@Test
	void skipsATornLastLineFromACrash() throws IOException {
		EventLog log = new EventLog(dir, 100, json);
		log.append(event(1));
		Files.writeString(dir.resolve(EventLog.FILE_NAME), "{\"time\":\"2026-", StandardOpenOption.APPEND);

		EventLog reopened = new EventLog(dir, 100, json);
		reopened.append(event(2));

		List<AuditEvent> events = reopened.newest(10);
		assertThat(events).as("the torn line is skipped, the events around it are kept")
			.extracting(AuditEvent::generation)
			.containsExactly(2L, 1L);
		assertThat(expectedLog.messages(Level.WARN)).singleElement(as(STRING))
			.isEqualTo("Skipping an unreadable line 2 of " + dir.resolve(EventLog.FILE_NAME));
	}

	@Test
	void writesOneSnakeCaseJsonObjectPerLine() throws IOException {
		new EventLog(dir, 100, json).append(event(7));

		String line = Files.readAllLines(dir.resolve(EventLog.FILE_NAME)).get(0);
		assertThat(line).startsWith("{")
			.contains("\"stable_before\":\"v1\"")
			.contains("\"generation\":7")
			.doesNotContain("\n");
	}

	private static AuditEvent event(long generation) {
		return new AuditEvent(Instant.parse("2026-11-26T10:00:00Z").plusSeconds(generation), "deploy-canary", "POST",
				"success", 200, "operator-token", "127.0.0.1", "v1", null, "v1", "v2", 0.1, generation, false, null,
				null);
	}

}
