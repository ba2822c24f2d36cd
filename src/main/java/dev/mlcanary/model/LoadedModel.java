package dev.mlcanary.model;

import smile.classification.LogisticRegression;

/**
 * A verified model, ready to serve. Immutable and thread-safe: Smile's binomial logistic
 * regression scores without shared scratch state.
 *
 * @param manifest the model's provenance
 * @param modelPath the model file as clients name it, e.g. {@code models/model_v2.ser}
 * @param classifier the Smile model
 */
public record LoadedModel(ModelManifest manifest, String modelPath, LogisticRegression.Binomial classifier) {

	public String version() {
		return manifest.version();
	}

	/**
	 * Probability of churn (class 1) for one feature vector of
	 * {@link ChurnFeatures#COUNT} values.
	 */
	public double churnProbability(double[] features) {
		return classifier.score(features);
	}

}
