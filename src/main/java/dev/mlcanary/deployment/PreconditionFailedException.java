package dev.mlcanary.deployment;

import java.net.URI;

import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * A change whose {@code If-Match} names a generation that is no longer the deployment's
 * (HTTP 412, RFC 9110 section 13.1.1): the precondition the client set failed, so nothing
 * was changed. The same stale generation sent as {@code expected_generation} is a
 * {@link DeploymentConflictException} (409), since no HTTP precondition was sent. Its own
 * type, because a client that sends {@code If-Match} handles 412 as "re-read and retry"
 * whatever else can conflict.
 */
public final class PreconditionFailedException extends ProblemException {

	/** The problem type of a failed {@code If-Match}. */
	public static final URI TYPE = URI.create("urn:ml-canary:problem:precondition-failed");

	PreconditionFailedException(DeploymentConflictException stale) {
		super(HttpStatus.PRECONDITION_FAILED, TYPE, "Precondition Failed", stale.getMessage(), null);
	}

}
