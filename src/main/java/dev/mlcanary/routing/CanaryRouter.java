package dev.mlcanary.routing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import org.springframework.stereotype.Component;

/**
 * Sends a request to the canary with probability equal to the canary weight. The random source is
 * injected so that tests can fix it; in production every thread draws from its own
 * {@link ThreadLocalRandom}, so routing shares no lock or state between requests.
 */
@Component
public class CanaryRouter {

	private final DoubleSupplier uniform;

	public CanaryRouter() {
		this(() -> ThreadLocalRandom.current().nextDouble());
	}

	/** @param uniform a source of uniform numbers in [0, 1) */
	public CanaryRouter(DoubleSupplier uniform) {
		this.uniform = uniform;
	}

	/**
	 * @param hasCanary whether a canary is deployed
	 * @param weight share of traffic for the canary, in (0, 1]
	 */
	public Role route(boolean hasCanary, double weight) {
		if (!hasCanary) {
			return Role.STABLE;
		}
		return uniform.getAsDouble() < weight ? Role.CANARY : Role.STABLE;
	}

}
