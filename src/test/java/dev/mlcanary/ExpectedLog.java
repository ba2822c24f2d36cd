package dev.mlcanary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Log lines that a test provokes on purpose (a model that throws, a state file that
 * cannot be saved, a corrupt file skipped), kept for the test to assert on instead of
 * filling the build log with ERROR lines and stack traces: a green build then shows only
 * the errors nobody expected.
 *
 * <p>
 * Only the named loggers, and only during each test. A test that reads the lines
 * ({@link #events()}, {@link #messages(Level)}) has said what it expects, and they are
 * held back; in a test that does not read them, or that fails, they are written to the
 * console after the test as usual, so an unexpected error on one of these loggers is
 * still seen.
 *
 * <pre>
 * &#64;RegisterExtension
 * final ExpectedLog log = ExpectedLog.of(FileBackedDeploymentService.class);
 * </pre>
 */
public final class ExpectedLog implements BeforeEachCallback, AfterEachCallback {

	private final List<String> names;

	private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

	private final Map<Logger, Boolean> additive = new LinkedHashMap<>();

	private final Capture capture = new Capture();

	private volatile boolean read;

	private ExpectedLog(List<String> names) {
		this.names = names;
	}

	/**
	 * The loggers named after these classes, as {@code LoggerFactory.getLogger(type)}
	 * names them.
	 */
	public static ExpectedLog of(Class<?>... types) {
		return new ExpectedLog(Arrays.stream(types).map(Class::getName).toList());
	}

	/** Loggers by name, for classes a test cannot refer to. */
	public static ExpectedLog named(String... names) {
		return new ExpectedLog(List.of(names));
	}

	/**
	 * Every event of the named loggers during this test so far; reading them holds them
	 * back from the console.
	 */
	public List<ILoggingEvent> events() {
		this.read = true;
		return List.copyOf(this.events);
	}

	/** The formatted messages of the events at {@code level}. */
	public List<String> messages(Level level) {
		List<String> messages = new ArrayList<>();
		for (ILoggingEvent event : events()) {
			if (event.getLevel().equals(level)) {
				messages.add(event.getFormattedMessage());
			}
		}
		return messages;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.events.clear();
		this.read = false;
		this.capture.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
		this.capture.start();
		for (String name : this.names) {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			this.additive.put(logger, logger.isAdditive());
			logger.addAppender(this.capture);
			logger.setAdditive(false);
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		this.additive.forEach((logger, additivity) -> {
			logger.detachAppender(this.capture);
			logger.setAdditive(additivity);
		});
		this.capture.stop();
		if (!this.read || context.getExecutionException().isPresent()) {
			// Not expected after all: the console gets them as it would have without this
			// extension.
			for (ILoggingEvent event : this.events) {
				((Logger) LoggerFactory.getLogger(event.getLoggerName())).callAppenders(event);
			}
		}
		this.additive.clear();
	}

	private final class Capture extends AppenderBase<ILoggingEvent> {

		@Override
		protected void append(ILoggingEvent event) {
			ExpectedLog.this.events.add(event);
		}

	}

}
