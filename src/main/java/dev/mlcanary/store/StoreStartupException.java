package dev.mlcanary.store;

/**
 * The postgres store cannot start; the message is the one line
 * {@link StoreFailureAnalyzer} shows.
 */
final class StoreStartupException extends RuntimeException {

	StoreStartupException(String message) {
		super(message);
	}

}
