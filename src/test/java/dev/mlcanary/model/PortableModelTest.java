package dev.mlcanary.model;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PortableModelTest {

	private static byte[] bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void readsEveryFieldOfTheFormatsExample() {
		PortableModel model = PortableModel.parse(bytes(TestModelDocuments.valid("v4")));

		assertThat(model.version()).isEqualTo("v4");
		assertThat(model.featureNames()).isEqualTo(ChurnFeatures.NAMES);
		assertThat(model.intercept()).isEqualTo(TestModelDocuments.INTERCEPT);
		assertThat(model.coefficients()).containsExactly(TestModelDocuments.COEFFICIENTS);
		assertThat(model.classes()).containsExactly("stays", "churns");
		assertThat(model.provenance().library()).isEqualTo("scikit-learn");
		assertThat(model.provenance().holdout().auc()).isEqualTo(0.826);
		assertThat(model.provenance().trainingRows()).isEqualTo(1500);
	}

	@Test
	void smilesModelAnswersTheDocumentsFormula() {
		PortableModel model = PortableModel.parse(bytes(TestModelDocuments.valid("v4")));
		var classifier = model.classifier();
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 200; i++) {
			double[] x = random.doubles(ChurnFeatures.COUNT, -2, 3).toArray();
			assertThat(classifier.score(x)).isCloseTo(
					TestModelDocuments.probability(TestModelDocuments.INTERCEPT, TestModelDocuments.COEFFICIENTS, x),
					within(1e-15));
		}
	}

	@Test
	void theCanonicalFormIgnoresSpacingAndReadsBackTheSameModel() {
		PortableModel spaced = PortableModel.parse(bytes(TestModelDocuments.valid("v4")));
		PortableModel compact = PortableModel.parse(bytes(TestModelDocuments.valid("v4").replaceAll("\\n\\s*", "")));

		assertThat(spaced.canonicalBytes()).isEqualTo(compact.canonicalBytes());
		assertThat(PortableModel.parse(spaced.canonicalBytes())).isEqualTo(spaced);
		assertThat(PortableModel.parse(bytes(TestModelDocuments.withWeights("v4", 0.5, 1, 2, 3, 4, 5))))
			.isNotEqualTo(spaced);
	}

	@Test
	void doublesSurviveTheRoundTripExactly() {
		double awkward = 0.1 + 0.2;
		PortableModel model = PortableModel
			.parse(bytes(TestModelDocuments.withWeights("v4", awkward, Math.PI, -Double.MIN_VALUE, 1e-300, 1e300, 3)));
		PortableModel again = PortableModel.parse(model.canonicalBytes());

		assertThat(again.intercept()).isEqualTo(awkward);
		assertThat(again.coefficients()).containsExactly(Math.PI, -Double.MIN_VALUE, 1e-300, 1e300, 3);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					"format": "ml-canary-logistic-regression"|"format": "onnx"|/format must be "ml-canary-logistic-regression"
					"format_version": 1|"format_version": 2|/format_version must be 1
					"format_version": 1|"format_version": "1"|/format_version must be 1
					"version": "v4"|"version": "../v4"|/version must be 1-64 letters
					"version": "v4"|"version": 4|/version must be a string
					"intercept": -2.0716|"intercept": "high"|/intercept must be a finite number
					"intercept": -2.0716|"intercept": 1e400|/intercept must be a finite number
					"intercept": -2.0716|"intercept": null|/intercept must not be null
					0.1024|"0.1"|/coefficients/1 must be a finite number
					-0.883, 1.2109, 0.9312|-0.883, 1.2109|/coefficients must hold 5 numbers, one per feature, not 4
					["stays", "churns"]|["a", "b", "c"]|/classes must hold exactly 2 labels
					["stays", "churns"]|["same", "same"]|/classes must be two different labels
					["stays", "churns"]|["stays", 1]|/classes/1 must be a non-empty string
					"support_calls", "monthly_charges"|"monthly_charges", "support_calls"|/feature_names must be this service's 5 features in its order
					"support_calls", "monthly_charges"|"support_calls"|/feature_names must be this service's 5 features
					"coefficients"|"coeficients"|/coeficients is not a member of the format
					"estimator": "LogisticRegression"|"estimator": "LogisticRegression", "seed": 1|/provenance/seed is not a member
					"trained_at": "2026-12-03T07:00:00Z"|"trained_at": "yesterday"|/provenance/trained_at must be an ISO-8601 instant
					"training_rows": 1500|"training_rows": 0|/provenance/training_rows must be a whole number of at least 1
					"training_rows": 1500|"training_rows": 1.5|/provenance/training_rows must be a whole number of at least 1
					"accuracy": 0.742|"accuracy": 1.5|/provenance/holdout/accuracy must be between 0 and 1
					"log_loss": 0.512|"log_loss": -1|/provenance/holdout/log_loss must be at least 0
					{"rows": 500,|{|/provenance/holdout/rows is required
					""")
	void refusesABadFieldByName(String original, String replacement, String expected) {
		String document = TestModelDocuments.valid("v4");
		assertThat(document).contains(original);

		assertThatThrownBy(() -> PortableModel.parse(bytes(document.replace(original, replacement))))
			.isInstanceOf(InvalidModelException.class)
			.hasMessageStartingWith("Model document field " + expected);
	}

	@Test
	void aManifestSentForTheDocumentIsNamedAsSuch() throws Exception {
		byte[] manifest = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("models", "model_v1.json"));

		assertThatThrownBy(() -> PortableModel.parse(manifest))
			.hasMessageStartingWith("This is a model manifest (model_<version>.json), not a model document");
	}

	@Test
	void refusesAMissingMember() {
		String document = TestModelDocuments.valid("v4").replace("\"intercept\": -2.0716,", "");

		assertThatThrownBy(() -> PortableModel.parse(bytes(document)))
			.hasMessage("Model document field /intercept is required.");
	}

	@Test
	void refusesADuplicateMember() {
		String document = TestModelDocuments.valid("v4")
			.replace("\"intercept\": -2.0716,", "\"intercept\": 1, \"intercept\": 2,");

		assertThatThrownBy(() -> PortableModel.parse(bytes(document))).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("Duplicate")
			.hasMessageContaining("intercept");
	}

	@Test
	void refusesWhatIsNotAnObjectOrNotJson() {
		assertThatThrownBy(() -> PortableModel.parse(bytes("[1, 2]")))
			.hasMessage("The model document must be a JSON object.");
		assertThatThrownBy(() -> PortableModel.parse(bytes("{\"format\": ")))
			.hasMessageStartingWith("The model document is not valid JSON: ");
		assertThatThrownBy(() -> PortableModel.parse(bytes("{\"intercept\": NaN}")))
			.hasMessageStartingWith("The model document is not valid JSON: ");
	}

	@Test
	void refusesADocumentOverTheLimitBeforeParsingIt() {
		byte[] big = new byte[PortableModel.MAX_BYTES + 1];

		assertThatThrownBy(() -> PortableModel.parse(big))
			.hasMessage("The model document is 65537 bytes; the limit is 65536.");
	}

	@Test
	void provenanceIsOptionalMemberByMember() {
		String bare = TestModelDocuments.valid("v4")
			.replaceAll("(?s)\"provenance\": \\{.*\\}\\s*\\}", "\"provenance\": {}}");

		PortableModel model = PortableModel.parse(bytes(bare));

		assertThat(model.provenance().library()).isNull();
		assertThat(model.provenance().holdout()).isNull();
		assertThat(new String(model.canonicalBytes(), StandardCharsets.UTF_8)).contains("\"provenance\" : { }");
	}

}
