package dev.mlcanary.fleet;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /admin/fleet}.
 *
 * @param store {@code postgres} or {@code file}
 * @param generation the shared deployment's generation
 * @param replicaId the replica that answered
 * @param replicas every replica heard from in the last hour, by replica id
 */
@Schema(description = "The replicas of the fleet, as the replica that answered sees them.")
record FleetView(@Schema(description = "postgres (a fleet on one database) or file (one process).", allowableValues = {
		"postgres", "file" }) String store,
		@Schema(description = "The generation of the shared deployment.") long generation,
		@Schema(description = "The replica that answered.") String replicaId,
		@Schema(description = "Every replica heard from in the last hour (the one process in file mode), "
				+ "ordered by replica id.") List<ReplicaView> replicas){

	/**
	 * One replica.
	 *
	 * @param replicaId its {@code canary.fleet.replica-id}
	 * @param live whether it was heard from within {@code canary.fleet.replica-timeout}
	 * @param lastSeen its last heartbeat, by the database's clock
	 * @param generation the generation it has applied (and serves)
	 * @param leader whether it holds the rollout lease: it drives automated rollouts
	 * @param models the versions it has loaded
	 * @param ready whether it serves the shared deployment (its readiness probe is UP)
	 * @param problem why it is not ready, or null
	 * @param samples what it last published: the sizes of its current latency windows
	 * @param publishedAt when it published them
	 */
	@Schema(description = "One replica.")
	record ReplicaView(@Schema(description = "Its canary.fleet.replica-id.") String replicaId,
			@Schema(description = "Heard from within canary.fleet.replica-timeout.") boolean live,
			@Schema(description = "Its last heartbeat, by the database's clock.") Instant lastSeen,
			@Schema(description = "The generation it has applied and serves.") long generation,
			@Schema(description = "Whether it holds the rollout lease: it drives automated rollouts.") boolean leader,
			@Schema(description = "The model versions it has loaded: stable first.") List<String> models,
			@Schema(description = "Whether it serves the shared deployment; its readiness probe is DOWN when not.") boolean ready,
			@Schema(description = "Why it is not ready, or null.", nullable = true) @Nullable String problem,
			@Schema(description = "The samples of its current latency windows, as it last published them.") Samples samples,
			@Schema(description = "When it last published them.") Instant publishedAt) {

		ReplicaView {
			models = List.copyOf(models);
		}

	}

	/**
	 * Sample counts of one replica's latency windows.
	 *
	 * @param stable samples of the stable version
	 * @param canary samples of the canary
	 */
	@Schema(description = "Samples in one replica's latency windows of the current deployment period.")
	record Samples(@Schema(description = "Stable's samples.") int stable,
			@Schema(description = "The canary's samples (0 without a canary).") int canary) {
	}

	FleetView {
		replicas = List.copyOf(replicas);
	}

}
