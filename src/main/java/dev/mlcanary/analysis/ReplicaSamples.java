package dev.mlcanary.analysis;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What one replica contributed to a check or a latency view: the samples its windows held
 * for the current generation. In file mode the one process; in a fleet every live replica
 * whose samples were pooled.
 *
 * @param replicaId the replica ({@code canary.fleet.replica-id})
 * @param stableSampleCount stable latency samples it contributed
 * @param canarySampleCount canary latency samples it contributed
 */
@Schema(description = "One replica's share of the samples judged: in file mode the one process, in a fleet each "
		+ "live replica whose samples of the current generation were pooled.")
public record ReplicaSamples(
		@Schema(description = "`canary.fleet.replica-id` of the replica", example = "web-1") String replicaId,
		@Schema(description = "stable latency samples it contributed") int stableSampleCount,
		@Schema(description = "canary latency samples it contributed") int canarySampleCount) {
}
