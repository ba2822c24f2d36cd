package dev.mlcanary.prediction;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.apidocs.ApiProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Predictions")
class PredictionController {

	static final String PATH = "/predict";

	private final PredictionService predictions;

	private final RouteHints routeHints;

	PredictionController(PredictionService predictions, RouteHints routeHints) {
		this.predictions = predictions;
		this.routeHints = routeHints;
	}

	/**
	 * @param requestKey optional sticky-routing key: the same key stays on the same model
	 * @param route optional {@code canary} or {@code stable}: a tester forcing a role
	 * (admin rights)
	 */
	@PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Predict churn for one customer", description = """
			Scores five features with the stable model or the canary. Without routing headers a request goes \
			to the canary with probability equal to the canary weight. If the canary fails on a request, stable \
			answers instead: a caller never sees a canary failure. Open to everyone; only `X-Canary-Route` \
			needs the operator token.""")
	@ApiProblems({ ApiProblem.INVALID_FEATURES, ApiProblem.UNKNOWN_FIELD, ApiProblem.INVALID_REQUEST_KEY,
			ApiProblem.INVALID_ROUTE, ApiProblem.ROUTE_NEEDS_TOKEN, ApiProblem.ROUTE_NEEDS_OPERATOR,
			ApiProblem.ROUTE_LOOPBACK_ONLY, ApiProblem.NO_CANARY_TO_ROUTE_TO })
	PredictionResponse predict(@RequestBody PredictionRequest request, @Parameter(
			description = "Sticky routing: the same key (a customer id, say) always gets the same model "
					+ "while this canary lasts, and raising the weight only adds keys. 1 to 256 characters.",
			example = "customer-42") @RequestHeader(name = RouteHint.REQUEST_KEY, required = false) String requestKey,
			@Parameter(
					description = "Forces a role, for testers (case-insensitive). Needs the operator token; "
							+ "`canary` with none deployed is a 409.",
					schema = @Schema(allowableValues = { "canary", "stable" })) @RequestHeader(
							name = RouteHint.FORCED_ROUTE, required = false) String route,
			HttpServletRequest http) {
		PredictionResponse response = predictions.predict(request.features(), routeHints.read(requestKey, route, http));
		http.setAttribute(RequestTimingFilter.SERVED, response);
		return response;
	}

}
