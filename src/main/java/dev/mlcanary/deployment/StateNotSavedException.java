package dev.mlcanary.deployment;

import java.net.URI;
import java.nio.file.Path;

import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The deployment state could not be written durably, so the transition that needed it was
 * not published (HTTP 503). The cause stays in the log; the message is safe to show to
 * the caller.
 */
public final class StateNotSavedException extends ProblemException {

	public static final URI TYPE = URI.create("urn:ml-canary:problem:state-not-saved");

	StateNotSavedException(Path file, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, TYPE, "State not saved",
				"The change was not applied: the deployment state could not be saved to " + file
						+ ", so the deployment is unchanged. The cause is in the service log; retry once the state directory is writable.",
				cause);
	}

}
