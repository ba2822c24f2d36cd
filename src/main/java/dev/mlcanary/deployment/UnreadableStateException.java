package dev.mlcanary.deployment;

/**
 * A state file that cannot be read or does not describe a deployment; it is set aside,
 * never served.
 */
final class UnreadableStateException extends RuntimeException {

	UnreadableStateException(String message, Throwable cause) {
		super(message, cause);
	}

}
