package dev.mlcanary.model;

import java.util.List;

/** A version or model file that the model directory does not hold (HTTP 404). */
public final class ModelNotFoundException extends RuntimeException {

	private final List<String> availableVersions;

	private ModelNotFoundException(String message, List<String> availableVersions) {
		super(message);
		this.availableVersions = List.copyOf(availableVersions);
	}

	static ModelNotFoundException forVersion(String version, List<String> available) {
		return new ModelNotFoundException("Unknown model version '" + version + "'. Available versions: "
				+ String.join(", ", available) + ".", available);
	}

	static ModelNotFoundException forPath(String path, List<String> available) {
		return new ModelNotFoundException("No model file at '" + path + "'. Available versions: "
				+ String.join(", ", available) + ".", available);
	}

	public List<String> availableVersions() {
		return availableVersions;
	}

}
