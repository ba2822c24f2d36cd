package dev.mlcanary.deployment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.mlcanary.model.ModelStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 at any moment loses no acknowledged change. A child JVM
 * ({@link CrashLoopChild}) changes the deployment in a loop and reports each change
 * before ({@code BEGIN}) and after ({@code ACK}) the call. This test reads its output and
 * kills it with SIGKILL after a seeded-random number of ACK lines; since the child does
 * not wait for the reader, the kill lands wherever the loop happens to be: writing the
 * temporary file, fsyncing, renaming, between calls. Then the state is restored from the
 * directory, as a restarted service would, and must be the last acknowledged deployment,
 * or the one announced right after it (that change became durable, but the child died
 * before it could say so). The next child continues from the restored state.
 *
 * <p>
 * The kill is {@link ProcessHandle#destroyForcibly()}, which on Linux and macOS sends
 * SIGKILL, the same signal as {@link Process#destroyForcibly()}: the child can neither
 * catch nor delay it, so no shutdown hook, finally block or flush runs. (The
 * {@code Process} method would also close our end of the child's stdout, losing the lines
 * it wrote just before it died; the handle's does not.) The exit status 137 (128 + 9) is
 * asserted to prove that each child died of SIGKILL.
 */
class DeploymentCrashTest {

	private static final int FORMAT = SavedDeployment.FORMAT_VERSION;

	private static final int KILLS = 24;

	private static final int MAX_ACKS_PER_RUN = 30;

	private static final Clock CLOCK = Clock.fixed(CrashLoopChild.EPOCH, ZoneOffset.UTC);

	private static final Path MODELS = Path.of("models").toAbsolutePath();

	@TempDir
	Path work;

	/**
	 * What one child printed: the last acknowledged state and the change announced after
	 * it, if any.
	 */
	private static final class Transcript {

		String start;

		String lastAck;

		String beginAfterLastAck;

		int acks;

		void read(String line) {
			if (line.startsWith("START ")) {
				start = line.substring(6);
			}
			else if (line.startsWith("BEGIN ")) {
				beginAfterLastAck = line.substring(6);
			}
			else if (line.startsWith("ACK ")) {
				lastAck = line.substring(4);
				beginAfterLastAck = null;
				acks++;
			}
		}

	}

	@Test
	@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void aKilledServiceRestoresTheLastAcknowledgedDeployment() throws Exception {
		Path stateDir = work.resolve("state");
		SplittableRandom random = new SplittableRandom(20260101L);
		long started = System.nanoTime();
		int endedAtAck = 0;
		int endedAtDurableBegin = 0;
		String previous = new SavedDeployment(FORMAT, "v1", null, 0.1, false, null, 1).toString();
		List<Integer> generations = new ArrayList<>();

		for (int kill = 0; kill < KILLS; kill++) {
			int acksBeforeKill = 1 + random.nextInt(MAX_ACKS_PER_RUN);
			Transcript transcript = runAndKill(stateDir, random.nextLong(), acksBeforeKill, kill);

			assertThat(transcript.start).as("child %d continued from the restored state", kill).isEqualTo(previous);
			assertThat(transcript.acks).as("child %d acknowledged changes", kill)
				.isGreaterThanOrEqualTo(acksBeforeKill);
			assertThat(files(stateDir, ".tmp")).as("at most the one fixed temporary file").hasSizeLessThanOrEqualTo(1);
			SavedDeployment onDisk = new DeploymentStateStore(stateDir, CLOCK).load().orElseThrow();
			String restored = SavedDeployment.of(restore(stateDir)).toString();
			assertThat(restored).isEqualTo(onDisk.toString());
			assertThat(files(stateDir, ".tmp")).as("restoring removes a stray temporary file").isEmpty();
			assertThat(files(stateDir, "")).as("nothing was set aside as corrupt").containsExactly("deployment.json");
			if (restored.equals(transcript.lastAck)) {
				endedAtAck++;
			}
			else {
				assertThat(restored).as("kill %d: neither the last ACK nor the change after it", kill)
					.isEqualTo(transcript.beginAfterLastAck);
				endedAtDurableBegin++;
			}
			generations.add((int) onDisk.generation());
			previous = restored;
		}

		Duration took = Duration.ofNanos(System.nanoTime() - started);
		System.out.printf(
				"Crash test: %d SIGKILLs in %.1f s; restored the last ACK %d times, a durable but "
						+ "unacknowledged BEGIN %d times; generations at the kills: %s%n",
				KILLS, took.toMillis() / 1000.0, endedAtAck, endedAtDurableBegin, generations);
		assertThat(endedAtAck + endedAtDurableBegin).isEqualTo(KILLS);
		assertThat(generations).as("every run made progress").isSorted().doesNotHaveDuplicates();
	}

	private Transcript runAndKill(Path stateDir, long seed, int acksBeforeKill, int kill)
			throws IOException, InterruptedException {
		Path errors = work.resolve("child-" + kill + ".err");
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
				CrashLoopChild.class.getName(), stateDir.toString(), MODELS.toString(), Long.toString(seed), "100000")
			.redirectError(errors.toFile())
			.start();
		Transcript transcript = new Transcript();
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while (transcript.acks < acksBeforeKill && (line = lines.readLine()) != null) {
				transcript.read(line);
			}
			child.toHandle().destroyForcibly();
			// Whatever the child wrote before it died is still in the pipe: read it to
			// the end, so that
			// the transcript ends where the child really was.
			while ((line = lines.readLine()) != null) {
				transcript.read(line);
			}
		}
		finally {
			child.destroyForcibly();
		}
		assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(child.exitValue())
			.as("child %d was killed by SIGKILL, not ended otherwise: %s", kill, Files.readString(errors))
			.isEqualTo(137);
		return transcript;
	}

	private static Deployment restore(Path stateDir) {
		DeploymentProperties properties = DeploymentProperties.of(Duration.ofMillis(10), 100, stateDir);
		return new FileBackedDeploymentService(new ModelStore(MODELS), properties, CLOCK,
				new DeploymentStateStore(stateDir, CLOCK))
			.current();
	}

	private static List<String> files(Path dir, String suffix) throws IOException {
		try (Stream<Path> list = Files.list(dir)) {
			return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
		}
	}

}
