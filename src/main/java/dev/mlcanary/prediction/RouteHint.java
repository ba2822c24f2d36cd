package dev.mlcanary.prediction;

import dev.mlcanary.shared.Role;
import org.jspecify.annotations.Nullable;

/**
 * How a request asks to be routed: forced onto a role by a tester
 * ({@code X-Canary-Route}), onto a version by name (the Open Inference Protocol's
 * {@code /versions/{version}} paths), kept on one side by a key ({@code X-Request-Key}),
 * or none of these (random by weight). A forced role or version wins over the key.
 *
 * @param forced the role a tester forces, or {@code null}
 * @param requestKey the sticky-routing key, or {@code null}
 * @param version the version that must serve (the stable or the canary one), or
 * {@code null}
 */
public record RouteHint(@Nullable Role forced, @Nullable String requestKey, @Nullable String version) {

	public static final RouteHint RANDOM = new RouteHint(null, null, null);

	/** Header of the sticky-routing key. */
	public static final String REQUEST_KEY = "X-Request-Key";

	/** Header forcing a role (operator token needed). */
	public static final String FORCED_ROUTE = "X-Canary-Route";

	static final int MAX_REQUEST_KEY_LENGTH = 256;

	public RouteHint(@Nullable Role forced, @Nullable String requestKey) {
		this(forced, requestKey, null);
	}

	/** The same hint, with the version that must serve. */
	public RouteHint withVersion(String version) {
		return new RouteHint(forced, requestKey, version);
	}

	/** 1 to {@link #MAX_REQUEST_KEY_LENGTH} characters. */
	static boolean validKey(String requestKey) {
		return !requestKey.isEmpty() && requestKey.length() <= MAX_REQUEST_KEY_LENGTH;
	}

}
