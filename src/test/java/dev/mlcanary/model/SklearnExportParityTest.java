package dev.mlcanary.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.mlcanary.model.SklearnPython.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code scripts/export-sklearn.py} against real scikit-learn: every model it exports is
 * served by {@link ModelStore} with scikit-learn's own {@code predict_proba(x)[:, 1]}
 * within 1e-9, on 300 inputs inside and far outside the training range; every model it
 * cannot reproduce is refused with exit status 2 and one line, and nothing is written.
 */
class SklearnExportParityTest {

	private static final Logger log = LoggerFactory.getLogger(SklearnExportParityTest.class);

	static final double TOLERANCE = 1e-9;

	@TempDir
	Path out;

	/**
	 * Trains the models on the first test (once per JVM); without a Python that can, each
	 * test is skipped (or fails under CI) with what to install.
	 */
	@BeforeEach
	void trainTheModels() {
		SklearnPython.fixtures();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "plain", "pipeline", "pipeline-no-mean", "pipeline-no-std", "multinomial",
			"string-classes", "named" })
	void theServiceAnswersWhatScikitLearnAnswers(String name) {
		Run run = SklearnPython.export(SklearnPython.model(name), "--version", name, "--out", out.toString());
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stdout()).contains("wrote " + out.resolve("model_" + name + ".logreg.json"))
			.contains("wrote " + out.resolve("model_" + name + ".json"));

		LoadedModel model = new ModelStore(out).loadVersion(name);

		assertThat(model.version()).isEqualTo(name);
		JsonNode expected = SklearnPython.readJson(SklearnPython.fixtures().resolve("expected.json"));
		JsonNode inputs = expected.path("inputs");
		String reference = name.equals("named") ? "plain" : name;
		JsonNode probabilities = expected.path("probabilities").path(reference);
		assertThat(inputs.size()).isEqualTo(300);
		assertThat(probabilities.size()).isEqualTo(inputs.size());
		double maxDifference = 0;
		int worst = -1;
		for (int i = 0; i < inputs.size(); i++) {
			double[] x = features(inputs.get(i));
			double difference = Math.abs(model.churnProbability(x) - probabilities.get(i).asDouble());
			if (!(difference <= maxDifference)) {
				maxDifference = difference;
				worst = i;
			}
		}
		log.info("{}: max |service - scikit-learn| over {} inputs = {} (input {})", name, inputs.size(), maxDifference,
				worst);
		assertThat(maxDifference)
			.as("max |churnProbability - predict_proba[:, 1]| of %s over %d inputs (worst: input %d)", name,
					inputs.size(), worst)
			.isLessThanOrEqualTo(TOLERANCE);
	}

	@Test
	void theDocumentAndManifestAreWhatTheFormatSays() throws IOException {
		Run run = SklearnPython.export(SklearnPython.model("pipeline"), "--version", "v4", "--out", out.toString(),
				"--trained-at", "2026-12-03T08:00:00.750+01:00", "--description", "Retrained on November's data.");
		assertThat(run.exitCode()).as(run.stderr()).isZero();

		Path documentFile = out.resolve("model_v4.logreg.json");
		JsonNode document = SklearnPython.readJson(documentFile);
		JsonNode manifest = SklearnPython.readJson(out.resolve("model_v4.json"));
		assertThat(document.propertyNames()).containsExactly("format", "format_version", "version", "feature_names",
				"intercept", "coefficients", "classes", "provenance");
		assertThat(document.path("format").asString()).isEqualTo("ml-canary-logistic-regression");
		assertThat(document.path("format_version").asInt()).isEqualTo(1);
		assertThat(document.path("version").asString()).isEqualTo("v4");
		assertThat(strings(document.path("feature_names"))).isEqualTo(ChurnFeatures.NAMES);
		assertThat(document.path("coefficients").size()).isEqualTo(5);
		assertThat(strings(document.path("classes"))).containsExactly("0", "1");
		JsonNode provenance = document.path("provenance");
		assertThat(provenance.path("library").asString()).isEqualTo("scikit-learn");
		assertThat(provenance.path("estimator").asString()).isEqualTo("Pipeline(StandardScaler, LogisticRegression)");
		assertThat(provenance.path("trained_at").asString()).isEqualTo("2026-12-03T07:00:00Z");
		assertThat(provenance.path("exporter").asString()).isEqualTo("export-sklearn.py 1");
		assertThat(provenance.path("description").asString()).isEqualTo("Retrained on November's data.");
		assertThat(provenance.has("training_rows")).as("unknown, so absent (null is not allowed)").isFalse();
		assertThat(provenance.has("holdout")).as("no --holdout").isFalse();

		assertThat(manifest.propertyNames()).containsExactly("version", "algorithm", "model_format", "model_file",
				"sha256", "feature_names", "created_at", "seed", "training_rows", "holdout_rows", "holdout_accuracy",
				"holdout_log_loss", "holdout_auc", "description");
		assertThat(manifest.path("model_format").asString()).isEqualTo("ml-canary-logistic-regression");
		assertThat(manifest.path("model_file").asString()).isEqualTo("model_v4.logreg.json");
		assertThat(manifest.path("sha256").asString()).isEqualTo(ModelFiles.sha256(Files.readAllBytes(documentFile)));
		assertThat(manifest.path("algorithm").asString()).isEqualTo("scikit-learn "
				+ provenance.path("library_version").asString() + " Pipeline(StandardScaler, LogisticRegression)");
		assertThat(strings(manifest.path("feature_names"))).isEqualTo(ChurnFeatures.NAMES);
		assertThat(manifest.path("created_at").asString()).isEqualTo("2026-12-03T07:00:00Z");
		for (String unknown : List.of("seed", "training_rows", "holdout_rows", "holdout_accuracy", "holdout_log_loss",
				"holdout_auc")) {
			assertThat(manifest.path(unknown).isNull()).as(unknown).isTrue();
		}
		assertThat(manifest.path("description").asString()).isEqualTo("Retrained on November's data.");
		try (Stream<Path> files = Files.list(out)) {
			assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left behind")
				.containsExactlyInAnyOrder("model_v4.json", "model_v4.logreg.json");
		}
	}

	@Test
	void theHoldoutFiguresAreScikitLearnsMetrics() {
		Path fixtures = SklearnPython.fixtures();
		Run run = SklearnPython.export(SklearnPython.model("plain"), "--version", "v5", "--out", out.toString(),
				"--holdout", fixtures.resolve("holdout.csv").toString());
		assertThat(run.exitCode()).as(run.stderr()).isZero();

		JsonNode expected = SklearnPython.readJson(fixtures.resolve("holdout-expected.json"));
		JsonNode manifest = SklearnPython.readJson(out.resolve("model_v5.json"));
		JsonNode holdout = SklearnPython.readJson(out.resolve("model_v5.logreg.json"))
			.path("provenance")
			.path("holdout");
		assertThat(holdout.path("rows").asInt()).isEqualTo(500);
		assertThat(manifest.path("holdout_rows").asInt()).isEqualTo(500);
		for (String metric : List.of("accuracy", "log_loss", "auc")) {
			assertThat(holdout.path(metric).asDouble()).as(metric).isEqualTo(expected.path(metric).asDouble());
			assertThat(manifest.path("holdout_" + metric).asDouble()).as(metric)
				.isEqualTo(expected.path(metric).asDouble());
		}
		assertThat(new ModelStore(out).loadVersion("v5").version()).isEqualTo("v5");
	}

	@Test
	void aHoldoutOfOneClassHasNoAuc(@TempDir Path inputs) throws IOException {
		Path holdout = Files.writeString(inputs.resolve("holdout.csv"),
				"0.1,0.2,0.3,0.4,0.5,0\n\n1.4,0.2,0.3,1.2,1.1,0.0\n");

		Run run = SklearnPython.export(SklearnPython.model("plain"), "--version", "v5", "--out", out.toString(),
				"--holdout", holdout.toString());

		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stderrLines())
			.containsExactly("export-sklearn: warning: the holdout rows hold one class only; no AUC");
		JsonNode holdoutFigures = SklearnPython.readJson(out.resolve("model_v5.logreg.json"))
			.path("provenance")
			.path("holdout");
		assertThat(holdoutFigures.propertyNames()).containsExactly("rows", "accuracy", "log_loss");
		assertThat(holdoutFigures.path("rows").asInt()).as("header-less, a blank line skipped").isEqualTo(2);
		ModelManifest manifest = new ModelStore(out).loadVersion("v5").manifest();
		assertThat(manifest.holdoutRows()).isEqualTo(2);
		assertThat(manifest.holdoutAuc()).isNull();
	}

	static Stream<Arguments> refused() {
		return Stream.of(arguments("multiclass", "the model has 3 classes"),
				arguments("tree", "sklearn.tree._classes.DecisionTreeClassifier is not supported"),
				arguments("svc", "sklearn.svm._classes.SVC is not supported"),
				arguments("four-features", "the model takes 4 features"),
				arguments("pipeline-other-step", "Pipeline(MinMaxScaler, LogisticRegression) is not supported"),
				arguments("pipeline-three-steps",
						"Pipeline(StandardScaler, MinMaxScaler, LogisticRegression) is not supported"),
				arguments("swapped-names", "the model was trained on the features ['monthly_charges', 'support_calls'"),
				arguments("dict", "a dict is not supported"), arguments("garbage", "cannot load"),
				arguments("does-not-exist", "is not a file"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void refused(String name, String reason) throws IOException {
		Run run = SklearnPython.export(SklearnPython.model(name), "--version", "v4", "--out", out.toString());

		assertRefused(run, reason);
		assertNothingIn(out);
	}

	@ParameterizedTest
	@ValueSource(strings = { "../v4", "-v4", ".v4", "v 4", "" })
	void anInvalidVersionIsRefused(String version) throws IOException {
		Run run = SklearnPython.export(SklearnPython.model("plain"), "--version=" + version, "--out", out.toString());

		assertRefused(run, "is invalid: 1-64 letters, digits");
		assertNothingIn(out);
	}

	static Stream<Arguments> badHoldouts() {
		String header = "support_calls,monthly_charges,contract_length,usage_decline,payment_delays,churned\n";
		return Stream.of(arguments("another header", "a,b,c,d,e,churned\n0.1,0.2,0.3,0.4,0.5,1\n", "a header must be"),
				arguments("five columns", header + "0.1,0.2,0.3,0.4,0.5\n", "line 2: 5 columns; expected 6"),
				arguments("not a number", header + "0.1,x,0.3,0.4,0.5,1\n", "line 2: a feature is not a number"),
				arguments("not finite", header + "0.1,nan,0.3,0.4,0.5,1\n", "line 2: a feature is not finite"),
				arguments("unknown label", header + "0.1,0.2,0.3,0.4,0.5,2\n",
						"line 2: label '2' is not one of the model's classes (0, 1)"),
				arguments("no rows", header, "has no rows"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badHoldouts")
	void aHoldoutItCannotReadIsRefused(String name, String csv, String reason, @TempDir Path inputs)
			throws IOException {
		Path holdout = Files.writeString(inputs.resolve("holdout.csv"), csv);

		Run run = SklearnPython.export(SklearnPython.model("plain"), "--version", "v4", "--out", out.toString(),
				"--holdout", holdout.toString());

		assertRefused(run, reason);
		assertNothingIn(out);
	}

	@Test
	void aTrainingTimeWithoutAnOffsetIsRefused() throws IOException {
		Run run = SklearnPython.export(SklearnPython.model("plain"), "--version", "v4", "--out", out.toString(),
				"--trained-at", "2026-12-03T07:00:00");

		assertRefused(run, "has no offset");
		assertNothingIn(out);
	}

	@Test
	void anExistingVersionIsReplacedOnlyWithForce() throws IOException {
		Run first = SklearnPython.export(SklearnPython.model("plain"), "--version", "v4", "--out", out.toString());
		assertThat(first.exitCode()).as(first.stderr()).isZero();
		byte[] plain = Files.readAllBytes(out.resolve("model_v4.logreg.json"));

		Run again = SklearnPython.export(SklearnPython.model("pipeline"), "--version", "v4", "--out", out.toString());
		assertRefused(again, "version v4 already exists in");
		assertThat(Files.readAllBytes(out.resolve("model_v4.logreg.json"))).isEqualTo(plain);

		Run forced = SklearnPython.export(SklearnPython.model("pipeline"), "--version", "v4", "--out", out.toString(),
				"--force");
		assertThat(forced.exitCode()).as(forced.stderr()).isZero();
		assertThat(Files.readAllBytes(out.resolve("model_v4.logreg.json"))).isNotEqualTo(plain);
		assertThat(new ModelStore(out).loadVersion("v4").manifest().algorithm())
			.endsWith("Pipeline(StandardScaler, LogisticRegression)");
	}

	@Test
	void aBundledSmileModelIsNeverReplacedEvenWithForce() throws IOException {
		for (String file : List.of("model_v1.json", "model_v1.ser")) {
			Files.copy(Path.of("models", file), out.resolve(file));
		}

		assertRefused(SklearnPython.export(SklearnPython.model("plain"), "--version", "v1", "--out", out.toString()),
				"version v1 already exists in");
		assertRefused(SklearnPython.export(SklearnPython.model("plain"), "--version", "v1", "--out", out.toString(),
				"--force"), "version v1 in " + out + " is not a model this exporter wrote");

		for (String file : List.of("model_v1.json", "model_v1.ser")) {
			assertThat(out.resolve(file)).hasSameBinaryContentAs(Path.of("models", file));
		}
		try (Stream<Path> files = Files.list(out)) {
			assertThat(files).hasSize(2);
		}
	}

	@Test
	void anUploadedVersionIsNotReplacedEvenWithForce() throws IOException {
		Run first = SklearnPython.export(SklearnPython.model("plain"), "--version", "v4", "--out", out.toString());
		assertThat(first.exitCode()).as(first.stderr()).isZero();
		Path manifest = out.resolve("model_v4.json");
		// As POST /admin/models marks what it writes.
		String uploaded = Files.readString(manifest)
			.replace("\"model_format\"", "\"uploaded_at\": \"2026-12-03T07:00:00Z\",\n  \"model_format\"");
		Files.writeString(manifest, uploaded);

		assertRefused(SklearnPython.export(SklearnPython.model("pipeline"), "--version", "v4", "--out", out.toString(),
				"--force"), "was uploaded through POST /admin/models; --force does not replace it");
		assertThat(Files.readString(manifest)).isEqualTo(uploaded);
	}

	private static void assertRefused(Run run, String reason) {
		assertThat(run.exitCode()).as("exit status; stderr: %s", run.stderr()).isEqualTo(2);
		assertThat(run.stderrLines()).singleElement().asString().startsWith("export-sklearn: ").contains(reason);
		assertThat(run.stdout()).isEmpty();
	}

	private static void assertNothingIn(Path dir) throws IOException {
		try (Stream<Path> files = Files.list(dir)) {
			assertThat(files).as("files written").isEmpty();
		}
	}

	static double[] features(JsonNode row) {
		double[] x = new double[row.size()];
		for (int i = 0; i < x.length; i++) {
			x[i] = row.get(i).asDouble();
		}
		return x;
	}

	private static List<String> strings(JsonNode array) {
		return array.valueStream().map(JsonNode::asString).toList();
	}

}
