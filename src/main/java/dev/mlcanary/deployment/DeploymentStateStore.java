package dev.mlcanary.deployment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the deployment in {@code <state-dir>/deployment.json} so that a restart, or a
 * crash at any moment, comes back to the last change an admin call acknowledged. A save
 * never leaves a torn file: the new content goes to a temporary file that is fsynced,
 * renamed atomically over the old one, and the directory is fsynced so that the rename
 * itself survives a power loss. Readers therefore see either the old file or the new one,
 * complete.
 *
 * <p>
 * One process owns a state directory; saves are serialised here as well as by the caller.
 */
final class DeploymentStateStore {

	static final String FILE_NAME = "deployment.json";

	/**
	 * One fixed name rather than a fresh one per save: a crash between writing and
	 * renaming can then leave at most one stray temporary file, and the next save or
	 * start-up replaces or removes it.
	 */
	static final String TEMP_FILE_NAME = FILE_NAME + ".tmp";

	private static final DateTimeFormatter ASIDE_STAMP = DateTimeFormatter
		.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

	private final Path directory;

	private final Path file;

	private final Path temp;

	private final Clock clock;

	/**
	 * The state file's JSON: snake_case, strict. The PostgreSQL store writes its
	 * {@code rollout} column with it too, so both stores keep a rollout alike.
	 */
	static final JsonMapper JSON = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	/**
	 * @param directory the state directory; created on the first save if it does not
	 * exist
	 */
	DeploymentStateStore(Path directory, Clock clock) {
		this.directory = directory.toAbsolutePath().normalize();
		this.file = this.directory.resolve(FILE_NAME);
		this.temp = this.directory.resolve(TEMP_FILE_NAME);
		this.clock = clock;
	}

	Path file() {
		return file;
	}

	/**
	 * Makes {@code state} durable; when this returns, a crash at any later moment
	 * restores it.
	 * @throws StateNotSavedException if any step failed; the previous file is then still
	 * intact
	 */
	synchronized void save(SavedDeployment state) {
		try {
			if (!Files.isDirectory(directory)) {
				Files.createDirectories(directory);
				syncDirectory(directory.getParent());
			}
			byte[] bytes = JSON.writeValueAsBytes(state);
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(bytes);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
			syncDirectory(directory);
		}
		catch (IOException | JacksonException ex) {
			try {
				Files.deleteIfExists(temp);
			}
			catch (IOException ignored) {
				// The next save truncates it; start-up removes it.
			}
			throw new StateNotSavedException(file, ex);
		}
	}

	/**
	 * The saved deployment, or empty when there is none yet. Removes a temporary file
	 * that a crash left behind: it was never renamed, so it never was the state.
	 * @throws UnreadableStateException if the file cannot be read or does not describe a
	 * deployment
	 */
	synchronized Optional<SavedDeployment> load() {
		try {
			Files.deleteIfExists(temp);
		}
		catch (IOException ex) {
			// Harmless: the next save truncates it.
		}
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UnreadableStateException("it cannot be read (" + ex + ")", ex);
		}
		SavedDeployment state;
		try {
			state = JSON.readValue(upgraded(bytes), SavedDeployment.class);
		}
		catch (JacksonException ex) {
			throw new UnreadableStateException("it is not a valid state file (" + ex.getOriginalMessage() + ")", ex);
		}
		if (state == null) {
			throw new UnreadableStateException("it holds JSON null, not a deployment", null);
		}
		String problem = state.problem();
		if (problem != null) {
			throw new UnreadableStateException("it does not describe a deployment: " + problem, null);
		}
		return Optional.of(state);
	}

	/**
	 * A format 1 file (written before automated rollouts) is the format 2 layout without
	 * {@code rollout}: it reads as a deployment without one. Anything else is read as it
	 * is, and judged by {@link SavedDeployment#problem()}.
	 */
	private byte[] upgraded(byte[] bytes) {
		JsonNode tree;
		try {
			tree = JSON.readTree(bytes);
		}
		catch (JacksonException ex) {
			return bytes; // reading it again reports the error
		}
		if (tree instanceof ObjectNode object && !object.has("rollout") && object.path("format_version").isInt()
				&& object.get("format_version").intValue() == SavedDeployment.FORMAT_VERSION_WITHOUT_ROLLOUT) {
			object.putNull("rollout");
			return JSON.writeValueAsBytes(object);
		}
		return bytes;
	}

	/**
	 * Moves a state file that cannot be served aside, as
	 * {@code deployment.json.corrupt-<UTC time>}, so that an operator can inspect it and
	 * the next save does not overwrite the evidence.
	 * @return the file's new place
	 * @throws IOException if it could not be moved; the caller starts anyway
	 */
	synchronized Path setAside() throws IOException {
		String stamp = ASIDE_STAMP.format(clock.instant());
		Path aside = directory.resolve(FILE_NAME + ".corrupt-" + stamp);
		for (int n = 2; Files.exists(aside); n++) {
			aside = directory.resolve(FILE_NAME + ".corrupt-" + stamp + "-" + n);
		}
		Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
		syncDirectory(directory);
		return aside;
	}

	private static void syncDirectory(Path dir) throws IOException {
		if (dir == null) {
			return;
		}
		try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// Windows cannot open a directory as a channel at all
			// (AccessDeniedException); NTFS journals
			// the rename itself, so there is nothing more to flush there. Everywhere else
			// a failure means
			// the rename may not survive a power loss, so the save has failed.
			if (!WINDOWS) {
				throw ex;
			}
		}
	}

}
