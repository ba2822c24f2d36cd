package dev.mlcanary.prediction;

import java.util.Locale;

import dev.mlcanary.routing.Role;
import dev.mlcanary.system.AdminAccessPolicy;
import dev.mlcanary.system.BadRequestException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PredictionController {

	static final int MAX_REQUEST_KEY_LENGTH = 256;

	private final PredictionService predictions;

	private final AdminAccessPolicy adminAccess;

	PredictionController(PredictionService predictions, AdminAccessPolicy adminAccess) {
		this.predictions = predictions;
		this.adminAccess = adminAccess;
	}

	/**
	 * @param requestKey optional sticky-routing key: the same key stays on the same model
	 * @param route optional {@code canary} or {@code stable}: a tester forcing a role (admin rights)
	 */
	@PostMapping(path = "/predict", consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	PredictionResponse predict(@RequestBody PredictionRequest request,
			@RequestHeader(name = "X-Request-Key", required = false) String requestKey,
			@RequestHeader(name = "X-Canary-Route", required = false) String route, HttpServletRequest http) {
		PredictionResponse response = predictions.predict(request.features(), hint(requestKey, route, http));
		http.setAttribute(RequestTimingFilter.SERVED, response);
		return response;
	}

	private RouteHint hint(String requestKey, String route, HttpServletRequest http) {
		Role forced = null;
		if (route != null) {
			forced = switch (route.trim().toLowerCase(Locale.ROOT)) {
				case "canary" -> Role.CANARY;
				case "stable" -> Role.STABLE;
				default -> throw BadRequestException.because("X-Canary-Route must be \"canary\" or \"stable\", was \""
						+ route.strip().replaceAll("[^\\x20-\\x7e]", "?") + "\".");
			};
			adminAccess.requireOperator(http, "X-Canary-Route");
		}
		if (requestKey != null && (requestKey.isEmpty() || requestKey.length() > MAX_REQUEST_KEY_LENGTH)) {
			throw BadRequestException.because("X-Request-Key must be 1 to " + MAX_REQUEST_KEY_LENGTH + " characters.");
		}
		return new RouteHint(forced, requestKey);
	}

}
