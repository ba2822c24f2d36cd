package dev.mlcanary.model;

/**
 * A model reference or model file that must not be served: a path outside the model directory, a
 * file that is not a registered model, a checksum mismatch, a forbidden class in the stream, or the
 * wrong number of features (HTTP 400). The message is safe to show to the caller.
 */
public final class InvalidModelException extends RuntimeException {

	private InvalidModelException(String message, Throwable cause) {
		super(message, cause);
	}

	static InvalidModelException because(String message) {
		return new InvalidModelException(message, null);
	}

	static InvalidModelException because(String message, Throwable cause) {
		return new InvalidModelException(message, cause);
	}

}
