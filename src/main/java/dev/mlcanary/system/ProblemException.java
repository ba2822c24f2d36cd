package dev.mlcanary.system;

import java.net.URI;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * A refusal that carries its own answer: status, a fixed problem {@code type}, a
 * {@code title}, and a message that is the {@code detail}, a sentence safe to show to the
 * caller. Each feature defines its exceptions on this base, so that
 * {@link ProblemDetailsAdvice} answers them all in one way without knowing them.
 */
public abstract class ProblemException extends RuntimeException {

	private final HttpStatus status;

	private final URI type;

	private final String title;

	protected ProblemException(HttpStatus status, URI type, String title, String detail, @Nullable Throwable cause) {
		super(detail, cause);
		this.status = status;
		this.type = type;
		this.title = title;
	}

	public HttpStatus status() {
		return status;
	}

	public URI type() {
		return type;
	}

	public String title() {
		return title;
	}

	/**
	 * Members of the problem body beside the standard ones, such as
	 * {@code available_versions}.
	 */
	public Map<String, Object> properties() {
		return Map.of();
	}

}
