package dev.mlcanary.analysis;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.mlcanary.deployment.Deployment;
import dev.mlcanary.deployment.DeploymentService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Gauges of the canary: its weight, the latest verdict (1 PASS, 0 INCONCLUSIVE, -1 FAIL; NaN
 * before any check or without a canary), and for each judge its main statistic and p-value from
 * the latest check (manual or automated). A value a judge has not computed is NaN.
 */
@Component
public class CanaryMetrics {

	/** For each judge: the statistic and the p-value shown as gauges. */
	static final Map<String, String[]> JUDGE_GAUGES = Map.of(
			"welch", new String[] { "t_statistic", "p_value" },
			"mann_whitney", new String[] { "z", "p_value" },
			"tail_latency", new String[] { "canary_above_p99_limit", "p99_exceedance_p_value" },
			"errors", new String[] { "canary_errors", "p_value" },
			"agreement", new String[] { "agreement", "mcnemar_p_value" });

	private final AtomicReference<HealthReport> latest = new AtomicReference<>();

	CanaryMetrics(MeterRegistry registry, DeploymentService deployments) {
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

	/** Called with every health check's answer. */
	void update(HealthReport report) {
		latest.set(report);
	}

	HealthReport latest() {
		return latest.get();
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
