package dev.mlcanary.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import dev.mlcanary.audit.AuditEvent;
import dev.mlcanary.audit.AuditTrail;
import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentConflictException;
import dev.mlcanary.deployment.DeploymentService;
import dev.mlcanary.deployment.DeploymentService.Transition;
import dev.mlcanary.deployment.Rollout;
import dev.mlcanary.deployment.RolloutMonitor;
import dev.mlcanary.deployment.RolloutPhase;
import dev.mlcanary.deployment.StateNotSavedException;
import dev.mlcanary.shared.Verdict;
import dev.mlcanary.store.RolloutLease;
import dev.mlcanary.store.StoreUnavailableException;
import dev.mlcanary.system.PeriodicTask;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Drives automated rollouts. The rollout itself (strategy, step, phase) is part of the
 * deployment snapshot, saved and restored with it; this class decides when to analyse,
 * asks {@link RolloutPolicy} what the verdict means, and acts through the
 * {@link DeploymentService} like an operator would, naming the generation it analysed so
 * that it never acts on a deployment that changed under it. Each action, taken or
 * refused, is recorded in the audit trail.
 *
 * <p>
 * Spring's task scheduler runs {@link #tick()} on one thread every second
 * ({@link #POLL_PERIOD}); it analyses when the interval has passed since the step started
 * or since the last analysis, so it needs no notification: it notices a new rollout, a
 * restored one, or one that an operator ended (by promoting or rolling back) on its own,
 * and logs that once. Tests call {@link #analyzeNow()} and {@link #tick()} instead of
 * waiting, with an injected {@link Clock}.
 */
@Component
class RolloutScheduler implements RolloutMonitor, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RolloutScheduler.class);

	/**
	 * How often the thread looks at the deployment: analyses happen within this of their
	 * due time.
	 */
	static final Duration POLL_PERIOD = Duration.ofSeconds(1);

	/** The audit trail's actor for everything the automation does. */
	static final String ACTOR = "rollout";

	/** What one analysis did; for tests and logs. */
	enum Outcome {

		/** No automated rollout is running. */
		NO_ROLLOUT,
		/**
		 * Another replica of the fleet holds the rollout lease, or this one cannot
		 * confirm that it does: nothing is analysed or acted on here.
		 */
		NOT_LEADER,
		/** The shared store cannot be read: the rollout pauses until it answers. */
		PAUSED,
		/** {@link #tick()} only: the next analysis is not due yet. */
		NOT_DUE,
		/** The rollout is halted, or ready to promote at 100%: nothing is analysed. */
		NOT_ANALYSED,
		/**
		 * The step holds (INCONCLUSIVE within the deadline, or ready to promote and not
		 * failing).
		 */
		HELD,
		/** PASS: the canary moved to the next step. */
		ADVANCED,
		/** PASS at the last analysed step without auto_promote. */
		READY, PROMOTED, ROLLED_BACK,
		/** FAIL or too long INCONCLUSIVE without auto_rollback. */
		HALTED,
		/**
		 * The deployment changed between the analysis and the action, which was therefore
		 * not taken.
		 */
		CONFLICT,
		/** The action could not be saved and was not applied. */
		NOT_SAVED,
		/**
		 * The analysis could not run: the fleet's samples cannot be pooled while the
		 * store is unavailable. No verdict, no action; the next interval tries again.
		 */
		NO_ANALYSIS

	}

	/** Identifies one rollout: a canary deployment period. */
	private record Key(String canaryVersion, Instant canaryStartTime) {

		static Key of(Deployment d) {
			return d.hasRollout() ? new Key(d.canary().version(), d.canaryStartTime()) : null;
		}

	}

	/**
	 * What this process knows of the rollout it follows, beyond the snapshot. Immutable;
	 * replaced whole.
	 */
	private record Tracking(Key key, int step, Instant lastAnalysisAt, Verdict lastVerdict, List<String> lastReasons) {

		boolean follows(Deployment d) {
			return key.equals(Key.of(d)) && step == d.rollout().step();
		}

	}

	private final DeploymentService deployments;

	private final CanaryAnalyst analyst;

	private final AuditTrail events;

	private final Clock clock;

	private final RolloutLease lease;

	private final Duration maxInconclusive;

	/**
	 * When this process started following rollouts. After a restart the windows are
	 * empty, so the wait for the first analysis and the inconclusive deadline count from
	 * here, not from before the restart.
	 */
	private final Instant startedAt;

	private volatile Tracking tracking;

	/**
	 * Whether the last analysis found the store unavailable, so that it is logged once.
	 */
	private boolean storeUnavailable;

	/** Whether the last look found the lease held here. */
	private volatile boolean leading;

	/** Whether the store could not be read at the last due analysis: logged once. */
	private volatile boolean paused;

	private @Nullable PeriodicTask scheduler;

	RolloutScheduler(DeploymentService deployments, CanaryAnalyst analyst, AuditTrail events, Clock clock,
			RolloutLease lease, RolloutProperties properties) {
		this.deployments = deployments;
		this.analyst = analyst;
		this.events = events;
		this.clock = clock;
		this.lease = lease;
		this.maxInconclusive = properties.maxInconclusive();
		this.startedAt = clock.instant();
	}

	// --- the schedule
	// -------------------------------------------------------------------------------

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

	/**
	 * Halted rollouts are not analysed, nor a canary ready to promote at 100%: stable has
	 * no traffic to compare.
	 */
	private static boolean analysed(Rollout r) {
		return r.phase() == RolloutPhase.PROGRESSING || (r.phase() == RolloutPhase.READY_TO_PROMOTE && r.weight() < 1);
	}

	// --- driving
	// ------------------------------------------------------------------------------------

	/**
	 * Follows the current deployment and analyses it if an analysis is due. What the
	 * thread runs every second; only the holder of the rollout lease does anything.
	 */
	synchronized Outcome tick() {
		if (!leading()) {
			return Outcome.NOT_LEADER;
		}
		Deployment d = deployments.current();
		follow(d);
		if (!due(d)) {
			return d.hasRollout() ? Outcome.NOT_DUE : Outcome.NO_ROLLOUT;
		}
		// About to act: on the shared state as it is now, not as the last notification
		// left it (a replica that just took over may not have heard of the last step).
		Deployment fresh;
		try {
			fresh = deployments.latest();
		}
		catch (StoreUnavailableException ex) {
			if (!paused) {
				paused = true;
				log.warn("The automated rollout pauses: {}", StoreUnavailableException.describeCause(ex));
			}
			return Outcome.PAUSED;
		}
		if (paused) {
			paused = false;
			log.info("The automated rollout resumes: the store answers again.");
		}
		if (fresh != d) {
			follow(fresh);
			if (!due(fresh)) {
				return fresh.hasRollout() ? Outcome.NOT_DUE : Outcome.NO_ROLLOUT;
			}
		}
		return analyse(fresh);
	}

	private boolean due(Deployment d) {
		Instant next = d.hasRollout() ? nextAnalysis(d, tracking) : null;
		return next != null && !clock.instant().isBefore(next);
	}

	/**
	 * Analyses the current rollout now, whether or not it is due, and acts on the
	 * verdict; only on the holder of the rollout lease.
	 */
	synchronized Outcome analyzeNow() {
		if (!leading()) {
			return Outcome.NOT_LEADER;
		}
		Deployment d = deployments.current();
		follow(d);
		return analyse(d);
	}

	/**
	 * Whether this replica holds the rollout lease. One that loses it forgets what it
	 * tracked, so that it resumes from the persisted rollout when it takes it again.
	 */
	private boolean leading() {
		boolean held = lease.held();
		if (leading && !held) {
			tracking = null;
		}
		leading = held;
		return held;
	}

	/**
	 * Notices a rollout that started, was restored, or ended without us; logs each once.
	 */
	private void follow(Deployment d) {
		Key key = Key.of(d);
		Tracking t = tracking;
		if (t != null && !t.key().equals(key)) {
			log.info("The automated rollout of {} ended: {}. The automation stops.", t.key().canaryVersion(),
					why(d, t.key()));
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
			return "the deployment now has canary " + d.canary().version()
					+ (d.hasRollout() ? " with another rollout" : " without one") + " (generation " + d.generation()
					+ ")";
		}
		boolean promoted = d.stable().version().equals(ended.canaryVersion());
		return ended.canaryVersion() + " was " + (promoted ? "promoted" : "rolled back")
				+ " outside the automation (generation " + d.generation() + ")";
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
		// Counted as an analysis before it runs: a check that throws is retried an
		// interval later, not every second.
		tracking = new Tracking(key, r.step(), clock.instant(), null, List.of());
		CanaryAnalyst.Result result;
		try {
			result = analyst.analyse(d);
		}
		catch (StoreUnavailableException ex) {
			// Never act on part of the fleet's samples, nor on stale ones: this interval
			// has no analysis, and the rollout stays where it is.
			tracking = new Tracking(key, r.step(), clock.instant(), null, List.of(ex.getMessage()));
			if (!storeUnavailable) {
				storeUnavailable = true;
				log.warn("Automated rollout of {}: paused, no analysis this interval: {}", d.canary().version(),
						ex.getMessage());
			}
			return Outcome.NO_ANALYSIS;
		}
		if (storeUnavailable) {
			storeUnavailable = false;
			log.info("Automated rollout of {}: the fleet's samples can be pooled again; analysing.",
					d.canary().version());
		}
		if (!lease.held()) {
			log.info("Automated rollout of {}: the rollout lease was lost during the analysis; not acting on it.",
					d.canary().version());
			return Outcome.NOT_LEADER;
		}
		Instant now = clock.instant();
		tracking = new Tracking(key, r.step(), now, result.verdict(), result.reasons());
		RolloutPolicy.Decision decision = RolloutPolicy.decide(r, d.canary().version(), result.verdict(),
				Duration.between(stepBase(r), now), maxInconclusive);
		return switch (decision.action()) {
			case HOLD -> {
				log.debug("Automated rollout of {}: {}, holding until {}", d.canary().version(), decision.headline(),
						deadline(r));
				yield Outcome.HELD;
			}
			case ADVANCE -> act(decision, d, result,
					() -> deployments.updateRollout(decision.step(), RolloutPhase.PROGRESSING, d.generation()),
					Outcome.ADVANCED);
			case READY -> act(decision, d, result,
					() -> deployments.updateRollout(decision.step(), RolloutPhase.READY_TO_PROMOTE, d.generation()),
					Outcome.READY);
			case PROMOTE -> act(decision, d, result, () -> deployments.promoteCanary(d.generation()), Outcome.PROMOTED);
			case ROLL_BACK ->
				act(decision, d, result, () -> deployments.rollbackCanary(d.generation()), Outcome.ROLLED_BACK);
			case HALT -> act(decision, d, result,
					() -> deployments.updateRollout(decision.step(), RolloutPhase.HALTED, d.generation()),
					Outcome.HALTED);
		};
	}

	/**
	 * Takes one action through the deployment service and records it, whatever its
	 * outcome.
	 */
	private Outcome act(RolloutPolicy.Decision decision, Deployment analysed, CanaryAnalyst.Result result,
			Supplier<Transition> change, Outcome done) {
		String action = decision.auditAction();
		String headline = decision.headline();
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
			record(action, "refused", 409, analysed, deployments.current(),
					headline + " not applied: " + ex.getMessage(), result);
			log.info(
					"Automated rollout of {}: {} not applied, the deployment changed meanwhile ({}); the next analysis "
							+ "looks again.",
					version, headline, ex.getMessage());
			return Outcome.CONFLICT;
		}
		catch (StateNotSavedException | StoreUnavailableException ex) {
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

	// --- lifecycle
	// ----------------------------------------------------------------------------------

	@Override
	public synchronized void start() {
		if (scheduler != null) {
			return;
		}
		// An analysis under way finishes (and records what it did) before the context
		// closes; one that throws is logged, and the next interval analyses again.
		scheduler = PeriodicTask.start("rollout", Duration.ZERO, POLL_PERIOD, Duration.ofSeconds(10),
				ex -> log.error("The automated rollout analysis failed; it is retried at the next interval", ex),
				this::tick);
	}

	@Override
	public void stop() {
		PeriodicTask running;
		synchronized (this) {
			running = scheduler;
			scheduler = null;
		}
		if (running != null) {
			running.stop();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return scheduler != null;
	}

}
