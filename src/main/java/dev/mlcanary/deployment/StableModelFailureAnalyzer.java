package dev.mlcanary.deployment;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a missing or bad stable model at startup into two plain sentences instead of a
 * stack trace.
 */
class StableModelFailureAnalyzer extends AbstractFailureAnalyzer<StableModelUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StableModelUnavailableException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Point canary.model-dir (environment CANARY_MODEL_DIR; default 'models', resolved against the working "
						+ "directory, so start the service from the project root or give an absolute path) at the directory "
						+ "holding the models, and set canary.stable-version (CANARY_STABLE_VERSION) to a version in it. "
						+ "scripts/train.sh regenerates the bundled models.",
				cause);
	}

}
