package dev.mlcanary.model;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/** A version or model file that the model directory does not hold (HTTP 404). */
public final class ModelNotFoundException extends ProblemException {

	public static final URI TYPE = URI.create("urn:ml-canary:problem:model-not-found");

	private final List<String> availableVersions;

	private ModelNotFoundException(String message, List<String> availableVersions) {
		super(HttpStatus.NOT_FOUND, TYPE, "Model not found", message, null);
		this.availableVersions = List.copyOf(availableVersions);
	}

	static ModelNotFoundException forVersion(String version, List<String> available) {
		return new ModelNotFoundException(
				"Unknown model version '" + version + "'. Available versions: " + String.join(", ", available) + ".",
				available);
	}

	static ModelNotFoundException deletedMeanwhile(String version, List<String> available) {
		return new ModelNotFoundException("Model version '" + version
				+ "' was deleted while this change was being made; nothing changed. Available versions: "
				+ String.join(", ", available) + ".", available);
	}

	static ModelNotFoundException forPath(String path, List<String> available) {
		return new ModelNotFoundException(
				"No model file at '" + path + "'. Available versions: " + String.join(", ", available) + ".",
				available);
	}

	public List<String> availableVersions() {
		return availableVersions;
	}

	@Override
	public Map<String, Object> properties() {
		return Map.of("available_versions", availableVersions);
	}

}
