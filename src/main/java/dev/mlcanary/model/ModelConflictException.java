package dev.mlcanary.model;

import java.net.URI;

import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/**
 * An upload or delete that the models held now do not allow (HTTP 409): a version taken
 * by a different model, or a delete of a model the API did not upload.
 */
public final class ModelConflictException extends ProblemException {

	/** A version is taken by a different model. */
	public static final URI VERSION_TAKEN = URI.create("urn:ml-canary:problem:model-version-taken");

	/** The model belongs to the model directory, not to the upload API. */
	public static final URI NOT_DELETABLE = URI.create("urn:ml-canary:problem:model-not-deletable");

	private ModelConflictException(URI type, String title, String message) {
		super(HttpStatus.CONFLICT, type, title, message, null);
	}

	static ModelConflictException versionTaken(String version, boolean uploaded) {
		return new ModelConflictException(VERSION_TAKEN, "Model version taken", "Version " + version + " already holds "
				+ (uploaded ? "a different uploaded model" : "a model of the model directory")
				+ "; a version names one model for good (deployments, metrics and the audit trail refer to it). "
				+ "Upload this one under a new version.");
	}

	static ModelConflictException notDeletable(String version, String path) {
		return new ModelConflictException(NOT_DELETABLE, "Model not deletable",
				"Model " + version + " (" + path
						+ ") is a model of the model directory, bundled or placed there by an operator, not an upload; "
						+ "the API deletes only the models it stored. Remove its files from the directory instead.");
	}

}
