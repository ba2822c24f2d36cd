package dev.mlcanary.audit;

import java.util.List;

import dev.mlcanary.system.BadRequestException;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EventsController {

	private final EventLog events;

	private final int maxEvents;

	EventsController(EventLog events, AuditConfiguration.Limits limits) {
		this.events = events;
		this.maxEvents = limits.maxEvents();
	}

	record EventsResponse(int count, List<AuditEvent> events) {
	}

	/** The newest admin actions first. */
	@GetMapping(path = "/admin/events", produces = MediaType.APPLICATION_JSON_VALUE)
	EventsResponse events(@RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > maxEvents) {
			throw BadRequestException.because("limit must be between 1 and " + maxEvents + ", was " + limit + ".");
		}
		List<AuditEvent> newest = events.newest(limit);
		return new EventsResponse(newest.size(), newest);
	}

}
