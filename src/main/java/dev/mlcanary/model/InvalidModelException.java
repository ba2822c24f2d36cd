package dev.mlcanary.model;

import java.net.URI;

import dev.mlcanary.system.ProblemException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * A model reference or model file that must not be served: a path outside the model
 * directory, a file that is not a registered model, a checksum mismatch, a forbidden
 * class in the stream, or the wrong number of features (HTTP 400). The message is safe to
 * show to the caller.
 */
public final class InvalidModelException extends ProblemException {

	public static final URI TYPE = URI.create("urn:ml-canary:problem:invalid-model");

	private InvalidModelException(String message, @Nullable Throwable cause) {
		super(HttpStatus.BAD_REQUEST, TYPE, "Invalid model", message, cause);
	}

	static InvalidModelException because(String message) {
		return new InvalidModelException(message, null);
	}

	static InvalidModelException because(String message, Throwable cause) {
		return new InvalidModelException(message, cause);
	}

}
