package dev.mlcanary.analysis;

import java.util.Map;
import java.util.function.Supplier;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Gauges of the canary: its weight, the latest verdict (1 PASS, 0 INCONCLUSIVE, -1 FAIL),
 * and for each judge its main statistic and p-value from the latest check (manual or
 * automated) of the current deployment period. After a deploy, promotion, rollback or
 * rollout step they are NaN until the next check, so an alert on
 * {@code canary_verdict == -1} stops firing once the canary is rolled back. A value a
 * judge has not computed is NaN.
 */
@Component
public class CanaryMetrics {

	/** For each judge: the statistic and the p-value shown as gauges. */
	static final Map<String, String[]> JUDGE_GAUGES = Map.of("welch", new String[] { "t_statistic", "p_value" },
			"mann_whitney", new String[] { "z", "p_value" }, "tail_latency",
			new String[] { "canary_above_p99_limit", "p99_exceedance_p_value" }, "errors",
			new String[] { "canary_errors", "p_value" }, "agreement", new String[] { "agreement", "mcnemar_p_value" });

	private final Supplier<HealthReport> latest;

	CanaryMetrics(MeterRegistry registry, DeploymentService deployments, CanaryHealthService health) {
		this.latest = () -> health.latestCheck(deployments.current())
			.map(CanaryHealthService.LatestCheck::report)
			.orElse(null);
		Gauge.builder("canary.weight", deployments, d -> {
			Deployment current = d.current();
			return current.hasCanary() ? current.weight() : 0.0;
		}).description("Share of /predict traffic routed to the canary (0 without one)").register(registry);
		Gauge.builder("canary.verdict", latest, r -> verdictValue(r.get()))
			.description("Latest overall verdict: 1 PASS, 0 INCONCLUSIVE, -1 FAIL")
			.register(registry);
		JUDGE_GAUGES.forEach((judge, keys) -> {
			Gauge.builder("canary.judge.statistic", latest, r -> number(r.get(), judge, keys[0]))
				.tags("judge", judge, "statistic", keys[0])
				.description("Latest statistic of a judge")
				.register(registry);
			Gauge.builder("canary.judge.p.value", latest, r -> number(r.get(), judge, keys[1]))
				.tags("judge", judge)
				.description("Latest p-value of a judge")
				.register(registry);
		});
	}

	static double verdictValue(HealthReport report) {
		if (report == null || report.canaryVersion() == null) {
			return Double.NaN;
		}
		return switch (report.verdict()) {
			case PASS -> 1;
			case INCONCLUSIVE -> 0;
			case FAIL -> -1;
		};
	}

	private static double number(HealthReport report, String judge, String key) {
		if (report == null || report.judges() == null || !report.judges().containsKey(judge)) {
			return Double.NaN;
		}
		Object value = report.judges().get(judge).statistics().get(key);
		return value instanceof Number n ? n.doubleValue() : Double.NaN;
	}

}
