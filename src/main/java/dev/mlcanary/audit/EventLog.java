package dev.mlcanary.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail: {@code events.jsonl}, one JSON object per line, appended and flushed
 * to disk per event (admin calls are rare, so durability costs nothing that matters). It
 * keeps the newest {@code maxEvents}: once the file holds a tenth more than that, it is
 * rewritten atomically with the newest {@code maxEvents} lines. A torn last line (a crash
 * mid-write) is skipped when reading.
 */
public final class EventLog implements AuditTrail {

	private static final Logger log = LoggerFactory.getLogger(EventLog.class);

	static final String FILE_NAME = "events.jsonl";

	private final Path file;

	private final int maxEvents;

	private final JsonMapper json;

	private int lines;

	public EventLog(Path directory, int maxEvents, JsonMapper json) {
		this.file = directory.resolve(FILE_NAME);
		this.maxEvents = maxEvents;
		this.json = json;
		try {
			Files.createDirectories(directory);
			terminateTornLine();
			this.lines = Files.exists(file) ? readLines().size() : 0;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the event log " + file, ex);
		}
	}

	@Override
	public synchronized void append(AuditEvent event) {
		byte[] line = (json.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND)) {
			ByteBuffer buffer = ByteBuffer.wrap(line);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(false);
			lines++;
			if (lines > maxEvents + maxEvents / 10) {
				compact();
			}
		}
		catch (IOException ex) {
			log.error("Could not append to the event log {}: {}", file, ex.toString());
		}
	}

	@Override
	public synchronized List<AuditEvent> newest(int limit) {
		List<String> all;
		try {
			all = Files.exists(file) ? readLines() : List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the event log " + file, ex);
		}
		List<AuditEvent> events = new ArrayList<>(Math.min(limit, all.size()));
		for (int i = all.size() - 1; i >= 0 && events.size() < limit; i--) {
			try {
				events.add(json.readValue(all.get(i), AuditEvent.class));
			}
			catch (JacksonException ex) {
				log.warn("Skipping an unreadable line {} of {}", i + 1, file);
			}
		}
		return events;
	}

	private void compact() throws IOException {
		List<String> all = readLines();
		List<String> kept = all.subList(Math.max(0, all.size() - maxEvents), all.size());
		Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
		try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			ByteBuffer buffer = ByteBuffer.wrap((String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(true);
		}
		Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		lines = kept.size();
	}

	/**
	 * After a crash mid-append the file may end inside a line; end it so the next event
	 * starts clean.
	 */
	private void terminateTornLine() throws IOException {
		if (!Files.exists(file) || Files.size(file) == 0) {
			return;
		}
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			ByteBuffer last = ByteBuffer.allocate(1);
			channel.read(last, channel.size() - 1);
			if (last.get(0) != '\n') {
				channel.write(ByteBuffer.wrap(new byte[] { '\n' }), channel.size());
				channel.force(false);
			}
		}
	}

	private List<String> readLines() throws IOException {
		return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
	}

}
