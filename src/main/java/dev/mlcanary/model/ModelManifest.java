package dev.mlcanary.model;

import java.time.Instant;
import java.util.List;

/**
 * Provenance of one model file, stored beside it as {@code model_<version>.json}: what it
 * is, how and on what it was trained, how well it did on held-out data, and the SHA-256
 * of the model file so that a tampered or truncated file is refused.
 *
 * @param version version name, e.g. {@code v2}
 * @param algorithm the learning algorithm and library that produced the model
 * @param modelFile file name of the serialized model, inside the model directory
 * @param sha256 hex SHA-256 of the model file
 * @param featureNames the features the model expects, in order
 * @param createdAt when the model was trained
 * @param seed random seed of the synthetic data set
 * @param trainingRows rows used for training
 * @param holdoutRows rows held out for evaluation
 * @param holdoutAccuracy accuracy on the holdout rows (threshold 0.5)
 * @param holdoutLogLoss mean log-loss on the holdout rows
 * @param holdoutAuc area under the ROC curve on the holdout rows
 * @param description how this version differs from the others
 */
public record ModelManifest(String version, String algorithm, String modelFile, String sha256,
		List<String> featureNames, Instant createdAt, long seed, int trainingRows, int holdoutRows,
		double holdoutAccuracy, double holdoutLogLoss, double holdoutAuc, String description) {

	/** The manifest file name for a version. */
	static String fileNameFor(String version) {
		return "model_" + version + ".json";
	}

}
