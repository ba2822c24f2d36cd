package dev.mlcanary.audit;

import java.util.List;

import dev.mlcanary.apidocs.ApiProblem;
import dev.mlcanary.apidocs.ApiProblems;
import dev.mlcanary.system.BadRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Audit")
class EventsController {

	private final AuditTrail events;

	private final int maxEvents;

	EventsController(AuditTrail events, AuditConfiguration.Limits limits) {
		this.events = events;
		this.maxEvents = limits.maxEvents();
	}

	@Schema(description = "The newest events first.")
	record EventsResponse(int count, List<AuditEvent> events) {
	}

	/** The newest admin actions first. */
	@GetMapping(path = "/admin/events", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Show the audit trail", description = """
			Every admin call (refused ones too) and every action of the automated rollout: who, what, how it \
			ended and the versions before and after. Absent fields were not set for that event.""")
	@ApiProblems(ApiProblem.INVALID_LIMIT)
	EventsResponse events(
			@Parameter(description = "How many events, 1 to 10,000.") @RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > maxEvents) {
			throw BadRequestException.because("limit must be between 1 and " + maxEvents + ", was " + limit + ".");
		}
		List<AuditEvent> newest = events.newest(limit);
		return new EventsResponse(newest.size(), newest);
	}

}
