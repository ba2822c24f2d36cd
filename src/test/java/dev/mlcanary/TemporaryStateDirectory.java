package dev.mlcanary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.FileSystemUtils;

/**
 * Gives every Spring test context its own empty {@code canary.state-dir} under
 * {@code target/}, so that no test restores a deployment another test (or an earlier
 * build, or the developer's own {@code ./state}) left behind. Registered for all tests in
 * {@code META-INF/spring.factories}; a test that sets {@code canary.state-dir} itself
 * (inlined or dynamic properties) wins, while a {@code CANARY_STATE_DIR} in the
 * developer's environment does not.
 */
class TemporaryStateDirectory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> attributes) {
		return new Customizer();
	}

	/**
	 * Stateless, and equal to every other instance, so contexts stay cached as before.
	 */
	private static final class Customizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
			Path dir;
			try {
				Path parent = Files.createDirectories(Path.of("target", "test-state"));
				dir = Files.createTempDirectory(parent, "context-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			MapPropertySource source = new MapPropertySource("temporaryStateDirectory",
					Map.of("canary.state-dir", dir.toAbsolutePath().toString()));
			MutablePropertySources sources = context.getEnvironment().getPropertySources();
			if (sources.contains(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
				sources.addBefore(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, source);
			}
			else {
				sources.addFirst(source);
			}
			context.addApplicationListener(
					(ApplicationListener<ContextClosedEvent>) event -> FileSystemUtils.deleteRecursively(dir.toFile()));
		}

		@Override
		public boolean equals(Object other) {
			return other != null && other.getClass() == getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

}
