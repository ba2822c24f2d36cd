package dev.mlcanary.analysis;

import java.util.Locale;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.system.CanaryProperties;

import org.springframework.stereotype.Service;

/**
 * Compares canary and stable latency over the current deployment period with Welch's t-test. An
 * alert needs all three: statistical significance (p &lt; alpha), the canary slower, and a slowdown
 * of at least {@code min-latency-increase-ms} (practical significance; with thousands of samples
 * the prototype alerted on microsecond differences).
 */
@Service
public class CanaryHealthService {

	static final String NO_CANARY = "No active canary deployment to monitor.";

	static final String INSUFFICIENT = "Insufficient data for statistical analysis.";

	static final String ALERT = "ALERT: Canary latency is significantly higher than stable.";

	static final String ACCEPTABLE = "Canary performance is acceptable.";

	private final CanaryProperties.Health config;

	public CanaryHealthService(CanaryProperties properties) {
		this.config = properties.health();
	}

	public HealthReport check(Deployment deployment) {
		double[] stable = deployment.samples().stable().samplesMillis();
		double[] canary = deployment.hasCanary() ? deployment.samples().canary().samplesMillis() : new double[0];
		LatencySummary s = LatencySummary.of(stable);
		LatencySummary c = LatencySummary.of(canary);
		String canaryVersion = deployment.hasCanary() ? deployment.canary().version() : null;
		if (!deployment.hasCanary()) {
			return report(false, NO_CANARY, "Deploy a canary with POST /admin/deploy-canary.", null, deployment, canaryVersion, s, c);
		}
		if (s.count() < config.minSamples() || c.count() < config.minSamples()) {
			return report(false, INSUFFICIENT, String.format(Locale.ROOT,
					"Need at least %d samples per version; have %d stable and %d canary. Send more traffic to /predict.",
					config.minSamples(), s.count(), c.count()), null, deployment, canaryVersion, s, c);
		}
		WelchTest welch = WelchTest.of(c, s, canary, stable);
		double increase = c.mean() - s.mean();
		boolean significant = welch.pValue() < config.alpha();
		boolean alert = significant && increase > 0 && increase >= config.minLatencyIncreaseMs();
		return report(alert, alert ? ALERT : ACCEPTABLE, explain(significant, increase, welch), welch, deployment,
				canaryVersion, s, c);
	}

	private String explain(boolean significant, double increase, WelchTest welch) {
		String diff = String.format(Locale.ROOT, "Canary mean is %.4f ms %s than stable (p = %.3g)",
				Math.abs(increase), increase > 0 ? "higher" : "lower", welch.pValue());
		if (!significant) {
			return diff + ": not significant at alpha " + config.alpha() + ".";
		}
		if (increase <= 0) {
			return diff + ": the canary is faster.";
		}
		if (increase < config.minLatencyIncreaseMs()) {
			return diff + ": significant, but below the practical threshold of " + config.minLatencyIncreaseMs() + " ms.";
		}
		return diff + ": significant, and at least the practical threshold of " + config.minLatencyIncreaseMs() + " ms.";
	}

	private HealthReport report(boolean alert, String message, String explanation, WelchTest welch,
			Deployment deployment, String canaryVersion, LatencySummary s, LatencySummary c) {
		Verdict verdict = welch == null ? Verdict.INCONCLUSIVE : alert ? Verdict.FAIL : Verdict.PASS;
		return new HealthReport(alert, verdict, java.util.List.of(explanation), message, explanation, welch == null ? null : HealthReport.finite(welch.pValue()),
				welch == null ? null : HealthReport.finite(welch.t()),
				welch == null ? null : HealthReport.finite(welch.degreesOfFreedom()), config.alpha(),
				config.minLatencyIncreaseMs(), config.minSamples(), deployment.stable().version(), canaryVersion,
				s.count(), c.count(), HealthReport.finite(s.mean()), HealthReport.finite(c.mean()),
				HealthReport.finite(c.mean() - s.mean()), HealthReport.finite(s.stddev()),
				HealthReport.finite(c.stddev()), HealthReport.finite(s.p50()), HealthReport.finite(s.p95()),
				HealthReport.finite(s.p99()), HealthReport.finite(c.p50()), HealthReport.finite(c.p95()),
				HealthReport.finite(c.p99()));
	}

}
