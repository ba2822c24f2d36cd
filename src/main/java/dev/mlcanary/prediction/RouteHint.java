package dev.mlcanary.prediction;

import dev.mlcanary.routing.Role;

/**
 * How a request asks to be routed: forced onto a role by a tester ({@code X-Canary-Route}), kept on
 * one side by a key ({@code X-Request-Key}), or neither (random by weight).
 */
record RouteHint(Role forced, String requestKey) {

	static final RouteHint RANDOM = new RouteHint(null, null);

}
