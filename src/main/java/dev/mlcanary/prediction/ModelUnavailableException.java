package dev.mlcanary.prediction;

import java.net.URI;

import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * The stable model failed to score a batch (HTTP 503, naming the model): with no model
 * that can answer, nothing is served. A failing canary never causes this: stable answers
 * instead.
 */
public final class ModelUnavailableException extends ProblemException {

	public static final URI TYPE = URI.create("urn:ml-canary:problem:model-unavailable");

	private ModelUnavailableException(String detail) {
		super(HttpStatus.SERVICE_UNAVAILABLE, TYPE, "Model unavailable", detail, null);
	}

	static ModelUnavailableException forVersion(String version) {
		return new ModelUnavailableException("The stable model " + version
				+ " failed to score this batch, so nothing was served; the cause is in the service log.");
	}

}
