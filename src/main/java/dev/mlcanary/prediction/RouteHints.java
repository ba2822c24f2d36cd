package dev.mlcanary.prediction;

import java.util.Locale;

import dev.mlcanary.shared.Role;
import dev.mlcanary.system.AdminAccessPolicy;
import dev.mlcanary.system.BadRequestException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Reads the routing headers ({@code X-Request-Key}, {@code X-Canary-Route}) of any
 * endpoint that predicts, with one rule: a forced route needs operator rights, a key is 1
 * to 256 characters.
 */
@Component
public class RouteHints {

	private final AdminAccessPolicy adminAccess;

	RouteHints(AdminAccessPolicy adminAccess) {
		this.adminAccess = adminAccess;
	}

	/**
	 * @throws BadRequestException for a route other than canary or stable, or a bad key
	 * @throws dev.mlcanary.system.AdminAccessException when a forced route lacks rights
	 */
	public RouteHint read(@Nullable String requestKey, @Nullable String route, HttpServletRequest http) {
		Role forced = null;
		if (route != null) {
			forced = switch (route.trim().toLowerCase(Locale.ROOT)) {
				case "canary" -> Role.CANARY;
				case "stable" -> Role.STABLE;
				default -> throw BadRequestException.because("X-Canary-Route must be \"canary\" or \"stable\", was \""
						+ route.strip().replaceAll("[^\\x20-\\x7e]", "?") + "\".");
			};
			adminAccess.requireOperator(http, RouteHint.FORCED_ROUTE);
		}
		if (requestKey != null && !RouteHint.validKey(requestKey)) {
			throw BadRequestException
				.because("X-Request-Key must be 1 to " + RouteHint.MAX_REQUEST_KEY_LENGTH + " characters.");
		}
		return new RouteHint(forced, requestKey);
	}

}
