package dev.mlcanary.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model directory, and the models uploaded through the API: lists them and loads one
 * by version or by a path inside the directory. Every load is verified (checksum against
 * the manifest, allow-listed deserialisation or the portable document's checks, feature
 * count), so a bad file is refused with a reason and never replaces a good model.
 *
 * <p>
 * Uploads are files of the directory in file mode, and rows of the shared database in
 * postgres mode ({@link SharedModels}), where every replica must be able to load them. A
 * model placed in the directory by hand, bundled or exported, is never deleted through
 * the API.
 */
public final class ModelStore {

	private static final Logger log = LoggerFactory.getLogger(ModelStore.class);

	private final Path directory;

	private final String displayPrefix;

	private final JsonMapper json = ModelJson.mapper();

	private final @Nullable SharedModels shared;

	/**
	 * @param directory the model directory; relative paths resolve against the working
	 * directory
	 */
	public ModelStore(Path directory) {
		this(directory, null);
	}

	/**
	 * @param directory the model directory; relative paths resolve against the working
	 * directory
	 * @param shared where uploads go in postgres mode; {@code null} to write them into
	 * the directory
	 */
	public ModelStore(Path directory, @Nullable SharedModels shared) {
		this.shared = shared;
		this.directory = directory.toAbsolutePath().normalize();
		Path name = directory.normalize().getFileName();
		this.displayPrefix = (name == null || directory.isAbsolute()) ? this.directory + "/"
				: directory.normalize() + "/";
	}

	/** The model directory, as configured ({@code canary.model-dir}). */
	public Path directory() {
		return directory;
	}

	/**
	 * One model, as {@code GET /admin/models} lists it.
	 *
	 * @param version its version name
	 * @param modelPath its model file as clients name it
	 * @param manifest its provenance
	 * @param uploaded whether it came through the API, which may then delete it
	 */
	public record ModelEntry(String version, String modelPath, ModelManifest manifest, boolean uploaded) {

		ModelEntry(ModelManifest manifest, String modelPath) {
			this(manifest.version(), modelPath, manifest, manifest.isUploaded());
		}

	}

	/** What an upload did. */
	public enum UploadOutcome {

		/** The model is stored now. */
		CREATED,
		/** The same document was stored already: nothing changed. */
		UNCHANGED

	}

	/**
	 * The answer to an upload.
	 *
	 * @param outcome whether it stored anything
	 * @param entry the model as listed
	 */
	public record Upload(UploadOutcome outcome, ModelEntry entry) {

	}

	/** Every model with a readable manifest, ordered by version. */
	public List<ModelEntry> list() {
		List<ModelEntry> entries = new ArrayList<>();
		try (DirectoryStream<Path> manifests = Files.newDirectoryStream(directory, "model_*.json")) {
			for (Path file : manifests) {
				if (file.getFileName().toString().endsWith(".logreg.json")) {
					continue; // a portable document, not a manifest
				}
				readManifest(file)
					.filter(m -> file.getFileName().toString().equals(ModelManifest.fileNameFor(m.version())))
					.ifPresent(m -> entries.add(new ModelEntry(m, displayPath(m.modelFile()))));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the model directory " + directory, ex);
		}
		if (shared != null) {
			for (ModelManifest m : shared.list()) {
				if (entries.stream().noneMatch(e -> e.version().equals(m.version()))) {
					entries.add(new ModelEntry(m, sharedPath(m)));
				}
			}
		}
		entries.sort(Comparator.comparing(ModelEntry::version));
		return entries;
	}

	/** Every version, bundled and uploaded, ordered. */
	public List<String> versions() {
		return list().stream().map(ModelEntry::version).toList();
	}

	/** Loads and verifies a model by version name ({@code "v2"}). */
	public LoadedModel loadVersion(String version) {
		requireVersionName(version);
		Optional<ModelManifest> local = directoryManifest(version);
		if (local.isPresent()) {
			return load(local.get());
		}
		if (shared != null) {
			Optional<SharedModels.Stored> stored = shared.find(version);
			if (stored.isPresent()) {
				ModelManifest manifest = stored.get().manifest();
				return ModelVerifier.verify(manifest, sharedPath(manifest), stored.get().document());
			}
		}
		throw ModelNotFoundException.forVersion(version, versions());
	}

	/**
	 * Stores an uploaded model under its version: in the model directory (document, then
	 * manifest, each written atomically) or in the shared database. The same document
	 * again changes nothing; a different model under a version that exists is refused.
	 * @throws ModelConflictException if the version is taken by another model
	 */
	public synchronized Upload upload(PortableModel model, Instant now) {
		byte[] document = model.canonicalBytes();
		String sha256 = ModelFiles.sha256(document);
		String version = model.version();
		ModelManifest manifest = model.manifest(PortableModel.fileNameFor(version), sha256, now).uploaded(now);
		Optional<ModelManifest> local = directoryManifest(version);
		if (local.isPresent()) {
			return unchangedOrConflict(local.get(), sha256, displayPath(local.get().modelFile()));
		}
		if (shared != null) {
			Optional<ModelManifest> before = shared.insertIfAbsent(manifest, document);
			if (before.isPresent()) {
				return unchangedOrConflict(before.get(), sha256, sharedPath(before.get()));
			}
			return new Upload(UploadOutcome.CREATED, new ModelEntry(manifest, sharedPath(manifest)));
		}
		try {
			ModelFiles.writeDurably(directory.resolve(manifest.modelFile()), document);
			ModelFiles.writeDurably(directory.resolve(ModelManifest.fileNameFor(version)),
					(json.writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			log.warn("Cannot store uploaded model {} in {}: {}", version, directory, ex.toString());
			throw ModelNotSavedException.notStored(version, directory, ex);
		}
		log.info("Stored uploaded model {} ({}) in {}", version, sha256, directory);
		return new Upload(UploadOutcome.CREATED, new ModelEntry(manifest, displayPath(manifest.modelFile())));
	}

	/**
	 * Checks that {@code version} is an upload, which the API may delete.
	 * @throws ModelNotFoundException if there is no such model
	 * @throws ModelConflictException if it is a model of the model directory
	 */
	public void requireDeletable(String version) {
		requireVersionName(version);
		Optional<ModelManifest> local = directoryManifest(version);
		if (local.isPresent() && !local.get().isUploaded()) {
			throw ModelConflictException.notDeletable(version, displayPath(local.get().modelFile()));
		}
		if (local.isEmpty() && (shared == null || shared.find(version).isEmpty())) {
			throw ModelNotFoundException.forVersion(version, versions());
		}
	}

	/**
	 * Deletes an uploaded model. Whether it is serving is the caller's to check, under
	 * the lock (or in the transaction) that puts models into service.
	 * @throws ModelNotFoundException if there is no such model
	 * @throws ModelConflictException if the model was not uploaded (it is the model
	 * directory's)
	 */
	public synchronized void deleteUploaded(String version) {
		requireVersionName(version);
		Optional<ModelManifest> local = directoryManifest(version);
		if (local.isPresent()) {
			if (!local.get().isUploaded()) {
				throw ModelConflictException.notDeletable(version, displayPath(local.get().modelFile()));
			}
			try {
				Files.deleteIfExists(directory.resolve(ModelManifest.fileNameFor(version)));
				Files.deleteIfExists(directory.resolve(local.get().modelFile()));
			}
			catch (IOException ex) {
				log.warn("Cannot delete uploaded model {} from {}: {}", version, directory, ex.toString());
				throw ModelNotSavedException.notDeleted(version, directory, ex);
			}
			log.info("Deleted uploaded model {} from {}", version, directory);
			return;
		}
		if (shared == null || !shared.delete(version)) {
			throw ModelNotFoundException.forVersion(version, versions());
		}
		log.info("Deleted uploaded model {} from the shared store", version);
	}

	/**
	 * Under the lock, or in the transaction, that puts {@code version} into service:
	 * checks that it is still held, and in postgres mode keeps a concurrent delete from
	 * removing it before that transaction ends.
	 * @throws ModelNotFoundException if it was deleted after it was loaded
	 */
	public void holdForServing(String version) {
		if (directoryManifest(version).isPresent() || (shared != null && shared.lockForServing(version))) {
			return;
		}
		throw ModelNotFoundException.deletedMeanwhile(version, versions());
	}

	private Upload unchangedOrConflict(ModelManifest existing, String sha256, String path) {
		if (existing.isUploaded() && existing.isPortable() && sha256.equalsIgnoreCase(existing.sha256())) {
			return new Upload(UploadOutcome.UNCHANGED, new ModelEntry(existing, path));
		}
		throw ModelConflictException.versionTaken(existing.version(), existing.isUploaded());
	}

	private Optional<ModelManifest> directoryManifest(String version) {
		return readManifest(directory.resolve(ModelManifest.fileNameFor(version)))
			.filter(m -> version.equals(m.version()));
	}

	private static void requireVersionName(String version) {
		if (version == null || !PortableModel.VERSION.matcher(version).matches()) {
			throw InvalidModelException.because("Model version must be " + PortableModel.VERSION_RULE + ".");
		}
	}

	private static String sharedPath(ModelManifest manifest) {
		return "uploaded:" + manifest.modelFile();
	}

	/**
	 * Loads and verifies the model at a path inside the model directory. Accepts the
	 * prototype's form ({@code models/model_v2.ser}) and a bare file name; refuses
	 * absolute paths, {@code ..}, NUL bytes and symbolic links that lead outside the
	 * directory.
	 */
	public LoadedModel loadPath(String modelPath) {
		Path file = resolveInside(modelPath);
		if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
			throw ModelNotFoundException.forPath(modelPath, versions());
		}
		requireRealPathInside(file, modelPath);
		String fileName = file.getFileName().toString();
		ModelManifest manifest = list().stream()
			.map(ModelEntry::manifest)
			.filter(m -> fileName.equals(m.modelFile()))
			.findFirst()
			.orElseThrow(() -> InvalidModelException.because(
					"'" + modelPath + "' is not a registered model: no manifest in the model directory names it."));
		return load(manifest);
	}

	private Path resolveInside(String modelPath) {
		if (modelPath == null || modelPath.isBlank()) {
			throw InvalidModelException.because("model_path must not be empty.");
		}
		if (modelPath.indexOf('\0') >= 0) {
			throw InvalidModelException.because("model_path must not contain NUL characters.");
		}
		Path requested;
		try {
			requested = Path.of(modelPath).normalize();
		}
		catch (InvalidPathException ex) {
			throw InvalidModelException.because("model_path is not a valid path.");
		}
		if (requested.isAbsolute() || modelPath.startsWith("/") || modelPath.startsWith("\\")) {
			throw outside(modelPath);
		}
		for (Path part : Path.of(modelPath)) {
			if (part.toString().equals("..")) {
				throw outside(modelPath);
			}
		}
		Path dirName = directory.getFileName();
		if (dirName != null && requested.getNameCount() > 1 && requested.getName(0).equals(dirName)) {
			requested = requested.subpath(1, requested.getNameCount());
		}
		Path file = directory.resolve(requested).normalize();
		if (!file.startsWith(directory) || file.equals(directory)) {
			throw outside(modelPath);
		}
		return file;
	}

	private void requireRealPathInside(Path file, String modelPath) {
		try {
			if (!file.toRealPath().startsWith(directory.toRealPath())) {
				throw outside(modelPath);
			}
		}
		catch (IOException ex) {
			throw ModelNotFoundException.forPath(modelPath, versions());
		}
	}

	private static InvalidModelException outside(String modelPath) {
		return InvalidModelException.because("model_path '" + modelPath.replace('\0', '?')
				+ "' is outside the model directory; give a version (\"v2\") or a file inside it (\"models/model_v2.ser\").");
	}

	private LoadedModel load(ModelManifest manifest) {
		String name = displayPath(manifest.modelFile());
		ModelVerifier.requireFeatureCount(manifest, name);
		return ModelVerifier.verify(manifest, name, readModelBytes(manifest, name));
	}

	private byte[] readModelBytes(ModelManifest manifest, String name) {
		String fileName = manifest.modelFile();
		if (fileName == null || !PortableModel.VERSION.matcher(fileName).matches()) {
			throw InvalidModelException.because("Manifest of " + manifest.version() + " names an invalid model file.");
		}
		Path file = directory.resolve(fileName);
		try {
			requireRealPathInside(file, name);
			if (Files.size(file) > SafeModelReader.MAX_MODEL_BYTES) {
				throw InvalidModelException.because("'" + name + "' is larger than " + SafeModelReader.MAX_MODEL_BYTES
						+ " bytes; not a model of this service.");
			}
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw ModelNotFoundException.forPath(name, versions());
		}
	}

	private Optional<ModelManifest> readManifest(Path file) {
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		try {
			return Optional.of(json.readValue(file.toFile(), ModelManifest.class));
		}
		catch (JacksonException ex) {
			log.warn("Skipping unreadable model manifest {}: {}", file.getFileName(), ex.getOriginalMessage());
			return Optional.empty();
		}
	}

	private String displayPath(String fileName) {
		return displayPrefix + fileName;
	}

}
