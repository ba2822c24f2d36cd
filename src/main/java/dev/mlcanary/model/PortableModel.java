package dev.mlcanary.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import smile.classification.LogisticRegression;
import smile.util.IntSet;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A binary logistic regression as data: the portable document of
 * {@code docs/model-format.md}. {@link #parse} reads numbers and strings only (it never
 * names a class), checks every field, and refuses with the field's JSON pointer; the
 * service then serves the model with Smile's {@link LogisticRegression.Binomial} built
 * from the coefficients.
 *
 * @param version the version name it deploys under
 * @param featureNames the service's features, in order
 * @param intercept the bias term
 * @param coefficients one weight per feature
 * @param classes the negative class, then the positive one
 * @param provenance where the model came from
 */
public record PortableModel(String version, List<String> featureNames, double intercept, double[] coefficients,
		List<String> classes, Provenance provenance) {

	/** The {@code format} member, and the manifest's {@code model_format}. */
	public static final String FORMAT = "ml-canary-logistic-regression";

	/** The one {@code format_version} this reader knows. */
	public static final int FORMAT_VERSION = 1;

	/** The largest document accepted, in bytes. */
	public static final int MAX_BYTES = 64 * 1024;

	/** A model version name, in documents, manifests and the API. */
	static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	/** {@link #VERSION} in words, for refusals. */
	static final String VERSION_RULE = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

	/**
	 * Where a model came from; every member may be absent.
	 *
	 * @param library the library that trained it ({@code scikit-learn})
	 * @param libraryVersion that library's version
	 * @param estimator the estimator, e.g.
	 * {@code Pipeline(StandardScaler, LogisticRegression)}
	 * @param trainedAt when it was trained
	 * @param trainingRows rows it was trained on
	 * @param holdout how it did on held-out rows
	 * @param exporter what wrote the document
	 * @param description how this version differs from the others
	 */
	public record Provenance(@Nullable String library, @Nullable String libraryVersion, @Nullable String estimator,
			@Nullable Instant trainedAt, @Nullable Integer trainingRows, @Nullable Holdout holdout,
			@Nullable String exporter, @Nullable String description) {

	}

	/**
	 * Figures on held-out rows.
	 *
	 * @param rows how many rows were held out
	 * @param accuracy accuracy at threshold 0.5
	 * @param logLoss mean log-loss
	 * @param auc area under the ROC curve
	 */
	public record Holdout(int rows, @Nullable Double accuracy, @Nullable Double logLoss, @Nullable Double auc) {

	}

	public PortableModel {
		featureNames = List.copyOf(featureNames);
		coefficients = coefficients.clone();
		classes = List.copyOf(classes);
	}

	@Override
	public double[] coefficients() {
		return coefficients.clone();
	}

	/**
	 * Reads and checks a document.
	 * @throws InvalidModelException naming the first field that is wrong, or the size
	 */
	public static PortableModel parse(byte[] document) {
		return PortableModelReader.read(document);
	}

	/** Smile's model with these weights: the coefficients, then the intercept. */
	LogisticRegression.Binomial classifier() {
		double[] w = Arrays.copyOf(coefficients, coefficients.length + 1);
		w[coefficients.length] = intercept;
		return new LogisticRegression.Binomial(w, Double.NaN, 0.0, IntSet.of(2));
	}

	/**
	 * The document in one canonical form (members in the format's order, absent ones left
	 * out): two uploads of the same model are the same bytes whatever their spacing.
	 */
	public byte[] canonicalBytes() {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		ObjectNode root = nodes.objectNode();
		root.put("format", FORMAT);
		root.put("format_version", FORMAT_VERSION);
		root.put("version", version);
		ArrayNode names = root.putArray("feature_names");
		featureNames.forEach(names::add);
		root.put("intercept", intercept);
		ArrayNode weights = root.putArray("coefficients");
		for (double c : coefficients) {
			weights.add(c);
		}
		ArrayNode labels = root.putArray("classes");
		classes.forEach(labels::add);
		ObjectNode p = root.putObject("provenance");
		putIfPresent(p, "library", provenance.library());
		putIfPresent(p, "library_version", provenance.libraryVersion());
		putIfPresent(p, "estimator", provenance.estimator());
		if (provenance.trainedAt() != null) {
			p.put("trained_at", provenance.trainedAt().toString());
		}
		if (provenance.trainingRows() != null) {
			p.put("training_rows", provenance.trainingRows());
		}
		Holdout h = provenance.holdout();
		if (h != null) {
			ObjectNode holdout = p.putObject("holdout");
			holdout.put("rows", h.rows());
			if (h.accuracy() != null) {
				holdout.put("accuracy", h.accuracy());
			}
			if (h.logLoss() != null) {
				holdout.put("log_loss", h.logLoss());
			}
			if (h.auc() != null) {
				holdout.put("auc", h.auc());
			}
		}
		putIfPresent(p, "exporter", provenance.exporter());
		putIfPresent(p, "description", provenance.description());
		return (ModelJson.mapper().writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The manifest that registers this document, stored as {@code modelFile} with this
	 * SHA-256.
	 * @param uploadedAt used as {@code created_at} when the provenance has no
	 * {@code trained_at}
	 */
	ModelManifest manifest(String modelFile, String sha256, Instant uploadedAt) {
		Holdout h = provenance.holdout();
		Instant created = provenance.trainedAt() != null ? provenance.trainedAt() : uploadedAt;
		return new ModelManifest(version, algorithm(), modelFile, sha256, featureNames,
				created.truncatedTo(ChronoUnit.SECONDS), null, provenance.trainingRows(), h == null ? null : h.rows(),
				h == null ? null : h.accuracy(), h == null ? null : h.logLoss(), h == null ? null : h.auc(),
				provenance.description(), FORMAT, null);
	}

	private String algorithm() {
		List<String> parts = new ArrayList<>();
		if (provenance.library() != null) {
			parts.add(provenance.library());
		}
		if (provenance.libraryVersion() != null) {
			parts.add(provenance.libraryVersion());
		}
		parts.add(provenance.estimator() != null ? provenance.estimator() : "logistic regression");
		return String.join(" ", parts) + " (portable document, served by smile-core LogisticRegression.Binomial)";
	}

	/** The portable document's file name for a version. */
	static String fileNameFor(String version) {
		return "model_" + version + ".logreg.json";
	}

	private static void putIfPresent(ObjectNode node, String name, @Nullable String value) {
		if (value != null) {
			node.put(name, value);
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PortableModel that && Arrays.equals(canonicalBytes(), that.canonicalBytes());
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(canonicalBytes());
	}

	@Override
	public String toString() {
		return "PortableModel[" + version + ", intercept " + intercept + ", coefficients "
				+ Arrays.toString(coefficients) + "]";
	}

}
