package dev.mlcanary.deployment;

/** The configured stable model cannot be served, so the service cannot start. */
final class StableModelUnavailableException extends RuntimeException {

	private final String version;

	StableModelUnavailableException(String version, RuntimeException cause) {
		this(version, "The stable model '" + version + "' cannot be loaded: " + cause.getMessage(), cause);
	}

	private StableModelUnavailableException(String version, String message, RuntimeException cause) {
		super(message, cause);
		this.version = version;
	}

	/**
	 * A replica of a fleet that cannot load a model the shared deployment names: it has
	 * nothing else it could serve without splitting the fleet.
	 */
	static StableModelUnavailableException sharedDeployment(SavedDeployment shared, RuntimeException cause) {
		return new StableModelUnavailableException(shared.stableVersion(),
				"This replica cannot load the deployment the PostgreSQL store holds (" + shared.describe() + "): "
						+ cause.getMessage() + " Every replica needs the same model files in its canary.model-dir.",
				cause);
	}

	String version() {
		return version;
	}

}
