package dev.mlcanary.system;

import java.net.URI;

/** Fixed RFC 9457 problem types, one per kind of error, stable for clients to match on. */
final class ProblemTypes {

	static final URI INVALID_REQUEST = URI.create("urn:ml-canary:problem:invalid-request");

	static final URI MALFORMED_JSON = URI.create("urn:ml-canary:problem:malformed-json");

	static final URI PAYLOAD_TOO_LARGE = URI.create("urn:ml-canary:problem:payload-too-large");

	static final URI MODEL_NOT_FOUND = URI.create("urn:ml-canary:problem:model-not-found");

	static final URI INVALID_MODEL = URI.create("urn:ml-canary:problem:invalid-model");

	static final URI DEPLOYMENT_CONFLICT = URI.create("urn:ml-canary:problem:deployment-conflict");

	static final URI NOT_FOUND = URI.create("urn:ml-canary:problem:not-found");

	static final URI INTERNAL = URI.create("urn:ml-canary:problem:internal-error");

	private ProblemTypes() {
	}

}
