package dev.mlcanary.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import smile.classification.LogisticRegression;
import smile.util.IntSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
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

	static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private static final int MAX_SHORT_TEXT = 200;

	private static final int MAX_DESCRIPTION = 1_000;

	private static final Set<String> MEMBERS = Set.of("format", "format_version", "version", "feature_names",
			"intercept", "coefficients", "classes", "provenance");

	private static final Set<String> PROVENANCE_MEMBERS = Set.of("library", "library_version", "estimator",
			"trained_at", "training_rows", "holdout", "exporter", "description");

	private static final Set<String> HOLDOUT_MEMBERS = Set.of("rows", "accuracy", "log_loss", "auc");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

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
		if (document.length > MAX_BYTES) {
			throw InvalidModelException
				.because("The model document is " + document.length + " bytes; the limit is " + MAX_BYTES + ".");
		}
		JsonNode root;
		try {
			root = JSON.readTree(document);
		}
		catch (JacksonException ex) {
			throw InvalidModelException.because("The model document is not valid JSON: " + ex.getOriginalMessage());
		}
		if (root == null || !root.isObject()) {
			throw InvalidModelException.because("The model document must be a JSON object.");
		}
		if (root.has("model_file") && root.has("sha256")) {
			throw InvalidModelException
				.because("This is a model manifest (model_<version>.json), not a model document: "
						+ "upload the document beside it, model_<version>.logreg.json, whose checksum it holds.");
		}
		onlyMembers(root, MEMBERS, "");
		String format = text(root, "format", "", MAX_SHORT_TEXT);
		if (!FORMAT.equals(format)) {
			throw invalid("/format", "must be \"" + FORMAT + "\", not \"" + format + "\"");
		}
		JsonNode formatVersion = required(root, "format_version", "");
		if (!formatVersion.isIntegralNumber() || !formatVersion.canConvertToLong()
				|| formatVersion.longValue() != FORMAT_VERSION) {
			throw invalid("/format_version",
					"must be " + FORMAT_VERSION + " (this service reads version " + FORMAT_VERSION + " of the format)");
		}
		String version = text(root, "version", "", 64);
		if (!VERSION.matcher(version).matches()) {
			throw invalid("/version", "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
		}
		List<String> featureNames = featureNames(root);
		double intercept = finite(required(root, "intercept", ""), "/intercept");
		double[] coefficients = coefficients(root);
		List<String> classes = classes(root);
		Provenance provenance = provenance(required(root, "provenance", ""));
		return new PortableModel(version, featureNames, intercept, coefficients, classes, provenance);
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

	private static List<String> featureNames(JsonNode root) {
		JsonNode names = array(root, "feature_names", "");
		List<String> values = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			JsonNode name = names.get(i);
			if (!name.isString()) {
				throw invalid("/feature_names/" + i, "must be a string");
			}
			values.add(name.stringValue());
		}
		if (!values.equals(ChurnFeatures.NAMES)) {
			throw invalid("/feature_names",
					"must be this service's " + ChurnFeatures.COUNT + " features in its order ("
							+ String.join(", ", ChurnFeatures.NAMES) + "), not (" + String.join(", ", values)
							+ "); a model of other columns, or of these in another order, would answer wrongly");
		}
		return values;
	}

	private static double[] coefficients(JsonNode root) {
		JsonNode weights = array(root, "coefficients", "");
		if (weights.size() != ChurnFeatures.COUNT) {
			throw invalid("/coefficients", "must hold " + ChurnFeatures.COUNT + " numbers, one per feature, not "
					+ weights.size() + "; this service serves models of " + ChurnFeatures.COUNT + " features");
		}
		double[] values = new double[weights.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = finite(weights.get(i), "/coefficients/" + i);
		}
		return values;
	}

	private static List<String> classes(JsonNode root) {
		JsonNode labels = array(root, "classes", "");
		if (labels.size() != 2) {
			throw invalid("/classes", "must hold exactly 2 labels (negative, then positive), not " + labels.size()
					+ "; this service serves binary models");
		}
		List<String> values = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			JsonNode label = labels.get(i);
			if (!label.isString() || label.stringValue().isEmpty() || label.stringValue().length() > MAX_SHORT_TEXT) {
				throw invalid("/classes/" + i,
						"must be a non-empty string of at most " + MAX_SHORT_TEXT + " characters");
			}
			values.add(label.stringValue());
		}
		if (values.get(0).equals(values.get(1))) {
			throw invalid("/classes", "must be two different labels");
		}
		return values;
	}

	private static Provenance provenance(JsonNode node) {
		String at = "/provenance";
		if (!node.isObject()) {
			throw invalid(at, "must be an object");
		}
		onlyMembers(node, PROVENANCE_MEMBERS, at);
		Instant trainedAt = null;
		String trained = optionalText(node, "trained_at", at, 64);
		if (trained != null) {
			try {
				trainedAt = Instant.parse(trained);
			}
			catch (DateTimeParseException ex) {
				throw invalid(at + "/trained_at", "must be an ISO-8601 instant such as 2026-12-03T07:00:00Z");
			}
		}
		Integer trainingRows = node.has("training_rows") ? positiveInt(node.get("training_rows"), at + "/training_rows")
				: null;
		Holdout holdout = node.has("holdout") ? holdout(node.get("holdout"), at + "/holdout") : null;
		return new Provenance(optionalText(node, "library", at, MAX_SHORT_TEXT),
				optionalText(node, "library_version", at, MAX_SHORT_TEXT),
				optionalText(node, "estimator", at, MAX_SHORT_TEXT), trainedAt, trainingRows, holdout,
				optionalText(node, "exporter", at, MAX_SHORT_TEXT),
				optionalText(node, "description", at, MAX_DESCRIPTION));
	}

	private static Holdout holdout(JsonNode node, String at) {
		if (!node.isObject()) {
			throw invalid(at, "must be an object");
		}
		onlyMembers(node, HOLDOUT_MEMBERS, at);
		int rows = positiveInt(required(node, "rows", at), at + "/rows");
		Double accuracy = node.has("accuracy") ? unitInterval(node.get("accuracy"), at + "/accuracy") : null;
		Double logLoss = null;
		if (node.has("log_loss")) {
			logLoss = finite(node.get("log_loss"), at + "/log_loss");
			if (logLoss < 0) {
				throw invalid(at + "/log_loss", "must be at least 0");
			}
		}
		Double auc = node.has("auc") ? unitInterval(node.get("auc"), at + "/auc") : null;
		return new Holdout(rows, accuracy, logLoss, auc);
	}

	private static void onlyMembers(JsonNode node, Set<String> allowed, String at) {
		for (Map.Entry<String, JsonNode> member : node.properties()) {
			if (!allowed.contains(member.getKey())) {
				throw invalid(at + "/" + member.getKey(), "is not a member of the format (allowed: "
						+ String.join(", ", allowed.stream().sorted().toList()) + ")");
			}
			if (member.getValue().isNull()) {
				throw invalid(at + "/" + member.getKey(), "must not be null; leave an unknown value out");
			}
		}
	}

	private static JsonNode required(JsonNode node, String name, String at) {
		JsonNode value = node.get(name);
		if (value == null) {
			throw invalid(at + "/" + name, "is required");
		}
		return value;
	}

	private static JsonNode array(JsonNode node, String name, String at) {
		JsonNode value = required(node, name, at);
		if (!value.isArray()) {
			throw invalid(at + "/" + name, "must be an array");
		}
		return value;
	}

	private static String text(JsonNode node, String name, String at, int maxLength) {
		JsonNode value = required(node, name, at);
		return checkedText(value, at + "/" + name, maxLength);
	}

	private static @Nullable String optionalText(JsonNode node, String name, String at, int maxLength) {
		JsonNode value = node.get(name);
		return value == null ? null : checkedText(value, at + "/" + name, maxLength);
	}

	private static String checkedText(JsonNode value, String at, int maxLength) {
		if (!value.isString()) {
			throw invalid(at, "must be a string");
		}
		String text = value.stringValue();
		if (text.length() > maxLength) {
			throw invalid(at, "must be at most " + maxLength + " characters");
		}
		return text;
	}

	private static double finite(JsonNode value, String at) {
		if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
			throw invalid(at, "must be a finite number");
		}
		return value.doubleValue();
	}

	private static double unitInterval(JsonNode value, String at) {
		double v = finite(value, at);
		if (v < 0 || v > 1) {
			throw invalid(at, "must be between 0 and 1");
		}
		return v;
	}

	private static int positiveInt(JsonNode value, String at) {
		if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
			throw invalid(at, "must be a whole number of at least 1");
		}
		return value.intValue();
	}

	private static void putIfPresent(ObjectNode node, String name, @Nullable String value) {
		if (value != null) {
			node.put(name, value);
		}
	}

	private static InvalidModelException invalid(String pointer, String problem) {
		return InvalidModelException.because("Model document field " + pointer + " " + problem + ".");
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
