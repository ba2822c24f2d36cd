package dev.mlcanary.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelTrainerTest {

	private static final Clock FIXED = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

	@Test
	void sameSeedGivesByteIdenticalModelsAndManifests(@TempDir Path a, @TempDir Path b) throws IOException {
		new ModelTrainer(ModelTrainer.DEFAULT_SEED, FIXED).trainAll(a);
		new ModelTrainer(ModelTrainer.DEFAULT_SEED, FIXED).trainAll(b);

		for (String file : List.of("model_v1.ser", "model_v2.ser", "model_v3.ser", "model_v1.json", "model_v2.json",
				"model_v3.json")) {
			assertThat(Files.readAllBytes(a.resolve(file))).as(file).isEqualTo(Files.readAllBytes(b.resolve(file)));
		}
	}

	@Test
	void committedModelsAreTheTrainersOutput(@TempDir Path dir) throws IOException {
		List<ModelManifest> trained = new ModelTrainer(ModelTrainer.DEFAULT_SEED, FIXED).trainAll(dir);

		for (ModelManifest manifest : trained) {
			assertThat(Files.readAllBytes(Path.of("models", manifest.modelFile())))
				.as("models/%s is what `scripts/train.sh` produces", manifest.modelFile())
				.isEqualTo(Files.readAllBytes(dir.resolve(manifest.modelFile())));
		}
	}

	@Test
	void trainsTheThreeBundledVersions(@TempDir Path dir) {
		List<ModelManifest> trained = new ModelTrainer(ModelTrainer.DEFAULT_SEED, FIXED).trainAll(dir);

		assertThat(trained).extracting(ModelManifest::version).containsExactly("v1", "v2", "v3");
		assertThat(new ModelStore(Path.of("models")).versions()).as("committed models")
			.containsExactly("v1", "v2", "v3");
	}

	@Test
	void goodModelsLearnTheGroundTruth(@TempDir Path dir) {
		List<ModelManifest> trained = new ModelTrainer(ModelTrainer.DEFAULT_SEED, FIXED).trainAll(dir);
		ModelStore store = new ModelStore(dir);

		for (ModelManifest manifest : trained.stream().filter(m -> !m.version().equals("v3")).toList()) {
			assertThat(manifest.holdoutAuc()).as("AUC of %s", manifest.version()).isGreaterThan(0.75);
			assertThat(manifest.holdoutAccuracy()).isGreaterThan(0.65);
			assertThat(manifest.trainingRows()).isEqualTo(ModelTrainer.TRAINING_ROWS);
			double[] coefficients = store.loadVersion(manifest.version()).classifier().coefficients();
			for (int j = 0; j < ChurnFeatures.COUNT; j++) {
				assertThat(coefficients[j]).as("weight of %s", ChurnFeatures.NAMES.get(j))
					.isCloseTo(SyntheticChurnData.TRUE_WEIGHTS[j], within(0.5));
			}
		}
	}

	@Test
	void v2IsNearlyIdenticalToV1() {
		ModelStore store = new ModelStore(Path.of("models"));
		LoadedModel v1 = store.loadVersion("v1");
		LoadedModel v2 = store.loadVersion("v2");
		double[] x = { 0.5, 1.2, 0.8, 0.3, 1.1 };

		assertThat(v2.churnProbability(x)).isCloseTo(v1.churnProbability(x), within(0.02));
		assertThat(v2.manifest().sha256()).isNotEqualTo(v1.manifest().sha256());
	}

	@Test
	void v3IsClearlyWorseThanV1ButTakesTheSameFeatures() {
		ModelStore store = new ModelStore(Path.of("models"));
		LoadedModel v1 = store.loadVersion("v1");
		LoadedModel v3 = store.loadVersion("v3");

		assertThat(v3.manifest().featureNames()).isEqualTo(ChurnFeatures.NAMES);
		assertThat(v3.manifest().trainingRows()).isEqualTo(ModelTrainer.TRAINING_ROWS);
		assertThat(v3.manifest().description()).contains("labels shuffled");
		assertThat(v3.manifest().holdoutAuc()).as("no better than chance").isLessThan(0.6);
		assertThat(v1.manifest().holdoutAuc() - v3.manifest().holdoutAuc()).as("AUC lost against v1")
			.isGreaterThan(0.15);
		assertThat(v3.manifest().holdoutAccuracy()).isLessThan(v1.manifest().holdoutAccuracy() - 0.1);
	}

	@Test
	void v3DisagreesWithV1OnASubstantialShareOfTheHoldoutRows() {
		ModelStore store = new ModelStore(Path.of("models"));
		LoadedModel v1 = store.loadVersion("v1");
		LoadedModel v3 = store.loadVersion("v3");
		SyntheticChurnData.Rows holdout = SyntheticChurnData
			.generate(ModelTrainer.ROWS, new SplittableRandom(ModelTrainer.DEFAULT_SEED))
			.slice(ModelTrainer.TRAINING_ROWS, ModelTrainer.ROWS);

		int disagreements = 0;
		double absoluteDifference = 0;
		for (double[] x : holdout.x()) {
			double p1 = v1.churnProbability(x);
			double p3 = v3.churnProbability(x);
			disagreements += (p1 >= 0.5) != (p3 >= 0.5) ? 1 : 0;
			absoluteDifference += Math.abs(p1 - p3);
		}

		assertThat(disagreements / (double) holdout.size()).as("share of class disagreement at threshold 0.5")
			.isGreaterThan(0.10);
		assertThat(absoluteDifference / holdout.size()).as("mean absolute probability difference").isGreaterThan(0.1);
	}

	@Test
	void addingV3LeftTheBytesOfV1AndV2Unchanged() throws IOException {
		assertThat(ModelFiles.sha256(Files.readAllBytes(Path.of("models", "model_v1.ser"))))
			.as("model_v1.ser as committed before v3 existed")
			.isEqualTo("19817fe5de391877b1ed8488b632bf35a725b5b3d8675a82839d7fc993afda08");
		assertThat(ModelFiles.sha256(Files.readAllBytes(Path.of("models", "model_v2.ser"))))
			.as("model_v2.ser as committed before v3 existed")
			.isEqualTo("c69f18b3f974710b1df3687dff54b86e4424e40e190bf15cc96d0c61eb8aceef");
	}

	@Test
	void rejectsUnknownOptions() {
		assertThatThrownBy(() -> ModelTrainer.main(new String[] { "--bogus" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--bogus");
		assertThat(ModelTrainer.run(new String[] { "--bogus" })).as("usage error exit code").isEqualTo(2);
		assertThat(ModelTrainer.run(new String[] { "--seed", "abc" })).isEqualTo(2);
		assertThat(ModelTrainer.run(new String[] { "--help" })).isZero();
	}

}
