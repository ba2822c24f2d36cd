package dev.mlcanary.deployment;

/** The configured stable model cannot be served, so the service cannot start. */
final class StableModelUnavailableException extends RuntimeException {

	private final String version;

	StableModelUnavailableException(String version, RuntimeException cause) {
		super("The stable model '" + version + "' cannot be loaded: " + cause.getMessage(), cause);
		this.version = version;
	}

	String version() {
		return version;
	}

}
