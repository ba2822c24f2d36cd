package dev.mlcanary.system;

/**
 * Which admin calls the read-only token may make. {@link SecurityConfiguration} enforces
 * it, and the API documentation shows the same rule.
 */
public final class AdminAccessRules {

	/**
	 * The read-only admin endpoints ({@code GET}): the read token is enough. The API docs
	 * show the same rule.
	 */
	public static final String[] READ_ONLY = { "/admin/status", "/admin/check-canary-health",
			"/admin/check-canary-health/latest", "/admin/latency", "/admin/models", "/admin/events", "/admin/fleet",
			"/admin/power-analysis", "/actuator/prometheus" };

	/**
	 * Why the read token was refused: it also answers a typo such as
	 * {@code GET /admin/statuss}.
	 */
	public static final String READ_TOKEN_REFUSED = "The read-only token may only call GET "
			+ String.join(", ", READ_ONLY) + "; this call needs the operator token.";

	private AdminAccessRules() {
	}

}
