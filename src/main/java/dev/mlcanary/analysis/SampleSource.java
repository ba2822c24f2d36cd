package dev.mlcanary.analysis;

import dev.mlcanary.deployment.Deployment;

/**
 * Where the samples of a deployment period come from when a check or a latency view reads
 * them: this process's windows in file mode ({@link #local}), the union of every live
 * replica's in a fleet ({@link PooledSampleSource}). {@link CanaryHealthService} judges
 * what it is given and never knows which.
 */
interface SampleSource {

	/**
	 * The samples of the period {@code deployment} is in, read now.
	 * @throws dev.mlcanary.store.StoreUnavailableException when a fleet's samples cannot
	 * be pooled (never a silent answer on this replica's samples alone)
	 */
	PeriodSamples of(Deployment deployment);

	/** This process's windows, named {@code replicaId} in the answers. */
	static SampleSource local(String replicaId) {
		return deployment -> PeriodSamples.local(replicaId, deployment.samples());
	}

}
