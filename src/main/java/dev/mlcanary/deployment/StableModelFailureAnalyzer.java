package dev.mlcanary.deployment;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing or bad stable model at startup into two plain sentences instead of a stack trace. */
class StableModelFailureAnalyzer extends AbstractFailureAnalyzer<StableModelUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, StableModelUnavailableException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Set canary.stable-version (environment CANARY_STABLE_VERSION) to a version in the model directory "
						+ "(canary.model-dir, default ./models, relative to the working directory), or regenerate the "
						+ "bundled models with scripts/train.sh.",
				cause);
	}

}
