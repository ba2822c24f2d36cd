package dev.mlcanary.inference;

import java.net.URI;
import java.util.Map;

import dev.mlcanary.model.ModelNotFoundException;
import dev.mlcanary.system.ProblemException;

import org.springframework.http.HttpStatus;

/** The refusals of the protocol's endpoints that no other feature answers. */
final class InferenceProblems {

	/** The same kind as an unknown model version elsewhere in the API. */
	static final URI MODEL_NOT_FOUND = ModelNotFoundException.TYPE;

	static final URI BATCH_TOO_LARGE = URI.create("urn:ml-canary:problem:batch-too-large");

	private InferenceProblems() {
	}

	static ProblemException unknownModel(String name, String served) {
		return new Refusal(HttpStatus.NOT_FOUND, MODEL_NOT_FOUND, "Model not found",
				"Unknown model '" + name + "'; this server serves one model, '" + served + "'.", Map.of());
	}

	static ProblemException batchTooLarge(long rows, int max) {
		return new Refusal(HttpStatus.CONTENT_TOO_LARGE, BATCH_TOO_LARGE, "Batch too large",
				"A batch holds at most " + max + " rows; this one has " + rows + ": split it into smaller requests.",
				Map.of("max_batch_rows", max));
	}

	private static final class Refusal extends ProblemException {

		private final Map<String, Object> properties;

		Refusal(HttpStatus status, URI type, String title, String detail, Map<String, Object> properties) {
			super(status, type, title, detail, null);
			this.properties = properties;
		}

		@Override
		public Map<String, Object> properties() {
			return properties;
		}

	}

}
