package dev.mlcanary.analysis;

import java.util.List;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.store.FleetProperties;
import dev.mlcanary.store.StoreUnavailableException;

import org.springframework.dao.DataAccessException;

/**
 * A fleet's samples of the current generation: this replica's from its memory, fresh, and
 * every other live replica's as it last published them ({@link SamplePublisher}). A
 * replica whose heartbeat or publish is older than {@code canary.fleet.replica-timeout}
 * is left out; so is one still serving another generation, until it catches up. When the
 * database cannot be read the answer is a 503, never a verdict on this replica's samples
 * alone, which are only its share of the traffic.
 */
final class PooledSampleSource implements SampleSource {

	private final PublishedSamples published;

	private final FleetProperties fleet;

	PooledSampleSource(PublishedSamples published, FleetProperties fleet) {
		this.published = published;
		this.fleet = fleet;
	}

	@Override
	public PeriodSamples of(Deployment deployment) {
		PeriodSamples local = PeriodSamples.local(fleet.replicaId(), deployment.samples());
		return local.plus(others(deployment.generation()));
	}

	private List<PeriodSamples> others(long generation) {
		try {
			return published.othersLive(generation, fleet.replicaId(), fleet.replicaTimeout());
		}
		catch (DataAccessException first) {
			// Once more: a pooled connection the server closed (a restart, an idle
			// timeout) fails its first use, and the pool replaces it.
			try {
				return published.othersLive(generation, fleet.replicaId(), fleet.replicaTimeout());
			}
			catch (DataAccessException ex) {
				ex.addSuppressed(first);
				throw StoreUnavailableException.because("The fleet's samples cannot be pooled, so nothing was "
						+ "judged (this replica's samples alone are only its share of the traffic)", ex);
			}
		}
	}

}
