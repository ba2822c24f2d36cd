package dev.mlcanary.model;

import java.net.URI;
import java.nio.file.Path;

import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * An upload or delete that the model directory could not take (HTTP 503): read-only,
 * full, or gone. Nothing changed; the cause stays in the log.
 */
public final class ModelNotSavedException extends ProblemException {

	public static final URI TYPE = URI.create("urn:ml-canary:problem:model-not-saved");

	private ModelNotSavedException(String detail, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, TYPE, "Model not saved", detail, cause);
	}

	static ModelNotSavedException notStored(String version, Path directory, Throwable cause) {
		return new ModelNotSavedException("Model " + version + " was not stored: the model directory " + directory
				+ " cannot be written, so nothing changed. The cause is in the service log; retry once the "
				+ "directory is writable.", cause);
	}

	static ModelNotSavedException notDeleted(String version, Path directory, Throwable cause) {
		return new ModelNotSavedException("Model " + version + " was not deleted: its files in the model directory "
				+ directory + " cannot be removed. The cause is in the service log; retry once the directory is "
				+ "writable.", cause);
	}

}
