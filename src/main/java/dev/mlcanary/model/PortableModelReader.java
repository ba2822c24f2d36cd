package dev.mlcanary.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mlcanary.model.PortableModel.Holdout;
import dev.mlcanary.model.PortableModel.Provenance;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a portable model document ({@code docs/model-format.md}) strictly: numbers and
 * strings only (it never names a class), every field checked, unknown members, nulls and
 * duplicate keys refused, each refusal naming the field's JSON pointer.
 */
final class PortableModelReader {

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

	private PortableModelReader() {
	}

	/** See {@link PortableModel#parse}. */
	static PortableModel read(byte[] document) {
		if (document.length > PortableModel.MAX_BYTES) {
			throw InvalidModelException.because("The model document is " + document.length + " bytes; the limit is "
					+ PortableModel.MAX_BYTES + ".");
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
		if (!PortableModel.FORMAT.equals(format)) {
			throw invalid("/format", "must be \"" + PortableModel.FORMAT + "\", not \"" + format + "\"");
		}
		JsonNode formatVersion = required(root, "format_version", "");
		if (!formatVersion.isIntegralNumber() || !formatVersion.canConvertToLong()
				|| formatVersion.longValue() != PortableModel.FORMAT_VERSION) {
			throw invalid("/format_version", "must be " + PortableModel.FORMAT_VERSION + " (this service reads version "
					+ PortableModel.FORMAT_VERSION + " of the format)");
		}
		String version = text(root, "version", "", 64);
		if (!PortableModel.VERSION.matcher(version).matches()) {
			throw invalid("/version", "must be " + PortableModel.VERSION_RULE);
		}
		List<String> featureNames = featureNames(root);
		double intercept = finite(required(root, "intercept", ""), "/intercept");
		double[] coefficients = coefficients(root);
		List<String> classes = classes(root);
		Provenance provenance = provenance(required(root, "provenance", ""));
		return new PortableModel(version, featureNames, intercept, coefficients, classes, provenance);
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

	private static InvalidModelException invalid(String pointer, String problem) {
		return InvalidModelException.because("Model document field " + pointer + " " + problem + ".");
	}

}
