package dev.mlcanary.audit;

import java.util.List;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.apidocs.ApiProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Audit")
class EventsController {

	private final AuditTrail events;

	EventsController(AuditTrail events) {
		this.events = events;
	}

	@Schema(description = "The newest events first.")
	record EventsResponse(int count, List<AuditEvent> events) {
	}

	/** The newest admin actions first. */
	@GetMapping(path = "/admin/events", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Show the audit trail", description = """
			Every admin call (refused ones too) and every action of the automated rollout: who, what, how it \
			ended and the versions before and after. Absent fields were not set for that event.""")
	@ApiProblems({ ApiProblem.INVALID_LIMIT, ApiProblem.EVENTS_UNAVAILABLE })
	EventsResponse events(@Parameter(
			description = "How many events, 1 to 10,000.") @Min(1) @Max(AuditConfiguration.MAX_EVENTS) @RequestParam(
					defaultValue = "100") int limit) {
		// Out of range (0, 10001, 99999999999999) is a 400 that says so
		// (system.ProblemDetailsAdvice).
		List<AuditEvent> newest = events.newest(limit);
		return new EventsResponse(newest.size(), newest);
	}

}
