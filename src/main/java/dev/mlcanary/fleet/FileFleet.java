package dev.mlcanary.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.store.ConditionalOnStore;
import dev.mlcanary.store.FleetProperties;
import dev.mlcanary.store.Store;

import org.springframework.stereotype.Component;

/**
 * One process is the whole fleet: always live, always the leader, its own models and
 * windows, read as they are now.
 */
@Component
@ConditionalOnStore(Store.FILE)
class FileFleet implements Fleet {

	private final DeploymentService deployments;

	private final FleetProperties fleet;

	private final Clock clock;

	FileFleet(DeploymentService deployments, FleetProperties fleet, Clock clock) {
		this.deployments = deployments;
		this.fleet = fleet;
		this.clock = clock;
	}

	@Override
	public FleetView view() {
		Deployment d = deployments.current();
		Instant now = clock.instant();
		List<String> models = new ArrayList<>();
		models.add(d.stable().version());
		if (d.hasCanary()) {
			models.add(d.canary().version());
		}
		String problem = deployments.problem();
		FleetView.ReplicaView self = new FleetView.ReplicaView(fleet.replicaId(), true, now, d.generation(), true,
				models, problem == null, problem,
				new FleetView.Samples(d.samples().stable().size(), d.samples().canary().size()), now);
		return new FleetView("file", d.generation(), fleet.replicaId(), List.of(self));
	}

}
