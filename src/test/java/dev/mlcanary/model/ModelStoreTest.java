package dev.mlcanary.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ch.qos.logback.classic.Level;
import dev.mlcanary.ExpectedLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smile.classification.LogisticRegression;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

class ModelStoreTest {

	@TempDir
	Path root;

	Path models;

	ModelStore store;

	/**
	 * The warnings of skipped files: asserted here rather than printed in the build log.
	 */
	@RegisterExtension
	final ExpectedLog log = ExpectedLog.of(ModelStore.class);

	@BeforeEach
	void trainIntoAFreshDirectory() throws IOException {
		models = Files.createDirectory(root.resolve("models"));
		new ModelTrainer(ModelTrainer.DEFAULT_SEED, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).trainAll(models);
		store = new ModelStore(models);
	}

	@Test
	void listsEveryVersionWithItsManifestAndPath() {
		assertThat(store.list()).extracting(ModelStore.ModelEntry::version).containsExactly("v1", "v2", "v3");
		assertThat(store.list().get(1).modelPath()).endsWith("models/model_v2.ser");
		assertThat(store.list().get(1).manifest().featureNames()).isEqualTo(ChurnFeatures.NAMES);
	}

	@Test
	void loadsByVersionAndByPathInsideTheDirectory() {
		LoadedModel byVersion = store.loadVersion("v2");
		LoadedModel byPrototypePath = store.loadPath("models/model_v2.ser");
		LoadedModel byFileName = store.loadPath("model_v2.ser");

		assertThat(byVersion.version()).isEqualTo("v2");
		assertThat(byPrototypePath.version()).isEqualTo("v2");
		assertThat(byFileName.manifest()).isEqualTo(byVersion.manifest());
		double[] x = { 0.5, 1.2, 0.8, 0.3, 1.1 };
		assertThat(byPrototypePath.churnProbability(x)).isEqualTo(byVersion.churnProbability(x)).isBetween(0.0, 1.0);
	}

	@Test
	void unknownVersionIsNotFoundAndNamesTheAvailableOnes() {
		assertThatThrownBy(() -> store.loadVersion("v9")).isInstanceOf(ModelNotFoundException.class)
			.hasMessageContaining("'v9'")
			.hasMessageContaining("v1, v2, v3");
		assertThatThrownBy(() -> store.loadPath("models/model_v9.ser")).isInstanceOf(ModelNotFoundException.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "../secret.ser", "models/../../secret.ser", "models/../models/../secret.ser",
			"/etc/passwd", "..", "models/..", "./../secret.ser" })
	void refusesPathsOutsideTheDirectory(String path) throws IOException {
		Files.writeString(root.resolve("secret.ser"), "not yours");

		assertThatThrownBy(() -> store.loadPath(path)).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("outside the model directory");
	}

	@ParameterizedTest
	@ValueSource(strings = { "model\0_v1.ser", "", "   " })
	void refusesNulBytesAndEmptyPaths(String path) {
		assertThatThrownBy(() -> store.loadPath(path)).isInstanceOf(InvalidModelException.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { "../v1", "v1/../v2", "", "v 1", "v1\0" })
	void refusesMalformedVersionNames(String version) {
		assertThatThrownBy(() -> store.loadVersion(version)).isInstanceOf(InvalidModelException.class);
	}

	@Test
	void refusesASymlinkThatLeadsOutOfTheDirectory() throws IOException {
		Path outside = Files.write(root.resolve("outside.ser"), Files.readAllBytes(models.resolve("model_v1.ser")));
		Files.createSymbolicLink(models.resolve("model_link.ser"), outside);
		writeManifest("link", "model_link.ser", Files.readAllBytes(outside), ChurnFeatures.NAMES);

		assertThatThrownBy(() -> store.loadPath("models/model_link.ser")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("outside the model directory");
		assertThatThrownBy(() -> store.loadVersion("link")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("outside the model directory");
	}

	@Test
	void refusesAFileWithoutManifest() throws IOException {
		Files.copy(models.resolve("model_v1.ser"), models.resolve("stray.ser"));

		assertThatThrownBy(() -> store.loadPath("models/stray.ser")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("not a registered model");
	}

	@Test
	void refusesAChecksumMismatch() throws IOException {
		byte[] bytes = Files.readAllBytes(models.resolve("model_v2.ser"));
		bytes[bytes.length - 1] ^= 0x01;
		Files.write(models.resolve("model_v2.ser"), bytes);

		assertThatThrownBy(() -> store.loadVersion("v2")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("integrity check");
	}

	@Test
	void refusesGarbageBytesEvenWithAMatchingChecksum() throws IOException {
		byte[] garbage = new byte[300];
		new SplittableRandom(1).nextBytes(garbage);
		Files.write(models.resolve("model_junk.ser"), garbage);
		writeManifest("junk", "model_junk.ser", garbage, ChurnFeatures.NAMES);

		assertThatThrownBy(() -> store.loadVersion("junk")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("not a valid model file");
	}

	@Test
	void refusesADisallowedClassInTheStreamWithoutInstantiatingIt() throws IOException {
		Tripwire.instantiated = false;
		byte[] bytes = ModelTrainer.serialize(new ArrayList<>(List.of(new Tripwire())));
		Files.write(models.resolve("model_evil.ser"), bytes);
		writeManifest("evil", "model_evil.ser", bytes, ChurnFeatures.NAMES);

		assertThatThrownBy(() -> store.loadVersion("evil")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("not allowed");
		assertThat(Tripwire.instantiated).as("readObject of a rejected class ran").isFalse();
	}

	@Test
	void refusesAModelOfTheWrongDimension() throws IOException {
		SyntheticChurnData.Rows rows = SyntheticChurnData.generate(200, new SplittableRandom(3));
		double[][] threeFeatures = new double[rows.size()][];
		for (int i = 0; i < rows.size(); i++) {
			threeFeatures[i] = java.util.Arrays.copyOf(rows.x()[i], 3);
		}
		byte[] bytes = ModelTrainer.serialize(LogisticRegression.binomial(threeFeatures, rows.y()));
		Files.write(models.resolve("model_small.ser"), bytes);
		writeManifest("small", "model_small.ser", bytes, ChurnFeatures.NAMES);
		writeManifest("small3", "model_small.ser", bytes, ChurnFeatures.NAMES.subList(0, 3));

		assertThatThrownBy(() -> store.loadVersion("small")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("model of 3 features");
		assertThatThrownBy(() -> store.loadVersion("small3")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("expects 3 features");
	}

	@Test
	void skipsAnUnreadableManifestInListings() throws IOException {
		Files.writeString(models.resolve("model_broken.json"), "{ not json");

		assertThat(store.versions()).containsExactly("v1", "v2", "v3");
		assertThat(log.messages(Level.WARN)).singleElement(as(STRING))
			.startsWith("Skipping unreadable model manifest model_broken.json");
	}

	private void writeManifest(String version, String file, byte[] bytes, List<String> features) throws IOException {
		ModelManifest manifest = new ModelManifest(version, "test", file, ModelFiles.sha256(bytes), features,
				Instant.EPOCH, 0L, 0, 0, 0.0, 0.0, 0.0, "test fixture", null, null);
		Files.writeString(models.resolve(ModelManifest.fileNameFor(version)),
				ModelJson.mapper().writeValueAsString(manifest));
	}

	/** A serializable class that records whether deserialisation ever ran its code. */
	static final class Tripwire implements java.io.Serializable {

		static volatile boolean instantiated;

		private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
			instantiated = true;
			in.defaultReadObject();
		}

	}

}
