package dev.mlcanary.rollout;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.mlcanary.analysis.Verdict;
import dev.mlcanary.audit.AuditEvent;
import dev.mlcanary.audit.EventLog;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentConflictException;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.deployment.DeploymentService.Transition;
import dev.mlcanary.deployment.Rollout;
import dev.mlcanary.deployment.RolloutMonitor;
import dev.mlcanary.deployment.RolloutPhase;
import dev.mlcanary.deployment.RolloutStrategy;
import dev.mlcanary.deployment.StateNotSavedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drives automated rollouts. The rollout itself (strategy, step, phase) is part of the deployment
 * snapshot, saved and restored with it; this class only decides when to analyse and what a verdict
 * does, and acts through the {@link DeploymentService} like an operator would, naming the generation
 * it analysed so that it never acts on a deployment that changed under it.
 *
 * <ul>
 * <li>FAIL: roll back at once ({@code auto_rollback}), otherwise halt.</li>
 * <li>PASS: move to the next step; at the last step below 100% promote ({@code auto_promote}), otherwise
 * become ready to promote (moving to a trailing 100% step first).</li>
 * <li>INCONCLUSIVE: hold the step, until {@code canary.rollout.max-inconclusive} has passed since the step
 * started; then roll back ({@code auto_rollback}), otherwise halt.</li>
 * </ul>
 *
 * <p>A single thread wakes every second ({@link #POLL_PERIOD}) and analyses when the interval has passed
 * since the step started or since the last analysis, so it needs no notification: it notices a new
 * rollout, a restored one, or one that an operator ended (by promoting or rolling back) on its own, and
 * logs that once. Tests call {@link #analyzeNow()} and {@link #tick()} instead of waiting, with an injected
 * {@link Clock}.
 */
@Component
class RolloutScheduler implements RolloutMonitor, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RolloutScheduler.class);

	/** How often the thread looks at the deployment: analyses happen within this of their due time. */
	static final Duration POLL_PERIOD = Duration.ofSeconds(1);

	/** The audit trail's actor for everything the automation does. */
	static final String ACTOR = "rollout";

	/** What one analysis did; for tests and logs. */
	enum Outcome {

		/** No automated rollout is running. */
		NO_ROLLOUT,
		/** {@link #tick()} only: the next analysis is not due yet. */
		NOT_DUE,
		/** The rollout is halted, or ready to promote at 100%: nothing is analysed. */
		NOT_ANALYSED,
		/** The step holds (INCONCLUSIVE within the deadline, or ready to promote and not failing). */
		HELD,
		/** PASS: the canary moved to the next step. */
		ADVANCED,
		/** PASS at the last analysed step without auto_promote. */
		READY,
		PROMOTED,
		ROLLED_BACK,
		/** FAIL or too long INCONCLUSIVE without auto_rollback. */
		HALTED,
		/** The deployment changed between the analysis and the action, which was therefore not taken. */
		CONFLICT,
		/** The action could not be saved and was not applied. */
		NOT_SAVED

	}

	/** Identifies one rollout: a canary deployment period. */
	private record Key(String canaryVersion, Instant canaryStartTime) {

		static Key of(Deployment d) {
			return d.hasRollout() ? new Key(d.canary().version(), d.canaryStartTime()) : null;
		}

	}

	/** What this process knows of the rollout it follows, beyond the snapshot. Immutable; replaced whole. */
	private record Tracking(Key key, int step, Instant lastAnalysisAt, Verdict lastVerdict, List<String> lastReasons) {

		boolean follows(Deployment d) {
			return key.equals(Key.of(d)) && step == d.rollout().step();
		}

	}

	private final DeploymentService deployments;

	private final CanaryAnalyst analyst;

	private final EventLog events;

	private final Clock clock;

	private final Duration maxInconclusive;

	/**
	 * When this process started following rollouts. After a restart the windows are empty, so the wait for
	 * the first analysis and the inconclusive deadline count from here, not from before the restart.
	 */
	private final Instant startedAt;

	private volatile Tracking tracking;

	private ScheduledExecutorService executor;

	RolloutScheduler(DeploymentService deployments, CanaryAnalyst analyst, EventLog events, Clock clock,
			RolloutProperties properties) {
		this.deployments = deployments;
		this.analyst = analyst;
		this.events = events;
		this.clock = clock;
		this.maxInconclusive = properties.maxInconclusive();
		this.startedAt = clock.instant();
	}

	// --- the schedule -------------------------------------------------------------------------------

	@Override
	public Schedule schedule(Deployment d) {
		if (!d.hasRollout()) {
			return Schedule.NONE;
		}
		Tracking t = tracking;
		boolean known = t != null && t.follows(d);
		Rollout r = d.rollout();
		return new Schedule(nextAnalysis(d, t), r.phase() == RolloutPhase.PROGRESSING ? deadline(r) : null,
				known ? t.lastAnalysisAt() : null, known ? t.lastVerdict() : null, known ? t.lastReasons() : List.of());
	}

	private Instant nextAnalysis(Deployment d, Tracking t) {
		Rollout r = d.rollout();
		if (!analysed(r)) {
			return null;
		}
		Instant base = stepBase(r);
		if (t != null && t.follows(d) && t.lastAnalysisAt() != null && t.lastAnalysisAt().isAfter(base)) {
			base = t.lastAnalysisAt();
		}
		return base.plus(r.strategy().interval());
	}

	/** When the current step began to count in this process. */
	private Instant stepBase(Rollout r) {
		return r.stepStartedAt().isAfter(startedAt) ? r.stepStartedAt() : startedAt;
	}

	private Instant deadline(Rollout r) {
		return stepBase(r).plus(maxInconclusive);
	}

	/** Halted rollouts are not analysed, nor a canary ready to promote at 100%: stable has no traffic to compare. */
	private static boolean analysed(Rollout r) {
		return r.phase() == RolloutPhase.PROGRESSING || (r.phase() == RolloutPhase.READY_TO_PROMOTE && r.weight() < 1);
	}

	// --- driving ------------------------------------------------------------------------------------

	/** Follows the current deployment and analyses it if an analysis is due. What the thread runs every second. */
	synchronized Outcome tick() {
		Deployment d = deployments.current();
		follow(d);
		Instant next = d.hasRollout() ? nextAnalysis(d, tracking) : null;
		if (next == null || clock.instant().isBefore(next)) {
			return d.hasRollout() ? Outcome.NOT_DUE : Outcome.NO_ROLLOUT;
		}
		return analyse(d);
	}

	/** Analyses the current rollout now, whether or not it is due, and acts on the verdict. */
	synchronized Outcome analyzeNow() {
		Deployment d = deployments.current();
		follow(d);
		return analyse(d);
	}

	/** Notices a rollout that started, was restored, or ended without us; logs each once. */
	private void follow(Deployment d) {
		Key key = Key.of(d);
		Tracking t = tracking;
		if (t != null && !t.key().equals(key)) {
			log.info("The automated rollout of {} ended: {}. The automation stops.", t.key().canaryVersion(), why(d, t.key()));
			t = null;
		}
		if (key != null && (t == null || t.step() != d.rollout().step())) {
			if (t == null) {
				Rollout r = d.rollout();
				Instant next = nextAnalysis(d, null);
				log.info("{} the automated rollout of {} (generation {}, {} at {}): {}; {}.",
						r.stepStartedAt().isBefore(startedAt) ? "Resuming" : "Following", key.canaryVersion(),
						d.generation(), r.phase().label(), r.describeStep(), r.strategy().describe(),
						next == null ? "it is not analysed any more" : "next analysis at " + next);
			}
			t = new Tracking(key, d.rollout().step(), null, null, List.of());
		}
		tracking = key == null ? null : t;
	}

	private static String why(Deployment d, Key ended) {
		if (d.hasCanary()) {
			return "the deployment now has canary " + d.canary().version() + (d.hasRollout() ? " with another rollout"
					: " without one") + " (generation " + d.generation() + ")";
		}
		boolean promoted = d.stable().version().equals(ended.canaryVersion());
		return ended.canaryVersion() + " was " + (promoted ? "promoted" : "rolled back") + " outside the automation (generation "
				+ d.generation() + ")";
	}

	private Outcome analyse(Deployment d) {
		Rollout r = d.rollout();
		if (r == null) {
			return Outcome.NO_ROLLOUT;
		}
		if (!analysed(r)) {
			return Outcome.NOT_ANALYSED;
		}
		Key key = Key.of(d);
		// Counted as an analysis before it runs: a check that throws is retried an interval later, not every second.
		tracking = new Tracking(key, r.step(), clock.instant(), null, List.of());
		CanaryAnalyst.Result result = analyst.analyse(d);
		Instant now = clock.instant();
		tracking = new Tracking(key, r.step(), now, result.verdict(), result.reasons());
		RolloutStrategy s = r.strategy();
		String step = r.describeStep();
		String version = d.canary().version();
		return switch (result.verdict()) {
			case FAIL -> s.autoRollback() ? rollBack(d, result, step + " failed: rolled back " + version)
					: halt(d, result, step + " failed");
			case PASS -> passed(d, result);
			case INCONCLUSIVE -> {
				if (r.phase() != RolloutPhase.PROGRESSING || now.isBefore(deadline(r))) {
					log.debug("Automated rollout of {}: {} inconclusive, holding until {}", version, step, deadline(r));
					yield Outcome.HELD;
				}
				String why = step + " stayed inconclusive for " + RolloutStrategy.formatDuration(
						Duration.ofSeconds(Duration.between(stepBase(r), now).toSeconds()))
						+ " (canary.rollout.max-inconclusive is " + RolloutStrategy.formatDuration(maxInconclusive) + ")";
				yield s.autoRollback() ? rollBack(d, result, why + ": rolled back " + version) : halt(d, result, why);
			}
		};
	}

	private Outcome passed(Deployment d, CanaryAnalyst.Result result) {
		Rollout r = d.rollout();
		RolloutStrategy s = r.strategy();
		String step = r.describeStep();
		if (r.phase() == RolloutPhase.READY_TO_PROMOTE) {
			return Outcome.HELD;
		}
		if (r.step() < s.lastAnalysedStep()) {
			int next = r.step() + 1;
			return act("rollout-step", d, result, step + " passed: weight " + weight(r.weight()) + " -> "
					+ weight(s.weight(next)), () -> deployments.updateRollout(next, RolloutPhase.PROGRESSING, d.generation()),
					Outcome.ADVANCED);
		}
		String last = step + " passed, the last one analysed";
		if (s.autoPromote()) {
			return act("promote-canary", d, result, last + ": promoted " + d.canary().version() + " to stable"
					+ (s.endsAtFullTraffic() ? " (a 100% step is never analysed: stable would have no traffic to compare with)"
							: ""),
					() -> deployments.promoteCanary(d.generation()), Outcome.PROMOTED);
		}
		if (s.endsAtFullTraffic()) {
			int full = s.stepCount() - 1;
			return act("rollout-ready", d, result, last + ": weight " + weight(r.weight()) + " -> " + weight(s.weight(full))
					+ "; ready to promote (auto_promote is off)",
					() -> deployments.updateRollout(full, RolloutPhase.READY_TO_PROMOTE, d.generation()), Outcome.READY);
		}
		return act("rollout-ready", d, result, last + ": ready to promote (auto_promote is off)",
				() -> deployments.updateRollout(r.step(), RolloutPhase.READY_TO_PROMOTE, d.generation()), Outcome.READY);
	}

	private Outcome rollBack(Deployment d, CanaryAnalyst.Result result, String detail) {
		return act("rollback-canary", d, result, detail, () -> deployments.rollbackCanary(d.generation()),
				Outcome.ROLLED_BACK);
	}

	private Outcome halt(Deployment d, CanaryAnalyst.Result result, String why) {
		Rollout r = d.rollout();
		return act("rollout-halt", d, result, why + ": halted, auto_rollback is off; " + d.canary().version()
				+ " keeps weight " + weight(r.weight()) + " until an operator promotes or rolls it back",
				() -> deployments.updateRollout(r.step(), RolloutPhase.HALTED, d.generation()), Outcome.HALTED);
	}

	/** Takes one action through the deployment service and records it, whatever its outcome. */
	private Outcome act(String action, Deployment analysed, CanaryAnalyst.Result result, String headline,
			Supplier<Transition> change, Outcome done) {
		String version = analysed.canary().version();
		String detail = headline + (result.reasons().isEmpty() ? "." : ". " + String.join(" ", result.reasons()));
		try {
			Transition t = change.get();
			record(action, "success", 200, t.before(), t.after(), detail, result);
			log.info("Automated rollout of {} (generation {}): {}", version, t.after().generation(), detail);
			tracking = t.after().hasRollout() ? new Tracking(Key.of(t.after()), t.after().rollout().step(),
					tracking.lastAnalysisAt(), tracking.lastVerdict(), tracking.lastReasons()) : null;
			if (!t.after().hasRollout()) {
				log.info("The automated rollout of {} ended: {}.", version,
						done == Outcome.PROMOTED ? "it was promoted" : "it was rolled back");
			}
			return done;
		}
		catch (DeploymentConflictException ex) {
			record(action, "refused", 409, analysed, deployments.current(), headline + " not applied: " + ex.getMessage(),
					result);
			log.info("Automated rollout of {}: {} not applied, the deployment changed meanwhile ({}); the next analysis "
					+ "looks again.", version, headline, ex.getMessage());
			return Outcome.CONFLICT;
		}
		catch (StateNotSavedException ex) {
			record(action, "error", 503, analysed, deployments.current(), headline + " not applied: " + ex.getMessage(),
					result);
			return Outcome.NOT_SAVED;
		}
	}

	private void record(String action, String outcome, int status, Deployment before, Deployment after, String detail,
			CanaryAnalyst.Result result) {
		events.append(AuditEvent.of(clock.instant(), action, null, outcome, status, ACTOR, null, before, after, detail,
				result.report()));
	}

	/** {@code 0.10}, {@code 0.25}, {@code 1.00}, {@code 0.025}: at least two decimals, more when needed. */
	static String weight(double weight) {
		BigDecimal exact = BigDecimal.valueOf(weight).stripTrailingZeros();
		return exact.setScale(Math.max(2, exact.scale()), RoundingMode.UNNECESSARY).toPlainString();
	}

	// --- lifecycle ----------------------------------------------------------------------------------

	@Override
	public synchronized void start() {
		if (executor != null) {
			return;
		}
		executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "rollout");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::safeTick, 0, POLL_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void safeTick() {
		try {
			tick();
		}
		catch (RuntimeException ex) {
			// Thrown out of a periodic task, it would cancel every later run.
			log.error("The automated rollout analysis failed; it is retried at the next interval", ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService running;
		synchronized (this) {
			running = executor;
			executor = null;
		}
		if (running == null) {
			return;
		}
		running.shutdown();
		try {
			if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
				running.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			running.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return executor != null;
	}

}
