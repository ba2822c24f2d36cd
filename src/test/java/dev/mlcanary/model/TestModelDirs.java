package dev.mlcanary.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Model directories for tests that upload: a copy of the bundled {@code models/} under
 * {@code target/}, so that no test writes into the repository's own.
 */
public final class TestModelDirs {

	private TestModelDirs() {
	}

	/** A fresh copy of the bundled models, as an absolute path. */
	public static Path copyOfTheBundledModels() {
		try {
			Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-state")), "models-");
			try (Stream<Path> bundled = Files.list(Path.of("models"))) {
				for (Path file : bundled.toList()) {
					Files.copy(file, dir.resolve(file.getFileName()));
				}
			}
			return dir.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
