package dev.mlcanary.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Portable documents in the model directory, and uploads in file mode. */
class PortableModelStoreTest {

	static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

	static final double[] X = { 0.2, 1.1, 0.4, 0.9, 1.3 };

	@TempDir
	Path models;

	ModelStore store;

	@BeforeEach
	void trainIntoAFreshDirectory() {
		new ModelTrainer(ModelTrainer.DEFAULT_SEED, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).trainAll(models);
		store = new ModelStore(models);
	}

	private static PortableModel document(String version) {
		return PortableModel.parse(TestModelDocuments.valid(version).getBytes(StandardCharsets.UTF_8));
	}

	private static double expected() {
		return TestModelDocuments.probability(TestModelDocuments.INTERCEPT, TestModelDocuments.COEFFICIENTS, X);
	}

	/** What the exporter writes: a document and its manifest, placed in the directory. */
	private void place(String version, byte[] document) throws IOException {
		Files.write(models.resolve(PortableModel.fileNameFor(version)), document);
		ModelManifest manifest = document(version).manifest(PortableModel.fileNameFor(version),
				ModelFiles.sha256(document), NOW);
		Files.writeString(models.resolve(ModelManifest.fileNameFor(version)),
				ModelJson.mapper().writeValueAsString(manifest));
	}

	@Test
	void servesADocumentPlacedInTheDirectoryWithItsManifest() throws IOException {
		place("v4", TestModelDocuments.valid("v4").getBytes(StandardCharsets.UTF_8));

		LoadedModel model = store.loadVersion("v4");

		assertThat(model.churnProbability(X)).isCloseTo(expected(), within(1e-15));
		assertThat(model.modelPath()).endsWith("/model_v4.logreg.json");
		assertThat(model.manifest().modelFormat()).isEqualTo(PortableModel.FORMAT);
		assertThat(model.manifest().holdoutAuc()).isEqualTo(0.826);
		assertThat(model.manifest().seed()).isNull();
		assertThat(store.versions()).containsExactly("v1", "v2", "v3", "v4");
		assertThat(store.list()).filteredOn(e -> e.version().equals("v4"))
			.singleElement()
			.satisfies(e -> assertThat(e.uploaded()).isFalse());
		assertThat(store.loadPath("model_v4.logreg.json").version()).isEqualTo("v4");
	}

	@Test
	void refusesADocumentWhoseBytesDoNotMatchItsManifest() throws IOException {
		place("v4", TestModelDocuments.valid("v4").getBytes(StandardCharsets.UTF_8));
		Files.writeString(models.resolve(PortableModel.fileNameFor("v4")),
				TestModelDocuments.withWeights("v4", 9, 9, 9, 9, 9, 9));

		assertThatThrownBy(() -> store.loadVersion("v4")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("failed its integrity check");
	}

	@Test
	void refusesADocumentRegisteredUnderAnotherVersion() throws IOException {
		byte[] v5 = TestModelDocuments.valid("v5").getBytes(StandardCharsets.UTF_8);
		Files.write(models.resolve(PortableModel.fileNameFor("v4")), v5);
		ModelManifest manifest = document("v4").manifest(PortableModel.fileNameFor("v4"), ModelFiles.sha256(v5), NOW);
		Files.writeString(models.resolve(ModelManifest.fileNameFor("v4")),
				ModelJson.mapper().writeValueAsString(manifest));

		assertThatThrownBy(() -> store.loadVersion("v4")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("is the document of version v5 but its manifest registers it as v4");
	}

	@Test
	void refusesAnInvalidDocumentNamingTheFieldAndTheFile() throws IOException {
		place("v4",
				TestModelDocuments.valid("v4")
					.replace("\"intercept\": -2.0716", "\"intercept\": \"x\"")
					.getBytes(StandardCharsets.UTF_8));

		assertThatThrownBy(() -> store.loadVersion("v4")).isInstanceOf(InvalidModelException.class)
			.hasMessageEndingWith("model_v4.logreg.json': Model document field /intercept must be a finite number.");
	}

	@Test
	void refusesAnUnknownModelFormat() throws IOException {
		place("v4", TestModelDocuments.valid("v4").getBytes(StandardCharsets.UTF_8));
		Path manifest = models.resolve(ModelManifest.fileNameFor("v4"));
		Files.writeString(manifest, Files.readString(manifest).replace(PortableModel.FORMAT, "onnx"));

		assertThatThrownBy(() -> store.loadVersion("v4")).isInstanceOf(InvalidModelException.class)
			.hasMessageContaining("is in the unknown model format 'onnx'");
	}

	@Test
	void anUploadIsStoredInTheDirectoryAndLoadsAfterARestart() {
		ModelStore.Upload upload = store.upload(document("v4"), NOW);

		assertThat(upload.outcome()).isEqualTo(ModelStore.UploadOutcome.CREATED);
		assertThat(upload.entry().uploaded()).isTrue();
		assertThat(upload.entry().manifest().uploadedAt()).isEqualTo(NOW);
		assertThat(models.resolve("model_v4.json")).exists();
		assertThat(models.resolve("model_v4.logreg.json")).exists();
		assertThat(new ModelStore(models).loadVersion("v4").churnProbability(X)).isCloseTo(expected(), within(1e-15));
	}

	@Test
	void theSameDocumentAgainChangesNothingAndADifferentOneIsAConflict() throws IOException {
		store.upload(document("v4"), NOW);
		byte[] stored = Files.readAllBytes(models.resolve("model_v4.json"));

		assertThat(store.upload(document("v4"), NOW.plusSeconds(60)).outcome())
			.isEqualTo(ModelStore.UploadOutcome.UNCHANGED);
		assertThat(Files.readAllBytes(models.resolve("model_v4.json"))).isEqualTo(stored);
		PortableModel other = PortableModel
			.parse(TestModelDocuments.withWeights("v4", 1, 1, 1, 1, 1, 1).getBytes(StandardCharsets.UTF_8));
		assertThatThrownBy(() -> store.upload(other, NOW)).isInstanceOf(ModelConflictException.class)
			.hasMessageStartingWith("Version v4 already holds a different uploaded model");
	}

	@Test
	void aBundledVersionCannotBeUploadedOverNorDeleted() {
		assertThatThrownBy(() -> store.upload(document("v2"), NOW)).isInstanceOf(ModelConflictException.class)
			.hasMessageStartingWith("Version v2 already holds a model of the model directory");
		assertThatThrownBy(() -> store.deleteUploaded("v2")).isInstanceOf(ModelConflictException.class)
			.hasMessageContaining("is a model of the model directory");
		assertThat(models.resolve("model_v2.ser")).exists();
	}

	@Test
	void anExportedModelIsTheDirectorysAndCannotBeDeletedThroughTheApi() throws IOException {
		place("v4", TestModelDocuments.valid("v4").getBytes(StandardCharsets.UTF_8));

		assertThatThrownBy(() -> store.deleteUploaded("v4")).isInstanceOf(ModelConflictException.class);
	}

	@Test
	void deletingAnUploadRemovesBothFiles() {
		store.upload(document("v4"), NOW);

		store.deleteUploaded("v4");

		assertThat(models.resolve("model_v4.json")).doesNotExist();
		assertThat(models.resolve("model_v4.logreg.json")).doesNotExist();
		assertThat(store.versions()).containsExactly("v1", "v2", "v3");
		assertThatThrownBy(() -> store.deleteUploaded("v4")).isInstanceOf(ModelNotFoundException.class);
	}

}
