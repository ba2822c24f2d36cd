package dev.mlcanary.deployment;

import java.net.URI;

import dev.mlcanary.system.ProblemException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * An admin action that the current deployment does not allow (HTTP 409). Nothing was
 * changed.
 */
public final class DeploymentConflictException extends ProblemException {

	/** The problem type of every refusal by the current deployment. */
	public static final URI TYPE = URI.create("urn:ml-canary:problem:deployment-conflict");

	private final boolean staleGeneration;

	private DeploymentConflictException(String message) {
		this(message, false);
	}

	private DeploymentConflictException(String message, boolean staleGeneration) {
		super(HttpStatus.CONFLICT, TYPE, "Deployment conflict", message, null);
		this.staleGeneration = staleGeneration;
	}

	/**
	 * Whether the deployment was refused only because it is no longer at the generation
	 * the caller expected.
	 */
	boolean staleGeneration() {
		return staleGeneration;
	}

	static DeploymentConflictException canaryAlreadyActive(Deployment current) {
		return new DeploymentConflictException("Canary " + current.canary().version()
				+ " is already deployed; promote or roll it back before deploying another.");
	}

	static DeploymentConflictException alreadyStable(String version) {
		return new DeploymentConflictException(
				version + " is the stable version already; deploy a different version as canary.");
	}

	static DeploymentConflictException staleGeneration(long current, long expected) {
		return new DeploymentConflictException("The deployment changed: generation is now " + current
				+ ", the request expected " + expected + "; re-read /admin/status and retry.", true);
	}

	/** Refuses to delete a version that is serving. */
	static void requireNotServing(String version, String stable, @Nullable String canary) {
		if (version.equals(stable)) {
			throw new DeploymentConflictException(
					version + " is the stable version; promote another version before deleting it.");
		}
		if (version.equals(canary)) {
			throw new DeploymentConflictException(
					version + " is the canary; roll it back or promote it before deleting it.");
		}
	}

	static DeploymentConflictException noRollout() {
		return new DeploymentConflictException(
				"No automated rollout is running, so there is no rollout step to change.");
	}

	static DeploymentConflictException noCanary(String action) {
		return new DeploymentConflictException("No canary is deployed, so there is nothing to " + action + ".");
	}

	/**
	 * A request forced onto the canary ({@code X-Canary-Route: canary}) while none is
	 * deployed.
	 */
	public static DeploymentConflictException noCanaryToRoute() {
		return new DeploymentConflictException(
				"X-Canary-Route: canary was requested, but no canary is deployed; deploy one or drop the header.");
	}

}
