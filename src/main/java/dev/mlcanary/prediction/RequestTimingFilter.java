package dev.mlcanary.prediction;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.mlcanary.system.FilterOrder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Whole-request latency of {@code POST /predict} (reading and writing JSON included), per
 * version and role, with histogram buckets. Requests refused before a model served them
 * are tagged {@code role=none}, {@code version=none}.
 */
@Component
@Order(FilterOrder.REQUEST_TIMING)
class RequestTimingFilter extends OncePerRequestFilter {

	/**
	 * Request attribute: the {@link PredictionResponse} that answered, set by the
	 * controller.
	 */
	static final String SERVED = RequestTimingFilter.class.getName() + ".served";

	private final MeterRegistry registry;

	/**
	 * Timers by tags: building and registering a meter per request would cost more than
	 * the model.
	 */
	private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

	private record Key(String version, String role, int status) {
	}

	RequestTimingFilter(MeterRegistry registry) {
		this.registry = registry;
	}

	private Timer timer(Key key) {
		return Timer.builder("canary.request.duration")
			.description("Whole POST /predict request, JSON included")
			.tags("version", key.version(), "role", key.role(), "status", Integer.toString(key.status()))
			.publishPercentileHistogram()
			.register(registry);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !PredictionController.PATH.equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			long elapsed = System.nanoTime() - start;
			boolean served = request.getAttribute(SERVED) instanceof PredictionResponse;
			PredictionResponse answer = served ? (PredictionResponse) request.getAttribute(SERVED) : null;
			Key key = new Key(served ? answer.modelVersion() : "none", served ? answer.modelUsed().wireName() : "none",
					response.getStatus());
			timers.computeIfAbsent(key, this::timer).record(elapsed, TimeUnit.NANOSECONDS);
		}
	}

}
