package dev.mlcanary.prediction;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.mlcanary.routing.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Per version and role: the model-latency timer (with histogram buckets, so percentiles can be
 * aggregated across replicas), and counters of predictions and model failures. Meters are looked up
 * in a map keyed by the version string (its hash is cached), so the hot path allocates nothing once
 * a version has served.
 */
@Component
class PredictionMetrics {

	private final MeterRegistry registry;

	private final Map<Role, Map<String, Meters>> meters = new EnumMap<>(Role.class);

	PredictionMetrics(MeterRegistry registry) {
		this.registry = registry;
		for (Role role : Role.values()) {
			meters.put(role, new ConcurrentHashMap<>());
		}
	}

	record Meters(Timer modelLatency, Counter predictions, Counter errors) {
	}

	void recordPrediction(String version, Role role, long nanos) {
		Meters m = meters(version, role);
		m.modelLatency().record(nanos, TimeUnit.NANOSECONDS);
		m.predictions().increment();
	}

	void recordError(String version, Role role) {
		meters(version, role).errors().increment();
	}

	private Meters meters(String version, Role role) {
		Map<String, Meters> byVersion = meters.get(role);
		Meters found = byVersion.get(version);
		// computeIfAbsent only on a miss: its lambda captures the role, and would be allocated per call.
		return found != null ? found : byVersion.computeIfAbsent(version, v -> new Meters(
				Timer.builder("canary.model.latency")
					.description("Time to serve the model for one prediction, artificial delay included")
					.tags("version", v, "role", role.wireName())
					.publishPercentileHistogram()
					.register(registry),
				Counter.builder("canary.predictions").description("Predictions served")
					.tags("version", v, "role", role.wireName()).register(registry),
				Counter.builder("canary.prediction.errors").description("Model failures (exceptions, non-finite answers)")
					.tags("version", v, "role", role.wireName()).register(registry)));
	}

}
