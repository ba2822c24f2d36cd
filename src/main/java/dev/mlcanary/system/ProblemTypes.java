package dev.mlcanary.system;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * Fixed RFC 9457 problem types of the errors any endpoint can answer, stable for clients
 * to match on. A feature's own refusals ({@link ProblemException}) carry their types
 * themselves.
 */
public final class ProblemTypes {

	public static final URI INVALID_REQUEST = URI.create("urn:ml-canary:problem:invalid-request");

	public static final URI MALFORMED_JSON = URI.create("urn:ml-canary:problem:malformed-json");

	public static final URI PAYLOAD_TOO_LARGE = URI.create("urn:ml-canary:problem:payload-too-large");

	public static final URI NOT_FOUND = URI.create("urn:ml-canary:problem:not-found");

	public static final URI METHOD_NOT_ALLOWED = URI.create("urn:ml-canary:problem:method-not-allowed");

	public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create("urn:ml-canary:problem:unsupported-media-type");

	public static final URI UNAUTHORIZED = URI.create("urn:ml-canary:problem:unauthorized");

	public static final URI FORBIDDEN = URI.create("urn:ml-canary:problem:forbidden");

	public static final URI INTERNAL = URI.create("urn:ml-canary:problem:internal-error");

	/** One sentence a 404 answer ends with, so a lost client finds its way. */
	static final String API_SUMMARY = "The API is POST /predict, the Open Inference Protocol under /v2, /admin/* and /actuator/health, /actuator/info, /actuator/prometheus; "
			+ "the dashboard is at / and the API docs at /docs; see README.md and docs/api.md.";

	/**
	 * A stable type for any status without a more specific one, e.g.
	 * {@code urn:ml-canary:problem:http-406}.
	 */
	public static URI forStatus(int status) {
		return switch (status) {
			case 400 -> INVALID_REQUEST;
			case 401 -> UNAUTHORIZED;
			case 403 -> FORBIDDEN;
			case 404 -> NOT_FOUND;
			case 405 -> METHOD_NOT_ALLOWED;
			case 413 -> PAYLOAD_TOO_LARGE;
			case 415 -> UNSUPPORTED_MEDIA_TYPE;
			case 500 -> INTERNAL;
			default -> URI.create("urn:ml-canary:problem:http-" + status);
		};
	}

	/**
	 * The title that goes with {@link #forStatus}: the one the advice gives the same type
	 * ({@code Invalid request}, {@code Internal error}), otherwise the status's reason
	 * phrase.
	 */
	public static String titleFor(int status) {
		return switch (status) {
			case 400 -> "Invalid request";
			case 500 -> "Internal error";
			default -> {
				HttpStatus resolved = HttpStatus.resolve(status);
				yield resolved == null ? "Error" : resolved.getReasonPhrase();
			}
		};
	}

	private ProblemTypes() {
	}

}
