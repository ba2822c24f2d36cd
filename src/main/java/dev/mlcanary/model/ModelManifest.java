package dev.mlcanary.model;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * Provenance of one model file, stored beside it as {@code model_<version>.json}: what it
 * is, how and on what it was trained, how well it did on held-out data, and the SHA-256
 * of the model file so that a tampered or truncated file is refused.
 *
 * <p>
 * The bundled models, trained here, have every field. A model trained elsewhere (a
 * {@linkplain PortableModel portable document}) has no seed, and training rows and
 * holdout figures only where its provenance gives them.
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
 * @param modelFormat {@value PortableModel#FORMAT} for a portable document; absent for a
 * Smile-serialized model
 * @param uploadedAt when it came through {@code POST /admin/models}; absent for a model
 * placed in the model directory (bundled, exported, copied), which the API never deletes
 */
public record ModelManifest(String version, String algorithm, String modelFile, String sha256,
		List<String> featureNames, @Nullable Instant createdAt, @Nullable Long seed, @Nullable Integer trainingRows,
		@Nullable Integer holdoutRows, @Nullable Double holdoutAccuracy, @Nullable Double holdoutLogLoss,
		@Nullable Double holdoutAuc, @Nullable String description,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String modelFormat,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant uploadedAt) {

	/** The manifest file name for a version. */
	static String fileNameFor(String version) {
		return "model_" + version + ".json";
	}

	/** This manifest, marked as uploaded at that instant. */
	ModelManifest uploaded(Instant at) {
		return new ModelManifest(version, algorithm, modelFile, sha256, featureNames, createdAt, seed, trainingRows,
				holdoutRows, holdoutAccuracy, holdoutLogLoss, holdoutAuc, description, modelFormat, at);
	}

	/** Whether it came through the upload API (and so may be deleted through it). */
	boolean isUploaded() {
		return uploadedAt != null;
	}

	/**
	 * Whether the model file is a portable document rather than a Smile-serialized model.
	 */
	boolean isPortable() {
		return PortableModel.FORMAT.equals(modelFormat);
	}

}
