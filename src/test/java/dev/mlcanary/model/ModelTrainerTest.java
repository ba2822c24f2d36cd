package dev.mlcanary.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

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

		for (String file : List.of("model_v1.ser", "model_v2.ser", "model_v1.json", "model_v2.json")) {
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
	void modelsLearnTheGroundTruth(@TempDir Path dir) {
		List<ModelManifest> trained = new ModelTrainer(ModelTrainer.DEFAULT_SEED, FIXED).trainAll(dir);
		ModelStore store = new ModelStore(dir);

		for (ModelManifest manifest : trained) {
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
	void rejectsUnknownOptions() {
		assertThatThrownBy(() -> ModelTrainer.main(new String[] { "--bogus" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--bogus");
		assertThat(ModelTrainer.run(new String[] { "--bogus" })).as("usage error exit code").isEqualTo(2);
		assertThat(ModelTrainer.run(new String[] { "--seed", "abc" })).isEqualTo(2);
		assertThat(ModelTrainer.run(new String[] { "--help" })).isZero();
	}

}
