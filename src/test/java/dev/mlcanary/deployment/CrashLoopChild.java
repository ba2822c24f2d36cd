package dev.mlcanary.deployment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import dev.mlcanary.model.ModelStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process that {@link DeploymentCrashTest} kills: restores the deployment from a
 * state directory, then deploys, promotes, rolls back and toggles until it is killed (or
 * has made {@code maxCalls} changes, so that it never outlives a test that died). No
 * Spring context: the same classes the service wires, built by hand.
 *
 * <p>
 * Protocol on stdout, one flushed line each: {@code START <state>} once restored, then
 * per change {@code BEGIN <state the change will produce>} before the call and
 * {@code ACK <state it produced>} after it returned. A state is
 * {@link SavedDeployment#toString()}; the clock is set per change, so that the expected
 * canary start time is known before the call. Exit code 3 means the service did something
 * other than expected.
 *
 * <p>
 * Arguments: state directory, model directory, random seed, maxCalls.
 */
final class CrashLoopChild {

	private static final int FORMAT = SavedDeployment.FORMAT_VERSION;

	static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

	private static final double[] WEIGHTS = { 0.05, 0.1, 0.25, 0.5, 1.0 };

	private CrashLoopChild() {
	}

	public static void main(String[] args) {
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
		Path stateDir = Path.of(args[0]);
		Path modelDir = Path.of(args[1]);
		SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
		int maxCalls = Integer.parseInt(args[3]);
		SettableClock clock = new SettableClock(EPOCH);
		DeploymentProperties properties = DeploymentProperties.of(Duration.ofMillis(10), 100, stateDir);
		FileBackedDeploymentService service = new FileBackedDeploymentService(new ModelStore(modelDir), properties,
				clock, new DeploymentStateStore(stateDir, clock));
		PrintStream out = System.out;
		send(out, "START " + SavedDeployment.of(service.current()));
		for (int i = 0; i < maxCalls; i++) {
			Deployment before = service.current();
			SavedDeployment s = SavedDeployment.of(before);
			long next = s.generation() + 1;
			// Half of the calls are conditional, as an operator's read-modify-write would
			// be.
			Long expected = random.nextBoolean() ? s.generation() : null;
			clock.instant = EPOCH.plusSeconds(next);
			int dice = random.nextInt(10);
			SavedDeployment after;
			Supplier<DeploymentService.Transition> call;
			if (dice < 2) {
				after = new SavedDeployment(FORMAT, s.stableVersion(), s.canaryVersion(), s.weight(), !s.slowdown(),
						s.canaryStartTime(), next);
				call = () -> service.toggleSlowdown(expected);
			}
			else if (!before.hasCanary()) {
				String other = s.stableVersion().equals("v1") ? "v2" : "v1";
				double weight = WEIGHTS[random.nextInt(WEIGHTS.length)];
				after = new SavedDeployment(FORMAT, s.stableVersion(), other, weight, s.slowdown(), clock.instant,
						next);
				call = () -> service.deployCanary(other, null, weight, expected);
			}
			else if (dice < 6) {
				after = new SavedDeployment(FORMAT, s.canaryVersion(), null, s.weight(), s.slowdown(), null, next);
				call = () -> service.promoteCanary(expected);
			}
			else {
				after = new SavedDeployment(FORMAT, s.stableVersion(), null, s.weight(), s.slowdown(), null, next);
				call = () -> service.rollbackCanary(expected);
			}
			send(out, "BEGIN " + after);
			SavedDeployment actual = SavedDeployment.of(call.get().after());
			if (!actual.equals(after)) {
				System.err.println("Expected " + after + " but the service holds " + actual);
				System.exit(3);
			}
			send(out, "ACK " + actual);
		}
	}

	private static void send(PrintStream out, String line) {
		out.println(line);
		out.flush();
		if (out.checkError()) {
			System.exit(2); // the test is gone; stop rather than loop on
		}
	}

	/**
	 * A clock the loop sets before each change. Single-threaded, so no volatile needed.
	 */
	private static final class SettableClock extends Clock {

		Instant instant;

		SettableClock(Instant instant) {
			this.instant = instant;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Instant instant() {
			return instant;
		}

	}

}
