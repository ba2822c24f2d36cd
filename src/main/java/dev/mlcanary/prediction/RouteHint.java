package dev.mlcanary.prediction;

import dev.mlcanary.shared.Role;

/**
 * How a request asks to be routed: forced onto a role by a tester
 * ({@code X-Canary-Route}), kept on one side by a key ({@code X-Request-Key}), or neither
 * (random by weight).
 */
record RouteHint(Role forced, String requestKey) {

	static final RouteHint RANDOM = new RouteHint(null, null);

	/** Header of the sticky-routing key. */
	static final String REQUEST_KEY = "X-Request-Key";

	/** Header forcing a role (operator token needed). */
	static final String FORCED_ROUTE = "X-Canary-Route";

	static final int MAX_REQUEST_KEY_LENGTH = 256;

	/** 1 to {@link #MAX_REQUEST_KEY_LENGTH} characters. */
	static boolean validKey(String requestKey) {
		return !requestKey.isEmpty() && requestKey.length() <= MAX_REQUEST_KEY_LENGTH;
	}

}
