package dev.mlcanary.analysis;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.shared.LatencyWindows;
import dev.mlcanary.shared.Verdict;
import dev.mlcanary.statistics.LatencySummary;
import dev.mlcanary.statistics.SequentialLatencyTest;
import dev.mlcanary.statistics.WelchTest;

import org.springframework.stereotype.Service;

/**
 * Compares canary and stable latency over the current deployment period with Welch's
 * t-test. An alert needs all three: statistical significance (p &lt; alpha), the canary
 * slower, and a slowdown of at least {@code min-latency-increase-ms} (practical
 * significance; with thousands of samples the prototype alerted on microsecond
 * differences).
 */
@Service
public class CanaryHealthService {

	static final String NO_CANARY = "No active canary deployment to monitor.";

	static final String INSUFFICIENT = "Insufficient data for statistical analysis.";

	static final String ALERT = "ALERT: Canary latency is significantly higher than stable.";

	static final String ACCEPTABLE = "Canary performance is acceptable.";

	private final HealthProperties config;

	private final Judges judges;

	private final Clock clock;

	private final SampleSource samples;

	private final AtomicReference<Checked> lastCheck = new AtomicReference<>();

	public CanaryHealthService(HealthProperties health, AnalysisProperties analysis) {
		this(health, analysis, Clock.systemUTC());
	}

	public CanaryHealthService(HealthProperties health, AnalysisProperties analysis, Clock clock) {
		this(health, analysis, clock, SampleSource.local("local"));
	}

	/**
	 * @param samples where a period's samples come from: this process's windows, or a
	 * fleet's pooled
	 */
	@org.springframework.beans.factory.annotation.Autowired
	CanaryHealthService(HealthProperties health, AnalysisProperties analysis, Clock clock, SampleSource samples) {
		this.config = health;
		this.judges = new Judges(health, analysis);
		this.clock = clock;
		this.samples = samples;
	}

	/**
	 * A health check's answer and when it was made.
	 *
	 * @param checkedAt when the check ran
	 * @param report its answer
	 */
	public record LatestCheck(Instant checkedAt, HealthReport report) {
	}

	/** A check and the deployment period (the pair of windows) it analysed. */
	private record Checked(LatencyWindows period, LatestCheck check) {
	}

	public HealthReport check(Deployment deployment) {
		return check(deployment, AnalysisMode.FIXED);
	}

	/**
	 * @param mode how the mean-latency judge treats repeated checks (the rollout uses
	 * SEQUENTIAL)
	 */
	public HealthReport check(Deployment deployment, AnalysisMode mode) {
		HealthReport report = evaluate(deployment, mode);
		lastCheck.set(new Checked(deployment.samples(), new LatestCheck(clock.instant(), report)));
		return report;
	}

	/**
	 * The latest check (manual or automated) of the period {@code deployment} is in,
	 * without running one: a check of an earlier period (before a deploy, promotion,
	 * rollback or rollout step) judged samples that are gone, so it is not returned.
	 * @return the check, or empty when this period has not been checked yet
	 */
	public Optional<LatestCheck> latestCheck(Deployment deployment) {
		Checked last = lastCheck.get();
		return last != null && last.period() == deployment.samples() ? Optional.of(last.check()) : Optional.empty();
	}

	/**
	 * What the windows of the deployment's period hold now, per version, without judging
	 * them: this process's, or in a fleet every live replica's.
	 * @throws dev.mlcanary.store.StoreUnavailableException when a fleet's samples cannot
	 * be pooled
	 */
	public LatencyView latency(Deployment deployment) {
		PeriodSamples period = samples.of(deployment);
		return new LatencyView(deployment.generation(),
				LatencyView.VersionLatency.of(deployment.stable().version(), period.stable(), period.stableRecorded()),
				deployment.hasCanary() ? LatencyView.VersionLatency.of(deployment.canary().version(), period.canary(),
						period.canaryRecorded()) : null,
				period.replicas());
	}

	private HealthReport evaluate(Deployment deployment, AnalysisMode mode) {
		// One read of the windows (this process's, or the fleet's) serves the Welch
		// fields and every judge: the same samples, copied and summarised once.
		PeriodSamples period = samples.of(deployment);
		List<ReplicaSamples> replicas = period.replicas();
		if (!deployment.hasCanary()) {
			LatencySummary s = LatencySummary.of(period.stable());
			return report(false, NO_CANARY, "Deploy a canary with POST /admin/deploy-canary.", null, deployment, null,
					s, LatencySummary.of(new double[0]), replicas);
		}
		Evidence evidence = Evidence.of(period);
		double[] stable = evidence.stable();
		double[] canary = evidence.canary();
		LatencySummary s = evidence.stableSummary();
		LatencySummary c = evidence.canarySummary();
		String canaryVersion = deployment.canary().version();
		Map<String, JudgeReport> verdicts = judge(deployment, evidence, mode, period.wrapped());
		if (s.count() < config.minSamples() || c.count() < config.minSamples()) {
			return withJudges(report(false, INSUFFICIENT, String.format(Locale.ROOT,
					"Need at least %d samples per version; have %d stable and %d canary. Send more traffic to /predict.",
					config.minSamples(), s.count(), c.count()), null, deployment, canaryVersion, s, c, replicas),
					verdicts);
		}
		WelchTest welch = WelchTest.of(c, s, canary, stable);
		double increase = c.mean() - s.mean();
		boolean significant = welch.pValue() < config.alpha();
		boolean alert = significant && increase > 0 && increase >= config.minLatencyIncreaseMs();
		return withJudges(report(alert, alert ? ALERT : ACCEPTABLE, explain(significant, increase, welch), welch,
				deployment, canaryVersion, s, c, replicas), verdicts);
	}

	/**
	 * Every judge on the current period, in the order they are reported. The sequential
	 * test's looks are state of this replica's period
	 * ({@link LatencyWindows#sequential}): in a fleet each replica that checks keeps its
	 * own looks, over the pooled samples.
	 */
	private Map<String, JudgeReport> judge(Deployment deployment, Evidence evidence, AnalysisMode mode,
			boolean wrapped) {
		LatencyWindows period = deployment.samples();
		Map<String, JudgeReport> reports = new LinkedHashMap<>();
		reports.put("welch",
				mode == AnalysisMode.SEQUENTIAL
						? judges.welchSequential(evidence, period.sequential(this::newSequentialTest), wrapped)
						: judges.welch(evidence));
		reports.put("mann_whitney", judges.mannWhitney(evidence));
		reports.put("tail_latency", judges.tailLatency(evidence));
		reports.put("errors", judges.errors(evidence));
		reports.put("agreement", judges.agreement(evidence));
		return reports;
	}

	/**
	 * Mixture variance tied to the practical threshold, so slowdowns of that size are
	 * found quickly.
	 */
	private SequentialLatencyTest newSequentialTest() {
		double tau = Math.max(config.minLatencyIncreaseMs(), 1e-3);
		return new SequentialLatencyTest(config.alpha(), tau * tau);
	}

	/**
	 * The overall verdict comes from the judges; the prototype's alert stays the Welch
	 * alert's message when latency is what failed, and names the failing judges
	 * otherwise.
	 */
	private static HealthReport withJudges(HealthReport latency, Map<String, JudgeReport> judges) {
		Verdict verdict = JudgeVerdicts.combine(judges.values());
		boolean alert = verdict == Verdict.FAIL;
		String message = latency.message();
		if (alert && !latency.alertTriggered()) {
			message = "ALERT: Canary failed the " + judgesWith(judges, Verdict.FAIL) + " check.";
		}
		else if (verdict == Verdict.INCONCLUSIVE && ACCEPTABLE.equals(message)) {
			// Not "acceptable" while a judge still cannot decide.
			message = "No alert so far: not enough data yet for the " + judgesWith(judges, Verdict.INCONCLUSIVE)
					+ " check.";
		}
		List<String> reasons = judges.values().stream().map(JudgeReport::reason).toList();
		return latency.with(alert, verdict, reasons, message, judges);
	}

	private static String judgesWith(Map<String, JudgeReport> judges, Verdict verdict) {
		return String.join(", ",
				judges.entrySet()
					.stream()
					.filter(j -> j.getValue().verdict() == verdict)
					.map(Map.Entry::getKey)
					.toList());
	}

	private String explain(boolean significant, double increase, WelchTest welch) {
		String diff = String.format(Locale.ROOT, "Canary mean is %.4f ms %s than stable (p = %.3g)", Math.abs(increase),
				increase > 0 ? "higher" : "lower", welch.pValue());
		if (!significant) {
			return diff + ": not significant at alpha " + config.alpha() + ".";
		}
		if (increase <= 0) {
			return diff + ": the canary is faster.";
		}
		if (increase < config.minLatencyIncreaseMs()) {
			return diff + ": significant, but below the practical threshold of " + config.minLatencyIncreaseMs()
					+ " ms.";
		}
		return diff + ": significant, and at least the practical threshold of " + config.minLatencyIncreaseMs()
				+ " ms.";
	}

	private HealthReport report(boolean alert, String message, String explanation, WelchTest welch,
			Deployment deployment, String canaryVersion, LatencySummary s, LatencySummary c,
			List<ReplicaSamples> replicas) {
		Verdict verdict = welch == null ? Verdict.INCONCLUSIVE : alert ? Verdict.FAIL : Verdict.PASS;
		return new HealthReport(alert, verdict, java.util.List.of(explanation), message, explanation, Map.of(),
				welch == null ? null : HealthReport.finite(welch.pValue()),
				welch == null ? null : HealthReport.finite(welch.t()),
				welch == null ? null : HealthReport.finite(welch.degreesOfFreedom()), config.alpha(),
				config.minLatencyIncreaseMs(), config.minSamples(), deployment.stable().version(), canaryVersion,
				s.count(), c.count(), HealthReport.finite(s.mean()), HealthReport.finite(c.mean()),
				HealthReport.finite(c.mean() - s.mean()), HealthReport.finite(s.stddev()),
				HealthReport.finite(c.stddev()), HealthReport.finite(s.p50()), HealthReport.finite(s.p95()),
				HealthReport.finite(s.p99()), HealthReport.finite(c.p50()), HealthReport.finite(c.p95()),
				HealthReport.finite(c.p99()), replicas);
	}

}
