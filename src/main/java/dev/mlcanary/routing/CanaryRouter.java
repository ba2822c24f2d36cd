package dev.mlcanary.routing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import dev.mlcanary.shared.Role;

import org.springframework.stereotype.Component;

/**
 * Sends a request to the canary with probability equal to the canary weight. The random
 * source is injected so that tests can fix it; in production every thread draws from its
 * own {@link ThreadLocalRandom}, so routing shares no lock or state between requests.
 */
@Component
public class CanaryRouter {

	private final DoubleSupplier uniform;

	public CanaryRouter() {
		this(() -> ThreadLocalRandom.current().nextDouble());
	}

	/**
	 * @param uniform a source of uniform numbers in [0, 1)
	 */
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

	/**
	 * Sticky routing: the same key always lands on the same side for a given canary, and
	 * the canary side only grows with the weight (a key on the canary at 10% stays there
	 * at 25% or 50%), because the key maps to one fixed point in [0, 1) that is compared
	 * against the weight. The canary's version salts the hash, so each new canary samples
	 * a different cohort of keys.
	 * @param requestKey the caller's key, e.g. a customer id
	 * @param salt the canary version
	 */
	public Role routeByKey(boolean hasCanary, double weight, String requestKey, String salt) {
		if (!hasCanary) {
			return Role.STABLE;
		}
		return unitPoint(requestKey, salt) < weight ? Role.CANARY : Role.STABLE;
	}

	/**
	 * FNV-1a over the UTF-16 units of salt and key, finished with the SplitMix64 mixer
	 * (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA
	 * 2014) so that similar keys spread evenly; the top 53 bits become a double in [0,
	 * 1). Stable across JVMs and releases, allocation-free.
	 */
	static double unitPoint(String key, String salt) {
		long h = 0xcbf29ce484222325L;
		for (int i = 0; i < salt.length(); i++) {
			h = (h ^ salt.charAt(i)) * 0x100000001b3L;
		}
		h = (h ^ 0x1f) * 0x100000001b3L;
		for (int i = 0; i < key.length(); i++) {
			h = (h ^ key.charAt(i)) * 0x100000001b3L;
		}
		h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
		h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
		h = h ^ (h >>> 31);
		return (h >>> 11) * 0x1.0p-53;
	}

}
