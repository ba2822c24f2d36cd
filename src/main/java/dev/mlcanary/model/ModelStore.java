package dev.mlcanary.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model directory: lists the models it holds and loads one by version or by a path
 * inside it. Every load is verified (checksum against the manifest, allow-listed
 * deserialisation, feature count), so a bad file is refused with a reason and never
 * replaces a good model.
 */
public final class ModelStore {

	private static final Logger log = LoggerFactory.getLogger(ModelStore.class);

	private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

	private final Path directory;

	private final String displayPrefix;

	private final JsonMapper json = ModelJson.mapper();

	/**
	 * @param directory the model directory; relative paths resolve against the working
	 * directory
	 */
	public ModelStore(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
		Path name = directory.normalize().getFileName();
		this.displayPrefix = (name == null || directory.isAbsolute()) ? this.directory + "/"
				: directory.normalize() + "/";
	}

	/** One entry of the model directory, as {@code GET /admin/models} lists it. */
	/** The model directory, as configured ({@code canary.model-dir}). */
	public Path directory() {
		return directory;
	}

	public record ModelEntry(String version, String modelPath, ModelManifest manifest) {
	}

	/** Every model with a readable manifest, ordered by version. */
	public List<ModelEntry> list() {
		List<ModelEntry> entries = new ArrayList<>();
		try (DirectoryStream<Path> manifests = Files.newDirectoryStream(directory, "model_*.json")) {
			for (Path file : manifests) {
				readManifest(file)
					.ifPresent(m -> entries.add(new ModelEntry(m.version(), displayPath(m.modelFile()), m)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the model directory " + directory, ex);
		}
		entries.sort(Comparator.comparing(ModelEntry::version));
		return entries;
	}

	public List<String> versions() {
		return list().stream().map(ModelEntry::version).toList();
	}

	/** Loads and verifies a model by version name ({@code "v2"}). */
	public LoadedModel loadVersion(String version) {
		if (version == null || !VERSION.matcher(version).matches()) {
			throw InvalidModelException.because(
					"Model version must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
		}
		ModelManifest manifest = readManifest(directory.resolve(ModelManifest.fileNameFor(version)))
			.filter(m -> version.equals(m.version()))
			.orElseThrow(() -> ModelNotFoundException.forVersion(version, versions()));
		return load(manifest);
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
		if (manifest.featureNames() == null || manifest.featureNames().size() != ChurnFeatures.COUNT) {
			throw InvalidModelException.because("'" + name + "' expects " + sizeOf(manifest.featureNames())
					+ " features; this service serves models with " + ChurnFeatures.COUNT + " ("
					+ String.join(", ", ChurnFeatures.NAMES) + ").");
		}
		byte[] bytes = readModelBytes(manifest, name);
		String actual = ModelFiles.sha256(bytes);
		if (!actual.equalsIgnoreCase(String.valueOf(manifest.sha256()))) {
			throw InvalidModelException.because("'" + name + "' failed its integrity check: SHA-256 " + actual
					+ " does not match the manifest's " + manifest.sha256() + ".");
		}
		var classifier = SafeModelReader.read(bytes, name);
		int dimension = classifier.coefficients().length - 1;
		if (dimension != ChurnFeatures.COUNT) {
			throw InvalidModelException.because("'" + name + "' is a model of " + dimension
					+ " features; this service serves models with " + ChurnFeatures.COUNT + ".");
		}
		double probe = classifier.score(new double[ChurnFeatures.COUNT]);
		if (!Double.isFinite(probe)) {
			throw InvalidModelException.because("'" + name + "' produces non-finite probabilities.");
		}
		return new LoadedModel(manifest, name, classifier);
	}

	private byte[] readModelBytes(ModelManifest manifest, String name) {
		String fileName = manifest.modelFile();
		if (fileName == null || !VERSION.matcher(fileName).matches()) {
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

	private static int sizeOf(List<?> list) {
		return list == null ? 0 : list.size();
	}

}
