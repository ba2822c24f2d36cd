package dev.mlcanary.fleet;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Fleet")
class FleetController {

	private final Fleet fleet;

	FleetController(Fleet fleet) {
		this.fleet = fleet;
	}

	@GetMapping(path = "/admin/fleet", produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Show the replicas of the fleet", description = """
			Every replica heard from in the last hour: whether it is live (heard from within \
			canary.fleet.replica-timeout), the generation it has applied, whether it drives automated rollouts \
			(leader: it holds the rollout lease), the models it has loaded, whether it is ready (a replica that \
			cannot load the model the shared deployment names keeps serving what it has, says why in problem and \
			turns its readiness probe DOWN) and the samples of its latency windows as it last published them. In \
			file mode (canary.store=file) the one process is the whole fleet: live, leader, its windows as they \
			are now. In postgres mode an outage answers 503 (urn:ml-canary:problem:store-unavailable).""")
	FleetView fleet() {
		return fleet.view();
	}

}
